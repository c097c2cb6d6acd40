using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class DevTokenTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task DevToken_WithoutSigningKey_RouteIsAbsent()
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite);
        settings["Auth:DevSigningKey"] = null;
        settings["Auth:Authority"] = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0";
        settings.Isolated();
        await using var production = await LocalRunner.StartAsync(settings);

        using var response = await production.Http.PostAsJsonAsync("api/dev/token", new { email = DirectoryFixture.Secretariat });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength ?? 0);
    }

    [Fact]
    public async Task Token_SignedWithAnotherKey_IsRejected()
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite);
        settings.Isolated();
        await using var other = await LocalRunner.StartAsync(settings);
        var foreignToken = await other.TokenForAsync(DirectoryFixture.Secretariat);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", foreignToken);
        using var response = await fixture.Runner.Http.SendAsync(request);

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("Bearer not.a.jwt")]
    [InlineData("Basic c2VjcmV0YXJpYXQ6cGFzcw==")]
    public async Task MalformedAuthorization_IsRejected(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/pocs");
        request.Headers.TryAddWithoutValidation("Authorization", header);
        using var response = await fixture.Runner.Http.SendAsync(request);

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PortalAuthorizationHeader_CarriesTheUserToken_WhenAProxyOverwritesAuthorization()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/me");
        request.Headers.TryAddWithoutValidation("X-Poc-Authorization", "Bearer " + await fixture.Runner.TokenForAsync(DirectoryFixture.Secretariat));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer a-token-the-proxy-put-there");
        using var response = await fixture.Runner.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DirectoryFixture.Secretariat, (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Me_Secretariat_ShowsBootstrapRole()
    {
        var me = await fixture.SecretariatClient.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("api/me");
        Assert.Equal(DirectoryFixture.Secretariat, me!["email"]!.GetValue<string>());
        Assert.Contains(me["roles"]!.AsArray(), r => r!["role"]!.GetValue<string>() == "Secretariat" && r["bootstrap"]!.GetValue<bool>());
    }
}
