using System.Text.Json.Nodes;

namespace PocDirectory.InfraTests;

/// <summary>
/// infra/main.bicep compiled once to ARM JSON (modules become nested deployments) and linted once, shared by the tests.
/// Each CLI run costs a few seconds of start-up, so both run at the same time.
/// </summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    internal BicepCli.Result Build { get; private set; } = null!;

    internal BicepCli.Result Lint { get; private set; } = null!;

    /// <summary>The ARM JSON text exactly as the compiler printed it.</summary>
    public string Json { get; private set; } = string.Empty;

    public JsonObject Root { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var build = BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");
        var lint = BicepCli.RunAsync("lint", BicepCli.MainTemplate);
        Build = await build;
        Lint = await lint;
        Json = Build.StandardOutput;
        Root = Build.ExitCode == 0 && JsonNode.Parse(Json) is JsonObject root
            ? root
            : throw new InvalidOperationException($"bicep build failed ({Build.ExitCode}):\n{Build.StandardError}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Every resource declared anywhere in the template, nested deployments included; existing references are skipped.</summary>
    public IEnumerable<JsonObject> Resources(string type) =>
        Descendants(Root).Where(o => o["type"] is JsonValue t && t.TryGetValue<string>(out var s) && string.Equals(s, type, StringComparison.OrdinalIgnoreCase)
                                     && o["existing"]?.GetValue<bool>() != true);

    /// <summary>The Function App's application settings (name → value as written in the template, often an ARM expression).</summary>
    public IReadOnlyDictionary<string, string> AppSettings
    {
        get
        {
            var config = Resources("Microsoft.Web/sites/config")
                .Where(r => r["name"]!.GetValue<string>().Contains("appsettings", StringComparison.OrdinalIgnoreCase))
                .ToList();
            Assert.True(config.Count == 1, $"Expected one Microsoft.Web/sites/config 'appsettings' resource, found {config.Count}.");
            return config[0]["properties"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal);
        }
    }

    /// <summary>A value written as-is (not an ARM expression such as "[parameters('x')]").</summary>
    public static bool IsLiteral(string value) => !value.StartsWith('[') || value.StartsWith("[[", StringComparison.Ordinal);

    private static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                yield return o;
                foreach (var child in o.Select(p => p.Value).SelectMany(Descendants))
                {
                    yield return child;
                }

                break;
            case JsonArray a:
                foreach (var child in a.SelectMany(Descendants))
                {
                    yield return child;
                }

                break;
        }
    }
}
