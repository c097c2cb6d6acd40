using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PocDirectory.IntegrationTests;

/// <summary>Personal data (names, addresses, phone numbers) never reaches the logs, whatever the runner did.</summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed partial class LogPrivacyTests(InMemoryCampaignFixture fixture)
{
    [Fact]
    public async Task FullCampaignWithRemindersEscalationAndErrors_LeavesNoPersonalDataInTheLogs()
    {
        var participant = await fixture.NewParticipantAsync();
        const string name = "Zebulon Quixote-Privacy";
        const string phone = "+41227917123";
        var emails = new[] { $"zebulon.{participant.ToLowerInvariant()}@private.example.net", $"second.{participant.ToLowerInvariant()}@private.example.net" };
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: name)
            .With("emails", new JsonArray(emails[0])).With("phones", new JsonArray(new JsonObject { ["number"] = phone, ["type"] = "Mobile" })));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, "Diplomatic", name + " II").With("emails", new JsonArray(emails[1])));
        fixture.Smtp.RejectRecipient(emails[1]);
        using (var focal = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email = $"focal.{participant.ToLowerInvariant()}@private.example.net", role = "FocalPoint", participant }))
        {
            Assert.Equal(HttpStatusCode.Created, focal.StatusCode);
        }

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Privacy", scope = new { participants = new[] { participant } }, responseWindow = "PT6S", reminders = new[] { "PT3S" }, escalate = true,
        });
        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, campaign["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));

        // Failures are logged too: a bad request, a forged token, a conflict.
        using (await fixture.SecretariatClient.PostAsJsonAsync("api/pocs", PocBodies.Valid(participant, fullName: name).With("phones", new JsonArray(new JsonObject { ["number"] = "+1", ["type"] = "Mobile" })))) { }
        using (await fixture.Runner.Http.PostAsync("api/acknowledgements/forged", null)) { }

        var log = string.Join('\n', fixture.Runner.Process.Output);
        Assert.NotEmpty(log);
        Assert.DoesNotContain(name, log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(phone, log, StringComparison.Ordinal);
        Assert.DoesNotContain("private.example.net", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(EmailAddress().Matches(log).Select(m => m.Value), m => !m.EndsWith("@pocdirectory", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();
}
