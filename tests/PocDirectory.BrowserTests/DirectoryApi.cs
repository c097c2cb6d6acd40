using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PocDirectory.TestSupport;

namespace PocDirectory.BrowserTests;

/// <summary>
/// The HTTP API as the Secretariat, for arranging what a browser test needs but does not itself test (participants,
/// roles, POCs, campaigns), and for reading pings from the SMTP server as a POC would.
/// </summary>
public sealed partial class DirectoryApi(LocalRunner runner, HttpClient secretariat) : IDisposable
{
    public HttpClient Secretariat { get; } = secretariat;

    /// <summary>A new regional organisation that only the calling test uses; its name is "Test organisation {code}".</summary>
    public async Task<string> NewParticipantAsync()
    {
        var code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await SendAsync(HttpMethod.Post, "api/participants", new { code, name = ParticipantName(code), type = "RegionalOrganisation" });
        return code;
    }

    public static string ParticipantName(string code) => $"Test organisation {code}";

    /// <summary>Gives a new user a role and returns their email address, to sign in with.</summary>
    public async Task<string> NewUserAsync(string role, string? participant = null, string? pocId = null)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        await SendAsync(HttpMethod.Post, "api/role-assignments", new { email, role, participant, pocId });
        return email;
    }

    public async Task<string> CreatePocAsync(JsonObject body)
    {
        var created = await SendAsync(HttpMethod.Post, "api/pocs", body);
        return created["id"]!.GetValue<string>();
    }

    public async Task<(JsonObject Poc, string ETag)> GetPocAsync(string id)
    {
        using var response = await Secretariat.GetAsync(new Uri($"api/pocs/{id}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var poc = (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return (poc, response.Headers.ETag!.ToString());
    }

    /// <summary>The id of a participant's POC found by its full name.</summary>
    public async Task<string> PocIdByNameAsync(string participant, string fullName)
    {
        var page = await Secretariat.GetFromJsonAsync<JsonObject>(new Uri($"api/pocs?participant={participant}&q={Uri.EscapeDataString(fullName)}", UriKind.Relative));
        return page!["items"]!.AsArray().Single()!["id"]!.GetValue<string>();
    }

    /// <summary>Changes one field of a POC as another user would, with the current version.</summary>
    public async Task ChangePocAsync(string id, string field, JsonNode? value)
    {
        var (poc, etag) = await GetPocAsync(id);
        var body = Pocs.InputFrom(poc);
        body[field] = value;
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"api/pocs/{id}", UriKind.Relative)) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await Secretariat.SendAsync(request);
        await EnsureAsync(response);
    }

    /// <summary>Retires a POC a test created, so later pages (and screenshots) show only the sample data.</summary>
    public async Task RetirePocAsync(string id)
    {
        var (poc, etag) = await GetPocAsync(id);
        if (poc["status"]!.GetValue<string>() == "Retired")
        {
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri($"api/pocs/{id}", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await Secretariat.SendAsync(request);
        await EnsureAsync(response);
    }

    /// <summary>Starts a campaign now for the given participants; returns its id and reference.</summary>
    public async Task<(string Id, string Reference)> StartCampaignAsync(string name, IReadOnlyCollection<string> participants, string responseWindow = "PT1H", string[]? kinds = null)
    {
        var campaign = await SendAsync(HttpMethod.Post, "api/campaigns", new
        {
            name,
            scope = new { participants, regions = Array.Empty<string>(), kinds = kinds ?? [] },
            responseWindow,
            reminders = Array.Empty<string>(),
            escalate = false,
            startAt = (DateTimeOffset?)null,
            subject = (string?)null,
            body = (string?)null,
        });
        return (campaign["id"]!.GetValue<string>(), campaign["reference"]!.GetValue<string>());
    }

    public async Task<JsonObject> GetCampaignAsync(string id)
        => (await Secretariat.GetFromJsonAsync<JsonObject>(new Uri($"api/campaigns/{id}", UriKind.Relative)))!;

    /// <summary>The acknowledgement link in the ping that the SMTP server received for this address and campaign.</summary>
    public static async Task<string> AcknowledgementLinkAsync(TestSmtpServer smtp, string address, string reference)
    {
        string? link = null;
        await Wait.UntilAsync(() =>
        {
            var message = smtp.Messages.FirstOrDefault(m =>
                m.To.Mailboxes.Any(a => string.Equals(a.Address, address, StringComparison.OrdinalIgnoreCase))
                && (m.Subject ?? string.Empty).Contains(reference, StringComparison.Ordinal));
            link = message is null ? null : AckLink().Match(message.TextBody ?? string.Empty).Value;
            return Task.FromResult(!string.IsNullOrEmpty(link));
        }, TimeSpan.FromSeconds(60), () => $"No ping for {address} in campaign {reference} arrived; received: {string.Join("; ", smtp.Messages.Select(m => m.Subject))}");
        return link!;
    }

    /// <summary>Acknowledges through the link's API route, as a POC's click would, without a browser.</summary>
    public async Task AcknowledgeAsync(string link)
    {
        var token = link[(link.LastIndexOf('/') + 1)..];
        using var response = await runner.Http.PostAsync(new Uri($"api/acknowledgements/{token}", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public void Dispose() => Secretariat.Dispose();

    private async Task<JsonObject> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Secretariat.SendAsync(request);
        await EnsureAsync(response);
        var text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? [] : (JsonObject)JsonNode.Parse(text)!;
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [GeneratedRegex(@"https?://[^\s/]+/ack/[A-Za-z0-9_\-]+")]
    private static partial Regex AckLink();
}
