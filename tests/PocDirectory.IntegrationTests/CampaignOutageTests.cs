using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

/// <summary>Storage goes away in the middle of a campaign: a runner and an Azurite (on disk, so it can come back) of its own.</summary>
[Collection(FaultCollection.Name)]
public sealed class CampaignOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(20);

    /// <summary>What a caller may wait for an answer while storage is down: the Table client's two quick retries, not a hang.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task StorageDownTwentySecondsMidCampaign_ApiAnswers503Fast_CampaignResumesAndCompletes_NoAcknowledgementLost()
    {
        await using var stack = await LocalStack.StartAsync(settings =>
        {
            settings["Runner:Durable:Backend"] = "AzureStorage";

            // An activity that fails while storage is down cannot even be abandoned; its message comes back after this.
            settings["Runner:Durable:MessageVisibilityTimeout"] = "00:00:10";
            settings["CampaignSchedulerSchedule"] = "0 0 0 1 1 *";
        }, persistentStorage: true);
        var clock = Stopwatch.StartNew();
        void Log(string message) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {message}");

        using var setup = await stack.Runner.ClientForAsync(DirectoryFixture.Secretariat);
        var pocs = await CampaignHelpers.PocsAsync(setup, participants: 5, perParticipant: 10, label: "outage");
        var emails = pocs.Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var http = stack.Runner.CountedClient();
        using var secretariat = stack.Runner.CountedClient(await stack.Runner.TokenForAsync(DirectoryFixture.Secretariat));

        var campaign = await CampaignHelpers.StartAsync(secretariat, new
        {
            name = "Outage",
            scope = new { participants = pocs.Select(p => p.Participant).Distinct().ToArray() },
            responseWindow = "PT40S",
            reminders = new[] { "PT20S" },
        });
        var id = campaign["id"]!.GetValue<string>();
        var pings = (await CampaignHelpers.MessagesToAsync(stack.Smtp, emails, pocs.Count, TimeSpan.FromSeconds(60)))
            .ToDictionary(CampaignHelpers.AddressOf, StringComparer.OrdinalIgnoreCase);
        var acknowledged = new Dictionary<string, DateTimeOffset>();
        foreach (var poc in pocs.Take(20))
        {
            acknowledged[poc.Id] = await AcknowledgeAsync(http, pings[poc.Email]);
        }

        Log("pings out, 20 acknowledged; storage goes down (the reminder falls due during the outage)");

        stack.Azurite.Stop();
        var down = Stopwatch.StartNew();
        var latencies = new List<TimeSpan>();
        var refused = new List<CreatedPoc>();
        var clicking = new Queue<CreatedPoc>(pocs.Skip(20).Take(10));
        var rejected = $"Written during the outage {Guid.NewGuid():N}";
        while (down.Elapsed < Outage)
        {
            foreach (var (client, request) in new (HttpClient, Func<HttpRequestMessage>)[]
                     {
                         (secretariat, () => new HttpRequestMessage(HttpMethod.Get, $"api/campaigns/{id}")),
                         (secretariat, () => new HttpRequestMessage(HttpMethod.Get, $"api/campaigns/{id}/results")),
                         (secretariat, () => new HttpRequestMessage(HttpMethod.Get, $"api/pocs?participant={pocs[0].Participant}")),
                         (secretariat, () => new HttpRequestMessage(HttpMethod.Post, "api/pocs") { Content = JsonContent.Create(PocBodies.Valid(pocs[0].Participant, fullName: rejected)) }),
                         (http, () => new HttpRequestMessage(HttpMethod.Post, clicking.TryPeek(out var next)
                             ? $"api/acknowledgements/{CampaignHelpers.TokenOf(CampaignHelpers.LinkIn(pings[next.Email]))}"
                             : "api/acknowledgements/no-such-token")),
                     })
            {
                using var message = request();
                var timer = Stopwatch.StartNew();
                using var response = await client.SendAsync(message);
                latencies.Add(timer.Elapsed);
                await PocBodies.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
                Assert.True(timer.Elapsed < FailFast, $"{message.Method} {message.RequestUri} took {timer.Elapsed} to fail");
                if (message.RequestUri!.ToString().Contains("acknowledgements/", StringComparison.Ordinal) && clicking.TryDequeue(out var poc))
                {
                    refused.Add(poc);
                }
            }
        }

        using (var health = await http.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await stack.Azurite.StartProcessAsync();
        Log($"storage back after {down.Elapsed.TotalSeconds:F1} s; {latencies.Count} requests answered 503 in " +
            $"{latencies.Min().TotalMilliseconds:F0}-{latencies.Max().TotalMilliseconds:F0} ms (median {latencies.Order().ElementAt(latencies.Count / 2).TotalMilliseconds:F0} ms)");
        await Wait.UntilAsync(async () => (await http.GetAsync("api/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), () => "Health did not recover");

        // The POCs told 503 try again, as the acknowledgement page does after Retry-After.
        foreach (var poc in refused)
        {
            acknowledged[poc.Id] = await AcknowledgeAsync(http, pings[poc.Email]);
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(secretariat, id, TimeSpan.FromSeconds(120));
        Log("campaign completed");
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());

        var results = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/results?outcome=Acknowledged&pageSize=100");
        var recorded = results!["items"]!.AsArray().Select(r => r!["pocId"]!.GetValue<string>()).ToHashSet();
        var lost = acknowledged.Keys.Count(a => !recorded.Contains(a));
        FaultLedger.AcknowledgementsLost(lost);
        Assert.Equal(0, lost);
        Assert.Equal(acknowledged.Count, recorded.Count);
        Assert.Equal(pocs.Count - acknowledged.Count, closed["progress"]!["noResponse"]!.GetValue<int>());

        // The reminder that fell due during the outage went out once storage was back, once to each POC still silent then.
        var sent = stack.Smtp.Messages.Where(m => emails.Contains(CampaignHelpers.AddressOf(m)))
            .GroupBy(m => (Address: CampaignHelpers.AddressOf(m), Step: CampaignHelpers.StepOf(m))).ToList();
        Assert.All(sent, g => Assert.Single(g));
        Assert.Equal(pocs.Count, sent.Count(g => g.Key.Step == 0));
        Assert.All(pocs.Skip(30), p => Assert.Contains(sent, g => g.Key == (p.Email, 1)));
        Assert.All(pocs.Take(20), p => Assert.DoesNotContain(sent, g => g.Key == (p.Email, 1)));

        // Nothing was half-written by the writes refused during the outage.
        var written = await secretariat.GetFromJsonAsync<JsonObject>($"api/pocs?participant={pocs[0].Participant}&q={Uri.EscapeDataString(rejected)}");
        Assert.Empty(written!["items"]!.AsArray());
        FaultLedger.OutageSurvived();
    }


    private static async Task<DateTimeOffset> AcknowledgeAsync(HttpClient http, MimeKit.MimeMessage ping)
    {
        using var response = await CampaignHelpers.AcknowledgeAsync(http, CampaignHelpers.LinkIn(ping));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Acknowledgement answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.ReadJsonAsync())["acknowledgedAt"]!.GetValue<DateTimeOffset>();
    }
}
