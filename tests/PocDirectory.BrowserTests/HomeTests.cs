using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PocDirectory.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>
/// The three homes (issue 21) at a phone's 390x844 and a desk's 1280x900: the first actions in the first screen, one click
/// to each; the directory's phone layout; no ping badge on another participant's POC. Screenshots go to docs/screenshots.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class HomeTests(PortalFixture fixture)
{
    private static readonly (string Name, int Width, int Height, bool Phone)[] Sizes = [("phone", 390, 844, true), ("desk", 1280, 900, false)];

    private static string DocsScreenshots => Path.Combine(RepoPaths.Root, "docs", "screenshots");

    [Fact]
    public async Task PocHome_PingWaitsInTheFirstScreen_AcknowledgedInOneClick_AtPhoneAndDeskSizes()
    {
        var pocId = await fixture.Api.PocIdByNameAsync("SGP", "Lim Wei Ling");
        var email = await fixture.Api.NewUserAsync("Poc", pocId: pocId);
        foreach (var size in Sizes)
        {
            var name = $"Home check {size.Name} {Guid.NewGuid().ToString("N")[..4]}";
            var (campaignId, reference) = await fixture.Api.StartCampaignAsync(name, ["SGP"], kinds: ["Technical"]);
            await DirectoryApi.AcknowledgementLinkAsync(fixture.Smtp, "lim.weiling@sg.example.org", reference);

            await using var portal = await fixture.OpenAsync(size.Width, size.Height, size.Phone);
            var page = portal.Page;
            await portal.SignInAsync(email);
            await portal.ExpectHeadingAsync("Home");
            var waiting = page.GetByRole(AriaRole.Region, new() { Name = "Waiting for you" });
            var acknowledge = waiting.GetByRole(AriaRole.Button, new() { Name = $"Acknowledge “{name}”" });
            await Expect(acknowledge).ToBeInViewportAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Your record" })).ToContainTextAsync("Lim Wei Ling");
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Other POCs of Singapore" })).ToContainTextAsync("Tan Boon Kiat");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit your details" })).ToHaveAttributeAsync("href", $"#/pocs/{pocId}/edit");
            await portal.AssertFitsWidthAsync();
            await portal.ScreenshotAsync($"home-poc-{size.Name}", DocsScreenshots);

            await acknowledge.ClickAsync();
            await Expect(waiting.GetByText($"Acknowledged “{name}”. Thank you.")).ToBeVisibleAsync();
            var campaign = await fixture.Api.GetCampaignAsync(campaignId);
            Assert.Equal(1, campaign["progress"]!["acknowledged"]!.GetValue<int>());
            await portal.AssertCleanAsync();
        }
    }

    [Fact]
    public async Task FocalPointHome_HeadedWithItsParticipant_SaysWhatIsMissing_NominateInOneClick_AtPhoneAndDeskSizes()
    {
        var email = await fixture.Api.NewUserAsync("FocalPoint", "SGP");
        foreach (var size in Sizes)
        {
            await using var portal = await fixture.OpenAsync(size.Width, size.Height, size.Phone);
            var page = portal.Page;
            await portal.SignInAsync(email);
            await portal.ExpectHeadingAsync("Home");
            var singapore = page.GetByRole(AriaRole.Region, new() { NameRegex = new Regex("^Singapore") });
            await Expect(singapore.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToContainTextAsync("Both kinds");
            // Singapore has a diplomatic and a technical primary: the alternates are missing, said in words, each with a button.
            await Expect(singapore.GetByText("No diplomatic alternate POC yet")).ToBeVisibleAsync();
            var nominate = singapore.GetByRole(AriaRole.Link, new() { Name = "Nominate a Technical Alternate POC" });
            await Expect(singapore.GetByRole(AriaRole.Link, new() { Name = "Nominate a Diplomatic Alternate POC" })).ToBeInViewportAsync();
            await Expect(singapore.GetByRole(AriaRole.Row).Filter(new() { HasText = "Lim Wei Ling" })).ToContainTextAsync("Current");
            await portal.AssertFitsWidthAsync();
            await portal.ScreenshotAsync($"home-focal-point-{size.Name}", DocsScreenshots);

            await nominate.ClickAsync();
            await portal.ExpectHeadingAsync("Add a point of contact");
            await Expect(page.GetByLabel("Participant", new() { Exact = true })).ToHaveValueAsync("SGP");
            await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Technical" })).ToBeCheckedAsync();
            await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Alternate" })).ToBeCheckedAsync();
            await portal.AssertCleanAsync();
        }
    }

    [Fact]
    public async Task SecretariatHome_TodaysPictureInTheFirstScreen_EachFigureLinksToItsPage_AtPhoneAndDeskSizes()
    {
        // A campaign running, one of its two POCs answered, so the picture shows progress.
        var (campaignId, reference) = await fixture.Api.StartCampaignAsync("Monthly communication check", ["EST", "JPN"], kinds: ["Technical"]);
        await fixture.Api.AcknowledgeAsync(await DirectoryApi.AcknowledgementLinkAsync(fixture.Smtp, "kadri.tamm@ee.example.org", reference));
        foreach (var size in Sizes)
        {
            await using var portal = await fixture.OpenAsync(size.Width, size.Height, size.Phone);
            var page = portal.Page;
            await portal.SignInAsync(PortalFixture.Secretariat);
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Campaigns running" }).GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Monthly communication check" }))
                .ToContainTextAsync("1 of 2 acknowledged");
            await portal.ExpectHeadingAsync("Home");
            var coverage = page.GetByRole(AriaRole.Link).Filter(new() { HasText = "participants have nominated" });
            await Expect(coverage).ToBeInViewportAsync();
            await Expect(page.GetByRole(AriaRole.Link).Filter(new() { HasText = "Campaigns running" })).ToBeInViewportAsync();
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Undeliverable addresses in the last campaign" })).ToBeVisibleAsync();
            await portal.AssertFitsWidthAsync();
            await portal.ScreenshotAsync($"home-secretariat-{size.Name}", DocsScreenshots);

            await coverage.ClickAsync();
            await portal.ExpectHeadingAsync("Coverage");
            await portal.AssertCleanAsync();
        }

        await fixture.Api.Secretariat.PostAsync(new Uri($"api/campaigns/{campaignId}/cancel", UriKind.Relative), null);
    }

    [Fact]
    public async Task AccessibilityCheck_FailsOnAViolation()
    {
        // The check the other tests rely on can fail: an unlabelled field and an image without a text alternative.
        await using var portal = await fixture.OpenAsync();
        await portal.Page.GotoAsync("/");
        await portal.ExpectHeadingAsync("Sign in");
        await portal.Page.EvaluateAsync("() => document.querySelector('main').append(document.createElement('input'), document.createElement('img'))");
        var failure = await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => portal.AssertAccessibleAsync("deliberately broken"));
        Assert.Contains("image-alt", failure.Message, StringComparison.Ordinal);
        Assert.Contains("label", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectoryOnPhone_ResultsFirst_FiltersBehindOneButton_TheChoiceKeptInTheUrl()
    {
        var email = await fixture.Api.NewUserAsync("FocalPoint", "CHE");
        await using var portal = await fixture.OpenAsync(390, 844, isMobile: true);
        var page = portal.Page;
        await portal.SignInAsync(email);
        await portal.GoToAsync("#/directory", "Directory");

        var search = page.GetByLabel("Name or organisation");
        var filter = page.GetByRole(AriaRole.Button, new() { Name = "Filter" });
        await Expect(search).ToBeHiddenAsync();
        await Expect(page.Locator(".poc-name").First).ToBeInViewportAsync();
        await Expect(filter).ToHaveAttributeAsync("aria-expanded", "false");
        await portal.AssertFitsWidthAsync();
        await portal.ScreenshotAsync("directory-phone-results-first");

        await filter.ClickAsync();
        await Expect(search).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#/directory\\?filters=open$"));
        await page.ReloadAsync();
        await portal.ExpectHeadingAsync("Directory");
        await Expect(search).ToBeVisibleAsync();
        await search.FillAsync("Müller");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        // After a search the results come first again, and the button says that a filter is set.
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "1 POC shown" })).ToBeVisibleAsync();
        await Expect(search).ToBeHiddenAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Filter (1 set)" })).ToBeVisibleAsync();
        await Expect(page.Locator(".poc-name", new() { HasText = "Anna Müller" })).ToBeInViewportAsync();
        await portal.AssertCleanAsync();
    }

    [Fact]
    public async Task FocalPoint_SeesNoPingBadgeOnOtherParticipantsPocs_WhileTheSecretariatDoes()
    {
        var other = await fixture.Api.NewParticipantAsync();
        var silent = $"Silent Responder {Guid.NewGuid().ToString("N")[..6]}";
        var pocId = await fixture.Api.CreatePocAsync(Pocs.Body(other, silent, Pocs.UniqueEmail("silent")));
        try
        {
            // A ping nobody answers: once the campaign is closed, the POC has missed its last ping.
            var (campaignId, _) = await fixture.Api.StartCampaignAsync($"Unanswered {other}", [other], "PT6S");
            await Wait.UntilAsync(
                async () => (await fixture.Api.GetCampaignAsync(campaignId))["status"]!.GetValue<string>() == "Completed",
                TimeSpan.FromSeconds(90), () => $"Campaign {campaignId} did not complete.");
            await Wait.UntilAsync(
                async () => (await fixture.Api.GetPocAsync(pocId)).Poc["missedPings"]?.GetValue<int>() == 1,
                TimeSpan.FromSeconds(30), () => $"POC {pocId} was not recorded as missing its ping.");

            var row = $"#/directory?participant={other}";
            await using (var secretariat = await fixture.OpenAsync())
            {
                await secretariat.SignInAsync(PortalFixture.Secretariat);
                await secretariat.GoToAsync(row, "Directory");
                await Expect(secretariat.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = silent })).ToContainTextAsync("Missed last ping");
            }

            var focalPoint = await fixture.Api.NewUserAsync("FocalPoint", "SGP");
            await using var portal = await fixture.OpenAsync();
            var page = portal.Page;
            await portal.SignInAsync(focalPoint);
            await portal.GoToAsync(row, "Directory");
            var pocRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = silent });
            await Expect(pocRow).ToHaveCountAsync(1);
            await Expect(pocRow.Locator(".badge--warn")).ToHaveCountAsync(0);
            await Expect(page.GetByText(new Regex("Missed (last|\\d+) ping"))).ToHaveCountAsync(0);
            await portal.GoToAsync($"#/participants/{other}", DirectoryApi.ParticipantName(other));
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = silent })).ToHaveCountAsync(1);
            await Expect(page.GetByText(new Regex("Missed (last|\\d+) ping"))).ToHaveCountAsync(0);
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(pocId);
        }
    }
}
