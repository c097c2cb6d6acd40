using Microsoft.Playwright;
using PocDirectory.TestSupport;

namespace PocDirectory.BrowserTests;

/// <summary>
/// One Azurite, SMTP server and local runner (serving the portal at /) and one Chromium for the whole run; each test
/// opens its own browser context. Tests keep apart by using their own participants, users and POCs.
/// </summary>
public sealed class PortalFixture : IAsyncLifetime
{
    public const string Secretariat = RunnerSettings.Secretariat;

    /// <summary>Debian's Chromium, installed by scripts/bootstrap.sh; Playwright's own browser download is never used.</summary>
    private const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private LocalStack? _stack;

    public TestSmtpServer Smtp => _stack!.Smtp;

    public LocalRunner Runner => _stack!.Runner;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The Secretariat's API client, for arranging what a test needs but does not test.</summary>
    public DirectoryApi Api { get; private set; } = null!;

    /// <summary>Where screenshots go: TestResults/screenshots under the repository root (test.sh keeps TestResults).</summary>
    public static string ScreenshotDirectory => Path.Combine(RepoPaths.Root, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: run scripts/bootstrap.sh --browser (./test.sh does), which installs Debian's chromium package.");
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        var starting = StartBrowserAsync();
        _stack = await LocalStack.StartAsync(settings =>
        {
            settings["Runner:Durable:Backend"] = "InMemory";
            settings["Runner:PortalPath"] = Path.Combine(RepoPaths.Root, "portal");

            // Below the portal's own limit (20,000), so a test sees the API's answer shown at the field.
            settings["Communications:MaximumBodyLength"] = "2000";
        });
        Api = new DirectoryApi(Runner, await Runner.ClientForAsync(Secretariat));
        await SampleData.LoadAsync(Api);
        Browser = await starting;
    }

    /// <summary>A fresh browser context (no cookies, no session storage) with one page; dispose it at the end of the test.</summary>
    public async Task<PortalSession> OpenAsync(int width = 1280, int height = 800, bool isMobile = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Runner.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = isMobile,
            HasTouch = isMobile,
            Locale = "en-GB",
            TimezoneId = "UTC",
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(20_000);

        // A page load fetches some forty modules from the runner; with the three suites side by side on two cores
        // CI saw one take longer than 20 s. Navigation is not what these tests measure, so it gets more room.
        context.SetDefaultNavigationTimeout(60_000);
        return new PortalSession(context, await context.NewPageAsync());
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Api?.Dispose();
        if (_stack is not null)
        {
            await _stack.DisposeAsync();
        }
    }

    private async Task<IBrowser> StartBrowserAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Assertions.SetDefaultExpectTimeout(15_000);
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "Portal";
}
