using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// A generated corpus of malformed and oversized requests across every HTTP route in functions.metadata: no 5xx,
/// every rejection a ProblemDetails, and the directory unchanged afterwards.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class HostileInputTests(DirectoryFixture fixture)
{
    private static readonly string[] Strings =
    [
        "", " ", "null", "0", "-1", "1e309", "NaN", "true", "\u0000", "\u202E\u0007", "<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0",
        "' OR ''='", "PartitionKey eq 'x'", "../../etc/passwd", "%00", "\uFFFF\uD800", new string('x', 5000), "😀", "Robert'); DROP TABLE",
    ];

    [Fact]
    public async Task GeneratedCorpus_OverEveryRoute_NeverAnswers5xx_AndLeavesDataUnchanged()
    {
        var participant = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant));
        var before = await SnapshotAsync(participant);

        var routes = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepoPaths.FunctionsOutput, "functions.metadata")))!.AsArray()
            .SelectMany(f => f!["bindings"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "httpTrigger"))
            .SelectMany(b => b!["methods"]!.AsArray().Select(m => (Method: m!.GetValue<string>().ToUpperInvariant(), Route: b["route"]!.GetValue<string>())))
            .Where(r => r.Route != "dev/token")
            .ToList();

        var random = new Random(20261128);
        var requests = 0;
        var failures = new List<string>();
        var serverErrors = 0;
        foreach (var (method, route) in routes)
        {
            for (var i = 0; i < 40; i++)
            {
                using var request = Mutate(method, route, participant, random);
                var client = random.Next(4) == 0 ? fixture.Runner.Http : fixture.SecretariatClient;
                using var response = await client.SendAsync(request);
                requests++;
                var status = (int)response.StatusCode;
                serverErrors += status >= 500 ? 1 : 0;
                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (status >= 500 || (status >= 400 && status != 405 && mediaType != "application/problem+json"))
                {
                    failures.Add($"{method} {request.RequestUri?.ToString()[..Math.Min(200, request.RequestUri.ToString().Length)]} -> {status} {mediaType}");
                }
            }
        }

        FaultLedger.RequestsTried(requests, serverErrors);
        Assert.True(requests >= 1000, $"Only {requests} requests were tried");
        Assert.True(failures.Count == 0, $"{failures.Count} of {requests} requests misbehaved:\n" + string.Join('\n', failures.Take(20)));
        Assert.Equal(before, await SnapshotAsync(participant));
        Assert.Equal("Ada Example", (await PocBodies.GetAsync(fixture.SecretariatClient, poc["id"]!.GetValue<string>())).Poc["fullName"]!.GetValue<string>());
    }

    /// <summary>Every form of If-Match a client can send, with what it must get: "{current}" is replaced by the POC's
    /// ETag, "{weakless}" by that ETag without W/, "{other}" by the ETag of another POC.</summary>
    public static TheoryData<string, string?, int> IfMatchForms()
    {
        string?[] stale = ["\"0x8D0000000000000\"", "\"abc\"", "\"\"", "W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\"", "W/\"datetime'yesterday'\"",
            "{weakless}", "{other}", "\"%00\""];
        string?[] malformed = ["garbage", "abc", "W/", "W/abc", "\"unterminated", "\"a\"b\"", "{current}x", "{current}, {current}", "\"a\", \"b\"",
            "'single'", "<script>", "W/\"with space\"", new string('x', 600), "\"" + new string('x', 600) + "\""];
        string?[] unconditional = [null, "*"];
        var data = new TheoryData<string, string?, int>();
        foreach (var method in new[] { "PUT", "DELETE" })
        {
            foreach (var form in stale) { data.Add(method, form, 412); }
            foreach (var form in malformed) { data.Add(method, form, 400); }
            foreach (var form in unconditional) { data.Add(method, form, 428); }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IfMatchForms))]
    public async Task IfMatch_InAnyForm_OnEveryRouteTakingIt_Answers4xxProblem_AndLeavesThePocUnchanged(string method, string? ifMatch, int status)
    {
        var participant = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant));
        var (_, otherETag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: "Other Example"));
        var id = poc["id"]!.GetValue<string>();
        var before = await fixture.SecretariatClient.GetStringAsync($"api/pocs/{id}");
        Assert.StartsWith("W/\"", etag, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(new HttpMethod(method), $"api/pocs/{id}");
        if (method == "PUT")
        {
            request.Content = System.Net.Http.Json.JsonContent.Create(PocBodies.Valid(participant, fullName: "Changed Name"));
        }

        if (ifMatch is not null)
        {
            var header = ifMatch.Replace("{weakless}", etag[2..], StringComparison.Ordinal)
                .Replace("{other}", otherETag, StringComparison.Ordinal)
                .Replace("{current}", etag, StringComparison.Ordinal);
            Assert.True(request.Headers.TryAddWithoutValidation("If-Match", header));
        }

        using var response = await fixture.SecretariatClient.SendAsync(request);

        await PocBodies.AssertProblemAsync(response, (HttpStatusCode)status, status == 400 ? "If-Match" : null);
        var (_, etagAfter) = await PocBodies.GetAsync(fixture.SecretariatClient, id);
        Assert.Equal(etag, etagAfter);
        Assert.Equal(before, await fixture.SecretariatClient.GetStringAsync($"api/pocs/{id}"));
    }

    private async Task<string> SnapshotAsync(string participant)
        => await fixture.SecretariatClient.GetStringAsync($"api/pocs?participant={participant}")
           + await fixture.SecretariatClient.GetStringAsync($"api/participants/{participant}");

    private static HttpRequestMessage Mutate(string method, string route, string participant, Random random)
    {
        // Empty segments, NUL and request lines over 8 KB never reach a function: the router (404) and Kestrel (400, 414)
        // refuse them first, as the Functions host's front end does; the corpus aims at the functions themselves.
        var urlSafe = Strings.Where(v => v.Length is > 0 and < 1000 && !v.Contains('\0', StringComparison.Ordinal)).ToArray();
        var segments = urlSafe.Append(participant + "-X").ToArray();
        var path = System.Text.RegularExpressions.Regex.Replace(route, "{[^}]+}", _ => Uri.EscapeDataString(Pick(random, segments)));
        var query = random.Next(3) == 0
            ? "?" + string.Join('&', Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
                $"{Pick(random, ["pageSize", "continuationToken", "kind", "status", "q", "region", "from", "format", "missedPings", "outcome", "participant"])}={Uri.EscapeDataString(Pick(random, urlSafe))}"))
            : string.Empty;
        var request = new HttpRequestMessage(new HttpMethod(method), "api/" + path.Replace("%2F", "x", StringComparison.OrdinalIgnoreCase) + query);
        if (method is "POST" or "PUT")
        {
            request.Content = Body(random, participant);
        }

        if (random.Next(3) == 0)
        {
            // HttpClient itself refuses non-ASCII and control characters in headers; everything else goes.
            request.Headers.TryAddWithoutValidation(
                Pick(random, ["If-Match", "If-Match", "If-None-Match", "If-Unmodified-Since", "If-Modified-Since", "Accept", "Accept-Language", "Range", "X-Forwarded-For"]),
                Pick(random, Strings.Where(v => v.All(c => c is >= ' ' and <= '~')).Append("*").Append("W/\"x\"").ToArray()));
        }

        if (random.Next(8) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Hostile", new string('h', random.Next(1, 8000)));
        }

        return request;
    }

    private static HttpContent Body(Random random, string participant)
    {
        // A participant that does not exist: even a body that survives every mutation is refused, so nothing is created.
        var valid = PocBodies.Valid("ZZZ9").With("organisation", participant);
        switch (random.Next(8))
        {
            case 0:
                var bytes = new byte[random.Next(0, 2000)];
                random.NextBytes(bytes);
                var raw = new ByteArrayContent(bytes);
                raw.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return raw;
            case 1:
                return new StringContent(new string('[', random.Next(1, 5000)), Encoding.UTF8, "application/json");
            case 2:
                return new StringContent(valid.ToJsonString(), Encoding.UTF8, Pick(random, ["text/plain", "application/xml", "multipart/form-data", "application/x-www-form-urlencoded"]));
            default:
                var body = (JsonObject)valid.DeepClone();
                foreach (var field in body.Select(p => p.Key).ToList().Where(_ => random.Next(3) == 0))
                {
                    body[field] = random.Next(5) switch
                    {
                        0 => null,
                        1 => Pick(random, Strings),
                        2 => random.Next(),
                        3 => new JsonArray(Pick(random, Strings), random.Next()),
                        _ => new JsonObject { ["nested"] = new JsonObject { ["deeper"] = Pick(random, Strings) } },
                    };
                }

                return new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}
