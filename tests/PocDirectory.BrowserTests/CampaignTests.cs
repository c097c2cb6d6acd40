using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>Ping campaigns in the portal: starting one, following it live, acknowledging from the email, the report.</summary>
[Collection(PortalCollection.Name)]
public sealed class CampaignTests(PortalFixture fixture)
{
    [Fact]
    public async Task Secretariat_StartsCampaign_SeesLiveProgress()
    {
        var participant = await fixture.Api.NewParticipantAsync();
        var email = Pocs.UniqueEmail("live");
        var pocId = await fixture.Api.CreatePocAsync(Pocs.Body(participant, "Katherine Johnson", email));
        try
        {
            await using var portal = await fixture.OpenAsync();
            var page = portal.Page;
            await portal.SignInAsync(PortalFixture.Secretariat);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Campaigns" }).ClickAsync();
            await portal.ExpectHeadingAsync("Campaigns");
            await page.GetByRole(AriaRole.Link, new() { Name = "New campaign" }).ClickAsync();
            await portal.ExpectHeadingAsync("Start a ping campaign");

            var name = $"Browser test ping {participant}";
            await page.GetByLabel("Name").FillAsync(name);
            await page.GetByLabel("Participants").FillAsync(participant);
            await page.GetByLabel("Amount").FillAsync("2");
            await page.GetByLabel("Unit").SelectOptionAsync("hours");
            await page.GetByLabel("Reminders").FillAsync("1h");
            await Expect(page.GetByLabel("Escalate at the deadline")).ToBeCheckedAsync();
            await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Now" })).ToBeCheckedAsync();
            await portal.AssertControlsLabelledAsync();
            await portal.ScreenshotAsync("campaign-new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Start campaign" }).ClickAsync();

            await portal.ExpectHeadingAsync(name);
            await Expect(page.GetByText($"The campaign {name} has started.")).ToBeVisibleAsync();
            var live = page.GetByRole(AriaRole.Status).Filter(new() { HasText = "acknowledged." });
            await Expect(live).ToHaveTextAsync("Running: 0 of 1 acknowledged.");
            var campaignId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
            var campaign = await fixture.Api.GetCampaignAsync(campaignId);
            Assert.Equal(name, campaign["name"]!.GetValue<string>());
            Assert.Equal("PT2H", campaign["responseWindow"]!.GetValue<string>());
            Assert.Equal("PT1H", campaign["reminders"]![0]!.GetValue<string>());
            Assert.True(campaign["escalate"]!.GetValue<bool>());

            // The page follows the campaign without a reload: the ping goes out, the POC answers, the count moves.
            await Expect(Card(page, "Sent")).ToHaveTextAsync("1");
            await portal.ScreenshotAsync("campaign-running");
            var link = await DirectoryApi.AcknowledgementLinkAsync(fixture.Smtp, email, campaign["reference"]!.GetValue<string>());
            await fixture.Api.AcknowledgeAsync(link);
            await Expect(live).ToHaveTextAsync(new Regex("^(Running|Completed): 1 of 1 acknowledged\\.$"));
            await Expect(Card(page, "Acknowledged")).ToHaveTextAsync("1");
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(pocId);
        }
    }

    [Fact]
    public async Task AcknowledgementPage_OpenedFromEmailOnPhone_Acknowledges()
    {
        var participant = await fixture.Api.NewParticipantAsync();
        var email = Pocs.UniqueEmail("phone");
        var pocId = await fixture.Api.CreatePocAsync(Pocs.Body(participant, "Mary Jackson", email));
        try
        {
            var (campaignId, reference) = await fixture.Api.StartCampaignAsync($"Phone ping {participant}", [participant]);
            var link = await DirectoryApi.AcknowledgementLinkAsync(fixture.Smtp, email, reference);

            await using var portal = await fixture.OpenAsync(390, 844, isMobile: true);
            var page = portal.Page;
            await page.GotoAsync(link);
            await portal.ExpectHeadingAsync("Acknowledge a communication check");
            var button = page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" });
            await Expect(button).ToBeVisibleAsync();
            await portal.AssertFitsWidthAsync();
            await portal.ScreenshotAsync("ack-phone");

            await button.ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you: acknowledged" })).ToBeVisibleAsync();
            await Expect(page.GetByText(reference, new() { Exact = true })).ToBeVisibleAsync();
            await Expect(button).ToHaveCountAsync(0);
            await portal.AssertFitsWidthAsync();
            await portal.ScreenshotAsync("ack-phone-done");

            var campaign = await fixture.Api.GetCampaignAsync(campaignId);
            Assert.Equal(1, campaign["progress"]!["acknowledged"]!.GetValue<int>());
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(pocId);
        }
    }

    [Fact]
    public async Task AcknowledgementPage_UnknownLinkOrCampaignCancelledInPortal_ExplainsWhy()
    {
        await using var portal = await fixture.OpenAsync(390, 844, isMobile: true);
        var page = portal.Page;
        await page.GotoAsync("/ack/not-a-real-token");
        await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This link is not valid" })).ToBeVisibleAsync();
        await portal.ScreenshotAsync("ack-unknown");

        var participant = await fixture.Api.NewParticipantAsync();
        var email = Pocs.UniqueEmail("closed");
        var pocId = await fixture.Api.CreatePocAsync(Pocs.Body(participant, "Dorothy Vaughan", email));
        try
        {
            var name = $"Closed ping {participant}";
            var (campaignId, reference) = await fixture.Api.StartCampaignAsync(name, [participant]);
            var link = await DirectoryApi.AcknowledgementLinkAsync(fixture.Smtp, email, reference);

            // The Secretariat cancels the campaign on its page, which follows it to the end.
            await using (var secretariat = await fixture.OpenAsync())
            {
                await secretariat.SignInAsync(PortalFixture.Secretariat);
                await secretariat.GoToAsync($"#/campaigns/{campaignId}", name);
                await secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel campaign" }).ClickAsync();
                await secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, cancel it" }).ClickAsync();
                await Expect(secretariat.Page.GetByRole(AriaRole.Status).Filter(new() { HasText = "acknowledged." })).ToHaveTextAsync("Cancelled: 0 of 1 acknowledged.");
                await Expect(secretariat.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel campaign" })).ToHaveCountAsync(0);
                await secretariat.AssertCleanAsync();
            }

            await page.GotoAsync(link);
            await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This check has closed" })).ToBeVisibleAsync();
            await Expect(page.GetByText("can no longer be acknowledged")).ToBeVisibleAsync();
            await portal.ScreenshotAsync("ack-closed");
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(pocId);
        }
    }

    [Fact]
    public async Task ReportPage_AfterAcknowledgementFromEmailLink_ShowsIt()
    {
        // The sample POCs of six States in five regions; five of eight answer, the first through the page in a browser.
        var (campaignId, reference) = await fixture.Api.StartCampaignAsync("Quarterly communication check", SampleData.States);
        var answering = SampleData.Pocs.Where(p => p.Participant is "SGP" or "CHE" or "KEN").Select(p => p.Email).ToList();
        var links = new List<string>();
        foreach (var address in answering)
        {
            links.Add(await DirectoryApi.AcknowledgementLinkAsync(fixture.Smtp, address, reference));
        }

        await using (var mail = await fixture.OpenAsync())
        {
            await mail.Page.GotoAsync(links[0]);
            await mail.Page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
            await Expect(mail.Page.GetByRole(AriaRole.Heading, new() { Name = "Thank you: acknowledged" })).ToBeVisibleAsync();
            await mail.AssertCleanAsync();
        }

        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync(PortalFixture.Secretariat);
        await portal.GoToAsync($"#/campaigns/{campaignId}", "Quarterly communication check");
        await page.GetByRole(AriaRole.Link, new() { Name = "View report" }).ClickAsync();
        await portal.ExpectHeadingAsync("Report: Quarterly communication check");
        await Expect(Card(page, "Acknowledged")).ToHaveTextAsync("1 of 8");

        foreach (var link in links.Skip(1))
        {
            await fixture.Api.AcknowledgeAsync(link);
        }

        await page.ReloadAsync();
        await portal.ExpectHeadingAsync("Report: Quarterly communication check");
        await Expect(Card(page, "Acknowledged")).ToHaveTextAsync("5 of 8");
        await Expect(Card(page, "Response rate")).ToHaveTextAsync("62.5%");
        var byRegion = page.GetByRole(AriaRole.Table, new() { Name = "Response rate by region" });
        await Expect(byRegion.GetByRole(AriaRole.Row).Filter(new() { HasText = "African States" }).GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("100%");
        await Expect(byRegion.GetByRole(AriaRole.Row).Filter(new() { HasText = "Asia-Pacific States" }).GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("66.7%");
        await Expect(byRegion.GetByRole(AriaRole.Row).Filter(new() { HasText = "Latin American and Caribbean States" }).GetByRole(AriaRole.Cell).Last).ToHaveTextAsync("0%");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Response rate by kind of POC" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Acknowledgements by time taken" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Under 1 min" })).ToContainTextAsync("5");
        await portal.ScreenshotAsync("campaign-report");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download CSV" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.Contains("SGP", csv, StringComparison.Ordinal);
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        await portal.AssertCleanAsync();
    }

    /// <summary>The value of the summary card with this label.</summary>
    private static ILocator Card(IPage page, string label)
        => page.Locator(".card").Filter(new() { Has = page.Locator(".card__label", new() { HasTextRegex = new Regex($"^{Regex.Escape(label)}$") }) }).Locator(".card__value");
}
