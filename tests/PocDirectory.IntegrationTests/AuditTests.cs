using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class AuditTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task Writes_AppearInAuditLog_WithActorAndFieldDiff()
    {
        var participant = await fixture.NewParticipantAsync();
        var focalEmail = $"fp-{Guid.NewGuid():N}@example.org";
        using (var assign = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email = focalEmail, role = "FocalPoint", participant }))
        {
            Assert.Equal(HttpStatusCode.Created, assign.StatusCode);
        }

        using var focalPoint = await fixture.Runner.ClientForAsync(focalEmail);
        var (poc, etag) = await PocBodies.CreateAsync(focalPoint, PocBodies.Valid(participant));
        var id = poc["id"]!.GetValue<string>();
        using (var update = await focalPoint.SendAsync(PocBodies.Put(id, PocBodies.Valid(participant).With("position", "Director"), etag)))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        var log = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Poc&entityId={id}");
        var entries = log!["items"]!.AsArray();
        Assert.Equal(["Poc.Updated", "Poc.Created"], entries.Select(e => e!["action"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal(focalEmail, e!["actor"]!.GetValue<string>()));

        var updateChanges = entries[0]!["changes"]!.AsArray();
        var position = Assert.Single(updateChanges, c => c!["field"]!.GetValue<string>() == "position");
        Assert.Equal("Head of incident response", position!["before"]!.GetValue<string>());
        Assert.Equal("Director", position["after"]!.GetValue<string>());
        Assert.DoesNotContain(updateChanges, c => c!["field"]!.GetValue<string>() == "fullName");

        var created = entries[1]!["changes"]!.AsArray();
        Assert.Contains(created, c => c!["field"]!.GetValue<string>() == "fullName" && c["before"] is null && c["after"]!.GetValue<string>() == "Ada Example");

        var roleLog = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=RoleAssignment&actor={DirectoryFixture.Secretariat}");
        Assert.Contains(roleLog!["items"]!.AsArray(), e => e!["changes"]!.AsArray().Any(c => c!["field"]!.GetValue<string>() == "email" && c["after"]!.GetValue<string>() == focalEmail));
    }

    [Fact]
    public async Task AuditLog_HasNoRouteToChangeOrDeleteEntries()
    {
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch, HttpMethod.Post })
        {
            using var request = new HttpRequestMessage(method, "api/audit") { Content = JsonContent.Create(new { }) };
            using var response = await fixture.SecretariatClient.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound, $"{method} answered {(int)response.StatusCode}");
        }
    }
}
