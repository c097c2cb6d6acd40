using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using PocDirectory.TestSupport;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

/// <summary>A runner of its own; an Idempotency-Key held by a try that died frees itself after 5 s instead of minutes.</summary>
public sealed class ChangeCrashFixture : DirectoryFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Idempotency:InFlightLease"] = "00:00:05",
        ["CampaignSchedulerSchedule"] = "0 0 0 1 1 *",
    };
}

/// <summary>
/// The runner SIGKILLed at the moment that matters, found by halting it (SIGSTOP) until storage shows that moment: a
/// change saved whose answer or audit move has not happened yet. Decisions 0004 and 0017.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class ChangeCrashTests(ChangeCrashFixture fixture, ITestOutputHelper output) : IClassFixture<ChangeCrashFixture>
{
    private const string MarkerPrefix = "~idem|";
    private const string OutboxPrefix = "~audit|";

    [Fact]
    public async Task RunnerKilledAfterACreateWasSavedBeforeItAnswered_RetriesWithTheirKeys_AnswerTheFirstResult_NoPocTwice()
    {
        var participant = await fixture.NewParticipantAsync();
        using var http = fixture.Runner.CountedClient(await fixture.Runner.TokenForAsync(DirectoryFixture.Secretariat));
        var sent = new ConcurrentDictionary<string, string>();
        var answered = new ConcurrentDictionary<string, string>();
        using var stop = new CancellationTokenSource();
        var creating = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = Guid.NewGuid().ToString();
                var body = PocBodies.Valid(participant, fullName: $"Crash {worker}-{i}").ToJsonString();
                sent[key] = body;
                try
                {
                    using var response = await PostAsync(http, body, key);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        answered[key] = (await response.ReadJsonAsync())["id"]!.GetValue<string>();
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    return;
                }
            }
        })).ToList();

        // Halted, the runner is as a crash would leave it: look for a POC saved (its marker is there) whose key is still in flight.
        string? caught = null;
        await Wait.UntilAsync(async () =>
        {
            // Some answered first, so the test also shows that a create answered before the crash is answered the same after it.
            if (answered.Count < 5)
            {
                return false;
            }

            fixture.Runner.Process.Pause();
            caught = await SavedButUnansweredAsync(participant, sent.Keys.ToList());
            if (caught is null)
            {
                fixture.Runner.Process.Resume();
            }

            return caught is not null;
        }, TimeSpan.FromSeconds(120), () => "Never caught a create between its save and its answer", maxInterval: TimeSpan.FromMilliseconds(20));
        fixture.Runner.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(creating);
        await fixture.Runner.RestartAsync();
        var savedBefore = (await PocIdsAsync(participant)).ToHashSet(StringComparer.Ordinal);
        output.WriteLine($"{sent.Count} creates sent, {answered.Count} answered before the kill, {savedBefore.Count} saved");

        // Every create is sent again with its key; one whose dead try still holds the key answers 409 until its lease ends.
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, body) in sent)
        {
            HttpResponseMessage? response = null;
            await Wait.UntilAsync(async () =>
            {
                response?.Dispose();
                response = await PostAsync(http, body, key);
                return response.StatusCode != HttpStatusCode.Conflict;
            }, TimeSpan.FromSeconds(60), () => $"The key {key} stayed in flight");
            using (response)
            {
                Assert.True(response!.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var id = (await response.ReadJsonAsync())["id"]!.GetValue<string>();
                Assert.Equal($"/api/pocs/{id}", response.Headers.Location?.OriginalString);
                results[key] = id;
            }
        }

        Assert.Contains(results[caught!], savedBefore);
        Assert.All(answered, a => Assert.Equal(a.Value, results[a.Key]));
        var after = await PocIdsAsync(participant);
        Assert.Equal(results.Values.Order(StringComparer.Ordinal), after.Order(StringComparer.Ordinal));
        var prevented = results.Values.Count(savedBefore.Contains);
        output.WriteLine($"{prevented} retries answered with the POC their first try had saved; {after.Count} POCs for {sent.Count} keys");
        FaultLedger.DuplicateCreatesPrevented(prevented);
        FaultLedger.CrashSurvived();
    }

    [Fact]
    public async Task RunnerKilledBetweenAChangeAndItsAuditMove_AfterRestart_TheAuditLogHasTheEntryOnce()
    {
        var participant = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant));
        var id = poc["id"]!.GetValue<string>();
        using var http = fixture.Runner.CountedClient(await fixture.Runner.TokenForAsync(DirectoryFixture.Secretariat));
        using var stop = new CancellationTokenSource();
        var confirming = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.PostAsync($"api/pocs/{id}/confirm", content: null);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    return;
                }
            }
        })).ToList();

        // Halted, the runner is as a crash would leave it: look for a confirmation saved whose audit entry is still in the outbox.
        IReadOnlyList<string> caught = [];
        await Wait.UntilAsync(async () =>
        {
            fixture.Runner.Process.Pause();
            caught = await OutboxEntryIdsAsync(participant);
            if (caught.Count == 0)
            {
                fixture.Runner.Process.Resume();
            }

            return caught.Count > 0;
        }, TimeSpan.FromSeconds(120), () => "Never caught a change before its audit move", maxInterval: TimeSpan.FromMilliseconds(20));
        fixture.Runner.Kill();
        await stop.CancelAsync();
        await Task.WhenAll(confirming);
        await fixture.Runner.RestartAsync();
        output.WriteLine($"killed with {caught.Count} audit entries in the outbox");

        var entries = await AuditEntriesAsync(id);

        Assert.All(caught, entryId => Assert.Single(entries, e => e["id"]!.GetValue<string>() == entryId));
        Assert.Equal(entries.Count, entries.Select(e => e["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Empty(await OutboxEntryIdsAsync(participant));

        // The change and its entry exist together: the stored confirmation is the newest entry's.
        var (stored, _) = await PocBodies.GetAsync(fixture.SecretariatClient, id);
        var newest = entries.First(e => e["action"]!.GetValue<string>() == "Poc.Confirmed");
        var confirmedAt = newest["changes"]!.AsArray().Single(c => c!["field"]!.GetValue<string>() == "lastConfirmedAt")!["after"]!.GetValue<DateTimeOffset>();
        Assert.Equal(stored["lastConfirmedAt"]!.GetValue<DateTimeOffset>(), confirmedAt);
        FaultLedger.CrashSurvived();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string body, string key) => PocBodies.PostWithKeyAsync(client, "api/pocs", body, key);

    /// <summary>A key whose reservation is still in flight while the marker of its saved POC is in the participant's partition.</summary>
    private async Task<string?> SavedButUnansweredAsync(string participant, IReadOnlyList<string> keys)
    {
        var reservations = new TableClient(fixture.Azurite.ConnectionString, "Idempotency");
        var directory = new TableClient(fixture.Azurite.ConnectionString, "Directory");
        var byHash = keys.ToDictionary(k => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(k))), StringComparer.Ordinal);
        // Any caller's partition (reservations are kept under the caller's subject): the keys are this test's own.
        await foreach (var row in reservations.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"State eq {"InFlight"}")))
        {
            if (byHash.TryGetValue(row.RowKey, out var key)
                && (await directory.GetEntityIfExistsAsync<TableEntity>(participant, MarkerPrefix + row.GetString("Token"))).HasValue)
            {
                return key;
            }
        }

        return null;
    }

    private async Task<IReadOnlyList<string>> OutboxEntryIdsAsync(string participant)
    {
        var directory = new TableClient(fixture.Azurite.ConnectionString, "Directory");
        var ids = new List<string>();
        await foreach (var row in directory.QueryAsync<TableEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {participant} and RowKey ge {OutboxPrefix} and RowKey lt {"~audit}"}")))
        {
            ids.Add(row.GetString("Id"));
        }

        return ids;
    }

    private async Task<List<string>> PocIdsAsync(string participant)
        => (await PocBodies.AllItemsAsync(fixture.SecretariatClient, $"api/pocs?participant={participant}&pageSize=100"))
            .Select(p => p["id"]!.GetValue<string>()).ToList();

    private Task<List<JsonObject>> AuditEntriesAsync(string pocId)
        => PocBodies.AllItemsAsync(fixture.SecretariatClient, $"api/audit?entityType=Poc&entityId={pocId}&pageSize=100");
}
