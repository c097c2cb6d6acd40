using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>The local runner hosts exactly what the Worker SDK generated for the Functions host, nothing less.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class RunnerParityTests(DirectoryFixture fixture)
{
    private static readonly JsonArray Metadata = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata")))!.AsArray();

    [Fact]
    public async Task EveryFunctionInMetadata_IsHostedByTheRunner()
    {
        var hosted = await fixture.Runner.Http.GetFromJsonAsync<JsonArray>("_runner/functions");
        var hostedNames = hosted!.Select(f => f!["name"]!.GetValue<string>()).Order().ToArray();
        var declared = Metadata.Select(f => f!["name"]!.GetValue<string>()).Order().ToArray();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, hostedNames);
    }

    [Fact]
    public async Task EveryHttpFunctionInMetadata_AnswersOnItsRouteAndMethods()
    {
        var httpFunctions = Metadata
            .Select(f => (Name: f!["name"]!.GetValue<string>(), Trigger: f["bindings"]!.AsArray().FirstOrDefault(b => b!["type"]!.GetValue<string>() == "httpTrigger")))
            .Where(f => f.Trigger is not null)
            .ToList();
        Assert.NotEmpty(httpFunctions);

        foreach (var (name, trigger) in httpFunctions)
        {
            var route = System.Text.RegularExpressions.Regex.Replace(trigger!["route"]!.GetValue<string>(), "{[^}]+}", "x");
            foreach (var method in trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()))
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), "api/" + route);
                using var response = await fixture.Runner.Http.SendAsync(request);

                // A function answers with its own JSON (a problem for anonymous callers); the router alone would give an empty 404/405.
                Assert.True(response.StatusCode != HttpStatusCode.MethodNotAllowed, $"{name}: {method} /api/{route} is not routed");
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                Assert.True(mediaType is "application/json" or "application/problem+json",
                    $"{name}: {method} /api/{route} answered {(int)response.StatusCode} with {mediaType ?? "no body"}");
            }
        }
    }

    [Fact]
    public void Metadata_IsTheFileTheRunnerReads()
    {
        var runnerCopy = Path.Combine(Path.GetDirectoryName(RepoPaths.LocalHostDll)!, "functions.metadata");
        Assert.Equal(
            JsonSerializer.Serialize(JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata")))),
            JsonSerializer.Serialize(JsonNode.Parse(File.ReadAllText(runnerCopy))));
    }
}
