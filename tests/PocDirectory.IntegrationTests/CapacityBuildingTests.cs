using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 18, item 6 (decision 0037): onboarding resources, their completion by POCs, and the share trained.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class CapacityBuildingTests(DirectoryFixture fixture)
{
    private static object Resource(string title, string link = "https://learning.example.org/poc-101", string language = "en", string kind = "Tutorial")
        => new { title, link, language, kind };

    [Fact]
    public async Task Resources_KeptByTheSecretariat_AreOnThePocsHome_AndMarkedCompletedThere()
    {
        var x = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        using var pocUser = await fixture.UserWithRoleAsync("Poc", pocId: pocId);
        var title = $"POC 101 {Guid.NewGuid():N}";

        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/resources", Resource(title));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        var version = created.Headers.ETag!.ToString();

        using (var put = new HttpRequestMessage(HttpMethod.Put, $"api/resources/{id}") { Content = JsonContent.Create(Resource(title + " (fr)", language: "fr")) })
        {
            put.Headers.TryAddWithoutValidation("If-Match", version);
            using var replaced = await fixture.SecretariatClient.SendAsync(put);
            Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
            Assert.Equal("fr", (await replaced.ReadJsonAsync())["language"]!.GetValue<string>());
        }

        using (var stale = new HttpRequestMessage(HttpMethod.Put, $"api/resources/{id}") { Content = JsonContent.Create(Resource("Stale")) })
        {
            stale.Headers.TryAddWithoutValidation("If-Match", version);
            using var refused = await fixture.SecretariatClient.SendAsync(stale);
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.PreconditionFailed);
        }

        var before = ProgressOf(await pocUser.GetFromJsonAsync<JsonObject>("api/home"), id);
        Assert.Equal(title + " (fr)", before["resource"]!["title"]!.GetValue<string>());
        Assert.Null(before["completedAt"]);

        using (var done = await pocUser.PostAsJsonAsync($"api/pocs/{pocId}/training", new { resourceId = id }))
        {
            Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        }

        Assert.NotNull(ProgressOf(await pocUser.GetFromJsonAsync<JsonObject>("api/home"), id)["completedAt"]);
        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Poc&entityId={pocId}");
        Assert.Contains(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "Poc.TrainingCompleted");

        using (var deleted = await fixture.SecretariatClient.DeleteAsync($"api/resources/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        var list = await pocUser.GetFromJsonAsync<JsonObject>("api/resources");
        Assert.DoesNotContain(list!["items"]!.AsArray(), r => r!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task Training_IsMarkedByThePocOrItsFocalPoint_OthersGet403_AndNothingIsStored()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        using var pocUser = await fixture.UserWithRoleAsync("Poc", pocId: pocId);
        using var ownFocalPoint = await fixture.UserWithRoleAsync("FocalPoint", x);
        using var otherFocalPoint = await fixture.UserWithRoleAsync("FocalPoint", y);
        var id = await NewResourceAsync();

        foreach (var refusedCaller in new[] { otherFocalPoint, fixture.SecretariatClient })
        {
            using var refused = await refusedCaller.PostAsJsonAsync($"api/pocs/{pocId}/training", new { resourceId = id });
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        using (var unknown = await ownFocalPoint.PostAsJsonAsync($"api/pocs/{pocId}/training", new { resourceId = "NOSUCHRESOURCE" }))
        {
            await PocBodies.AssertProblemAsync(unknown, HttpStatusCode.BadRequest, "resourceId");
        }

        using (var noPoc = await ownFocalPoint.PostAsJsonAsync($"api/pocs/{x}-00000000000000000000000000/training", new { resourceId = id }))
        {
            await PocBodies.AssertProblemAsync(noPoc, HttpStatusCode.NotFound);
        }

        Assert.Null(ProgressOf(await pocUser.GetFromJsonAsync<JsonObject>("api/home"), id)["completedAt"]);

        using var done = await ownFocalPoint.PostAsJsonAsync($"api/pocs/{pocId}/training", new { resourceId = id });
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var completedAt = (await done.ReadJsonAsync())["completedAt"]!.GetValue<DateTimeOffset>();

        // Marked again: the first completion stands.
        using var again = await pocUser.PostAsJsonAsync($"api/pocs/{pocId}/training", new { resourceId = id });
        Assert.Equal(completedAt, (await again.ReadJsonAsync())["completedAt"]!.GetValue<DateTimeOffset>());
    }

    [Theory]
    [InlineData("""{"title": "T", "link": "http://learning.example.org/poc-101", "language": "en", "kind": "Guide"}""", "link")]
    [InlineData("""{"title": "T", "link": "javascript:alert(1)", "language": "en", "kind": "Guide"}""", "link")]
    [InlineData("""{"title": "T", "link": "https://learning.example.org/x", "language": "not a tag", "kind": "Guide"}""", "language")]
    [InlineData("""{"title": "T", "link": "https://learning.example.org/x", "language": "en", "kind": "Podcast"}""", "kind")]
    [InlineData("""{"link": "https://learning.example.org/x", "language": "en", "kind": "Guide"}""", "title")]
    public async Task Resource_BadInput_Is400NamingTheField_AndNothingIsStored(string body, string field)
    {
        var before = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/resources"))!["items"]!.AsArray().Count;
        using var refused = await fixture.SecretariatClient.PostAsync("api/resources", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await PocBodies.AssertProblemAsync(refused, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/resources"))!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Resource_KeptByTheSecretariatOnly()
    {
        var x = await fixture.NewParticipantAsync();
        using var focalPoint = await fixture.UserWithRoleAsync("FocalPoint", x);
        using var refused = await focalPoint.PostAsJsonAsync("api/resources", Resource("Not mine"));
        await PocBodies.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await focalPoint.GetAsync("api/resources")).StatusCode);
    }

    [Fact]
    public async Task TrainingCoverage_CountsActivePocsThatCompletedAResource_ByRegion()
    {
        var x = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        using var pocUser = await fixture.UserWithRoleAsync("Poc", pocId: pocId);
        var id = await NewResourceAsync();

        var before = NoRegion(await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/coverage/training"));
        using (await pocUser.PostAsJsonAsync($"api/pocs/{pocId}/training", new { resourceId = id }))
        {
        }

        var coverage = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/coverage/training");
        var after = NoRegion(coverage);
        Assert.Equal(before["pocs"]!.GetValue<int>(), after["pocs"]!.GetValue<int>());
        Assert.Equal(before["trained"]!.GetValue<int>() + 1, after["trained"]!.GetValue<int>());
        Assert.Equal(Math.Round(after["trained"]!.GetValue<double>() / after["pocs"]!.GetValue<int>(), 4), after["share"]!.GetValue<double>());
        Assert.Equal(coverage!["regions"]!.AsArray().Sum(r => r!["pocs"]!.GetValue<int>()), coverage["total"]!["pocs"]!.GetValue<int>());

        using var focalPoint = await fixture.UserWithRoleAsync("FocalPoint", x);
        await PocBodies.AssertProblemAsync(await focalPoint.GetAsync("api/coverage/training"), HttpStatusCode.Forbidden);
    }

    private static JsonObject NoRegion(JsonObject? coverage) => coverage!["regions"]!.AsArray().Single(r => r!["region"] is null)!.AsObject();

    private static JsonObject ProgressOf(JsonObject? home, string resourceId)
        => home!["pocs"]![0]!["resources"]!.AsArray().Single(r => r!["resource"]!["id"]!.GetValue<string>() == resourceId)!.AsObject();

    private async Task<string> NewResourceAsync()
    {
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/resources", Resource($"Guide {Guid.NewGuid():N}", kind: "Guide"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.ReadJsonAsync())["id"]!.GetValue<string>();
    }
}
