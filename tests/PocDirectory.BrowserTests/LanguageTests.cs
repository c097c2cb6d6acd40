using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>
/// Issue 19 item 2: the portal in the six UN languages. The switcher in the header reloads the page in the language
/// chosen, which is remembered for the signed-in user; Arabic is right-to-left; dates and numbers follow the language.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class LanguageTests(PortalFixture fixture)
{
    [Fact]
    public async Task SwitchedToArabic_ThePortalIsRightToLeftWithArabicLabels_SurvivesAReload_AndPassesAxe()
    {
        var email = await fixture.Api.NewUserAsync("FocalPoint", "SGP");
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await portal.SignInAsync(email);
        await portal.ExpectHeadingAsync("Home");
        var html = page.Locator("html");
        await Expect(html).ToHaveAttributeAsync("dir", "ltr");

        await Switcher(page).SelectOptionAsync("ar");

        await ExpectArabicAsync(portal, email);
        await portal.AssertCleanAsync();

        await page.ReloadAsync();
        await ExpectArabicAsync(portal, email);

        // Another page, with its table, filters and dates, in Arabic: still right-to-left and accessible.
        await page.GotoAsync("/#/directory");
        await portal.ExpectHeadingAsync("الدليل");
        await Expect(html).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "بحث", Exact = true })).ToBeVisibleAsync();
        // Arabic dates read day/month/year with the Arabic afternoon marker; digits stay Latin, as in references and phones.
        var date = await FormatAsync(page, "formatDateTime('2027-05-10T14:00:00Z')");
        Assert.Contains("2027", date, StringComparison.Ordinal);
        Assert.Contains("م", date, StringComparison.Ordinal);
        Assert.DoesNotMatch("[٠-٩]", date + await FormatAsync(page, "formatNumber(12345)"));
        await portal.AssertCleanAsync();
    }

    [Fact]
    public async Task TheChoiceIsRememberedPerUser_AndFrenchFormatsDatesAndNumbersTheFrenchWay()
    {
        var ana = await fixture.Api.NewUserAsync("FocalPoint", "SGP");
        var ben = await fixture.Api.NewUserAsync("FocalPoint", "SGP");
        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        var html = page.Locator("html");

        // Ana chooses French: the page reloads in it, left-to-right, with French dates and numbers.
        await portal.SignInAsync(ana);
        await Switcher(page).SelectOptionAsync("fr");
        await portal.ExpectHeadingAsync("Accueil");
        await Expect(html).ToHaveAttributeAsync("lang", "fr");
        await Expect(html).ToHaveAttributeAsync("dir", "ltr");
        await Expect(page.GetByText($"Connecté en tant que {ana}")).ToBeVisibleAsync();
        Assert.Equal("12\u202F345", await FormatAsync(page, "formatNumber(12345)"));
        Assert.Contains("10 mai 2027", await FormatAsync(page, "formatDateTime('2027-05-10T14:00:00Z')"), StringComparison.Ordinal);
        Assert.Equal("3 jours", await FormatAsync(page, "formatSeconds(3 * 86400)"));
        await portal.AssertCleanAsync();

        // Signed out, the browser keeps its last choice; on the sign-in page someone picks Spanish.
        await page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" }).ClickAsync();
        await portal.ExpectHeadingAsync("Connexion");
        await Switcher(page).SelectOptionAsync("es");
        await portal.ExpectHeadingAsync("Iniciar sesión");

        // Ben has chosen nothing: he keeps the language shown. Ana, signing in again, gets her French back.
        await SignInAsync(page, ben, "Correo electrónico", "Iniciar sesión");
        await portal.ExpectHeadingAsync("Inicio");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cerrar sesión" }).ClickAsync();
        await SignInAsync(page, ana, "Correo electrónico", "Iniciar sesión");
        await portal.ExpectHeadingAsync("Accueil");
        await Expect(Switcher(page)).ToHaveValueAsync("fr");
        portal.AssertNoProblemsReported();
    }

    private static ILocator Switcher(IPage page) => page.GetByRole(AriaRole.Banner).GetByLabel(new System.Text.RegularExpressions.Regex("^(Language|اللغة|Langue|Idioma)$"));

    private static async Task ExpectArabicAsync(PortalSession portal, string email)
    {
        var page = portal.Page;
        await portal.ExpectHeadingAsync("الرئيسية");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ar");
        await Expect(page.GetByText($"تم تسجيل الدخول باسم {email}")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "الدليل", Exact = true })).ToBeVisibleAsync();
        await Expect(Switcher(page)).ToHaveValueAsync("ar");

        // Mirrored: the brand, first in the header, stands at its right-hand side.
        var brand = await page.Locator(".brand").BoundingBoxAsync();
        var user = await page.Locator(".user").BoundingBoxAsync();
        Assert.True(brand!.X > user!.X, $"The brand is at x={brand.X}, left of the user block at x={user.X}: the header is not right-to-left.");
    }

    private static async Task SignInAsync(IPage page, string email, string label, string button)
    {
        await page.GetByLabel(label).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
    }

    /// <summary>The portal's own formatting (js/format.js), in the language the page is in.</summary>
    private static Task<string> FormatAsync(IPage page, string call)
        => page.EvaluateAsync<string>($"async () => {{ const {{ formatDateTime, formatNumber, formatSeconds }} = await import('/js/format.js'); return {call}; }}");
}
