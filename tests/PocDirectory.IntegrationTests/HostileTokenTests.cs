using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Forged, altered and malformed bearer tokens and acknowledgement links, through the runner: every bearer token that is
/// not exactly right gets 401 ProblemDetails that tells nothing about the data or the token; every link that is not
/// exactly right gets the same 404.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class HostileTokenTests(DirectoryFixture fixture)
{
    private const string Intruder = "intruder@example.org";

    /// <summary>Signed-in routes that answer with directory data to a valid token.</summary>
    private static readonly string[] Routes = ["api/me", "api/pocs", "api/participants", "api/audit", "api/campaigns", "api/export?format=json"];

    [Fact]
    public async Task ForgedBearerTokens_OverEveryHeaderAndRoute_Get401ProblemDetails_AndLeakNothing()
    {
        var key = Encoding.UTF8.GetBytes(fixture.Runner.Setting("Auth:DevSigningKey")!);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        JsonObject Claims() => Jwt.DevClaims(fixture.Runner, DirectoryFixture.Secretariat);
        JsonObject Header(string alg = "HS256") => new() { ["alg"] = alg, ["typ"] = "JWT" };

        // The control: the test forges tokens the way the runner mints them, so a rejection below is the alteration's doing.
        var genuine = Jwt.Sign(Header(), Claims(), key);
        using (var control = await SendAsync("api/me", "Authorization", genuine))
        {
            Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        }

        var corpus = new Dictionary<string, string>
        {
            ["expired"] = Jwt.Sign(Header(), Claims().With("iat", now - 3600).With("nbf", now - 3600).With("exp", now - 600), key),
            ["not yet valid"] = Jwt.Sign(Header(), Claims().With("nbf", now + 600).With("exp", now + 1200), key),
            ["wrong issuer"] = Jwt.Sign(Header(), Claims().With("iss", "https://login.example.org/"), key),
            ["wrong audience"] = Jwt.Sign(Header(), Claims().With("aud", "api://another-app"), key),
            ["audience list without ours"] = Jwt.Sign(Header(), Claims().With("aud", new JsonArray("api://a", "api://b")), key),
            ["alg none"] = Jwt.Encode(Header("none"), Claims()) + ".",
            ["alg none, signature kept"] = Jwt.Encode(Header("none"), Claims()) + "." + genuine.Split('.')[2],
            ["alg None"] = Jwt.Encode(Header("None"), Claims()) + ".",
            ["HS512 with the right key (algorithm not allowed)"] = Jwt.Sign(Header("HS512"), Claims(), key),
            ["RS256 header on an HMAC signature"] = Jwt.Sign(Header("RS256"), Claims(), key),
            ["signed with another key"] = Jwt.Sign(Header(), Claims(), RandomNumberGenerator.GetBytes(64)),
            ["signed with an empty-ish key"] = Jwt.Sign(Header(), Claims(), new byte[32]),
            ["no exp"] = Jwt.Sign(Header(), Claims().Without("exp"), key),
            ["no iss"] = Jwt.Sign(Header(), Claims().Without("iss"), key),
            ["no aud"] = Jwt.Sign(Header(), Claims().Without("aud"), key),
            ["no email, preferred_username or upn"] = Jwt.Sign(Header(), Claims().Without("email"), key),
            ["no tid"] = Jwt.Sign(Header(), Claims().Without("tid"), key),
            ["no oid"] = Jwt.Sign(Header(), Claims().Without("oid"), key),
            ["oid not a guid"] = Jwt.Sign(Header(), Claims().With("oid", "secretariat"), key),
            ["tid of another tenant"] = Jwt.Sign(Header(), Claims().With("tid", Guid.NewGuid().ToString()), key),
            ["no scp"] = Jwt.Sign(Header(), Claims().Without("scp"), key),
            ["another scope"] = Jwt.Sign(Header(), Claims().With("scp", "User.Read"), key),
            ["ID token (no azp, no scp, a nonce)"] = Jwt.Sign(Header(), Claims().Without("azp").Without("scp").With("nonce", "n"), key),
            ["exp as text"] = Jwt.Sign(Header(), Claims().With("exp", "tomorrow"), key),
            ["payload an array"] = Jwt.SignRaw(Jwt.Base64(Header().ToJsonString()), Jwt.Base64("[1,2,3]"), key),
            ["payload not JSON"] = Jwt.SignRaw(Jwt.Base64(Header().ToJsonString()), Jwt.Base64("{\"email\":"), key),
            ["header not JSON"] = Jwt.SignRaw(Jwt.Base64("{alg:HS256}"), Jwt.Base64(Claims().ToJsonString()), key),
            ["huge, forged"] = Jwt.Sign(Header(), Claims().With("pad", new string('x', 20_000)), RandomNumberGenerator.GetBytes(32)),
            ["two segments"] = string.Join('.', genuine.Split('.').Take(2)),
            ["four segments"] = genuine + ".AAAA",
            ["five segments (JWE shape)"] = "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
            ["only dots"] = "..",
            ["non-base64 junk"] = "!!!.@@@.###",
            ["padding and junk in segments"] = genuine.Replace(".", "==.", StringComparison.Ordinal),
            ["null"] = "null",
            ["a JSON object"] = "{\"email\":\"secretariat@example.org\"}",
            ["base64 of the claims alone"] = Jwt.Base64(Claims().ToJsonString()),
        };

        // Every segment of the genuine token altered: one character changed at its start, middle and end, the payload
        // re-encoded with other claims, the header with another key id, the signature cut short or dropped.
        var segments = genuine.Split('.');
        for (var s = 0; s < 3; s++)
        {
            foreach (var at in new[] { 0, segments[s].Length / 2, segments[s].Length - 1 })
            {
                var altered = (string[])segments.Clone();
                altered[s] = altered[s][..at] + Flip(altered[s][at]) + altered[s][(at + 1)..];
                corpus[$"segment {s} changed at {at}"] = string.Join('.', altered);
            }
        }

        corpus["payload re-encoded for another user"] = $"{segments[0]}.{Jwt.Base64(Claims().With("email", Intruder).ToJsonString())}.{segments[2]}";
        corpus["payload re-encoded with a later exp"] = $"{segments[0]}.{Jwt.Base64(Claims().With("exp", now + 86_400 * 365).ToJsonString())}.{segments[2]}";
        corpus["header re-encoded with a kid"] = $"{Jwt.Base64(Header().With("kid", "../../dev/null").ToJsonString())}.{segments[1]}.{segments[2]}";
        corpus["signature cut short"] = $"{segments[0]}.{segments[1]}.{segments[2][..^4]}";
        corpus["signature dropped"] = $"{segments[0]}.{segments[1]}.";
        corpus["signature of another token"] = $"{segments[0]}.{segments[1]}.{Jwt.Sign(Header(), Claims().With("email", Intruder), key).Split('.')[2]}";

        var requests = 0;
        var failures = new List<string>();
        foreach (var (name, token) in corpus)
        {
            foreach (var header in new[] { "Authorization", "X-Poc-Authorization" })
            {
                foreach (var route in Routes)
                {
                    using var response = await SendAsync(route, header, token);
                    requests++;
                    FaultLedger.Observe(response);
                    if (await ProblemOrNullAsync(response) is { } problem)
                    {
                        failures.Add($"{name} via {header} on {route}: {problem}");
                    }
                }
            }
        }

        // Over the server's 32 KB of headers, a token never reaches a function: Kestrel refuses it (431), as Azure's front end would.
        using (var oversized = await SendAsync("api/me", "Authorization", Jwt.Sign(Header(), Claims().With("pad", new string('x', 64_000)), key)))
        {
            requests++;
            FaultLedger.Observe(oversized);
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, oversized.StatusCode);
            Assert.Empty(await oversized.Content.ReadAsStringAsync());
        }

        FaultLedger.Flush();
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} forged tokens were not refused properly:\n" + string.Join('\n', failures.Take(20)));
    }

    [Fact]
    public async Task AlteredAndForeignAcknowledgementLinks_AllGetTheSame404_AndAcknowledgeNothing()
    {
        var participant = await fixture.NewParticipantAsync();
        var email = $"links-{participant.ToLowerInvariant()}@example.org";
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant).With("emails", new JsonArray(email)));
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Links", scope = new { participants = new[] { participant } }, responseWindow = "PT120S",
        });
        var id = campaign["id"]!.GetValue<string>();
        var token = CampaignHelpers.TokenOf(CampaignHelpers.LinkIn((await CampaignHelpers.MessagesToAsync(fixture.Smtp, [email], 1, TimeSpan.FromSeconds(60)))[0]));

        // The last 32 bytes of a link token are its HMAC-SHA256; the same ids with a MAC under another key make a foreign link.
        var bytes = Base64Url.DecodeFromChars(token);
        var foreign = Base64Url.EncodeToString([.. bytes[..^32], .. HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), bytes[..^32])]);
        var corpus = new List<string> { foreign, token[..^1], token + "A", token[1..], token.ToUpperInvariant(), "no-such-token", new string('A', token.Length), token + "=" };
        for (var at = 0; at < token.Length; at++)
        {
            corpus.Add(token[..at] + Flip(token[at]) + token[(at + 1)..]);
        }

        var texts = new HashSet<string>();
        foreach (var altered in corpus.Where(t => t != token).Distinct())
        {
            using var response = await fixture.Runner.Http.PostAsync($"api/acknowledgements/{Uri.EscapeDataString(altered)}", null);
            FaultLedger.Observe(response);
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.NotFound);
            var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            texts.Add($"{problem["title"]}|{problem["detail"]}");
        }

        FaultLedger.Flush();
        Assert.Single(texts);
        var progress = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}"))!["progress"]!;
        Assert.Equal(0, progress["acknowledged"]!.GetValue<int>());

        // The genuine link still works: the 404s above were the alterations' doing.
        using var genuine = await fixture.Runner.Http.PostAsync($"api/acknowledgements/{token}", null);
        Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
    }

    /// <summary>
    /// Another base64url character, differing in the top bit of its six: the last character of a segment carries unused
    /// low bits, and changing only those would leave the decoded bytes, and so the token, as they were.
    /// </summary>
    private static char Flip(char c)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return alphabet[(alphabet.IndexOf(c, StringComparison.Ordinal) + 32) % 64];
    }

    private async Task<HttpResponseMessage> SendAsync(string route, string header, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, route);
        request.Headers.TryAddWithoutValidation(header, "Bearer " + token);
        using (request)
        {
            return await fixture.Runner.Http.SendAsync(request);
        }
    }

    /// <summary>Null for a proper refusal: 401, Bearer challenge, a ProblemDetails with nothing else in it and no echo of the token.</summary>
    private static async Task<string?> ProblemOrNullAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Unauthorized || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}: {text[..Math.Min(200, text.Length)]}";
        }

        if (response.Headers.WwwAuthenticate.SingleOrDefault()?.Scheme != "Bearer")
        {
            return "no Bearer challenge";
        }

        using var problem = JsonDocument.Parse(text);
        var fields = problem.RootElement.EnumerateObject().Select(p => p.Name).Order().ToList();
        if (!fields.SequenceEqual(["detail", "instance", "status", "title", "traceId", "type"]))
        {
            return "unexpected fields: " + string.Join(", ", fields);
        }

        return text.Contains('@', StringComparison.Ordinal) || text.Contains("eyJ", StringComparison.Ordinal) ? "the answer echoes the token: " + text : null;
    }
}
