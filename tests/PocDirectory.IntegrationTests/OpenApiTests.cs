using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class OpenApiTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task OpenApiDocument_DescribesEveryHttpFunctionInMetadata()
    {
        var document = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/openapi.json");
        var paths = document!["paths"]!.AsObject();
        var metadata = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata")))!.AsArray();

        Assert.Equal("3.1.0", document["openapi"]!.GetValue<string>());
        foreach (var trigger in metadata.SelectMany(f => f!["bindings"]!.AsArray()).Where(b => b!["type"]!.GetValue<string>() == "httpTrigger"))
        {
            var path = "/api/" + trigger!["route"]!.GetValue<string>();
            Assert.True(paths.ContainsKey(path), $"{path} is missing from the OpenAPI document");
            foreach (var method in trigger["methods"]!.AsArray())
            {
                Assert.NotNull(paths[path]![method!.GetValue<string>()]);
            }
        }

        Assert.NotNull(document["components"]!["schemas"]!["PocInput"]);
    }

    [Fact]
    public async Task OpenApiDocument_Anonymous_IsUnauthorized()
    {
        using var response = await fixture.Runner.Http.GetAsync("api/openapi.json");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
