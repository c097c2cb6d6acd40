using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>Starting campaigns, reading their mail and following their links, as a POC would.</summary>
public static partial class CampaignHelpers
{
    public static async Task<JsonObject> StartAsync(HttpClient secretariat, object body)
    {
        using var response = await secretariat.PostAsJsonAsync("api/campaigns", body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"Campaign not accepted: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.NotNull(response.Headers.Location);
        return await response.ReadJsonAsync();
    }

    /// <summary>Waits until the campaign is closed (completed or cancelled) and returns it with its counts.</summary>
    public static async Task<JsonObject> WaitUntilClosedAsync(HttpClient secretariat, string id, TimeSpan timeout)
    {
        JsonObject? campaign = null;
        await Wait.UntilAsync(async () =>
        {
            campaign = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}");
            return campaign!["status"]!.GetValue<string>() is "Completed" or "Cancelled";
        }, timeout, () => $"Campaign {id} did not close: {campaign?.ToJsonString()}");
        return campaign!;
    }

    /// <summary>The messages sent to any of the addresses, once at least <paramref name="count"/> have arrived.</summary>
    public static async Task<IReadOnlyList<MimeMessage>> MessagesToAsync(TestSmtpServer smtp, IReadOnlyCollection<string> addresses, int count, TimeSpan timeout)
    {
        IReadOnlyList<MimeMessage> found = [];
        await Wait.UntilAsync(() =>
        {
            found = smtp.Messages.Where(m => m.To.Mailboxes.Any(a => addresses.Contains(a.Address, StringComparer.OrdinalIgnoreCase))).ToList();
            return Task.FromResult(found.Count >= count);
        }, timeout, () => $"Only {found.Count} of {count} messages arrived");
        return found;
    }

    public static string LinkIn(MimeMessage message)
    {
        var match = AckLink().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, "No acknowledgement link in: " + message.TextBody);
        return match.Value;
    }

    public static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];

    public static async Task<HttpResponseMessage> AcknowledgeAsync(HttpClient anonymous, string link)
        => await anonymous.PostAsync($"api/acknowledgements/{TokenOf(link)}", null);

    [GeneratedRegex(@"https?://[^\s/]+/ack/[A-Za-z0-9_\-]+")]
    private static partial Regex AckLink();
}
