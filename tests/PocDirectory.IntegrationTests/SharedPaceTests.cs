using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class SharedPaceCollection
{
    public const string Name = "Shared email pace";
}

/// <summary>
/// Two campaigns started together share the app's one pace: a runner of its own at Email:MaxPerMinute = 60. Mostly
/// waiting, so it runs beside the other collections.
/// </summary>
[Collection(SharedPaceCollection.Name)]
public sealed class SharedPaceTests(ITestOutputHelper output)
{
    private const int PerCampaign = 35;

    [Fact]
    public async Task TwoCampaignsStartedTogetherAtSixtyAMinute_ShareOnePace_AndNobodyIsUndeliverableBecauseOfIt()
    {
        await using var stack = await LocalStack.StartAsync(settings =>
        {
            settings["Email:MaxPerMinute"] = "60";
            settings["Runner:Durable:Backend"] = "InMemory";
        });
        using var secretariat = await stack.Runner.ClientForAsync(DirectoryFixture.Secretariat);
        var pocs = await CampaignHelpers.PocsAsync(secretariat, participants: 2, perParticipant: PerCampaign, label: "paced");
        var campaigns = await Task.WhenAll(pocs.GroupBy(p => p.Participant).Select(participant => CampaignHelpers.StartAsync(secretariat, new
        {
            name = $"Paced {participant.Key}",
            scope = new { participants = new[] { participant.Key } },
            responseWindow = "PT10M",
        })));

        var emails = pocs.Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var pings = await CampaignHelpers.MessagesToAsync(stack.Smtp, emails, pocs.Count, TimeSpan.FromMinutes(3));
        var arrived = stack.Smtp.ReceivedAt.Where(r => emails.Contains(r.To)).Select(r => r.At).Order().ToList();

        // Everyone got exactly one ping, and nobody was given up on or deferred past the deadline.
        Assert.Equal(pocs.Count, pings.Select(CampaignHelpers.AddressOf).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var campaign in campaigns)
        {
            var current = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{campaign["id"]}");
            Assert.Equal(PerCampaign, current!["progress"]!["sent"]!.GetValue<int>());
            Assert.Equal(0, current["progress"]!["undeliverable"]!.GetValue<int>());
        }

        // One pace for both, counted where the provider counts, on arrival: at most 60 in any 60 s. Together they take
        // about 70 seconds (a pace per campaign would take half that and put 70 in the first minute).
        var span = arrived[^1] - arrived[0];
        // Arrival is the pace's slot plus the trip to the SMTP server, which a loaded machine stretches for one message
        // and not the next: the window is a second shorter than the minute, so one slow trip is not counted as a 61st send.
        var maxInAnyMinute = arrived.Select((at, i) => arrived.Skip(i).TakeWhile(a => a < at.AddSeconds(59)).Count()).Max();
        var perMinute = arrived.GroupBy(a => (int)((a - arrived[0]).TotalSeconds / 60)).Select(g => g.Count()).ToList();
        output.WriteLine($"{arrived.Count} pings of 2 campaigns in {span.TotalSeconds:F1} s; per minute {string.Join(", ", perMinute)}; at most {maxInAnyMinute} in any 60 s");
        Assert.True(maxInAnyMinute <= 60, $"{maxInAnyMinute} pings arrived within 60 s");
        FaultLedger.PacedSends(arrived.Count, maxInAnyMinute);
    }
}
