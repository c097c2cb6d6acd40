using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 19 item 4 through real SMTP: a reminder waits for a business-hours POC's window; a 24/7 POC's does not.</summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed class BusinessHoursTests(InMemoryCampaignFixture fixture)
{
    [Fact]
    public async Task Reminder_to_a_business_hours_POC_waits_for_its_window_and_a_24_7_POCs_goes_at_its_time()
    {
        // The window opens at the next whole minute or the one after (at least 40 s away), on the runner's clock, in UTC.
        var now = DateTimeOffset.UtcNow;
        var opens = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(now.Second < 20 ? 1 : 2);
        if (opens is { Hour: 23, Minute: 59 })
        {
            opens = opens.AddMinutes(1);
        }

        var closes = opens.Hour == 23 ? "23:59" : opens.AddHours(1).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var participant = await fixture.NewParticipantAsync();
        var office = $"office-{participant.ToLowerInvariant()}@example.org";
        var duty = $"duty-{participant.ToLowerInvariant()}@example.org";
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: "Office Hours")
            .With("emails", new JsonArray(office)).With("timeZone", "UTC")
            .With("availability", new JsonObject
            {
                ["type"] = "BusinessHours",
                ["days"] = new JsonArray(opens.DayOfWeek.ToString()),
                ["start"] = opens.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                ["end"] = closes,
            }));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: "Duty Line").With("emails", new JsonArray(duty)));

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = $"Hours of {participant}",
            scope = new { participants = new[] { participant } },
            responseWindow = "PT200S",
            reminders = new[] { "PT5S" },
        });
        var id = campaign["id"]!.GetValue<string>();

        // Both pings at once (a first message is never held), and the 24/7 POC's reminder at its time.
        var early = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [office, duty], 3, TimeSpan.FromSeconds(60));
        Assert.Contains(early, m => CampaignHelpers.AddressOf(m) == duty && CampaignHelpers.StepOf(m) == 1);
        Assert.DoesNotContain(early, m => CampaignHelpers.AddressOf(m) == office && CampaignHelpers.StepOf(m) == 1);

        // The office's reminder comes in its window, not before it opens.
        var all = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [office, duty], 4, TimeSpan.FromSeconds(180));
        var held = Assert.Single(all, m => CampaignHelpers.AddressOf(m) == office && CampaignHelpers.StepOf(m) == 1);
        Assert.True(held.Date >= opens.AddSeconds(-1), $"The held reminder came at {held.Date:O}, before the window at {opens:O}.");

        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(1, report!["heldMessages"]!.GetValue<int>());
        Assert.True(report["heldSeconds"]!.GetValue<double>() > 0);
    }
}
