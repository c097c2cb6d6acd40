using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>A whole campaign through the local runner (Azure Storage durable backend on Azurite) and a real SMTP server.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class CampaignEndToEndTests(DirectoryFixture fixture)
{
    // Five States, one per regional group, used by no other test.
    private static readonly (string Code, string Region)[] States =
    [
        ("KEN", "African"), ("JPN", "AsiaPacific"), ("POL", "EasternEuropean"), ("BRA", "LatinAmericanAndCaribbean"), ("NOR", "WesternEuropeanAndOthers"),
    ];

    [Fact]
    public async Task Campaign_FiftyPocsThirtyAnswer_ReportCountsExactly()
    {
        var pocs = new List<(string Email, string State, string Kind)>();
        foreach (var (code, _) in States)
        {
            for (var i = 0; i < 10; i++)
            {
                var kind = i < 5 ? "Diplomatic" : "Technical";
                var email = $"poc{i}@{code.ToLowerInvariant()}.example.org";
                await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(code, kind, $"{code} person {i}").With("emails", new JsonArray(email)));
                pocs.Add((email, code, kind));
            }
        }

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "End-to-end ping",
            scope = new { participants = States.Select(s => s.Code).ToArray() },
            responseWindow = "PT25S",
            reminders = Array.Empty<string>(),
            escalate = false,
        });
        var id = campaign["id"]!.GetValue<string>();

        var messages = await CampaignHelpers.MessagesToAsync(fixture.Smtp, pocs.Select(p => p.Email).ToList(), 50, TimeSpan.FromSeconds(60));
        Assert.Equal(50, messages.Count);
        Assert.All(messages, m => Assert.Contains(campaign["reference"]!.GetValue<string>(), m.Subject, StringComparison.Ordinal));

        // Who answers: all of KEN and JPN, the diplomats of POL, the technical POCs of BRA; nobody from NOR.
        bool Answers((string Email, string State, string Kind) p) => p.State is "KEN" or "JPN" || (p.State, p.Kind) is ("POL", "Diplomatic") or ("BRA", "Technical");
        var answering = pocs.Where(Answers).ToList();
        Assert.Equal(30, answering.Count);
        var firstAnswers = new Dictionary<string, DateTimeOffset>();
        foreach (var poc in answering)
        {
            var link = CampaignHelpers.LinkIn(messages.Single(m => m.To.Mailboxes.Single().Address == poc.Email));
            using var response = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, link);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            firstAnswers[link] = (await response.ReadJsonAsync())["acknowledgedAt"]!.GetValue<DateTimeOffset>();
        }

        // Acknowledging twice is harmless: same answer, same recorded time.
        var (againLink, firstTime) = firstAnswers.First();
        using (var again = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, againLink))
        {
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.Equal(firstTime, (await again.ReadJsonAsync())["acknowledgedAt"]!.GetValue<DateTimeOffset>());
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(90));
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        var progress = closed["progress"]!;
        Assert.Equal(50, progress["inScope"]!.GetValue<int>());
        Assert.Equal(50, progress["sent"]!.GetValue<int>());
        Assert.Equal(30, progress["acknowledged"]!.GetValue<int>());
        Assert.Equal(20, progress["noResponse"]!.GetValue<int>());

        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(30, report!["overall"]!["acknowledged"]!.GetValue<int>());
        Assert.Equal(20, report["overall"]!["noResponse"]!.GetValue<int>());
        Assert.Equal(0.6, report["overall"]!["responseRate"]!.GetValue<double>());
        var byRegion = report["byRegion"]!.AsArray().ToDictionary(r => r!["key"]!.GetValue<string>(), r => r!["responseRate"]!.GetValue<double>());
        Assert.Equal(1.0, byRegion["African"]);
        Assert.Equal(1.0, byRegion["AsiaPacific"]);
        Assert.Equal(0.5, byRegion["EasternEuropean"]);
        Assert.Equal(0.5, byRegion["LatinAmericanAndCaribbean"]);
        Assert.Equal(0.0, byRegion["WesternEuropeanAndOthers"]);
        var byKind = report["byKind"]!.AsArray().ToDictionary(r => r!["key"]!.GetValue<string>(), r => r!["acknowledged"]!.GetValue<int>());
        Assert.Equal(15, byKind["Diplomatic"]);
        Assert.Equal(15, byKind["Technical"]);
        Assert.Equal(["NOR"], report["participantsWithNoResponse"]!.AsArray().Select(p => p!.GetValue<string>()));

        // The deadline has passed: a link that was not used now answers 410 with a clear message.
        var unused = pocs.First(p => !Answers(p));
        using (var late = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(messages.Single(m => m.To.Mailboxes.Single().Address == unused.Email))))
        {
            await PocBodies.AssertProblemAsync(late, HttpStatusCode.Gone);
        }

        // Each POC now carries the outcome of its last ping; the silent ones show up as stale.
        var stale = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/pocs?participant=NOR&missedPings=1");
        Assert.Equal(10, stale!["items"]!.AsArray().Count);
        Assert.All(stale["items"]!.AsArray(), p => Assert.Equal("NoResponse", p!["lastPingOutcome"]!.GetValue<string>()));
        var kenyans = pocs.Where(p => p.State == "KEN").Select(p => p.Email).ToHashSet();
        var kenya = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/pocs?participant=KEN&pageSize=100"))!["items"]!.AsArray()
            .Where(p => kenyans.Contains(p!["emails"]![0]!.GetValue<string>())).ToList();
        Assert.Equal(10, kenya.Count);
        Assert.All(kenya, p => Assert.NotNull(p!["lastAcknowledgedAt"]));

        var csv = await fixture.SecretariatClient.GetStringAsync($"api/campaigns/{id}/report?format=csv");
        Assert.Contains("\"overall\",\"All\",\"50\",\"30\",\"20\",\"0\",\"0\",\"0.6\"", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-token")]
    [InlineData("AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Acknowledge_UnknownOrTamperedToken_Is404AndRevealsNothing(string token)
    {
        using var response = await fixture.Runner.Http.PostAsync($"api/acknowledgements/{token}x", null);

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.NotFound);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("campaign", body.Replace("acknowledgements", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }
}
