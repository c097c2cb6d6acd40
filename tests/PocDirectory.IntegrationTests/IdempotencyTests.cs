using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Creates with an Idempotency-Key (decision 0017): the same request again answers the first result without a second
/// record; the key with another body is refused (422); a key still in flight answers 409; a malformed key 400.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class IdempotencyTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task CreatePoc_SameKeyAndBodyTwice_AnswersTheFirstResult_AndCreatesOnePoc()
    {
        var participant = await fixture.NewParticipantAsync();
        var body = PocBodies.Valid(participant).ToJsonString();
        var key = NewKey();

        using var first = await PostAsync(fixture.SecretariatClient, "api/pocs", body, key);
        using var again = await PostAsync(fixture.SecretariatClient, "api/pocs", body, $"\"{key}\"");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(first.Headers.ETag, again.Headers.ETag);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var id = (await first.ReadJsonAsync())["id"]!.GetValue<string>();
        Assert.Equal([id], await PocIdsAsync(participant));
        Assert.Equal(1, await AuditCountAsync("Poc", id, "Poc.Created"));
    }

    [Fact]
    public async Task CreatePoc_SameKeyWithAnotherBody_Answers422_AndCreatesNothingMore()
    {
        var participant = await fixture.NewParticipantAsync();
        var key = NewKey();
        using var first = await PostAsync(fixture.SecretariatClient, "api/pocs", PocBodies.Valid(participant).ToJsonString(), key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        using var other = await PostAsync(fixture.SecretariatClient, "api/pocs", PocBodies.Valid(participant, fullName: "Grace Example").ToJsonString(), key);

        await PocBodies.AssertProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Idempotency-Key", (await other.ReadJsonAsync())["detail"]!.GetValue<string>());
        Assert.Single(await PocIdsAsync(participant));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("has spaces in it")]
    [InlineData("\"unterminated")]
    [InlineData("a,second-key-value")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task CreatePoc_MalformedKey_Answers400_AndCreatesNothing(string key)
    {
        var participant = await fixture.NewParticipantAsync();

        using var response = await PostAsync(fixture.SecretariatClient, "api/pocs", PocBodies.Valid(participant).ToJsonString(), key);

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.BadRequest, "Idempotency-Key");
        Assert.Empty(await PocIdsAsync(participant));
    }

    [Fact]
    public async Task CreatePoc_KeyStillInFlight_Answers409_AndCreatesNothing()
    {
        var participant = await fixture.NewParticipantAsync();
        var body = PocBodies.Valid(participant).ToJsonString();
        var key = NewKey();

        // The row another try of this request holds while it runs (it has not answered yet), kept per person: under the
        // caller's stable subject, not their address.
        var subject = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/me"))!["subject"]!.GetValue<string>();
        await ReservationsTable().AddEntityAsync(new TableEntity(Uri.EscapeDataString(subject), Sha256Hex(Encoding.UTF8.GetBytes(key)))
        {
            ["Fingerprint"] = Sha256Hex(Encoding.UTF8.GetBytes("POST /api/pocs\n" + body)),
            ["Token"] = "INFLIGHTTEST" + Guid.NewGuid().ToString("N")[..14].ToUpperInvariant(),
            ["CreatedAt"] = DateTimeOffset.UtcNow,
            ["LeaseUntil"] = DateTimeOffset.UtcNow.AddMinutes(10),
            ["State"] = "InFlight",
        });

        using var response = await PostAsync(fixture.SecretariatClient, "api/pocs", body, key);

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Empty(await PocIdsAsync(participant));
    }

    [Fact]
    public async Task CreatePoc_ManyAtOnceWithOneKey_CreateOnePoc_EachAnswerIsItOr409()
    {
        var participant = await fixture.NewParticipantAsync();
        var body = PocBodies.Valid(participant).ToJsonString();
        var key = NewKey();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await PostAsync(fixture.SecretariatClient, "api/pocs", body, key);
            return (response.StatusCode, response.StatusCode == HttpStatusCode.Created ? (await response.ReadJsonAsync())["id"]!.GetValue<string>() : null);
        }));

        var id = Assert.Single(await PocIdsAsync(participant));
        Assert.All(answers, a => Assert.True(a.StatusCode == HttpStatusCode.Conflict || (a.StatusCode == HttpStatusCode.Created && a.Item2 == id), $"{a.StatusCode} {a.Item2}"));
        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreatePoc_KeyOfARefusedRequest_CanBeUsedForTheCorrectedRequest()
    {
        var participant = await fixture.NewParticipantAsync();
        var key = NewKey();
        using var refused = await PostAsync(fixture.SecretariatClient, "api/pocs", PocBodies.Valid(participant).With("timeZone", "Mars/Olympus").ToJsonString(), key);
        await PocBodies.AssertProblemAsync(refused, HttpStatusCode.BadRequest, "timeZone");

        using var corrected = await PostAsync(fixture.SecretariatClient, "api/pocs", PocBodies.Valid(participant).ToJsonString(), key);

        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Single(await PocIdsAsync(participant));
    }

    [Fact]
    public async Task CreatePoc_SameKeyFromAnotherCaller_IsAnotherRequest()
    {
        var participant = await fixture.NewParticipantAsync();
        using var focalPoint = await fixture.UserWithRoleAsync("FocalPoint", participant);
        var body = PocBodies.Valid(participant).ToJsonString();
        var key = NewKey();

        using var bySecretariat = await PostAsync(fixture.SecretariatClient, "api/pocs", body, key);
        using var byFocalPoint = await PostAsync(focalPoint, "api/pocs", body, key);

        Assert.Equal(HttpStatusCode.Created, bySecretariat.StatusCode);
        Assert.Equal(HttpStatusCode.Created, byFocalPoint.StatusCode);
        Assert.NotEqual(bySecretariat.Headers.Location, byFocalPoint.Headers.Location);
        Assert.Equal(2, (await PocIdsAsync(participant)).Count);
    }

    [Fact]
    public async Task CreateCampaign_SameKeyTwice_AnswersTheFirstResult_AndCreatesOneCampaign()
    {
        var participant = await fixture.NewParticipantAsync();
        var name = "Idempotent " + Guid.NewGuid().ToString("N")[..8];
        var body = new JsonObject
        {
            ["name"] = name,
            ["scope"] = new JsonObject { ["participants"] = new JsonArray(participant) },
            ["responseWindow"] = "PT1H",
            ["startAt"] = DateTimeOffset.UtcNow.AddDays(30).ToString("O"),
        }.ToJsonString();
        var key = NewKey();

        using var first = await PostAsync(fixture.SecretariatClient, "api/campaigns", body, key);
        using var again = await PostAsync(fixture.SecretariatClient, "api/campaigns", body, key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        var campaigns = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/campaigns");
        Assert.Single(campaigns!["items"]!.AsArray(), c => c!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task CreateRoleAssignment_SameKeyTwice_AnswersTheFirstResult_WithoutTheConflictOfARepeat()
    {
        var email = $"idem-{Guid.NewGuid():N}@example.org";
        var body = new JsonObject { ["email"] = email, ["role"] = "Secretariat" }.ToJsonString();
        var key = NewKey();

        using var first = await PostAsync(fixture.SecretariatClient, "api/role-assignments", body, key);
        using var again = await PostAsync(fixture.SecretariatClient, "api/role-assignments", body, key);
        using var withoutKey = await PostAsync(fixture.SecretariatClient, "api/role-assignments", body, key: null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        await PocBodies.AssertProblemAsync(withoutKey, HttpStatusCode.Conflict);
        var roles = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/role-assignments?email={Uri.EscapeDataString(email)}");
        Assert.Single(roles!["items"]!.AsArray());
    }

    private static string NewKey() => Guid.NewGuid().ToString();

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string body, string? key)
        => PocBodies.PostWithKeyAsync(client, path, body, key);

    private async Task<List<string>> PocIdsAsync(string participant)
        => (await PocBodies.AllItemsAsync(fixture.SecretariatClient, $"api/pocs?participant={participant}&pageSize=100"))
            .Select(p => p["id"]!.GetValue<string>()).ToList();

    private async Task<int> AuditCountAsync(string entityType, string entityId, string action)
    {
        var log = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType={entityType}&entityId={entityId}");
        return log!["items"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == action);
    }

    private TableClient ReservationsTable() => new(fixture.Azurite.ConnectionString, "Idempotency");

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));
}
