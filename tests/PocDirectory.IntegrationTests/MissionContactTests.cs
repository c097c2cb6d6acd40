using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 18, item 1: a participant's mission contacts, kept by the Secretariat, seen by it and the participant only.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class MissionContactTests(DirectoryFixture fixture)
{
    private static object Contacts(params string[] emails)
        => new { contacts = emails.Select((e, i) => new { name = $"Counsellor {i + 1}", email = e, phone = "+41227001234" }).ToArray() };

    [Fact]
    public async Task Mission_NoneRecorded_IsAnEmptyListWithAnETag_PutAtThatETag_StoresItAudited()
    {
        var x = await fixture.NewParticipantAsync();
        using var empty = await fixture.SecretariatClient.GetAsync($"api/participants/{x}/mission");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Empty((await empty.ReadJsonAsync())["contacts"]!.AsArray());
        var none = empty.Headers.ETag!.ToString();

        var email = $"mission-{Guid.NewGuid():N}@example.org";
        using var put = Put(x, Contacts(email), none);
        using var saved = await fixture.SecretariatClient.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var version = saved.Headers.ETag!.ToString();
        Assert.NotEqual(none, version);

        using var read = await fixture.SecretariatClient.GetAsync($"api/participants/{x}/mission");
        var contact = (await read.ReadJsonAsync())["contacts"]!.AsArray().Single()!;
        Assert.Equal(email, contact["email"]!.GetValue<string>());
        Assert.Equal("Counsellor 1", contact["name"]!.GetValue<string>());
        Assert.Equal("+41227001234", contact["phone"]!.GetValue<string>());
        Assert.Equal(version, read.Headers.ETag!.ToString());

        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Participant&entityId={x}");
        Assert.Contains(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "MissionContacts.Updated");

        // Replaced at the new version: the list is the new one.
        using var again = Put(x, Contacts(email, $"second-{Guid.NewGuid():N}@example.org"), version);
        using var replaced = await fixture.SecretariatClient.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        Assert.Equal(2, (await (await fixture.SecretariatClient.GetAsync($"api/participants/{x}/mission")).ReadJsonAsync())["contacts"]!.AsArray().Count);
    }

    [Fact]
    public async Task Mission_StaleOrMissingIfMatch_Is412Or428_AndNothingChanges()
    {
        var x = await fixture.NewParticipantAsync();
        var first = $"first-{Guid.NewGuid():N}@example.org";
        using (var put = Put(x, Contacts(first), "W/\"mission-none\""))
        using (var saved = await fixture.SecretariatClient.SendAsync(put))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        // The "none yet" version is stale once a list exists; so is no version at all.
        using (var stale = Put(x, Contacts("late@example.org"), "W/\"mission-none\""))
        using (var refused = await fixture.SecretariatClient.SendAsync(stale))
        {
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.PreconditionFailed);
        }

        using (var missing = Put(x, Contacts("late@example.org"), null))
        using (var refused = await fixture.SecretariatClient.SendAsync(missing))
        {
            await PocBodies.AssertProblemAsync(refused, (HttpStatusCode)428);
        }

        var stored = (await (await fixture.SecretariatClient.GetAsync($"api/participants/{x}/mission")).ReadJsonAsync())["contacts"]!.AsArray();
        Assert.Equal(first, stored.Single()!["email"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"contacts": [{"name": "A", "email": "not-an-address"}]}""", "contacts[0].email")]
    [InlineData("""{"contacts": [{"email": "a@example.org"}]}""", "contacts[0].name")]
    [InlineData("""{"contacts": [{"name": "A", "email": "a@example.org", "phone": "12345"}]}""", "contacts[0].phone")]
    [InlineData("""{"contacts": [{"name": "A", "email": "a@example.org", "language": "fr_FR"}]}""", "contacts[0].language")]
    [InlineData("""{"contacts": [{"name": "A", "email": "a@example.org", "language": "not a language"}]}""", "contacts[0].language")]
    [InlineData("""{"contacts": [{"name": "A", "email": "a@example.org"}, {"name": "B", "email": "A@example.org"}]}""", "contacts")]
    [InlineData("""{}""", "contacts")]
    public async Task Mission_BadInput_Is400NamingTheField_AndNothingIsStored(string body, string field)
    {
        var x = await fixture.NewParticipantAsync();
        using var put = new HttpRequestMessage(HttpMethod.Put, $"api/participants/{x}/mission") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        put.Headers.TryAddWithoutValidation("If-Match", "W/\"mission-none\"");
        using var refused = await fixture.SecretariatClient.SendAsync(put);
        await PocBodies.AssertProblemAsync(refused, HttpStatusCode.BadRequest, field);

        using var read = await fixture.SecretariatClient.GetAsync($"api/participants/{x}/mission");
        Assert.Empty((await read.ReadJsonAsync())["contacts"]!.AsArray());
        Assert.Equal("W/\"mission-none\"", read.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Mission_IsSeenByTheSecretariatAndTheParticipantOnly_AndKeptByTheSecretariatOnly()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        using (var put = Put(x, Contacts($"kept-{Guid.NewGuid():N}@example.org"), "W/\"mission-none\""))
        using (var saved = await fixture.SecretariatClient.SendAsync(put))
        {
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }

        using var ownFocalPoint = await fixture.UserWithRoleAsync("FocalPoint", x);
        using var otherFocalPoint = await fixture.UserWithRoleAsync("FocalPoint", y);
        using (var own = await ownFocalPoint.GetAsync($"api/participants/{x}/mission"))
        {
            Assert.Single((await own.ReadJsonAsync())["contacts"]!.AsArray());
        }

        using (var other = await otherFocalPoint.GetAsync($"api/participants/{x}/mission"))
        {
            await PocBodies.AssertProblemAsync(other, HttpStatusCode.Forbidden);
        }

        using var read = await fixture.SecretariatClient.GetAsync($"api/participants/{x}/mission");
        using (var put = Put(x, Contacts("focal@example.org"), read.Headers.ETag!.ToString()))
        using (var refused = await ownFocalPoint.SendAsync(put))
        {
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        using (var unknown = await fixture.SecretariatClient.GetAsync("api/participants/NOSUCH1/mission"))
        {
            await PocBodies.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        }
    }

    private static HttpRequestMessage Put(string code, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/participants/{code}/mission") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }
}
