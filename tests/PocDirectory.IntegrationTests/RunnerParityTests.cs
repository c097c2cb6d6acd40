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

    /// <summary>What the runner reports is read back from its router, its Durable Task worker and its timer host, not
    /// from the metadata: a function it never mapped, registered or scheduled is missing from the answer.</summary>
    [Fact]
    public async Task EveryFunctionInMetadata_IsMappedRegisteredOrScheduledByTheRunner_AsItsTriggerSays()
    {
        var hosted = (await fixture.Runner.Http.GetFromJsonAsync<JsonObject>("_runner/functions"))!;

        var declaredRoutes = Triggers("httpTrigger")
            .Select(f => $"{f.Name} /api/{f.Trigger["route"]!.GetValue<string>()} {string.Join(',', f.Trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()).Order(StringComparer.Ordinal))}")
            .Order(StringComparer.Ordinal).ToArray();
        var hostedRoutes = hosted["http"]!.AsArray()
            .Select(r => $"{r!["name"]!.GetValue<string>()} {r["route"]!.GetValue<string>()} {string.Join(',', r["methods"]!.AsArray().Select(m => m!.GetValue<string>()))}")
            .Order(StringComparer.Ordinal).ToArray();
        Assert.True(declaredRoutes.Length >= 20, $"Only {declaredRoutes.Length} HTTP functions in the metadata");
        Assert.Equal(declaredRoutes, hostedRoutes);

        Assert.Equal(Names("orchestrationTrigger"), Strings(hosted["orchestrators"]!));
        Assert.Equal(Names("activityTrigger"), Strings(hosted["activities"]!));
        Assert.NotEmpty(Names("orchestrationTrigger"));
        Assert.NotEmpty(Names("activityTrigger"));

        var timers = hosted["timers"]!.AsObject();
        Assert.Equal(Names("timerTrigger"), timers.Select(t => t.Key).Order(StringComparer.Ordinal).ToArray());
        Assert.NotEmpty(timers);
        foreach (var (name, trigger) in Triggers("timerTrigger"))
        {
            // The schedule is the metadata's own, with a %Setting% resolved from the runner's configuration as the host does.
            var declared = trigger["schedule"]!.GetValue<string>();
            var expected = declared.StartsWith('%') ? fixture.Runner.Setting(declared.Trim('%')) : declared;
            Assert.False(string.IsNullOrEmpty(expected), $"{name}: the tests give the runner no {declared}");
            Assert.Equal(expected, timers[name]!.GetValue<string>());
        }
    }

    private static IEnumerable<(string Name, JsonNode Trigger)> Triggers(string type) => Metadata
        .Select(f => (Name: f!["name"]!.GetValue<string>(), Trigger: f["bindings"]!.AsArray().FirstOrDefault(b => b!["type"]!.GetValue<string>() == type)))
        .Where(f => f.Trigger is not null)
        .Select(f => (f.Name, f.Trigger!));

    private static string[] Names(string type) => Triggers(type).Select(f => f.Name).Order(StringComparer.Ordinal).ToArray();

    private static string[] Strings(JsonNode array) => array.AsArray().Select(n => n!.GetValue<string>()).ToArray();

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
                // The directory's public key is public, and is served as a key file, not JSON.
                Assert.True(mediaType is "application/json" or "application/problem+json" || (name == "GetPgpKey" && mediaType == "application/pgp-keys"),
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
