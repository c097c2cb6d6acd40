using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Security;

namespace PocDirectory.UnitTests.Security;

public sealed class TokenServiceTests
{
    private static AuthOptions Options(string key = "0123456789abcdef0123456789abcdef", string audience = "api://tests") => new()
    {
        Audience = audience,
        DevSigningKey = key,
        BootstrapSecretariat = "secretariat@example.org",
    };

    [Fact]
    public async Task MintThenValidate_DevToken_CarriesEmailAndName()
    {
        var tokens = new TokenService(Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System);

        var identity = await tokens.ValidateAsync(tokens.MintDevToken("ada@example.org", "Ada"));

        Assert.Equal("ada@example.org", TokenService.EmailOf(identity));
        Assert.Equal("Ada", identity.FindFirst("name")!.Value);
    }

    [Fact]
    public async Task Validate_TokenFromOtherKey_IsRejected()
    {
        var other = new TokenService(Microsoft.Extensions.Options.Options.Create(Options(key: new string('k', 40))), TimeProvider.System);
        var tokens = new TokenService(Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System);

        await Assert.ThrowsAsync<UnauthenticatedException>(() => tokens.ValidateAsync(other.MintDevToken("ada@example.org", null)));
    }

    [Fact]
    public async Task Validate_TokenForOtherAudience_IsRejected()
    {
        var other = new TokenService(Microsoft.Extensions.Options.Options.Create(Options(audience: "api://elsewhere")), TimeProvider.System);
        var tokens = new TokenService(Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System);

        await Assert.ThrowsAsync<UnauthenticatedException>(() => tokens.ValidateAsync(other.MintDevToken("ada@example.org", null)));
    }

    [Fact]
    public async Task Validate_ExpiredToken_IsRejected()
    {
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-2));
        var minted = new TokenService(Microsoft.Extensions.Options.Options.Create(Options()), past).MintDevToken("ada@example.org", null);
        var tokens = new TokenService(Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System);

        await Assert.ThrowsAsync<UnauthenticatedException>(() => tokens.ValidateAsync(minted));
    }

    [Fact]
    public async Task Validate_TamperedPayload_IsRejected()
    {
        var tokens = new TokenService(Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System);
        var parts = tokens.MintDevToken("ada@example.org", null).Split('.');
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("{\"email\":\"secretariat@example.org\"}")).TrimEnd('=');

        await Assert.ThrowsAsync<UnauthenticatedException>(() => tokens.ValidateAsync($"{parts[0]}.{forged}.{parts[2]}"));
    }

    [Theory]
    [InlineData("", "k", "secretariat@example.org", "Auth:Audience")]
    [InlineData("api://x", null, "secretariat@example.org", "Auth:Authority")]
    [InlineData("api://x", "short", "secretariat@example.org", "Auth:DevSigningKey")]
    [InlineData("api://x", "0123456789abcdef0123456789abcdef", "", "Auth:BootstrapSecretariat")]
    public void OptionsValidator_MissingSetting_NamesIt(string audience, string? key, string bootstrap, string named)
    {
        var result = new AuthOptionsValidator().Validate(null, new AuthOptions { Audience = audience, DevSigningKey = key, BootstrapSecretariat = bootstrap });

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }
}
