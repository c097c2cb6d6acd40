using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// A runner of its own with the production limit on anonymous writes (120 a minute per client address), so thousands
/// of POCs answering at once come, as on the internet, from many addresses.
/// </summary>
public sealed class FloodFixture : DirectoryFixture
{
    public const int AnonymousPerMinute = 120;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Runner:Durable:Backend"] = "InMemory",
        ["RateLimits:AnonymousPerMinute"] = AnonymousPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Campaigns:SendBatchSize"] = "250",
        ["CampaignSchedulerSchedule"] = "0 0 0 1 1 *",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}

[Collection(FaultCollection.Name)]
public sealed class AcknowledgementFloodOfManyTests(FloodFixture fixture, ITestOutputHelper output) : IClassFixture<FloodFixture>
{
    private const int Pocs = 500;
    private const int Campaigns = 10;
    private const int Addresses = 50;

    /// <summary>
    /// Ten campaigns over the same 500 POCs make 5,000 different links (POCs are created through the API, so fewer of
    /// them is quicker); all are clicked at once from 50 addresses (100 each, under the per-address limit). Every click
    /// is answered 200 and counted: 5,000 in the reports. One address that sends junk over the limit is told 429 with
    /// Retry-After, and a genuine link from it still works.
    /// </summary>
    [Fact]
    public async Task FiveThousandAcknowledgementsFromFiftyAddresses_AllRecorded_JunkOverTheLimitGets429_ARealLinkStillWorks()
    {
        var clock = Stopwatch.StartNew();
        void Log(string message) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {message}");
        var pocs = await CampaignHelpers.PocsAsync(fixture.SecretariatClient, participants: 20, perParticipant: Pocs / 20, label: "flood");
        var emails = pocs.Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Log($"{pocs.Count} POCs created");

        var ids = new List<string>();
        for (var c = 0; c < Campaigns; c++)
        {
            var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
            {
                name = $"Flood {c}", scope = new { participants = pocs.Select(p => p.Participant).Distinct().ToArray() }, responseWindow = "PT10M",
            });
            ids.Add(campaign["id"]!.GetValue<string>());
        }

        var links = (await CampaignHelpers.MessagesToAsync(fixture.Smtp, emails, Pocs * Campaigns, TimeSpan.FromSeconds(120)))
            .Select(CampaignHelpers.LinkIn).Distinct().ToList();
        Assert.Equal(Pocs * Campaigns, links.Count);
        Log($"{links.Count} pings out");

        // Four connections per address, 200 in all; a click waits its turn for a connection, which counts against its
        // timeout, so the timeout allows for the whole flood being answered at the rate Azurite allows on two cores.
        var clients = Enumerable.Range(0, Addresses)
            .Select(n => LoopbackClients.From(LoopbackClients.Address(n), fixture.Runner.BaseAddress, maxConnections: 4, timeout: TimeSpan.FromMinutes(3))).ToList();
        try
        {
            using var start = new SemaphoreSlim(0);
            var flood = links.Select(async (link, i) =>
            {
                await start.WaitAsync();
                using var response = await CampaignHelpers.AcknowledgeAsync(clients[i % Addresses], link);
                return response.StatusCode;
            }).ToList();
            var flooding = Stopwatch.StartNew();
            start.Release(links.Count);
            var statuses = await Task.WhenAll(flood);
            Log($"{links.Count} acknowledgements from {Addresses} addresses answered in {flooding.Elapsed.TotalSeconds:F1} s ({links.Count / flooding.Elapsed.TotalSeconds:F0}/s): " +
                string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Count()} × {(int)g.Key}")));
            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        // Every campaign closes early (everyone answered) with all its acknowledgements in its report.
        var recorded = 0;
        foreach (var id in ids)
        {
            await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(60));
            var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
            recorded += report!["overall"]!["acknowledged"]!.GetValue<int>();
        }

        FaultLedger.AcknowledgementsLost(links.Count - recorded);
        Assert.Equal(links.Count, recorded);
        Log($"{recorded} acknowledgements in the reports");

        // One address sending junk goes over its limit: the budget, then 429 with Retry-After. A genuine link clicked from
        // that same address still answers 200: junk has a budget per address, each real link one of its own (decision 0014).
        using var greedy = LoopbackClients.From(LoopbackClients.Address(Addresses), fixture.Runner.BaseAddress);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < FloodFixture.AnonymousPerMinute + 10 && !answers.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await greedy.PostAsync($"api/acknowledgements/junk-{i}", null);
            answers.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await PocBodies.AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
        Assert.InRange(answers.Count - 1, FloodFixture.AnonymousPerMinute, FloodFixture.AnonymousPerMinute + 9);
        Assert.All(answers.SkipLast(1), s => Assert.Equal(HttpStatusCode.NotFound, s));
        using (var genuine = await greedy.PostAsync($"api/acknowledgements/{CampaignHelpers.TokenOf(links[0])}", null))
        {
            Assert.Equal(HttpStatusCode.OK, genuine.StatusCode);
        }

        Log($"one address: {answers.Count - 1} junk links answered 404, then 429; a genuine link from it still 200");
    }
}
