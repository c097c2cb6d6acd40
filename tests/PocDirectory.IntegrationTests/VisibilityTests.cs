using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Walks the visibility table as the README documents it: for each row and each kind of viewer, what the API shows
/// must be what the cell says. A row without a probe here fails, so a new kind of confidential data gets one.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class VisibilityTests(DirectoryFixture fixture)
{
    private sealed record Probe(string X, string RetiredId, string ActiveId, HttpClient Viewer, string MeetingId = "", string ImportId = "");

    /// <summary>For each row: does this viewer, looking at participant X, see that kind of data?</summary>
    private static readonly Dictionary<string, Func<Probe, Task<bool>>> Probes = new()
    {
        ["Contacts"] = async p => (await PocAsync(p, p.ActiveId)) is { } poc && poc["emails"]!.AsArray().Count > 0 && poc["fullName"] is not null,
        ["PingPerformance"] = async p =>
        {
            var poc = await PocAsync(p, p.ActiveId);
            var fields = poc!["missedPings"] is not null && poc.ContainsKey("lastPingOutcome");
            using var stale = await p.Viewer.GetAsync($"api/pocs?participant={p.X}&missedPings=1");
            using var everywhere = await p.Viewer.GetAsync("api/pocs?missedPings=1");
            Assert.Equal(fields, stale.StatusCode == HttpStatusCode.OK);
            Assert.True(fields ? true : everywhere.StatusCode == HttpStatusCode.Forbidden);
            return fields;
        },
        ["RetiredRecords"] = async p =>
        {
            var byId = await PocAsync(p, p.RetiredId) is not null;
            var listed = (await p.Viewer.GetFromJsonAsync<JsonObject>($"api/pocs?participant={p.X}&status=Retired"))!["items"]!.AsArray()
                .Any(i => i!["id"]!.GetValue<string>() == p.RetiredId);
            Assert.Equal(byId, listed);
            return byId;
        },
        ["RecordAuthors"] = async p => (await PocAsync(p, p.ActiveId))!["createdBy"] is not null,
        ["CommunicationContent"] = async p => await CommunicationAsync(p) is { } c && c["subject"] is not null && c["body"] is not null,
        ["CommunicationMetadata"] = async p => await CommunicationAsync(p) is { } c && c["reference"] is not null,
        ["Registrations"] = async p => (await p.Viewer.GetFromJsonAsync<JsonObject>($"api/meetings/{p.MeetingId}/registrations"))!["items"]!.AsArray()
            .Any(r => r!["participant"]!.GetValue<string>() == p.X && r["attendance"] is not null),
        ["NoteVerbale"] = async p =>
        {
            using var document = await p.Viewer.GetAsync($"api/pocs/{p.ActiveId}/note-verbale/document");
            var letter = (await PocAsync(p, p.ActiveId))!["source"]!["noteVerbale"] is not null;
            Assert.Equal(letter, document.StatusCode == HttpStatusCode.OK);
            return letter;
        },
        ["MissionContacts"] = async p =>
        {
            using var response = await p.Viewer.GetAsync($"api/participants/{p.X}/mission");
            return response.StatusCode == HttpStatusCode.OK && (await response.ReadJsonAsync())["contacts"]!.AsArray().Count > 0;
        },
        ["ImportEntries"] = async p =>
        {
            using var response = await p.Viewer.GetAsync($"api/imports/{p.ImportId}");
            return response.StatusCode == HttpStatusCode.OK
                && (await response.ReadJsonAsync())["entries"]!.AsArray().Any(e => e!["participant"]!.GetValue<string>() == p.X);
        },
    };

    /// <summary>One communication to X per test run, from a participant none of the viewers belongs to.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> CommunicationsTo = new();

    [Fact]
    public async Task EveryCellOfTheReadmeTable_IsWhatEachViewerSees()
    {
        var table = ReadmeVisibilityTable.Read();
        Assert.Equal(table.Keys.Order(), Probes.Keys.Order());

        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var pocEmail = $"visible-{Guid.NewGuid():N}@example.org";
        var (active, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x).With("emails", new JsonArray(pocEmail)));
        var (retired, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, kind: "Diplomatic"));
        var (yPoc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(y));
        await PocBodies.RetireAsync(fixture.SecretariatClient, retired["id"]!.GetValue<string>(), etag);
        await SendCommunicationToAsync(x);
        using (var note = NoteVerbaleTests.Form(active["id"]!.GetValue<string>(), "NV/VISIBILITY/1", "2025-02-03", System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")))
        {
            (await fixture.SecretariatClient.SendAsync(note)).EnsureSuccessStatusCode();
        }
        using (var mission = new HttpRequestMessage(HttpMethod.Put, $"api/participants/{x}/mission")
               {
                   Content = JsonContent.Create(new { contacts = new[] { new { name = "Mission probe", email = $"mission-{Guid.NewGuid():N}@example.org" } } }),
               })
        {
            mission.Headers.TryAddWithoutValidation("If-Match", "W/\"mission-none\"");
            (await fixture.SecretariatClient.SendAsync(mission)).EnsureSuccessStatusCode();
        }

        // A meeting X's active POC was invited to and registered for.
        var meetingBody = MeetingHelpers.LaunchMeeting([x], DateTime.UtcNow.Year + 1);
        meetingBody["invitees"]!["kinds"] = new JsonArray();
        using var meeting = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", meetingBody);
        var meetingId = (await meeting.ReadJsonAsync())["id"]!.GetValue<string>();
        using (await fixture.SecretariatClient.PostAsync($"api/meetings/{meetingId}/invite", null))
        {
        }

        // The POC has the communication too: take the message that carries the registration link.
        var messages = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [pocEmail], 2, TimeSpan.FromSeconds(60));
        var link = MeetingHelpers.RsvpLinkIn(messages.Single(m => (m.TextBody ?? string.Empty).Contains("/rsvp/", StringComparison.Ordinal)));
        using (var rsvp = await fixture.Runner.Http.PostAsJsonAsync($"api/rsvp/{CampaignHelpers.TokenOf(link)}", new { attendance = "Online" }))
        {
            rsvp.EnsureSuccessStatusCode();
        }

        // A regional list with one entry for X, waiting in the review area.
        using var import = await fixture.SecretariatClient.PostAsJsonAsync("api/imports", new
        {
            directory = "Probe directory",
            entries = new[] { new { country = x, representative = "Probe Newcomer", team_name = "CERT", email = $"probe-{Guid.NewGuid():N}@example.org", languages = "en", timezone = "UTC", business_hours = "24/7" } },
        });
        Assert.Equal(HttpStatusCode.Created, import.StatusCode);
        var importId = (await import.ReadJsonAsync())["id"]!.GetValue<string>();

        // Each column, seen by every kind of caller that falls in it.
        var viewers = new (string Column, HttpClient Client)[]
        {
            ("Secretariat", fixture.SecretariatClient),
            ("own participant", await fixture.UserWithRoleAsync("FocalPoint", x)),
            ("own participant", await fixture.UserWithRoleAsync("Poc", pocId: active["id"]!.GetValue<string>())),
            ("other participants", await fixture.UserWithRoleAsync("FocalPoint", y)),
            ("other participants", await fixture.UserWithRoleAsync("Poc", pocId: yPoc["id"]!.GetValue<string>())),
        };
        var failures = new List<string>();
        foreach (var (row, columns) in table)
        {
            foreach (var (column, client) in viewers)
            {
                var sees = await Probes[row](new Probe(x, retired["id"]!.GetValue<string>(), active["id"]!.GetValue<string>(), client, meetingId, importId));
                if (sees != columns[column])
                {
                    failures.Add($"{row} for {column}: the table says {(columns[column] ? "yes" : "no")}, the API {(sees ? "shows it" : "withholds it")}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    private static async Task<JsonObject?> CommunicationAsync(Probe probe)
    {
        using var response = await probe.Viewer.GetAsync($"api/communications/{CommunicationsTo[probe.X]}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().ReadJsonAsync();
    }

    private async Task SendCommunicationToAsync(string x)
    {
        var sender = await fixture.NewParticipantAsync();
        var client = await fixture.UserWithRoleAsync("FocalPoint", sender);
        using var sent = await client.PostAsJsonAsync("api/communications", new
        {
            to = x, type = "IncidentNotification", urgency = "Routine", subject = "Probe subject", body = "Probe body", respondBy = "PT24H",
        });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        CommunicationsTo[x] = (await sent.ReadJsonAsync())["id"]!.GetValue<string>();
    }

    private static async Task<JsonObject?> PocAsync(Probe probe, string id)
    {
        using var response = await probe.Viewer.GetAsync($"api/pocs/{id}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.EnsureSuccessStatusCode().ReadJsonAsync();
    }
}

/// <summary>The visibility table between the README's visibility-table markers: row → column → yes/no.</summary>
public static class ReadmeVisibilityTable
{
    public static Dictionary<string, Dictionary<string, bool>> Read()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("<!-- visibility-table -->", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- /visibility-table -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "README.md has no visibility table between its markers.");
        var lines = readme[start..end].Split('\n').Skip(1).Where(l => l.StartsWith('|')).ToList();
        static string[] Cells(string line) => line.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
        var header = Cells(lines[0]);
        return lines.Skip(2).Select(Cells).ToDictionary(
            cells => cells[0],
            cells => header.Skip(1).Select((column, i) => (column, cells[i + 1] == "yes")).ToDictionary(c => c.column, c => c.Item2));
    }
}
