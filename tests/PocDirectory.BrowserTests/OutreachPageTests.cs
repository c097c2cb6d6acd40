using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>Issue 18 item 8: the outreach pages and the mission contacts on the participant page (Secretariat), at phone and desk width.</summary>
[Collection(PortalCollection.Name)]
public sealed class OutreachPageTests(PortalFixture fixture)
{
    private static readonly (string Name, int Width, int Height, bool Phone)[] Sizes = [("phone", 390, 844, true), ("desk", 1280, 900, false)];

    [Fact]
    public async Task Outreach_ListAndDetailShowEachParticipantWithWhatItLacks_TheNewFormIsLabelled_AtPhoneAndDeskSizes()
    {
        var x = await fixture.Api.NewParticipantAsync();
        await fixture.Api.PutMissionContactsAsync(x, $"mission-{Guid.NewGuid():N}@example.org");
        var (id, reference) = await fixture.Api.StartOutreachAsync(x);
        foreach (var size in Sizes)
        {
            await using var portal = await fixture.OpenAsync(size.Width, size.Height, size.Phone);
            var page = portal.Page;
            await portal.SignInAsync(PortalFixture.Secretariat);
            await portal.GoToAsync("#/outreach", "Outreach");
            await page.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
            await portal.ExpectHeadingAsync($"Outreach {reference}");
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = DirectoryApi.ParticipantName(x) });
            await Expect(row).ToContainTextAsync("No POC");
            await portal.AssertFitsWidthAsync();
            await portal.ScreenshotAsync($"outreach-{size.Name}");

            await portal.GoToAsync("#/outreach/new", "Write to participants that have not nominated");
            await Expect(page.GetByRole(AriaRole.Checkbox, new() { Name = "None yet" })).ToBeCheckedAsync();
            await portal.AssertControlsLabelledAsync();
            await portal.AssertFitsWidthAsync();
            await portal.AssertCleanAsync();
        }
    }

    [Fact]
    public async Task MissionContacts_SecretariatAddsOneOnTheParticipantPage_SavedAtTheVersionRead()
    {
        var x = await fixture.Api.NewParticipantAsync();
        var first = $"first-{Guid.NewGuid():N}@example.org";
        await fixture.Api.PutMissionContactsAsync(x, first);
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync(PortalFixture.Secretariat);
        await portal.GoToAsync($"#/participants/{x}", DirectoryApi.ParticipantName(x));

        var mission = page.GetByRole(AriaRole.Region, new() { Name = "Mission contacts" });
        await Expect(mission.GetByRole(AriaRole.Group, new() { Name = "Contact 1" }).GetByLabel("Email address")).ToHaveValueAsync(first);
        await mission.GetByRole(AriaRole.Button, new() { Name = "Add a contact" }).ClickAsync();
        var second = mission.GetByRole(AriaRole.Group, new() { Name = "Contact 2" });
        var added = $"second-{Guid.NewGuid():N}@example.org";
        await second.GetByLabel("Name").FillAsync("Second Secretary");
        await second.GetByLabel("Email address").FillAsync(added);
        await portal.AssertControlsLabelledAsync();
        await mission.GetByRole(AriaRole.Button, new() { Name = "Save mission contacts" }).ClickAsync();
        await Expect(mission.GetByText("Mission contacts saved.")).ToBeVisibleAsync();
        Assert.Equal([first, added], (await fixture.Api.MissionContactsAsync(x)).Select(c => c!["email"]!.GetValue<string>()));

        // Saved again at the version the page now holds: no stale-version error.
        await second.GetByLabel("Phone").FillAsync("+41227001234");
        await mission.GetByRole(AriaRole.Button, new() { Name = "Save mission contacts" }).ClickAsync();
        await PocDirectory.TestSupport.Wait.UntilAsync(
            async () => (await fixture.Api.MissionContactsAsync(x))[1]!["phone"]?.GetValue<string>() == "+41227001234",
            TimeSpan.FromSeconds(30), () => "The second save did not store the phone number.");
        await portal.ScreenshotAsync("participant-mission");
        await portal.AssertCleanAsync();
    }
}
