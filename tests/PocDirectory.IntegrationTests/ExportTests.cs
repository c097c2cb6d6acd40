using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class ExportTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task ExportCsv_FormulaLikeValues_AreNeutralised_AndJsonKeepsThemIntact()
    {
        var participant = await fixture.NewParticipantAsync();
        const string hostile = "=HYPERLINK(\"http://attacker.example\",\"click\")";
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: hostile).With("position", "@SUM(A1:A2)"));

        var csv = await fixture.SecretariatClient.GetStringAsync("api/export?format=csv");
        var row = csv.Split('\n').Single(l => l.StartsWith($"\"{participant}\",", StringComparison.Ordinal));
        Assert.Contains("\"'=HYPERLINK(\"\"http://attacker.example\"\",\"\"click\"\")\"", row);
        Assert.Contains("\"'@SUM(A1:A2)\"", row);

        var json = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/export?format=json");
        Assert.Contains(json!["pocs"]!.AsArray(), p => p!["fullName"]!.GetValue<string>() == hostile);
        Assert.Contains(json["participants"]!.AsArray(), p => p!["code"]!.GetValue<string>() == "SGP");
    }
}
