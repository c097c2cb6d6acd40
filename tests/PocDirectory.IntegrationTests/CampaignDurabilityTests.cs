using System.Net;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>A runner of its own on the Azure Storage durable backend, so a test may kill it without disturbing others.</summary>
public sealed class DurabilityFixture : DirectoryFixture;

[CollectionDefinition(Name)]
public sealed class DurabilityCollection : ICollectionFixture<DurabilityFixture>
{
    public const string Name = "Campaign durability";
}

[Collection(DurabilityCollection.Name)]
public sealed class CampaignDurabilityTests(DurabilityFixture fixture)
{
    [Fact]
    public async Task RunnerKilledMidCampaign_CampaignFinishesCorrectly_AndNoStepIsSentTwice()
    {
        var participant = await fixture.NewParticipantAsync();
        var emails = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var email = $"durable{i}-{participant.ToLowerInvariant()}@example.org";
            await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: $"Durable {i}").With("emails", new JsonArray(email)));
            emails.Add(email);
        }

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Durability",
            scope = new { participants = new[] { participant } },
            // Room for a restart on a loaded machine: the five who answer after it must still be inside the window and before the reminder.
            responseWindow = "PT150S",
            reminders = new[] { "PT100S" },
        });
        var id = campaign["id"]!.GetValue<string>();
        var pings = await CampaignHelpers.MessagesToAsync(fixture.Smtp, emails, 20, TimeSpan.FromSeconds(60));

        // Five answer before the crash, five after it; the other ten stay silent.
        foreach (var ping in pings.Take(5))
        {
            using var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(ping));
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        await fixture.Runner.RestartAsync();

        foreach (var ping in pings.Skip(5).Take(5))
        {
            using var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(ping));
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(240));
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        Assert.Equal(10, closed["progress"]!["acknowledged"]!.GetValue<int>());
        Assert.Equal(10, closed["progress"]!["noResponse"]!.GetValue<int>());

        var received = fixture.Smtp.Messages.Where(m => emails.Contains(m.To.Mailboxes.Single().Address)).ToList();
        var answered = pings.Take(10).Select(p => p.To.Mailboxes.Single().Address).ToHashSet();
        foreach (var email in emails)
        {
            var mine = received.Where(m => m.To.Mailboxes.Single().Address == email).ToList();
            Assert.Single(mine, m => !(m.Subject ?? string.Empty).Contains("Reminder", StringComparison.Ordinal));
            Assert.Equal(answered.Contains(email) ? 0 : 1, mine.Count(m => (m.Subject ?? string.Empty).Contains("Reminder 1", StringComparison.Ordinal)));
        }

        FaultLedger.CrashSurvived();
    }
}
