using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>The API reference page: Scalar renders the served OpenAPI document under the portal's Content-Security-Policy.</summary>
[Collection(PortalCollection.Name)]
public sealed class ApiReferenceTests(PortalFixture fixture)
{
    [Fact]
    public async Task ApiReference_SignedIn_ShowsEveryTagAndLoadsNothingFromElsewhere()
    {
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fixture.Runner.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(request.Url);
            }
        };
        await portal.SignInAsync(PortalFixture.Secretariat);

        await page.GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/reference/$"));
        // The vendored bundle is 4.3 MB of script; while the other test projects share the two cores, Chromium can take longer
        // than the usual 15 s to parse it and render.
        await Expect(page.GetByText("Global POC Directory API").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        var sidebar = page.GetByRole(AriaRole.Complementary, new() { Name = "Sidebar for Global POC Directory API" });
        foreach (var tag in new[] { "Acknowledgements", "Campaigns", "Audit", "Sign-in", "Export", "Health", "API description", "Participants", "POCs", "Roles" })
        {
            await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = tag, Exact = true })).ToBeVisibleAsync();
        }

        // A style, script, font or request the policy refused shows as a console error, which AssertCleanAsync reports.
        await portal.AssertCleanAsync();

        // Only the first tag starts open; a reader opens the others (their JSON examples may show null, as JSON does).
        await sidebar.GetByRole(AriaRole.Link, new() { Name = "Campaigns", Exact = true }).ClickAsync();
        await Expect(sidebar.GetByRole(AriaRole.Link, new() { Name = "Creates a ping campaign and starts it now or at startAt (Secretariat). HTTP Method: POST" })).ToBeVisibleAsync();
        await portal.ScreenshotAsync("api-reference");
        portal.AssertNoProblemsReported();
        Assert.Empty(elsewhere);
    }

    [Fact]
    public async Task ApiReference_SignedOut_SendsToTheSignIn()
    {
        await using var portal = await fixture.OpenAsync();
        await portal.Page.GotoAsync("/reference/");

        await Expect(portal.Page.GetByText("The API reference is for signed-in users.")).ToBeVisibleAsync();
        await Expect(portal.Page.GetByRole(AriaRole.Link, new() { Name = "Sign in to the portal, then open this page again." })).ToHaveAttributeAsync("href", "/");
        await portal.AssertCleanAsync();
    }
}
