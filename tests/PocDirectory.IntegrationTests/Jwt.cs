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

    /// <summary>A development token for <paramref name="email"/> as another person (another object id): a recycled address.</summary>
    public static string ForAnotherPerson(LocalRunner runner, string email, Guid objectId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["iss"] = "poc-directory-dev", ["aud"] = runner.Setting("Auth:Audience"), ["email"] = email, ["sub"] = email,
            ["tid"] = DevTenantId, ["oid"] = objectId.ToString(), ["azp"] = "poc-directory-dev", ["scp"] = "access_as_user",
            ["iat"] = now, ["nbf"] = now, ["exp"] = now + 600,
        };
        return Sign(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT" }, claims, Encoding.UTF8.GetBytes(runner.Setting("Auth:DevSigningKey")!));
    }

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
