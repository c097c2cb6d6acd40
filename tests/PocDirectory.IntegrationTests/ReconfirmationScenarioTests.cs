using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>A runner of its own, where a POC is stale 20 s after its last confirmation and the grace period is 15 s.</summary>
public sealed class ReconfirmationFixture : DirectoryFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Runner:Durable:Backend"] = "InMemory",
        ["Directory:ReconfirmEvery"] = "00:00:20",
        ["Directory:ReconfirmGrace"] = "00:00:15",
        ["Directory:ReconfirmCheckEvery"] = "00:00:01",
    };
}

[CollectionDefinition(Name)]
public sealed class ReconfirmationCollection : ICollectionFixture<ReconfirmationFixture>
{
    public const string Name = "Re-confirmation with short settings";
}

/// <summary>Issue 18, item 4 (periodic re-confirmation), through the real runner, its timer and real SMTP.</summary>
[Collection(ReconfirmationCollection.Name)]
public sealed partial class ReconfirmationScenarioTests(ReconfirmationFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task StalePocs_GetTheMessage_OneConfirmsByLinkAudited_TheOtherIsRemindedThenOverdue_AndItsFocalPointIsTold()
    {
        var x = await fixture.NewParticipantAsync();
        var focalPoint = $"focal-{Guid.NewGuid():N}@example.org";
        using (var role = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email = focalPoint, role = "FocalPoint", participant = x }))
        {
            role.EnsureSuccessStatusCode();
        }

        var confirming = $"confirming-{Guid.NewGuid():N}@example.org";
        var silent = $"silent-{Guid.NewGuid():N}@example.org";
        var (a, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Diplomatic", "Ana Confirming").With("emails", new JsonArray(confirming)));
        var (b, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Technical", "Ben Silent").With("emails", new JsonArray(silent)));
        var aId = a["id"]!.GetValue<string>();
        var bId = b["id"]!.GetValue<string>();
        var aConfirmedAt = a["lastConfirmedAt"]!.GetValue<DateTimeOffset>();

        // Stale after 20 s: the timer asks both, with a one-click link to /confirm/{token} and a link to update.
        var request = (await CampaignHelpers.MessagesToAsync(fixture.Smtp, [confirming], 1, Timeout)).Single();
        Assert.Contains("confirm that they are still current", request.TextBody, StringComparison.Ordinal);
        Assert.Contains($"#/pocs/{aId}", request.TextBody, StringComparison.Ordinal);
        var link = ConfirmLink().Match(request.TextBody ?? string.Empty).Value;
        Assert.False(string.IsNullOrEmpty(link), request.TextBody);
        Assert.Equal("Due", (await PocBodies.GetAsync(fixture.SecretariatClient, aId)).Poc["confirmation"]!.GetValue<string>());

        using (var confirmed = await fixture.Runner.Http.PostAsync($"api/confirmations/{CampaignHelpers.TokenOf(link)}", null))
        {
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
            Assert.Equal(aId, (await confirmed.ReadJsonAsync())["pocId"]!.GetValue<string>());
        }

        var afterConfirm = (await PocBodies.GetAsync(fixture.SecretariatClient, aId)).Poc;
        Assert.True(afterConfirm["lastConfirmedAt"]!.GetValue<DateTimeOffset>() > aConfirmedAt);
        Assert.Equal("Current", afterConfirm["confirmation"]!.GetValue<string>());
        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Poc&entityId={aId}");
        Assert.Contains(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "Poc.Confirmed" && e["actor"]!.GetValue<string>() == "confirmation-link");

        // The other gets a reminder after the grace period, then is Overdue, and the focal point is told who.
        var toSilent = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [silent], 2, Timeout);
        Assert.Equal(1, CampaignHelpers.StepOf(toSilent.OrderBy(m => m.Date).Last()));
        var told = (await CampaignHelpers.MessagesToAsync(fixture.Smtp, [focalPoint], 1, Timeout)).Single();
        Assert.Contains("Ben Silent", told.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana Confirming", told.TextBody, StringComparison.Ordinal);
        JsonArray overdue = [];
        await Wait.UntilAsync(async () =>
        {
            overdue = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs?participant={x}&confirmation=Overdue"))!["items"]!.AsArray();
            return overdue.Count > 0;
        }, Timeout, () => "No POC became Overdue");
        Assert.Equal([bId], overdue.Select(p => p!["id"]!.GetValue<string>()));

        // Confirmed, A was not reminded in its round. (Stale again 20 s after confirming, it is asked again in a later round.)
        var subject = request.Subject ?? string.Empty;
        var round = subject[(subject.LastIndexOf("(CONF-", StringComparison.Ordinal) + 1)..^1];
        Assert.DoesNotContain(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == confirming && (m.Subject ?? string.Empty).Contains(round, StringComparison.Ordinal) && CampaignHelpers.StepOf(m) > 0);
        Assert.Contains(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == silent && CampaignHelpers.StepOf(m) == 1);

        // Its link, now that the re-confirmation is over: 410, and nothing changes. A made-up link: 404.
        var bLink = ConfirmLink().Match(toSilent[0].TextBody ?? string.Empty).Value;
        var before = (await PocBodies.GetAsync(fixture.SecretariatClient, bId)).Poc;
        using (var late = await fixture.Runner.Http.PostAsync($"api/confirmations/{CampaignHelpers.TokenOf(bLink)}", null))
        {
            await PocBodies.AssertProblemAsync(late, HttpStatusCode.Gone);
        }

        using (var unknown = await fixture.Runner.Http.PostAsync("api/confirmations/AAAAAAAAAAAAAAAAAAAAAAAA", null))
        {
            await PocBodies.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        }

        var after = (await PocBodies.GetAsync(fixture.SecretariatClient, bId)).Poc;
        Assert.Equal(before["lastConfirmedAt"]!.GetValue<DateTimeOffset>(), after["lastConfirmedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("Overdue", after["confirmation"]!.GetValue<string>());
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/confirm/[A-Za-z0-9_-]+")]
    private static partial Regex ConfirmLink();
}
