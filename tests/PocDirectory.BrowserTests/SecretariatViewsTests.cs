using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>The Secretariat's pages render with the sample data, by keyboard and at phone width; each is photographed.</summary>
[Collection(PortalCollection.Name)]
public sealed class SecretariatViewsTests(PortalFixture fixture)
{
    [Fact]
    public async Task Secretariat_SignsInByKeyboard_PagesRenderAndArePhotographed()
    {
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;

        // Keyboard only: the skip link comes first and jumps to the page's content, the sign-in form; Enter submits.
        await page.GotoAsync("/");
        await portal.ExpectHeadingAsync("Sign in");
        await portal.ScreenshotAsync("sign-in");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Main)).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Email address")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(PortalFixture.Secretariat);
        var me = await page.RunAndWaitForRequestAsync(() => page.Keyboard.PressAsync("Enter"), request => request.Url.EndsWith("/api/me", StringComparison.Ordinal));
        await portal.ExpectHeadingAsync("Home");
        // The token also travels in X-Poc-Authorization, which Azure Static Web Apps forwards to the API unchanged.
        Assert.StartsWith("Bearer ", me.Headers["x-poc-authorization"], StringComparison.Ordinal);
        Assert.Equal(me.Headers["authorization"], me.Headers["x-poc-authorization"]);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Home", Level = 1 })).ToBeFocusedAsync();
        await portal.GoToAsync("#/directory", "Directory");

        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Anna Müller" })).ToContainTextAsync("Switzerland");
        await portal.AssertControlsLabelledAsync();
        await portal.ScreenshotAsync("directory");

        await portal.GoToAsync("#/participants/SGP", "Singapore");
        await Expect(page.GetByText("Both kinds").First).ToBeVisibleAsync();
        await portal.ScreenshotAsync("participant");

        await portal.GoToAsync("#/participants?region=AsiaPacific", "Participants");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Japan" })).ToBeVisibleAsync();

        await portal.GoToAsync("#/coverage", "Coverage");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Nomination status by region" })).ToBeVisibleAsync();
        var asiaPacific = page.GetByRole(AriaRole.Table, new() { Name = "Nominations by region" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Asia-Pacific States" });
        await Expect(asiaPacific).ToContainTextAsync("2"); // Singapore (both kinds) and Japan (technical only).
        await portal.AssertControlsLabelledAsync();
        await portal.ScreenshotAsync("coverage");

        await portal.GoToAsync("#/campaigns", "Campaigns");
        await portal.ScreenshotAsync("campaigns");

        await portal.GoToAsync("#/audit?entityType=Poc", "Audit log");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "POC added" }).First).ToBeVisibleAsync();
        await portal.AssertControlsLabelledAsync();
        await portal.ScreenshotAsync("audit");

        await portal.GoToAsync("#/roles", "Roles");
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = PortalFixture.Secretariat }).First).ToBeVisibleAsync();
        await portal.AssertControlsLabelledAsync();
        await portal.ScreenshotAsync("roles");

        // At phone width nothing scrolls sideways except inside the scrollable tables.
        await page.SetViewportSizeAsync(360, 780);
        await portal.GoToAsync("#/directory", "Directory");
        await portal.AssertFitsWidthAsync();
        await portal.ScreenshotAsync("directory-phone");
        await portal.AssertCleanAsync();
    }

    [Fact]
    public async Task Secretariat_GivesFocalPointRole_ItIsListedAndCanBeRemoved()
    {
        var email = $"focal-{Guid.NewGuid():N}@example.org";
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync(PortalFixture.Secretariat);
        await portal.GoToAsync("#/roles", "Roles");

        var form = page.GetByRole(AriaRole.Region, new() { Name = "Give a role" });
        await form.GetByLabel("Email address").FillAsync(email);
        await form.GetByLabel("Role").SelectOptionAsync("FocalPoint");
        await form.GetByLabel("Participant").SelectOptionAsync("EST");
        await form.GetByRole(AriaRole.Button, new() { Name = "Give role" }).ClickAsync();
        await Expect(page.GetByText($"{email} is now Focal point.")).ToBeVisibleAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = email });
        await Expect(row).ToContainTextAsync("EST");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Remove Focal point role of {email}" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Yes, remove" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = email })).ToHaveCountAsync(0);
        await portal.AssertCleanAsync();
    }
}
