using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Web;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PocDirectory.BrowserTests;

/// <summary>
/// The Entra ID sign-in through MSAL.js, against a stand-in for login.microsoftonline.com served by the browser's own
/// request interception: authorisation code with PKCE, then a silent renewal with the refresh token instead of a
/// redirect, then sign-out through the end-session endpoint. The access token it hands out is a development token, so
/// the API accepts it; the identity provider's side is the stand-in's, the portal's is the real one.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class EntraSignInTests(PortalFixture fixture)
{
    private const string Tenant = "test-tenant";
    private const string ClientId = "00000000-0000-0000-0000-0000000000aa";
    private const string Authority = "https://login.microsoftonline.com/" + Tenant;

    [Fact]
    public async Task EntraSignIn_WithMsal_RenewsTheTokenSilently_AndSignsOut()
    {
        var accessToken = await fixture.Runner.TokenForAsync(PortalFixture.Secretariat);
        var grants = new ConcurrentQueue<string>();
        var authorizeCalls = 0;
        string? nonce = null;
        var signedOut = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        await using var portal = await fixture.OpenAsync();
        var page = portal.Page;
        await page.RouteAsync("**/config.json", route => route.FulfillAsync(new()
        {
            ContentType = "application/json",
            Body = JsonSerializer.Serialize(new { apiBaseUrl = "", entra = new { authority = Authority, clientId = ClientId, scopes = new[] { "api://poc-directory-local/access_as_user" } } }),
        }));
        await page.RouteAsync("https://login.microsoftonline.com/**", async route =>
        {
            var url = new Uri(route.Request.Url);
            var query = HttpUtility.ParseQueryString(url.Query);
            if (url.AbsolutePath.EndsWith("/oauth2/v2.0/authorize", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref authorizeCalls);
                nonce = query["nonce"];
                Assert.Equal("S256", query["code_challenge_method"]);
                var answer = $"code=stand-in-code&state={Uri.EscapeDataString(query["state"]!)}&client_info={ClientInfo()}";
                var back = query["response_mode"] == "query" ? $"{query["redirect_uri"]}?{answer}" : $"{query["redirect_uri"]}#{answer}";
                await route.FulfillAsync(new() { Status = 302, Headers = new Dictionary<string, string> { ["Location"] = back } });
            }
            else if (url.AbsolutePath.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
            {
                var form = HttpUtility.ParseQueryString(route.Request.PostData ?? "");
                grants.Enqueue(form["grant_type"] ?? "");
                await route.FulfillAsync(new()
                {
                    ContentType = "application/json",
                    Headers = new Dictionary<string, string> { ["Access-Control-Allow-Origin"] = "*" },
                    Body = JsonSerializer.Serialize(new Dictionary<string, object>
                    {
                        ["token_type"] = "Bearer",
                        ["scope"] = "api://poc-directory-local/access_as_user",
                        // Shorter than MSAL's renewal margin (5 minutes): every later call renews it silently.
                        ["expires_in"] = 120,
                        ["ext_expires_in"] = 120,
                        ["access_token"] = accessToken,
                        ["refresh_token"] = $"stand-in-refresh-{grants.Count}",
                        ["id_token"] = IdToken(nonce ?? ""),
                        ["client_info"] = ClientInfo(),
                    }),
                });
            }
            else if (url.AbsolutePath.EndsWith("/oauth2/v2.0/logout", StringComparison.Ordinal))
            {
                signedOut.TrySetResult(query["post_logout_redirect_uri"] ?? "");
                await route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><title>Signed out</title>" });
            }
            else
            {
                await route.FulfillAsync(new() { Status = 404, Body = "" });
            }
        });

        await page.GotoAsync("/");
        await portal.ExpectHeadingAsync("Sign in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your organisation account" }).ClickAsync();

        // Back from the stand-in with a code: MSAL redeems it (PKCE) and the portal calls the API with the token.
        await Expect(page.GetByText($"Signed in as {PortalFixture.Secretariat}")).ToBeVisibleAsync();
        await portal.ExpectHeadingAsync("Home");
        Assert.Equal(1, authorizeCalls);
        Assert.Equal(["authorization_code"], grants.Take(1));
        Assert.DoesNotContain("code=", page.Url, StringComparison.Ordinal);

        // The token is about to expire: the next page renews it with the refresh token, without leaving the page.
        await portal.GoToAsync("#/participants", "Participants");
        await Expect(page.GetByText($"Signed in as {PortalFixture.Secretariat}")).ToBeVisibleAsync();
        Assert.Contains("refresh_token", grants);
        Assert.Equal(1, authorizeCalls);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        var afterSignOut = await signedOut.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.EndsWith("/.auth/logout?post_logout_redirect_uri=/", afterSignOut, StringComparison.Ordinal);
        // The page is the stand-in's sign-out page now: only what the portal reported while it ran is checked.
        portal.AssertNoProblemsReported();
    }

    private static string ClientInfo() => Base64Url(JsonSerializer.Serialize(new { uid = "stand-in-user", utid = Tenant }));

    /// <summary>An unsigned ID token: the browser library reads its claims and checks the nonce; the API never sees it.</summary>
    private static string IdToken(string nonce)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url(JsonSerializer.Serialize(new { alg = "none", typ = "JWT" }));
        var claims = Base64Url(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["aud"] = ClientId, ["iss"] = $"https://login.microsoftonline.com/{Tenant}/v2.0", ["tid"] = Tenant, ["oid"] = "stand-in-user", ["sub"] = "stand-in-user",
            ["preferred_username"] = PortalFixture.Secretariat, ["name"] = "Secretariat", ["nonce"] = nonce, ["iat"] = now, ["nbf"] = now, ["exp"] = now + 3600,
        }));
        return $"{header}.{claims}.";
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
