using System.Text.RegularExpressions;
using Microsoft.Playwright;
using PocDirectory.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>Meetings in the portal: the Secretariat creates one with its agenda and invites; the invitee answers on the phone page /rsvp/{token}.</summary>
[Collection(PortalCollection.Name)]
public sealed partial class MeetingTests(PortalFixture fixture)
{
    [Fact]
    public async Task Secretariat_CreatesMeetingWithTwoAgendaItems_Invites_AndSeesTheAnswerGivenOnThePhonePage()
    {
        var participant = await fixture.Api.NewParticipantAsync();
        var email = Pocs.UniqueEmail("meeting");
        var pocId = await fixture.Api.CreatePocAsync(Pocs.Body(participant, "Grace Hopper", email));
        try
        {
            await using var portal = await fixture.OpenAsync();
            var page = portal.Page;
            await portal.SignInAsync(PortalFixture.Secretariat);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Meetings" }).ClickAsync();
            await portal.ExpectHeadingAsync("Meetings");
            await page.GetByRole(AriaRole.Link, new() { Name = "New meeting" }).ClickAsync();
            await portal.ExpectHeadingAsync("New meeting");

            var year = DateTime.UtcNow.Year + 1;
            var title = $"Browser meeting {participant}";
            await page.GetByLabel("Title").FillAsync(title);
            await page.GetByLabel("Start", new() { Exact = true }).FillAsync($"{year}-05-10T10:00");
            await page.GetByLabel("End", new() { Exact = true }).FillAsync($"{year}-05-10T13:00");
            await page.GetByLabel("Invited participants").FillAsync(participant);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add an agenda item" }).ClickAsync();
            string[][] agenda = [["10:00", "10:30", "Opening remarks"], ["10:30", "13:00", "Reflections from States"]];
            for (var i = 0; i < agenda.Length; i++)
            {
                await page.GetByLabel("From", new() { Exact = true }).Nth(i).FillAsync(agenda[i][0]);
                await page.GetByLabel("To", new() { Exact = true }).Nth(i).FillAsync(agenda[i][1]);
                await page.GetByLabel("Item", new() { Exact = true }).Nth(i).FillAsync(agenda[i][2]);
            }

            await portal.AssertControlsLabelledAsync();
            await portal.ScreenshotAsync("meeting-new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create the meeting" }).ClickAsync();
            await portal.ExpectHeadingAsync(title);
            await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Reflections from States" })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Send invitations" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invitations are on their way to everyone in scope not invited yet." })).ToBeVisibleAsync();
            var link = await RsvpLinkAsync(email);

            // The invitee answers on the phone page the invitation links to.
            await using (var phone = await fixture.OpenAsync(390, 844, isMobile: true))
            {
                await phone.Page.GotoAsync(link);
                await phone.ExpectHeadingAsync("Register for a meeting");
                await Expect(phone.Page.GetByText(title)).ToBeVisibleAsync();
                await phone.AssertFitsWidthAsync();
                await phone.ScreenshotAsync("rsvp-phone");
                await phone.Page.GetByRole(AriaRole.Button, new() { Name = "I will attend online" }).ClickAsync();
                await Expect(phone.Page.GetByRole(AriaRole.Heading, new() { Name = "Thank you: your answer is recorded" })).ToBeVisibleAsync();
                await phone.AssertFitsWidthAsync();
                await phone.AssertCleanAsync();
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Grace Hopper" });
            await Expect(row).ToContainTextAsync("I will attend online");
            await portal.ScreenshotAsync("meeting-registrations");
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(pocId);
        }
    }

    private async Task<string> RsvpLinkAsync(string address)
    {
        string? link = null;
        await Wait.UntilAsync(() =>
        {
            var message = fixture.Smtp.Messages.FirstOrDefault(m =>
                m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase))
                && (m.Subject ?? string.Empty).StartsWith("Invitation:", StringComparison.Ordinal));
            link = message is null ? null : RsvpLink().Match(message.TextBody ?? string.Empty).Value;
            return Task.FromResult(!string.IsNullOrEmpty(link));
        }, TimeSpan.FromSeconds(60), () => $"No invitation for {address} arrived");
        return link!;
    }

    [GeneratedRegex(@"https?://[^\s/]+/rsvp/[A-Za-z0-9_\-]+")]
    private static partial Regex RsvpLink();
}
