using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.Security;

/// <summary>Validates bearer tokens (from the configured authority, or locally from the development key) and mints development tokens.</summary>
public sealed class TokenService
{
    private static readonly TimeSpan DevTokenLifetime = TimeSpan.FromHours(8);
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;

    public TokenService(IOptions<AuthOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _parameters = new TokenValidationParameters
        {
            ValidAudience = _options.Audience,
            ValidateIssuerSigningKey = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.HmacSha256],
        };

        if (!string.IsNullOrWhiteSpace(_options.Authority))
        {
            // Keys and issuer come from the authority's metadata and are refreshed by the configuration manager.
            var metadata = _options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
            _parameters.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                metadata, new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });
        }

        if (_options.DevTokensEnabled)
        {
            _parameters.ValidIssuers = [AuthOptions.DevIssuer];
            _parameters.IssuerSigningKey = new SymmetricSecurityKey(_options.DevKeyBytes);
        }
    }

    public async Task<ClaimsIdentity> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        return result.IsValid
            ? result.ClaimsIdentity
            : throw new UnauthenticatedException("The bearer token is not valid (signature, issuer, audience or lifetime).");
    }

    public string MintDevToken(string email, string? name)
    {
        if (!_options.DevTokensEnabled)
        {
            throw new InvalidOperationException("Development tokens are disabled.");
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["email"] = email, ["sub"] = email };
        if (!string.IsNullOrWhiteSpace(name))
        {
            claims["name"] = name;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = AuthOptions.DevIssuer,
            Audience = _options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + DevTokenLifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(_options.DevKeyBytes), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Entra ID puts the sign-in address in preferred_username or upn; other issuers use email.</summary>
    public static string? EmailOf(ClaimsIdentity identity)
        => (identity.FindFirst("email") ?? identity.FindFirst("preferred_username") ?? identity.FindFirst("upn"))?.Value;
}
