using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

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

    /// <summary>A full-page screenshot in TestResults/screenshots, kept as a test artefact.</summary>
    public async Task ScreenshotAsync(string name)
    {
        // Focus rings and the text caret would make screenshots differ from run to run.
        await Page.EvaluateAsync("() => document.activeElement instanceof HTMLElement && document.activeElement.blur()");
        await Page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(PortalFixture.ScreenshotDirectory, name + ".png"),
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

    /// <summary>No console errors, no uncaught exceptions, no dialogs, and no value rendered as "null" or "undefined".</summary>
    public async Task AssertCleanAsync()
    {
        AssertNoProblemsReported();
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

    [GeneratedRegex("Failed to load resource: the server responded with a status of (400|404|410|412)")]
    private static partial Regex FailedResource();
}
