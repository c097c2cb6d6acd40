using Microsoft.Playwright;
using PocDirectory.Demo;
using PocDirectory.TestSupport;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>A test that runs only when POCDIR_SCREENSHOTS=1: it rewrites files under docs/, which a normal run must not touch.</summary>
public sealed class ScreenshotFactAttribute : FactAttribute
{
    public ScreenshotFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("POCDIR_SCREENSHOTS") != "1")
        {
            Skip = "Makes the README's screenshots from the demo data; opt in with POCDIR_SCREENSHOTS=1.";
        }
    }
}

/// <summary>
/// The README's screenshots of the directory, a campaign report, a meeting, a communication thread and an exercise
/// report, taken from the demo data (./run.sh --demo's) on a stack of its own, into docs/screenshots. The homes'
/// screenshots are HomeTests' and stay as they are.
/// </summary>
public sealed class DemoScreenshotTests(ITestOutputHelper output)
{
    private static string DocsScreenshots => Path.Combine(RepoPaths.Root, "docs", "screenshots");

    [ScreenshotFact]
    public async Task DemoData_PagesOfTheReadme_AreScreenshotInDocs()
    {
        await using var stack = await LocalStack.StartAsync(settings =>
        {
            settings["Runner:Durable:Backend"] = "InMemory";
            settings["Runner:PortalPath"] = Path.Combine(RepoPaths.Root, "portal");
        });
        using (var api = new DemoApi(stack.Runner.BaseAddress))
        {
            await new DemoSeeder(api, new SmtpMailbox(stack.Smtp), new DemoSettings("PT20S"), output.WriteLine).RunAsync(CancellationToken.None);
        }

        using var secretariat = await stack.Runner.ClientForAsync(DemoSeeder.Secretariat);
        var campaign = (await DemoApi.ListAsync(secretariat, "api/campaigns", CancellationToken.None)).Single();
        var meeting = (await DemoApi.ListAsync(secretariat, "api/meetings", CancellationToken.None)).Single();
        var exercise = (await DemoApi.ListAsync(secretariat, "api/exercises", CancellationToken.None)).Single();
        using var sender = await stack.Runner.ClientForAsync(DemoSeeder.SenderFocalPoint);
        var communication = (await DemoApi.ListAsync(sender, "api/communications?box=Sent", CancellationToken.None)).Single();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true });

        async Task ShootAsync(string user, string route, string heading, string name, int width = 1280, int height = 900)
        {
            await using var context = await browser.NewContextAsync(new()
            {
                BaseURL = stack.Runner.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height }, Locale = "en-GB", TimezoneId = "UTC",
            });
            context.SetDefaultTimeout(30_000);
            context.SetDefaultNavigationTimeout(60_000);
            await using var portal = new PortalSession(context, await context.NewPageAsync());
            await portal.SignInAsync(user);
            await portal.GoToAsync(route, heading);
            await Expect(portal.Page.Locator("[aria-busy=true]")).ToHaveCountAsync(0);
            await portal.ScreenshotAsync(name, DocsScreenshots);
        }

        await ShootAsync(DemoSeeder.Secretariat, "#/directory", "Directory", "directory");
        await ShootAsync(DemoSeeder.Secretariat, $"#/campaigns/{campaign["id"]}/report", $"Report: {DemoSeeder.CampaignName}", "campaign-report");
        await ShootAsync(DemoSeeder.Secretariat, $"#/meetings/{meeting["id"]}", DemoSeeder.MeetingTitle, "demo-meeting");
        await ShootAsync(DemoSeeder.SenderFocalPoint, $"#/communications/{communication["id"]}", DemoSeeder.CommunicationSubject, "demo-communication");
        await ShootAsync(DemoSeeder.Secretariat, $"#/exercises/{exercise["id"]}/report", $"[EXERCISE] {DemoSeeder.ExerciseName}: After-action report", "demo-exercise-report");
        await ShootAsync(DemoSeeder.Secretariat, "#/coverage", "Coverage", "demo-coverage");
    }

    private sealed class SmtpMailbox(TestSmtpServer smtp) : IDemoMailbox
    {
        public Task<IReadOnlyList<DemoMail>> FindAsync(Func<string, bool> subject, CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<DemoMail>>(smtp.Messages
                .Where(m => subject(m.Subject ?? string.Empty))
                .SelectMany(m => m.To.Mailboxes.Select(to => new DemoMail(to.Address, m.Subject ?? string.Empty, m.TextBody ?? string.Empty)))
                .ToList());
    }
}
