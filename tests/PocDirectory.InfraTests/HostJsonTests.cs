using System.Text.Json.Nodes;

namespace PocDirectory.InfraTests;

/// <summary>host.json keeps what the local runner reads and the settings decision 0006 relies on.</summary>
public sealed class HostJsonTests
{
    private static readonly JsonNode Host = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "host.json")))!;

    [Fact]
    public void HostJson_LocalRunnerKeys_AreKept()
    {
        Assert.Equal("2.0", Host["version"]!.GetValue<string>());
        Assert.Equal("api", Host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
        Assert.Equal("PocDirectory", Host["extensions"]!["durableTask"]!["hubName"]!.GetValue<string>());
    }

    [Fact]
    public void HostJson_DurableTracing_LeavesOutInputsAndOutputs()
    {
        // Orchestration and activity inputs carry campaign scopes and POC contact details: never into the logs.
        var tracing = Host["extensions"]!["durableTask"]!["tracing"]!;

        Assert.False(tracing["traceInputsAndOutputs"]!.GetValue<bool>());
    }

    [Fact]
    public void HostJson_SuccessfulRequests_AreNotLoggedWithTheirUrls()
    {
        // Request URLs hold search terms (?q=name) and acknowledgement tokens; successful calls are counted by
        // Host.Aggregator instead of logged one by one.
        Assert.Equal("Error", Host["logging"]!["logLevel"]!["Host.Results"]!.GetValue<string>());
        Assert.Equal("Information", Host["logging"]!["logLevel"]!["Host.Aggregator"]!.GetValue<string>());
    }
}
