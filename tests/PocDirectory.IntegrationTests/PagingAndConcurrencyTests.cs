using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Storage;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class PagingAndConcurrencyTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task ListPocs_ThousandPocs_PagesThroughEachExactlyOnce()
    {
        const int total = 1000;
        var participant = await fixture.NewParticipantAsync();
        var created = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var kind = i % 3 == 0 ? "Diplomatic" : "Technical";
            var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, kind, $"Person {i:D4}"));
            created.Add(poc["id"]!.GetValue<string>());
        });

        var seen = new List<string>();
        var pages = 0;
        string? token = null;
        do
        {
            var url = $"api/pocs?participant={participant}&pageSize=100" + (token is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>(url);
            var items = page!["items"]!.AsArray();
            Assert.InRange(items.Count, 1, 100);
            seen.AddRange(items.Select(p => p!["id"]!.GetValue<string>()));
            token = page["continuationToken"]?.GetValue<string>();
            pages++;
        }
        while (token is not null);

        Assert.Equal(10, pages);
        Assert.Equal(created.Order(), seen.Order());
        Assert.Equal(total, seen.Distinct().Count());

        // A filter evaluated in memory (free text) still pages: 10 people are named "Person 01xx".
        var filtered = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs?participant={participant}&q=Person%2001&pageSize=50");
        Assert.Equal(50, filtered!["items"]!.AsArray().Count);
        Assert.NotNull(filtered["continuationToken"]);
        var rest = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>(
            $"api/pocs?participant={participant}&q=Person%2001&pageSize=100&continuationToken={Uri.EscapeDataString(filtered["continuationToken"]!.GetValue<string>())}");
        Assert.Equal(50, rest!["items"]!.AsArray().Count);
        Assert.Null(rest["continuationToken"]);

        var participantBody = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/participants/{participant}");
        Assert.Equal(334, participantBody!["activeDiplomaticPocs"]!.GetValue<int>());
        Assert.Equal(666, participantBody["activeTechnicalPocs"]!.GetValue<int>());
    }

    [Fact]
    public async Task UpdatePoc_TwoWritersWithSameETag_ExactlyOneWinsAndNothingIsLost()
    {
        var participant = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant));
        var id = poc["id"]!.GetValue<string>();
        using var focalPoint = await fixture.UserWithRoleAsync("FocalPoint", participant);

        var first = PocBodies.Valid(participant).With("fullName", "Written by the Secretariat");
        var second = PocBodies.Valid(participant).With("fullName", "Written by the focal point");
        using var start = new SemaphoreSlim(0);
        var a = Task.Run(async () => { await start.WaitAsync(); return await fixture.SecretariatClient.SendAsync(PocBodies.Put(id, first, etag)); });
        var b = Task.Run(async () => { await start.WaitAsync(); return await focalPoint.SendAsync(PocBodies.Put(id, second, etag)); });
        start.Release(2);
        var responses = await Task.WhenAll(a, b);

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.PreconditionFailed);
        await PocBodies.AssertProblemAsync(loser, HttpStatusCode.PreconditionFailed);
        var winnerName = responses[0].StatusCode == HttpStatusCode.OK ? "Written by the Secretariat" : "Written by the focal point";
        var (stored, storedETag) = await PocBodies.GetAsync(fixture.SecretariatClient, id);
        Assert.Equal(winnerName, stored["fullName"]!.GetValue<string>());
        Assert.Equal(responses.Single(r => r.StatusCode == HttpStatusCode.OK).Headers.ETag!.ToString(), storedETag);

        // The loser reloads and applies its change on top: nothing is lost.
        using var retry = await focalPoint.SendAsync(PocBodies.Put(id, second.With("position", "Kept " + winnerName), storedETag));
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    /// <summary>
    /// An edit whose If-Match is the version the runner last served is saved without reading the POC first (decision
    /// 0043); a change made meanwhile elsewhere (another instance, written here straight to storage) must still make it
    /// stale, and that change must stay.
    /// </summary>
    [Fact]
    public async Task UpdatePoc_ChangedElsewhereSinceItWasRead_Is412_AndTheOtherChangeStays()
    {
        var participant = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant));
        var id = poc["id"]!.GetValue<string>();
        var (_, etag) = await PocBodies.GetAsync(fixture.SecretariatClient, id);

        var directory = new TableClient(fixture.Azurite.ConnectionString, StorageKeys.DirectoryTable);
        await directory.UpdateEntityAsync(
            new TableEntity(StorageKeys.ParticipantPartition(participant), StorageKeys.PocRowKey(id)) { ["Position"] = "Changed by another instance" },
            ETag.All, TableUpdateMode.Merge);

        using var stale = await fixture.SecretariatClient.SendAsync(PocBodies.Put(id, PocBodies.Valid(participant).With("fullName", "Edited on the old version"), etag));
        await PocBodies.AssertProblemAsync(stale, HttpStatusCode.PreconditionFailed);
        var (stored, storedETag) = await PocBodies.GetAsync(fixture.SecretariatClient, id);
        Assert.Equal("Changed by another instance", stored["position"]!.GetValue<string>());
        Assert.NotEqual("Edited on the old version", stored["fullName"]!.GetValue<string>());

        // Edited again on the version now read, it is saved, and the answer's version is the stored one.
        using var fresh = await fixture.SecretariatClient.SendAsync(PocBodies.Put(id, PocBodies.Valid(participant).With("fullName", "Edited on the new version"), storedETag));
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var (saved, savedETag) = await PocBodies.GetAsync(fixture.SecretariatClient, id);
        Assert.Equal("Edited on the new version", saved["fullName"]!.GetValue<string>());
        Assert.Equal(fresh.Headers.ETag!.ToString(), savedETag);
    }

    [Fact]
    public async Task CreatePocs_ConcurrentlyInOneParticipant_AllSucceed_AndCountEveryNomination()
    {
        // A bulk load: 60 creations at once into one participant, each of which also updates the participant's counts.
        // Every one must succeed (a create has no If-Match, so a 412 would be nonsense to the caller).
        var participant = await fixture.NewParticipantAsync();
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, i % 2 == 0 ? "Technical" : "Diplomatic", $"Racer {i}"))));

        var body = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/participants/{participant}");
        Assert.Equal(30, body!["activeTechnicalPocs"]!.GetValue<int>());
        Assert.Equal(30, body["activeDiplomaticPocs"]!.GetValue<int>());
    }
}
