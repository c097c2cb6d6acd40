using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.BrowserTests;

/// <summary>Mission contacts, outreach and regional imports (issue 18), set up through the API for the pages' tests.</summary>
public sealed partial class DirectoryApi
{
    public async Task PutMissionContactsAsync(string participant, params string[] emails)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/participants/{participant}/mission")
        {
            Content = JsonContent.Create(new { contacts = emails.Select((e, i) => new { name = $"Counsellor {i + 1}", email = e }).ToArray() }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", "W/\"mission-none\"");
        using var response = await Secretariat.SendAsync(request);
        await EnsureAsync(response);
    }

    public async Task<JsonArray> MissionContactsAsync(string participant)
        => (await Secretariat.GetFromJsonAsync<JsonObject>($"api/participants/{participant}/mission"))!["contacts"]!.AsArray();

    /// <summary>An outreach to these participants only; returns its id and reference.</summary>
    public async Task<(string Id, string Reference)> StartOutreachAsync(params string[] participants)
    {
        using var response = await Secretariat.PostAsJsonAsync("api/outreach", new
        {
            scope = new { nominationStatus = new[] { "None", "DiplomaticOnly", "TechnicalOnly" }, regions = Array.Empty<string>(), participants },
            reminders = Array.Empty<string>(),
        });
        await EnsureAsync(response);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (created["id"]!.GetValue<string>(), created["reference"]!.GetValue<string>());
    }

    /// <summary>A regional list read into the review area; returns the import's id.</summary>
    public async Task<string> ImportAsync(string directory, JsonArray entries)
    {
        using var response = await Secretariat.PostAsJsonAsync("api/imports", new JsonObject { ["directory"] = directory, ["entries"] = entries });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public async Task<int> ActivePocCountAsync(string participant)
        => (await Secretariat.GetFromJsonAsync<JsonObject>($"api/pocs?participant={participant}"))!["items"]!.AsArray().Count;
}
