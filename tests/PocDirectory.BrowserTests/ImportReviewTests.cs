using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>Issue 18 items 7 and 8: a focal point reviews a regional list side by side and accepts one entry, at phone and desk width.</summary>
[Collection(PortalCollection.Name)]
public sealed class ImportReviewTests(PortalFixture fixture)
{
    [Theory]
    [InlineData("phone", 390, 844, true)]
    [InlineData("desk", 1280, 900, false)]
    public async Task ImportReview_FocalPointSeesIncomingBesideExisting_AcceptsTheNewEntry_OnlyItReachesTheDirectory(string size, int width, int height, bool phone)
    {
        var x = await fixture.Api.NewParticipantAsync();
        var email = Pocs.UniqueEmail("review");
        await fixture.Api.CreatePocAsync(Pocs.Body(x, "Amina Diallo", email));
        var id = await fixture.Api.ImportAsync("OSCE", new JsonArray(
            new JsonObject
            {
                ["country"] = x, ["representative"] = "Amina Diallo", ["position"] = "Deputy head", ["team_name"] = "National CERT", ["email"] = email,
                ["emergency_phone"] = "+41227917000", ["languages"] = "en", ["timezone"] = "Europe/Zurich", ["business_hours"] = "24/7",
            },
            new JsonObject
            {
                ["country"] = x, ["representative"] = "Boris Petrov", ["team_name"] = "National CERT", ["email"] = Pocs.UniqueEmail("newcomer"),
                ["languages"] = "en; ru", ["timezone"] = "Europe/Vienna", ["business_hours"] = "Mon,Tue,Wed,Thu,Fri 09:00-17:00",
            }));
        var focalPoint = await fixture.Api.NewUserAsync("FocalPoint", x);

        await using var portal = await fixture.OpenAsync(width, height, phone);
        var page = portal.Page;
        await portal.SignInAsync(focalPoint);
        await portal.GoToAsync("#/imports", "Regional directories’ lists");
        await page.GetByRole(AriaRole.Link, new() { Name = "OSCE" }).First.ClickAsync();
        await portal.ExpectHeadingAsync("Review: list from OSCE");

        var differing = page.Locator("section.import-entry").Filter(new() { HasText = "Entry 1:" });
        await Expect(differing).ToContainTextAsync("Differing");
        var position = differing.GetByRole(AriaRole.Row).Filter(new() { HasText = "Position" });
        await Expect(position).ToContainTextAsync("Deputy head");
        await Expect(position).ToContainTextAsync("Head of incident response");
        await portal.AssertFitsWidthAsync();
        await portal.ScreenshotAsync($"import-review-{size}");

        var fresh = page.Locator("section.import-entry").Filter(new() { HasText = "Entry 2:" });
        await Expect(fresh).ToContainTextAsync("New");
        await fresh.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();
        await Expect(fresh.GetByText("Accepted", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(fresh.GetByRole(AriaRole.Button, new() { Name = "Accept" })).ToHaveCountAsync(0);
        Assert.Equal(2, await fixture.Api.ActivePocCountAsync(x));
        var (existing, _) = await fixture.Api.GetPocAsync(await fixture.Api.PocIdByNameAsync(x, "Amina Diallo"));
        Assert.Equal("Head of incident response", existing["position"]!.GetValue<string>());
        await portal.AssertCleanAsync();
    }
}
