using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class OpenApiTests(DirectoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task OpenApiDocument_DescribesEveryHttpFunctionInMetadata()
    {
        var document = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/openapi.json");
        var paths = document!["paths"]!.AsObject();
        var metadata = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata")))!.AsArray();
        var triggers = metadata.SelectMany(f => f!["bindings"]!.AsArray()).Where(b => b!["type"]!.GetValue<string>() == "httpTrigger").ToList();

        Assert.Equal("3.1.0", document["openapi"]!.GetValue<string>());
        Assert.NotEmpty(triggers);
        foreach (var trigger in triggers)
        {
            var path = "/api/" + trigger!["route"]!.GetValue<string>();
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document");
            foreach (var method in trigger["methods"]!.AsArray())
            {
                Assert.NotNull(paths[path]![method!.GetValue<string>()]);
            }
        }

        Assert.Equal(triggers.Sum(t => t!["methods"]!.AsArray().Count), paths.Sum(p => p.Value!.AsObject().Count));
        Assert.NotNull(document["components"]!["schemas"]!["PocInput"]);
    }

    [Fact]
    public async Task OpenApiDocument_Anonymous_IsUnauthorized()
    {
        using var response = await fixture.Runner.Http.GetAsync("api/openapi.json");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>The served document, as outside tools read it: spectral's OpenAPI ruleset and Redocly's recommended one (.spectral.yaml, redocly.yaml).</summary>
    [Fact]
    public async Task OpenApiDocument_Served_PassesSpectralAndRedoclyWithoutErrorsOrWarnings()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("openapi-").FullName, "openapi.json");
        await File.WriteAllTextAsync(file, await fixture.SecretariatClient.GetStringAsync("api/openapi.json"));

        var spectral = JsonNode.Parse(await RunToolAsync("spectral", "lint", "--ruleset", Path.Combine(RepoPaths.Root, ".spectral.yaml"), "--format", "json", "--quiet", file))!.AsArray();
        var redocly = JsonNode.Parse(await RunToolAsync("redocly", "lint", "--config", Path.Combine(RepoPaths.Root, "redocly.yaml"), "--format", "json", file))!;

        foreach (var problem in spectral)
        {
            output.WriteLine($"spectral {problem!["code"]} at {string.Join('/', problem["path"]!.AsArray())}: {problem["message"]}");
        }

        foreach (var problem in redocly["problems"]!.AsArray())
        {
            output.WriteLine($"redocly {problem!["ruleId"]} ({problem["severity"]}): {problem["message"]}");
        }

        Assert.Empty(spectral);
        Assert.Equal(0, redocly["totals"]!["errors"]!.GetValue<int>());
        Assert.Equal(0, redocly["totals"]!["warnings"]!.GetValue<int>());
    }

    /// <summary>Runs a linter installed by npm ci and returns what it printed; their exit codes only say whether problems were found.</summary>
    private static async Task<string> RunToolAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "node_modules", ".bin", tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await stdout;
        Assert.True(text.TrimStart().StartsWith('[') || text.TrimStart().StartsWith('{'), $"{tool} printed no JSON (exit {process.ExitCode}): {await stderr}");
        return text;
    }
}
