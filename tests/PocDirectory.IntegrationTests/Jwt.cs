using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Compact JWS by hand, so a test can write what no library would (alg none, broken JSON, a wrong algorithm), and tokens
/// forged the way the runner mints development tokens, so a test can alter exactly one thing.
/// </summary>
internal static class Jwt
{
    /// <summary>The tenant and object id the runner puts in its development tokens (TokenService.DevTenantId / DevObjectId).</summary>
    public const string DevTenantId = "00000000-0000-4000-8000-000000000de0";

    public static string DevObjectId(string email) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())).AsSpan(0, 16)).ToString();

    /// <summary>The claims of a development token the runner would mint for <paramref name="email"/>, valid for ten minutes.</summary>
    public static JsonObject DevClaims(LocalRunner runner, string email)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = "poc-directory-dev", ["aud"] = runner.Setting("Auth:Audience"), ["email"] = email, ["sub"] = email,
            ["tid"] = DevTenantId, ["oid"] = DevObjectId(email), ["azp"] = "poc-directory-dev", ["scp"] = "access_as_user",
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600,
        };
    }

    /// <summary>Signs <paramref name="claims"/> with the runner's development key.</summary>
    public static string SignDev(LocalRunner runner, JsonObject claims)
        => Sign(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" }, claims, Encoding.UTF8.GetBytes(runner.Setting("Auth:DevSigningKey")!));

    public static string Base64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    public static string Encode(JsonObject header, JsonObject claims) => $"{Base64(header.ToJsonString())}.{Base64(claims.ToJsonString())}";

    /// <summary>HMAC-SHA512 when the header says HS512, HMAC-SHA256 whatever else it says.</summary>
    public static string Sign(JsonObject header, JsonObject claims, byte[] key)
    {
        var input = Encoding.ASCII.GetBytes(Encode(header, claims));
        var mac = header["alg"]?.GetValue<string>() == "HS512" ? HMACSHA512.HashData(key, input) : HMACSHA256.HashData(key, input);
        return $"{Encode(header, claims)}.{Base64Url.EncodeToString(mac)}";
    }

    public static string SignRaw(string header, string payload, byte[] key)
        => $"{header}.{payload}.{Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.ASCII.GetBytes($"{header}.{payload}")))}";
}
