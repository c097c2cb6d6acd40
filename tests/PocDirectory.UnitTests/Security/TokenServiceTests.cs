using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
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

        var user = await tokens.ValidateAsync(tokens.MintDevToken("ada@example.org", "Ada"));

        Assert.Equal("ada@example.org", user.Email);
        Assert.Equal("Ada", user.Name);
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
        var result = Validator().Validate(null, new AuthOptions { Audience = audience, DevSigningKey = key, BootstrapSecretariat = bootstrap });

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionsValidator_DevKeyWithAuthority_RefusesToStart_NamingBothSettings()
    {
        var options = Options();
        options.Authority = EntraAuthority;

        var result = Validator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Auth:DevSigningKey must not be set together with Auth:Authority", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WEBSITE_INSTANCE_ID")]
    [InlineData("WEBSITE_SITE_NAME")]
    [InlineData("WEBSITE_SKU")]
    public void OptionsValidator_DevKeyInAzure_RefusesToStart(string marker)
    {
        var result = Validator(new() { [marker] = "x" }).Validate(null, Options());

        Assert.True(result.Failed);
        Assert.Contains($"Auth:DevSigningKey must not be set when the app runs in Azure ({marker} is set)", result.FailureMessage, StringComparison.Ordinal);
        Assert.True(Validator().Validate(null, Options()).Succeeded);
    }

    [Fact]
    public async Task MintThenValidate_DevToken_IsTheDevTenantAndAStableObjectIdPerAddress()
    {
        var tokens = new TokenService(Microsoft.Extensions.Options.Options.Create(Options()), TimeProvider.System);

        var ada = await tokens.ValidateAsync(tokens.MintDevToken("Ada@Example.org", null));
        var again = await tokens.ValidateAsync(tokens.MintDevToken("ada@example.org", null));
        var bob = await tokens.ValidateAsync(tokens.MintDevToken("bob@example.org", null));

        Assert.Equal($"{TokenService.DevTenantId}/{TokenService.DevObjectId("ada@example.org")}", ada.Subject);
        Assert.Equal(ada, again);
        Assert.NotEqual(ada.Subject, bob.Subject);
    }

    [Fact]
    public async Task Validate_EntraAccessToken_IsTenantAndObjectId()
    {
        var user = await Entra().ValidateAsync(EntraToken());

        Assert.Equal($"{Tenant}/{ObjectId}", user.Subject);
        Assert.Equal("ada@example.org", user.Email);
    }

    [Fact]
    public async Task Validate_EntraAppRoleInsteadOfScope_IsAccepted()
        => Assert.Equal($"{Tenant}/{ObjectId}", (await Entra().ValidateAsync(EntraToken(c => { c.Remove("scp"); c["roles"] = new[] { "Directory.Read" }; }))).Subject);

    public static TheoryData<string> RefusedEntraTokens => new()
    {
        "id token", "no scp", "other scope", "no tid", "no oid", "oid not a guid", "other tenant", "issuer of another tenant", "tid of another tenant",
        "other audience", "other key",
    };

    [Theory]
    [MemberData(nameof(RefusedEntraTokens))]
    public async Task Validate_EntraTokenNotExactlyRight_IsRejected(string what)
    {
        var otherTenant = Guid.NewGuid().ToString();
        var token = what switch
        {
            // What Entra issues to the portal at sign-in: the client id as audience, a nonce, no scp and no azp.
            "id token" => EntraToken(c => { c.Remove("scp"); c.Remove("azp"); c["nonce"] = "n"; c["aud"] = Audience; }),
            "no scp" => EntraToken(c => c.Remove("scp")),
            "other scope" => EntraToken(c => c["scp"] = "User.Read"),
            "no tid" => EntraToken(c => c.Remove("tid")),
            "no oid" => EntraToken(c => c.Remove("oid")),
            "oid not a guid" => EntraToken(c => c["oid"] = "ada"),
            "other tenant" => EntraToken(c => c["tid"] = otherTenant, issuer: $"https://login.microsoftonline.com/{otherTenant}/v2.0"),
            "issuer of another tenant" => EntraToken(issuer: $"https://login.microsoftonline.com/{otherTenant}/v2.0"),
            "tid of another tenant" => EntraToken(c => c["tid"] = otherTenant),
            "other audience" => EntraToken(c => c["aud"] = "api://another-app"),
            "other key" => EntraToken(key: new RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "k1" }),
            _ => throw new ArgumentOutOfRangeException(nameof(what)),
        };

        await Assert.ThrowsAsync<UnauthenticatedException>(() => Entra().ValidateAsync(token));
    }

    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string ObjectId = "a8b1c2d3-0000-4000-8000-000000000001";
    private const string Audience = "8d1c0000-0000-4000-8000-0000000000aa";
    private const string EntraAuthority = $"https://login.microsoftonline.com/{Tenant}/v2.0";
    private static readonly RsaSecurityKey EntraKey = new(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "k1" };

    private static AuthOptionsValidator Validator(Dictionary<string, string?>? environment = null)
        => new(new ConfigurationBuilder().AddInMemoryCollection(environment ?? []).Build());

    /// <summary>The token service as configured for Entra ID, with the tenant's metadata handed in instead of fetched.</summary>
    private static TokenService Entra()
    {
        var metadata = new OpenIdConnectConfiguration { Issuer = EntraAuthority };
        metadata.SigningKeys.Add(EntraKey);
        var options = new AuthOptions { Authority = EntraAuthority, Audience = Audience, BootstrapSecretariat = "secretariat@example.org" };
        return new TokenService(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, new StaticConfigurationManager<OpenIdConnectConfiguration>(metadata));
    }

    /// <summary>A v2.0 access token shaped like Entra's, for the API's scope; <paramref name="change"/> alters its claims.</summary>
    private static string EntraToken(Action<Dictionary<string, object>>? change = null, string issuer = EntraAuthority, SecurityKey? key = null)
    {
        var claims = new Dictionary<string, object>
        {
            ["aud"] = Audience, ["tid"] = Tenant, ["oid"] = ObjectId, ["azp"] = "portal-client-id", ["scp"] = "access_as_user",
            ["preferred_username"] = "ada@example.org", ["ver"] = "2.0",
        };
        change?.Invoke(claims);
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? EntraKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
