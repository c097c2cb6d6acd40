using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using PocDirectory.TestSupport;

namespace PocDirectory.BrowserTests;

/// <summary>
/// One test's browser context and page. It records what the page should never do: log a console error, throw, or open
/// a dialog (alert/confirm); <see cref="AssertCleanAsync"/> fails the test if it did.
/// </summary>
public sealed partial class PortalSession : IAsyncDisposable
{
    private readonly List<string> _problems = [];

    public PortalSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        Page.Console += (_, message) =>
        {
            // The browser logs every 4xx answer, and some tests provoke them on purpose (a bad phone number, a 412).
            if (message.Type == "error" && !FailedResource().IsMatch(message.Text))
            {
                _problems.Add("console: " + message.Text);
            }
        };
        Page.PageError += (_, error) => _problems.Add("page error: " + error);
        Page.Dialog += async (_, dialog) =>
        {
            Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Messages of every dialog the page opened (the portal opens none).</summary>
    public List<string> Dialogs { get; } = [];

    /// <summary>Opens the portal and signs in with the development sign-in, as a person would: email, then the button.</summary>
    public async Task SignInAsync(string email)
    {
        await Page.GotoAsync("/");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in", Level = 1 })).ToBeVisibleAsync();
        await Page.GetByLabel("Email address").FillAsync(email);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByText($"Signed in as {email}")).ToBeVisibleAsync();
    }

    /// <summary>Goes to a hash route (#/directory) and waits for its heading.</summary>
    public async Task GoToAsync(string hashRoute, string heading)
    {
        await Page.GotoAsync("/" + hashRoute);
        await ExpectHeadingAsync(heading);
    }

    public Task ExpectHeadingAsync(string heading)
        => Expect(Page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1, Exact = true })).ToBeVisibleAsync();

    /// <summary>A full-page screenshot in TestResults/screenshots, kept as a test artefact; the page is checked with axe first.</summary>
    public async Task ScreenshotAsync(string name, string? directory = null)
    {
        await AssertAccessibleAsync(name);
        // Focus rings and the text caret would make screenshots differ from run to run.
        await Page.EvaluateAsync("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()");
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(directory ?? PortalFixture.ScreenshotDirectory, name + ".png"),
            FullPage = true,
            Animations = ScreenshotAnimations.Disabled,
        });
    }

    /// <summary>Every form control has a label (its accessible name), so each can be found and used by its label.</summary>
    public async Task AssertControlsLabelledAsync()
    {
        var unlabelled = await Page.EvaluateAsync<string[]>(
            """
            () => [...document.querySelectorAll('input, select, textarea')]
              .filter(e => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby'))
              .map(e => e.outerHTML)
            """);
        Assert.True(unlabelled.Length == 0, "Controls without a label: " + string.Join(", ", unlabelled));
    }

    /// <summary>The page does not scroll sideways at its width (wide tables scroll inside their own region instead).</summary>
    public async Task AssertFitsWidthAsync()
    {
        var overflowing = await Page.EvaluateAsync<string[]>(
            """
            () => {
              const width = document.documentElement.clientWidth;
              if (document.documentElement.scrollWidth <= width) return [];
              return [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-wrap > *'))
                .slice(0, 8)
                .map(e => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}px`);
            }
            """);
        Assert.True(overflowing.Length == 0, "The page scrolls sideways; too wide: " + string.Join(", ", overflowing));
    }

    /// <summary>
    /// axe-core (npm axe-core, node_modules/axe-core/axe.min.js) checks the page as it is now against WCAG 2.0 and 2.1 A and
    /// AA; any violation fails the test with its rule and elements. Each check is logged in TestResults/accessibility.txt.
    /// The script is evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
    /// </summary>
    public async Task AssertAccessibleAsync(string? name = null)
    {
        if (!await Page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await Page.EvaluateAsync(AxeSource.Value + "\n;void 0");
        }

        var json = await Page.EvaluateAsync<string>(
            """
            async () => {
              const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
              return JSON.stringify({
                passed: result.passes.length,
                violations: result.violations.map(v => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 6).map(n => `${n.target.join(' ')} [${[...n.any, ...n.all, ...n.none].map(c => c.message).join('; ').slice(0, 160)}] ${n.html.slice(0, 120)}`).join(' | ')}`),
              });
            }
            """);
        var result = System.Text.Json.JsonSerializer.Deserialize<AxeSummary>(json, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        var where = $"{name ?? await Page.TitleAsync()} ({Page.ViewportSize?.Width}x{Page.ViewportSize?.Height}) {new Uri(Page.Url).Fragment}";
        lock (AxeLog)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(AxeLogPath)!);
            File.AppendAllText(AxeLogPath, $"{where}: {result.Violations.Length} violations, {result.Passed} rules passed{Environment.NewLine}");
        }

        Assert.True(result.Violations.Length == 0, $"axe (WCAG 2 A/AA) on {where}:\n" + string.Join("\n", result.Violations));
    }

    /// <summary>No console errors, no uncaught exceptions, no dialogs, no value rendered as "null" or "undefined", and no axe violation.</summary>
    public async Task AssertCleanAsync()
    {
        AssertNoProblemsReported();
        await AssertAccessibleAsync();
        var text = await Page.InnerTextAsync("body");
        Assert.DoesNotMatch(new Regex(@"\b(null|undefined|NaN)\b|\[object Object\]"), text);
    }

    /// <summary>No console errors (a style, script or request the policy refused shows as one), uncaught exceptions or dialogs.</summary>
    public void AssertNoProblemsReported()
    {
        Assert.True(_problems.Count == 0, "The page reported problems:\n" + string.Join("\n", _problems));
        Assert.True(Dialogs.Count == 0, "The page opened dialogs: " + string.Join(", ", Dialogs));
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();

    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Path.Combine(RepoPaths.Root, "node_modules", "axe-core", "axe.min.js")));

    private static readonly object AxeLog = new();

    private static string AxeLogPath => Path.Combine(RepoPaths.Root, "TestResults", "accessibility.txt");

    private sealed record AxeSummary(int Passed, string[] Violations);

    [GeneratedRegex("Failed to load resource: the server responded with a status of (400|404|410|412)")]
    private static partial Regex FailedResource();
}
