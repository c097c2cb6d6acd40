using System.Net;
using System.Text.Json;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class HealthTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task Health_Anonymous_ReportsStorageReachable()
    {
        using var response = await fixture.Runner.Http.GetAsync("api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
        Assert.True(body.RootElement.GetProperty("storageReachable").GetBoolean());
    }
}
