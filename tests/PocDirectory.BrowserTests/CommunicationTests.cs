using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>
/// Communications in the portal (issue 15): ISL's focal point composes and sends, NOR's POC finds it in the inbox on a
/// phone, acknowledges and replies; the Secretariat sees metadata and statistics, never a subject or body.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class CommunicationTests(PortalFixture fixture)
{
    [Fact]
    public async Task FocalPointComposesAndSends_NorPocAcknowledgesAndRepliesOnAPhone()
    {
        var norEmail = Pocs.UniqueEmail("kari");
        var norPocId = await fixture.Api.CreatePocAsync(Pocs.Body("NOR", "Kari Nordmann", norEmail, timeZone: "Europe/Oslo"));
        var islFocalPoint = await fixture.Api.NewUserAsync("FocalPoint", "ISL");
        var norPoc = await fixture.Api.NewUserAsync("Poc", pocId: norPocId);
        var subject = $"Scanning from your address space {Guid.NewGuid():N}"[..48];
        try
        {
            await using var isl = await fixture.OpenAsync();
            var page = isl.Page;
            await isl.SignInAsync(islFocalPoint);
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Communications", Exact = true }).ClickAsync();
            await isl.ExpectHeadingAsync("Communications");
            await page.GetByRole(AriaRole.Link, new() { Name = "New communication" }).ClickAsync();
            await isl.ExpectHeadingAsync("New communication");

            // The portal's own checks first, at their fields; nothing is sent.
            await page.GetByRole(AriaRole.Button, new() { Name = "Send communication" }).ClickAsync();
            await Expect(page.Locator("[data-key='to'] .field__error")).ToHaveTextAsync("Choose the participant to send to.");
            await Expect(page.Locator("[data-key='body'] .field__error")).ToHaveTextAsync("Write the message.");
            await page.GetByLabel("To participant").SelectOptionAsync("ISL");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send communication" }).ClickAsync();
            await Expect(page.Locator("[data-key='to'] .field__error")).ToHaveTextAsync("A communication goes to another participant than your own.");

            // The template: urgency presets the respond-by.
            await page.GetByLabel("To participant").SelectOptionAsync("NOR");
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Technical" }).CheckAsync();
            await page.GetByLabel("Type", new() { Exact = true }).SelectOptionAsync("RequestForAssistance");
            await Expect(page.GetByLabel("Respond by")).ToHaveValueAsync("PT72H");
            await page.GetByRole(AriaRole.Radio, new() { Name = "Urgent" }).CheckAsync();
            await Expect(page.GetByLabel("Respond by")).ToHaveValueAsync("PT2H");
            await page.GetByLabel("Subject").FillAsync(subject);

            // A body over the API's limit (2,000 here) passes the portal's own check and comes back at its field.
            await page.GetByLabel("Message", new() { Exact = true }).FillAsync(new string('x', 2001));
            await page.GetByRole(AriaRole.Button, new() { Name = "Send communication" }).ClickAsync();
            await Expect(page.Locator("[data-key='body'] .field__error")).ToContainTextAsync("2000");
            await Expect(page.Locator("[data-key='body'] textarea")).ToHaveAttributeAsync("aria-invalid", "true");
            Assert.Empty(await InboxAsync(norPoc));

            await page.GetByLabel("Message", new() { Exact = true }).FillAsync("We see scanning of our government networks from 192.0.2.0/24 since 04:00 UTC.\nCan you help identify the source?");
            await isl.AssertControlsLabelledAsync();
            await isl.ScreenshotAsync("communication-new");
            await page.GetByRole(AriaRole.Button, new() { Name = "Send communication" }).ClickAsync();
            await isl.ExpectHeadingAsync(subject);
            await Expect(page.GetByText(new System.Text.RegularExpressions.Regex("^Communication COM-.+ was sent\\.$"))).ToBeVisibleAsync();
            var id = page.Url[(page.Url.LastIndexOf('/') + 1)..];
            var communication = await fixture.Api.Secretariat.GetFromJsonAsync<JsonObject>($"api/communications/{id}");
            var reference = communication!["reference"]!.GetValue<string>();
            Assert.Equal("Urgent", communication["urgency"]!.GetValue<string>());
            Assert.Equal("RequestForAssistance", communication["type"]!.GetValue<string>());
            Assert.Equal(["Technical"], communication["kinds"]!.AsArray().Select(k => k!.GetValue<string>()));
            await isl.AssertCleanAsync();

            // The NOR POC, on a phone: the email arrived, the inbox has it, the thread takes an acknowledgement and a reply.
            await DirectoryApi.AcknowledgementLinkAsync(fixture.Smtp, norEmail, reference);
            await using var nor = await fixture.OpenAsync(390, 844, isMobile: true);
            await nor.SignInAsync(norPoc);
            await nor.GoToAsync("#/communications", "Communications");
            await Expect(nor.Page.GetByRole(AriaRole.Link, new() { Name = "Inbox" })).ToHaveAttributeAsync("aria-current", "page");
            var card = nor.Page.Locator(".message-card").Filter(new() { HasText = subject });
            await Expect(card).ToContainTextAsync("Urgent");
            await nor.AssertFitsWidthAsync();
            await nor.ScreenshotAsync("communication-inbox-phone");
            await card.GetByRole(AriaRole.Link, new() { Name = subject }).ClickAsync();
            await nor.ExpectHeadingAsync(subject);
            await Expect(nor.Page.GetByText("Can you help identify the source?")).ToBeVisibleAsync();
            await nor.Page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge receipt" }).ClickAsync();
            await Expect(nor.Page.Locator(".alert--success")).ToContainTextAsync("You acknowledged receipt.");
            await Expect(nor.Page.GetByRole(AriaRole.Button, new() { Name = "Acknowledge receipt" })).ToHaveCountAsync(0);
            await Expect(nor.Page.GetByText(new System.Text.RegularExpressions.Regex("^Kari Nordmann, "))).ToBeVisibleAsync();

            await nor.Page.GetByLabel("Your reply").FillAsync("The host is ours; we have taken it offline.");
            await nor.Page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(nor.Page.Locator(".alert--success")).ToContainTextAsync("Your reply was sent.");
            await Expect(nor.Page.Locator(".reply")).ToContainTextAsync("The host is ours; we have taken it offline.");
            await nor.AssertFitsWidthAsync();
            await nor.ScreenshotAsync("communication-thread-phone");
            await nor.AssertCleanAsync();

            // ISL sees who acknowledged and the reply; it closes the thread.
            await page.ReloadAsync();
            await isl.ExpectHeadingAsync(subject);
            await Expect(page.GetByText(new System.Text.RegularExpressions.Regex("^Kari Nordmann, "))).ToBeVisibleAsync();
            await Expect(page.Locator(".reply")).ToContainTextAsync("taken it offline");
            await page.GetByLabel("Your reply").FillAsync("Thank you, closing.");
            await page.GetByLabel("Close the thread with this reply").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
            await Expect(page.Locator(".alert--success")).ToContainTextAsync("the thread is closed");
            await Expect(page.GetByLabel("Your reply")).ToHaveCountAsync(0);
            await Expect(page.Locator(".badges").First).ToContainTextAsync("Closed");
            await isl.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(norPocId);
        }
    }

    [Fact]
    public async Task SecretariatStatisticsAndList_ShowCountsAndNoSubjectOrBody()
    {
        var receiving = await fixture.Api.NewParticipantAsync();
        var pocId = await fixture.Api.CreatePocAsync(Pocs.Body(receiving, "Grace Hopper", Pocs.UniqueEmail("grace")));
        var sender = await fixture.Api.NewParticipantAsync();
        var senderFocalPoint = await fixture.Api.NewUserAsync("FocalPoint", sender);
        var subject = $"Confidential subject {Guid.NewGuid():N}";
        var body = $"Confidential body {Guid.NewGuid():N}";
        try
        {
            using (var client = await fixture.Runner.ClientForAsync(senderFocalPoint))
            using (var sent = await client.PostAsJsonAsync("api/communications", new { to = receiving, type = "IncidentNotification", urgency = "Priority", subject, body, respondBy = "PT24H" }))
            {
                Assert.True(sent.StatusCode == HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
            }

            await using var portal = await fixture.OpenAsync(390, 844, isMobile: true);
            var page = portal.Page;
            await portal.SignInAsync(PortalFixture.Secretariat);
            await portal.GoToAsync("#/communications", "Communications");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "All (metadata)" })).ToHaveAttributeAsync("aria-current", "page");
            var card = page.Locator(".message-card").Filter(new() { HasText = DirectoryApi.ParticipantName(receiving) });
            await Expect(card).ToContainTextAsync("Incident notification");
            await card.GetByRole(AriaRole.Link).ClickAsync();
            await Expect(page.GetByText("Metadata only", new() { Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Your reply")).ToHaveCountAsync(0);
            await AssertNoContentAsync(page, subject, body);

            await portal.GoToAsync("#/communications/stats", "Communication statistics");
            await Expect(Card(page, "Communications")).Not.ToHaveTextAsync("0");
            await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Communications by urgency" })).ToBeVisibleAsync();
            var byParticipant = page.GetByRole(AriaRole.Table, new() { Name = "By receiving participant" });
            await Expect(byParticipant.GetByRole(AriaRole.Row).Filter(new() { HasText = receiving }).GetByRole(AriaRole.Cell).First).ToHaveTextAsync("1");
            await AssertNoContentAsync(page, subject, body);
            await portal.AssertFitsWidthAsync();
            await portal.ScreenshotAsync("communication-stats-phone");

            // The compose form on the phone: the Secretariat sends on its own behalf; the checks show at their fields.
            await portal.GoToAsync("#/communications/new", "New communication");
            await Expect(page.GetByLabel("Send for")).ToHaveCountAsync(0);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send communication" }).ClickAsync();
            await Expect(page.Locator("[data-key='subject'] .field__error")).ToHaveTextAsync("Write a short subject.");
            await portal.AssertFitsWidthAsync();
            await portal.AssertControlsLabelledAsync();
            await portal.ScreenshotAsync("communication-new-phone");
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(pocId);
        }
    }

    private static async Task AssertNoContentAsync(IPage page, string subject, string body)
    {
        var text = await page.InnerTextAsync("body");
        Assert.DoesNotContain(subject, text, StringComparison.Ordinal);
        Assert.DoesNotContain(body, text, StringComparison.Ordinal);
    }

    private async Task<JsonArray> InboxAsync(string email)
    {
        using var client = await fixture.Runner.ClientForAsync(email);
        return (await client.GetFromJsonAsync<JsonObject>("api/communications?box=inbox"))!["items"]!.AsArray();
    }

    private static ILocator Card(IPage page, string label)
        => page.Locator(".card").Filter(new() { Has = page.Locator(".card__label", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^{System.Text.RegularExpressions.Regex.Escape(label)}$") }) }).Locator(".card__value");
}
