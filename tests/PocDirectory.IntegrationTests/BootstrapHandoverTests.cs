using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>The bootstrap setting hands over: its own storage, since "the last Secretariat" counts every assignment.</summary>
public sealed class BootstrapHandoverTests
{
    [Fact]
    public async Task BootstrapSettingNamesSomeoneElse_FormerBootstrapLosesSecretariat_AndTheLastSecretariatCannotBeRemoved()
    {
        const string former = "former-secretariat@example.org", successor = "new-secretariat@example.org";
        await using var stack = await LocalStack.StartAsync(s => s["Auth:BootstrapSecretariat"] = former);
        using var formerClient = await stack.Runner.ClientForAsync(former);
        var formerRow = Assert.Single((await formerClient.GetFromJsonAsync<JsonObject>("api/me"))!["roles"]!.AsArray())!;
        Assert.True(formerRow["bootstrap"]!.GetValue<bool>());
        Assert.NotEqual("bootstrap", formerRow["id"]!.GetValue<string>());

        // The only Secretariat cannot remove itself.
        using (var last = await formerClient.DeleteAsync($"api/role-assignments/{formerRow["id"]}"))
        {
            await PocBodies.AssertProblemAsync(last, HttpStatusCode.Conflict);
        }

        // The setting now names the successor: at start-up the successor is added and the former bootstrap row removed.
        var settings = DirectoryFixture.Settings(stack.Azurite).Isolated();
        settings["Auth:BootstrapSecretariat"] = successor;
        await using var restarted = await LocalRunner.StartAsync(settings);
        using var formerAgain = await restarted.ClientForAsync(former);
        using var successorClient = await restarted.ClientForAsync(successor);

        using (var refused = await formerAgain.GetAsync("api/role-assignments"))
        {
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        var secretariat = (await successorClient.GetFromJsonAsync<JsonObject>("api/role-assignments?role=Secretariat"))!["items"]!.AsArray();
        var successorRow = Assert.Single(secretariat)!;
        Assert.Equal(successor, successorRow["email"]!.GetValue<string>());
        var audit = await successorClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=RoleAssignment&entityId={formerRow["id"]}");
        Assert.Contains(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "RoleAssignment.Deleted" && e["actor"]!.GetValue<string>() == "system");

        // Handed over by hand as well: once someone else is Secretariat, the bootstrap row itself can go.
        using (var other = await successorClient.PostAsJsonAsync("api/role-assignments", new { email = "deputy@example.org", role = "Secretariat" }))
        {
            Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        }

        using var removed = await successorClient.DeleteAsync($"api/role-assignments/{successorRow["id"]}");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
    }
}
