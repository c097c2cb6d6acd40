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

    /// <summary>Waits until the campaign has <paramref name="status"/> (e.g. "Failed") and returns it.</summary>
    public static async Task<JsonObject> WaitForStatusAsync(HttpClient secretariat, string id, string status, TimeSpan timeout)
    {
        JsonObject? campaign = null;
        await Wait.UntilAsync(async () =>
        {
            campaign = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}");
            return campaign!["status"]!.GetValue<string>() == status;
        }, timeout, () => $"Campaign {id} did not reach {status}: {campaign?.ToJsonString()}");
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

    /// <summary>The message's step: 0 for the ping, n for "Reminder n: ...".</summary>
    public static int StepOf(MimeMessage message)
    {
        var match = ReminderSubject().Match(message.Subject ?? string.Empty);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    public static string AddressOf(MimeMessage message) => message.To.Mailboxes.Single().Address;

    /// <summary>
    /// Creates <paramref name="perParticipant"/> POCs in each of <paramref name="participants"/> new participants, one
    /// participant's POCs after another (they share a partition and its counts) but the participants side by side.
    /// </summary>
    public static async Task<IReadOnlyList<CreatedPoc>> PocsAsync(HttpClient secretariat, int participants, int perParticipant, string label)
    {
        var codes = new List<string>();
        for (var p = 0; p < participants; p++)
        {
            var code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
            using var response = await secretariat.PostAsJsonAsync("api/participants", new { code, name = $"Test organisation {code}", type = "RegionalOrganisation" });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            codes.Add(code);
        }

        var created = await Task.WhenAll(codes.Select(async (code, p) =>
        {
            var mine = new List<CreatedPoc>();
            for (var i = 0; i < perParticipant; i++)
            {
                var email = $"{label}{i}-{code.ToLowerInvariant()}@example.org";
                var (poc, _) = await PocBodies.CreateAsync(secretariat,
                    PocBodies.Valid(code, i % 2 == 0 ? "Technical" : "Diplomatic", $"{label} {p}.{i}").With("emails", new JsonArray(email)));
                mine.Add(new CreatedPoc(poc["id"]!.GetValue<string>(), email, code));
            }

            return mine;
        }));
        return created.SelectMany(c => c).ToList();
    }

    [GeneratedRegex(@"^Reminder (\d+):")]
    private static partial Regex ReminderSubject();

    [GeneratedRegex(@"https?://[^\s/]+/ack/[A-Za-z0-9_\-]+")]
    private static partial Regex AckLink();
}

public sealed record CreatedPoc(string Id, string Email, string Participant);
