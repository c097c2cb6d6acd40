using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Microsoft.IdentityModel.Validators;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.Security;

/// <summary>
/// The person behind a valid access token. <see cref="Subject"/> ("{tid}/{oid}") is who they are: Entra ID never gives
/// an object id to anyone else, while an address can change hands. <see cref="Email"/> is how the Secretariat named them.
/// </summary>
public sealed record SignedInUser(string Subject, string Email, string? Name);

/// <summary>Validates bearer tokens (from the configured authority, or locally from the development key) and mints development tokens.</summary>
public sealed class TokenService
{
    /// <summary>The tenant of development tokens; a fixed value, so a local user keeps their subject between runs.</summary>
    public const string DevTenantId = "00000000-0000-4000-8000-000000000de0";

    private static readonly TimeSpan DevTokenLifetime = TimeSpan.FromHours(8);
    private readonly AuthOptions _options;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly TokenValidationParameters _parameters;

    /// <summary>The tenant every token must come from, when the authority names one (or the development tenant).</summary>
    private readonly string? _tenant;

    public TokenService(IOptions<AuthOptions> options, TimeProvider time)
        : this(options, time, null)
    {
    }

    /// <summary>Tests hand in the authority's metadata instead of fetching it.</summary>
    internal TokenService(IOptions<AuthOptions> options, TimeProvider time, BaseConfigurationManager? metadata)
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
            // Keys come from the authority's metadata and are refreshed by the configuration manager.
            var authority = _options.Authority.TrimEnd('/');
            _parameters.ConfigurationManager = metadata ?? new ConfigurationManager<OpenIdConnectConfiguration>(
                authority + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), new HttpDocumentRetriever { RequireHttps = true });

            // Entra's own issuer check: the issuer must be the authority's, for the tenant in the token's tid. With a
            // tenant-specific authority (the usual case) that issuer is the authority itself, so no further fetch is needed.
            _tenant = TenantOf(authority);
            if (_tenant is not null)
            {
                _parameters.ValidIssuer = authority;
            }

            _parameters.IssuerValidator = AadIssuerValidator.GetAadIssuerValidator(authority).Validate;
        }

        if (_options.DevTokensEnabled)
        {
            _parameters.ValidIssuers = [AuthOptions.DevIssuer];
            _parameters.IssuerSigningKey = new SymmetricSecurityKey(_options.DevKeyBytes);
            _tenant = DevTenantId;
        }
    }

    public async Task<SignedInUser> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, _parameters);
        if (!result.IsValid)
        {
            throw new UnauthenticatedException("The bearer token is not valid (signature, issuer, audience or lifetime).");
        }

        var identity = result.ClaimsIdentity;
        var tenant = identity.FindFirst("tid")?.Value;
        var objectId = identity.FindFirst("oid")?.Value;
        if (!Guid.TryParse(tenant, out _) || !Guid.TryParse(objectId, out _))
        {
            throw new UnauthenticatedException("The token does not name a user: it needs the tid and oid claims.");
        }

        if (_tenant is not null && !string.Equals(tenant, _tenant, StringComparison.OrdinalIgnoreCase))
        {
            throw new UnauthenticatedException("The token was issued for another tenant.");
        }

        // An access token names the client it was issued to (azp in v2.0, appid in v1.0) and what it may do (scp, or
        // roles for an app role); an ID token has neither, so one cannot stand in for the other.
        if ((identity.FindFirst("azp") ?? identity.FindFirst("appid")) is null || !GrantsThisApi(identity))
        {
            throw new UnauthenticatedException($"The token is not an access token for this API: it needs the '{_options.Scope}' scope (scp) or an app role. ID tokens are not accepted.");
        }

        var email = EmailOf(identity) ?? throw new UnauthenticatedException("The token carries no email, preferred_username or upn claim.");
        return new SignedInUser($"{tenant}/{objectId}".ToLowerInvariant(), email.Trim().ToLowerInvariant(), identity.FindFirst("name")?.Value);
    }

    public string MintDevToken(string email, string? name)
    {
        if (!_options.DevTokensEnabled)
        {
            throw new InvalidOperationException("Development tokens are disabled.");
        }

        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["email"] = email,
            ["sub"] = email,
            ["tid"] = DevTenantId,
            ["oid"] = DevObjectId(email).ToString(),
            ["azp"] = AuthOptions.DevIssuer,
            ["scp"] = _options.Scope,
        };
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

    /// <summary>Locally an address stands for one person, so its object id is derived from it and stays the same between runs.</summary>
    public static Guid DevObjectId(string email)
        => new(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())).AsSpan(0, 16));

    /// <summary>Entra ID puts the sign-in address in preferred_username or upn; other issuers use email.</summary>
    public static string? EmailOf(ClaimsIdentity identity)
        => (identity.FindFirst("email") ?? identity.FindFirst("preferred_username") ?? identity.FindFirst("upn"))?.Value;

    private bool GrantsThisApi(ClaimsIdentity identity)
        => identity.FindAll("scp").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
               .Contains(_options.Scope, StringComparer.Ordinal)
           || identity.FindAll("roles").Any(c => c.Value.Length > 0);

    /// <summary>The tenant id in an authority such as https://login.microsoftonline.com/{tenant}/v2.0; null for common or organizations.</summary>
    private static string? TenantOf(string authority)
        => Uri.TryCreate(authority, UriKind.Absolute, out var uri)
           && uri.Segments.Select(s => s.Trim('/')).FirstOrDefault(s => Guid.TryParse(s, out _)) is { } tenant
            ? tenant.ToLowerInvariant()
            : null;
}
