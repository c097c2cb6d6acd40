using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>The directory pages: nominating a POC, searching, editing safely, and showing values as text.</summary>
[Collection(PortalCollection.Name)]
public sealed class DirectoryTests(PortalFixture fixture)
{
    [Fact]
    public async Task FocalPoint_AddsPocFixingBadPhoneNumber_FindsItInDirectorySearch()
    {
        var participant = await fixture.Api.NewParticipantAsync();
        var focalPoint = await fixture.Api.NewUserAsync("FocalPoint", participant);
        var name = $"Ada Lovelace {Guid.NewGuid().ToString("N")[..6]}";
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;

        var creates = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Method == "POST" && request.Url.EndsWith("/api/pocs", StringComparison.Ordinal))
            {
                creates.Add(request.Headers.GetValueOrDefault("idempotency-key") ?? "(none)");
            }
        };

        await portal.SignInAsync(focalPoint);
        await portal.ExpectHeadingAsync("Home");
        // Navigation follows the roles: a focal point has no Secretariat pages.
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Campaigns" })).ToHaveCountAsync(0);
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Directory" }).ClickAsync();
        await portal.ExpectHeadingAsync("Directory");

        await page.GetByRole(AriaRole.Link, new() { Name = "Add a POC" }).ClickAsync();
        await portal.ExpectHeadingAsync("Add a point of contact");
        await Expect(page.GetByLabel("Participant", new() { Exact = true })).ToHaveValueAsync(participant);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Technical" }).CheckAsync();
        await page.GetByLabel("Full name").FillAsync(name);
        await page.GetByLabel("Position").FillAsync("Head of the national CSIRT");
        await page.GetByLabel("Organisation", new() { Exact = true }).FillAsync("National CSIRT");
        await page.GetByLabel("Email addresses").FillAsync("duty@csirt.example.org");
        var phone = page.GetByLabel("Phone number 1");
        await phone.FillAsync("022 791 70 00");
        await page.GetByLabel("Working languages").FillAsync("en, fr");
        await page.GetByLabel("Time zone").FillAsync("Europe/Zurich");
        await portal.AssertControlsLabelledAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add POC" }).ClickAsync();

        // The server's ProblemDetails names phones[0].number; the message is shown beside that field and tied to it.
        await Expect(phone).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(phone).ToHaveAccessibleDescriptionAsync(new Regex("E\\.164"));
        await Expect(page.GetByRole(AriaRole.Alert).GetByRole(AriaRole.Heading, new() { Name = "Please correct the following" })).ToBeVisibleAsync();
        await portal.ScreenshotAsync("poc-form-field-error");

        await phone.FillAsync("+41227917000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add POC" }).ClickAsync();
        await portal.ExpectHeadingAsync(DirectoryApi.ParticipantName(participant));
        await Expect(page.GetByText($"{name} was added.")).ToBeVisibleAsync();

        // Each submission carries an Idempotency-Key; the corrected form is a new request, so it has a key of its own.
        Assert.Equal(2, creates.Count);
        Assert.All(creates, key => Assert.Matches("^\"[0-9a-f-]{36}\"$", key));
        Assert.NotEqual(creates[0], creates[1]);

        // "Confirm my details are current", from the participant's page.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Confirm that the details of {name} are current" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"the details of {name} are confirmed as current" })).ToBeVisibleAsync();

        await navigation.GetByRole(AriaRole.Link, new() { Name = "Directory" }).ClickAsync();
        await page.GetByLabel("Name or organisation").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("+41227917000");
        await Expect(row).ToContainTextAsync("National CSIRT");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "1 POC shown" })).ToBeVisibleAsync();
        await portal.AssertCleanAsync();

        var pocId = await fixture.Api.PocIdByNameAsync(participant, name);
        await fixture.Api.RetirePocAsync(pocId);
    }

    [Fact]
    public async Task PocNamedLikeMarkup_IsShownAsText_NothingRuns()
    {
        const string Name = "<img src=x onerror=alert(1)>";
        const string Organisation = "<script>alert(2)</script> Agency";
        var participant = await fixture.Api.NewParticipantAsync();
        var id = await fixture.Api.CreatePocAsync(Pocs.Body(participant, Name, Pocs.UniqueEmail("markup"), organisation: Organisation));
        try
        {
            await using var portal = await fixture.OpenAsync();
            var page = portal.Page;
            await portal.SignInAsync(PortalFixture.Secretariat);

            await portal.GoToAsync($"#/participants/{participant}", DirectoryApi.ParticipantName(participant));
            await Expect(page.GetByRole(AriaRole.Rowheader).GetByText(Name, new() { Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Cell).GetByText(Organisation, new() { Exact = true })).ToBeVisibleAsync();

            await portal.GoToAsync($"#/directory?q={Uri.EscapeDataString("<img")}", "Directory");
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = Name })).ToHaveCountAsync(1);

            await page.GetByRole(AriaRole.Link, new() { Name = $"Edit {Name}" }).ClickAsync();
            await portal.ExpectHeadingAsync($"Edit {Name}");
            await Expect(page.GetByLabel("Full name")).ToHaveValueAsync(Name);

            await portal.GoToAsync($"#/audit?entityId={id}", "Audit log");
            await page.GetByText(new Regex("^\\d+ fields$")).First.ClickAsync();
            await Expect(page.Locator(".changes__after").GetByText(Name, new() { Exact = true }).First).ToBeVisibleAsync();
            await portal.ScreenshotAsync("markup-shown-as-text");

            // Nothing was parsed as HTML: no image element exists (the portal uses none), no script ran, no dialog opened.
            Assert.Equal(0, await page.Locator("img").CountAsync());
            Assert.Equal(0, await page.Locator("main script").CountAsync());
            Assert.Empty(portal.Dialogs);
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(id);
        }
    }

    [Fact]
    public async Task StaleEdit_ServerAnswers412_ConflictExplainedAndReloadOffered_ThenRetire()
    {
        var participant = await fixture.Api.NewParticipantAsync();
        var id = await fixture.Api.CreatePocAsync(Pocs.Body(participant, "Grace Hopper", Pocs.UniqueEmail("grace")));
        try
        {
            await using var portal = await fixture.OpenAsync();
            var page = portal.Page;
            await portal.SignInAsync(PortalFixture.Secretariat);
            await portal.GoToAsync($"#/pocs/{id}/edit", "Edit Grace Hopper");
            await page.GetByLabel("Position").FillAsync("Deputy head of incident response");

            // Someone else saves a change after the form was opened: the form's version is now stale.
            await fixture.Api.ChangePocAsync(id, "organisation", "National CSIRT (renamed)");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

            var conflict = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Someone else changed this POC while you were editing" });
            await Expect(conflict).ToBeVisibleAsync();
            await Expect(conflict).ToContainTextAsync("Your changes were not saved");
            var reload = conflict.GetByRole(AriaRole.Button, new() { Name = "Reload the latest version" });
            await Expect(reload).ToBeFocusedAsync();
            await portal.ScreenshotAsync("poc-edit-conflict");

            await reload.ClickAsync();
            await Expect(page.GetByLabel("Organisation", new() { Exact = true })).ToHaveValueAsync("National CSIRT (renamed)");
            await Expect(page.GetByLabel("Position")).ToHaveValueAsync("Head of incident response");
            await page.GetByLabel("Position").FillAsync("Deputy head of incident response");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            await Expect(page.GetByText("The changes to Grace Hopper were saved.")).ToBeVisibleAsync();

            var (saved, _) = await fixture.Api.GetPocAsync(id);
            Assert.Equal("Deputy head of incident response", saved["position"]!.GetValue<string>());
            Assert.Equal("National CSIRT (renamed)", saved["organisation"]!.GetValue<string>());

            // Retire, confirmed in place (no browser dialog); the record stays, marked retired.
            await page.GetByRole(AriaRole.Link, new() { Name = "Edit Grace Hopper" }).ClickAsync();
            await portal.ExpectHeadingAsync("Edit Grace Hopper");
            await page.GetByRole(AriaRole.Button, new() { Name = "Retire this POC" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Yes, retire" }).ClickAsync();
            await Expect(page.GetByText("Grace Hopper was retired.")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Grace Hopper" })).ToContainTextAsync("Retired");
            await portal.AssertCleanAsync();
        }
        finally
        {
            await fixture.Api.RetirePocAsync(id);
        }
    }
}
