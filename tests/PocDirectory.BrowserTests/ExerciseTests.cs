using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PocDirectory.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>
/// The exercise pages (issue 17, item 7) with the POC home's inject (issue 21): the Secretariat creates an exercise in
/// the editor, dry-runs it to the controller and starts it; the player finds the inject on its home marked EXERCISE and
/// answers it on the link page; the live view and the report show that answer. Every page is checked with axe.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ExerciseTests(PortalFixture fixture)
{
    [Fact]
    public async Task Exercise_CreatedInTheEditor_DryRunThenStart_PlayerAnswersFromItsHome_LiveViewAndReportShowIt()
    {
        var player = await fixture.Api.NewParticipantAsync();
        var playerEmail = Pocs.UniqueEmail("player");
        var pocId = await fixture.Api.CreatePocAsync(Pocs.Body(player, "Erin Player", playerEmail));
        var pocUser = await fixture.Api.NewUserAsync("Poc", pocId: pocId);
        var controller = $"control-{Guid.NewGuid():N}@example.org";
        var name = $"Browser comcheck {player}";
        string? id = null;
        try
        {
            await using (var portal = await fixture.OpenAsync())
            {
                var page = portal.Page;
                await portal.SignInAsync(PortalFixture.Secretariat);
                await portal.GoToAsync("#/exercises/new", "New exercise");
                await page.GetByLabel(new Regex("^The exercise")).FillAsync(new JsonObject
                {
                    ["name"] = name,
                    ["description"] = "One inject, one player.",
                    ["players"] = new JsonObject { ["participants"] = new JsonArray(player), ["regions"] = new JsonArray(), ["kinds"] = new JsonArray() },
                    ["controllers"] = new JsonArray(controller),
                    ["injects"] = new JsonArray(new JsonObject
                    {
                        ["at"] = "PT0S", ["title"] = "Browser inject", ["message"] = "Please acknowledge this inject.", ["expects"] = "Acknowledge",
                        ["contactParticipant"] = null, ["respondWithin"] = "PT10M", ["to"] = "AllPlayers", ["participants"] = new JsonArray(),
                    }),
                }.ToJsonString());
                await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Inject timeline" }).First).ToContainTextAsync("Browser inject");
                await portal.AssertAccessibleAsync("exercise-editor");
                await page.GetByRole(AriaRole.Button, new() { Name = "Create draft" }).ClickAsync();
                await portal.ExpectHeadingAsync($"[EXERCISE] {name}");
                id = Regex.Match(page.Url, "#/exercises/([A-Za-z0-9]+)").Groups[1].Value;
                await Expect(page.Locator(".details .badge")).ToHaveTextAsync("Draft");

                // The dry run reaches the controller only.
                await page.GetByRole(AriaRole.Button, new() { Name = "Dry run to the controllers" }).ClickAsync();
                await Wait.UntilAsync(() => Task.FromResult(fixture.Smtp.Messages.Any(m => To(m, controller))), TimeSpan.FromSeconds(60), () => "The dry run never reached the controller.");
                Assert.DoesNotContain(fixture.Smtp.Messages, m => To(m, playerEmail));
                await portal.AssertAccessibleAsync("exercise-draft");

                await page.GetByRole(AriaRole.Button, new() { Name = "Start", Exact = true }).ClickAsync();
                await Expect(page.Locator(".details .badge")).ToHaveTextAsync("Running");
                await portal.AssertCleanAsync();
            }

            // The player's inject waits on its home, marked EXERCISE, one click from the link page that answers it.
            await using (var phone = await fixture.OpenAsync(390, 844, isMobile: true))
            {
                var page = phone.Page;
                await Wait.UntilAsync(() => Task.FromResult(fixture.Smtp.Messages.Any(m => To(m, playerEmail))), TimeSpan.FromSeconds(60), () => "The inject never reached the player.");
                await phone.SignInAsync(pocUser);
                await phone.ExpectHeadingAsync("Home");
                var waiting = page.GetByRole(AriaRole.Region, new() { Name = "Waiting for you" });
                var item = waiting.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "Browser inject" });
                await Expect(item).ToContainTextAsync("EXERCISE");
                var answer = item.GetByRole(AriaRole.Link, new() { Name = "Answer the exercise inject “Browser inject”" });
                await Expect(answer).ToBeInViewportAsync();
                await phone.AssertFitsWidthAsync();
                await phone.ScreenshotAsync("home-poc-exercise-inject-phone");
                await answer.ClickAsync();
                await phone.ExpectHeadingAsync("Exercise inject");
                await Expect(page.GetByText("EXERCISE EXERCISE EXERCISE: this is a simulation")).ToBeVisibleAsync();
                await Expect(page.GetByText("Please acknowledge this inject.")).ToBeVisibleAsync();
                await page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Thank you: your answer is recorded" })).ToBeFocusedAsync();
                await phone.AssertCleanAsync();
            }

            // The live view and the report show the answer, in time.
            await using (var portal = await fixture.OpenAsync())
            {
                var page = portal.Page;
                await portal.SignInAsync(PortalFixture.Secretariat);
                await portal.GoToAsync($"#/exercises/{id}", $"[EXERCISE] {name}");
                var live = page.GetByRole(AriaRole.Region, new() { Name = "What was sent, who answered" });
                await Expect(live.GetByRole(AriaRole.Row).Filter(new() { HasText = player })).ToContainTextAsync("Yes");
                await portal.AssertAccessibleAsync("exercise-live");
                await page.GetByRole(AriaRole.Link, new() { Name = "After-action report" }).ClickAsync();
                await portal.ExpectHeadingAsync($"[EXERCISE] {name}: After-action report");
                await Expect(page.GetByRole(AriaRole.Region, new() { Name = "By participant" }).GetByRole(AriaRole.Row).Filter(new() { HasText = player })).ToContainTextAsync("100");
                await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Timeline" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Browser inject" })).ToBeVisibleAsync();
                await Expect(page.GetByRole(AriaRole.Img, new() { NameRegex = new Regex("^Time taken per inject and participant") })).ToBeVisibleAsync();
                await portal.ScreenshotAsync("exercise-report");
                await portal.AssertCleanAsync();
            }
        }
        finally
        {
            if (!string.IsNullOrEmpty(id))
            {
                using var end = await fixture.Api.Secretariat.PostAsync(new Uri($"api/exercises/{id}/end", UriKind.Relative), null);
            }

            await fixture.Api.RetirePocAsync(pocId);
        }
    }

    private static bool To(MimeKit.MimeMessage message, string address)
        => message.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase));
}
