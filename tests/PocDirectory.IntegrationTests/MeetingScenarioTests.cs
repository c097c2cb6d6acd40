using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 16's "what must be shown": the launch meeting through real SMTP, registration, changes, attendance, report.</summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed class MeetingScenarioTests(InMemoryCampaignFixture fixture)
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task LaunchMeeting_InvitedRegisteredChangedLinked_ReportCountsEveryone()
    {
        var year = DateTime.UtcNow.Year + 1;
        var (participants, emails) = await ThreePocsAsync();
        var (online, inPerson, declined) = (emails[0], emails[1], emails[2]);

        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", MeetingHelpers.LaunchMeeting(participants, year));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var meeting = await created.ReadJsonAsync();
        var id = meeting["id"]!.GetValue<string>();
        Assert.Equal("Draft", meeting["status"]!.GetValue<string>());
        Assert.Equal(9, meeting["agenda"]!.AsArray().Count);
        Assert.Equal(new DateTimeOffset(year, 5, 9, 14, 0, 0, TimeSpan.Zero), meeting["startUtc"]!.GetValue<DateTimeOffset>());

        using (var invite = await fixture.SecretariatClient.PostAsync($"api/meetings/{id}/invite", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, invite.StatusCode);
        }

        var invitations = await MessagesAsync(emails, "Invitation:", 3);
        Assert.Equal(3, invitations.Select(CampaignHelpers.AddressOf).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var (method, calendar) = MeetingHelpers.CalendarIn(invitations[0]);
        Assert.Equal("REQUEST", method);
        Assert.Equal("REQUEST", calendar.Method);
        var ev = Assert.Single(calendar.Events);
        Assert.Equal($"{id}@pocdirectory.un.org", ev.Uid);
        Assert.Equal(0, ev.Sequence);
        Assert.Equal(new DateTime(year, 5, 9, 14, 0, 0, DateTimeKind.Utc), ev.DtStart!.AsUtc);
        Assert.Equal("America/New_York", ev.DtStart.TzId);
        Assert.True(Assert.Single(ev.Attendees).Rsvp);
        var singapore = invitations.Single(m => CampaignHelpers.AddressOf(m) == online);
        Assert.Contains("Your time: 22:00", singapore.TextBody, StringComparison.Ordinal);
        Assert.Contains("14:00 on", singapore.TextBody, StringComparison.Ordinal);
        Assert.Contains("Briefing on the ping test", singapore.TextBody, StringComparison.Ordinal);

        var links = invitations.ToDictionary(CampaignHelpers.AddressOf, MeetingHelpers.RsvpLinkIn, StringComparer.OrdinalIgnoreCase);
        await RegisterAsync(links[online], "Online", wishToTakeFloor: true, agendaItem: 5);
        await RegisterAsync(links[inPerson], "InPerson");
        await RegisterAsync(links[declined], "Declined");
        using (var view = await fixture.Runner.Http.GetAsync($"api/rsvp/{CampaignHelpers.TokenOf(links[online])}"))
        {
            var body = await view.ReadJsonAsync();
            Assert.Equal("Online", body["registration"]!["attendance"]!.GetValue<string>());
            Assert.DoesNotContain(inPerson, body.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }

        await MessagesAsync(emails, "Registration received:", 3);

        // The time moves by an hour: the two who did not decline get an update with SEQUENCE 1.
        var etag = await ETagAsync(id);
        var moved = MeetingHelpers.LaunchMeeting(participants, year);
        moved["start"] = $"{year}-05-09T11:00";
        moved["end"] = $"{year}-05-09T14:00";
        moved["agenda"] = MeetingHelpers.Agenda(1);
        using (var put = await Put(id, moved, etag))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var updates = await MessagesAsync([online, inPerson], "Updated:", 2);
        foreach (var update in updates)
        {
            var (updateMethod, updated) = MeetingHelpers.CalendarIn(update);
            Assert.Equal("REQUEST", updateMethod);
            var updatedEvent = Assert.Single(updated.Events);
            Assert.Equal($"{id}@pocdirectory.un.org", updatedEvent.Uid);
            Assert.Equal(1, updatedEvent.Sequence);
            Assert.Equal(new DateTime(year, 5, 9, 15, 0, 0, DateTimeKind.Utc), updatedEvent.DtStart!.AsUtc);
            Assert.StartsWith("Dear", update.TextBody, StringComparison.Ordinal);
            Assert.Contains("The time has changed", update.TextBody, StringComparison.Ordinal);
        }

        // The link "conveyed in due course": the online registrant gets it and, the meeting being hybrid, the in-person
        // registrant too, as a fallback (decision 0023); the one who declined does not.
        moved["connectionLink"] = "https://meet.example/j/launch";
        using (var put = await Put(id, moved, await ETagAsync(id)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var notices = (await MessagesAsync([online, inPerson], "Connection link:", 2)).ToDictionary(CampaignHelpers.AddressOf, StringComparer.OrdinalIgnoreCase);
        var notice = notices[online];
        Assert.Contains("https://meet.example/j/launch", notice.TextBody, StringComparison.Ordinal);
        Assert.Equal(2, Assert.Single(MeetingHelpers.CalendarIn(notice).Calendar.Events).Sequence);
        Assert.DoesNotContain("registered to attend in person", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://meet.example/j/launch", notices[inPerson].TextBody, StringComparison.Ordinal);
        Assert.Contains("registered to attend in person", notices[inPerson].TextBody, StringComparison.Ordinal);
        Assert.Single(Subjects(inPerson, "Connection link:"));
        Assert.Empty(Subjects(declined, "Updated:"));
        Assert.Empty(Subjects(declined, "Connection link:"));

        var csv = $"Name,Email,Join time,Leave time\nIn Person,{inPerson},{year}-05-09T15:01:00Z,{year}-05-09T17:59:00Z\nGuest,guest@elsewhere.example,{year}-05-09T15:05:00Z,{year}-05-09T16:00:00Z\n";
        using (var attendance = await fixture.SecretariatClient.PostAsJsonAsync($"api/meetings/{id}/attendance", new { attendees = new[] { online }, csv }))
        {
            Assert.Equal(HttpStatusCode.OK, attendance.StatusCode);
            var result = await attendance.ReadJsonAsync();
            Assert.Equal(3, result["recorded"]!.GetValue<int>());
            Assert.Equal(2, result["matchedInvitees"]!.GetValue<int>());
        }

        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/meetings/{id}/report");
        var total = report!["total"]!;
        Assert.Equal(3, total["invited"]!.GetValue<int>());
        Assert.Equal(1, total["inPerson"]!.GetValue<int>());
        Assert.Equal(1, total["online"]!.GetValue<int>());
        Assert.Equal(1, total["declined"]!.GetValue<int>());
        Assert.Equal(0, total["noAnswer"]!.GetValue<int>());
        Assert.Equal(2, total["attended"]!.GetValue<int>());
        Assert.Equal(3, report["byParticipant"]!.AsArray().Count);
        Assert.Equal(2, report["participantsRepresented"]!.GetValue<int>());
        Assert.Equal(1, report["attendedWithoutInvitation"]!.GetValue<int>());
        var speaker = Assert.Single(report["speakers"]!.AsArray());
        Assert.Equal(5, speaker!["agendaItem"]!.GetValue<int>());
        var reportCsv = await fixture.SecretariatClient.GetStringAsync($"api/meetings/{id}/report?format=csv");
        Assert.Contains("\"total\",\"total\",\"3\",\"1\",\"1\",\"1\",\"0\",\"2\"", reportCsv, StringComparison.Ordinal);

        var registrations = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/meetings/{id}/registrations");
        Assert.Equal(3, registrations!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task BadMeetings_AreRefusedWithProblemDetails_NothingStoredNothingSent()
    {
        var (participants, emails) = await ThreePocsAsync();
        var before = await MeetingIdsAsync();
        var sent = fixture.Smtp.Messages.Count;
        var year = DateTime.UtcNow.Year + 1;
        var cases = new (string Field, Action<JsonObject> Break)[]
        {
            ("agenda[0]", m => m["agenda"]![0]!["start"] = "09:30"),
            ("agenda", m => m["agenda"]![1]!["start"] = "10:10"),
            ("end", m => m["end"] = $"{year}-05-09T09:00"),
            ("timeZone", m => m["timeZone"] = "Mars/Olympus_Mons"),
            ("registrationDeadline", m => m["registrationDeadline"] = $"{year}-05-09T11:00"),
        };
        foreach (var (field, breakIt) in cases)
        {
            var body = MeetingHelpers.LaunchMeeting(participants, year);
            breakIt(body);
            using var response = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", body);
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        }

        Assert.Equal(before, await MeetingIdsAsync());

        // Registration closes in a few seconds; a tampered link is 404, an answer after the deadline 410, nothing stored or sent.
        var closing = MeetingHelpers.LaunchMeeting(participants, year);
        closing["timeZone"] = "Etc/UTC";
        closing["registrationDeadline"] = DateTime.UtcNow.AddSeconds(45).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", closing);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        using (var invite = await fixture.SecretariatClient.PostAsync($"api/meetings/{id}/invite", null))
        {
            Assert.True(invite.StatusCode == HttpStatusCode.Accepted, await invite.Content.ReadAsStringAsync());
        }

        var link = MeetingHelpers.RsvpLinkIn((await MessagesAsync([emails[0]], "Invitation:", 1))[0]);
        var token = CampaignHelpers.TokenOf(link);
        var tampered = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        using (var response = await fixture.Runner.Http.PostAsJsonAsync($"api/rsvp/{tampered}", new { attendance = "Online" }))
        {
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }

        var deadline = closing["registrationDeadline"]!.GetValue<string>();
        await Wait.UntilAsync(() => Task.FromResult(DateTime.UtcNow > DateTime.Parse(deadline, System.Globalization.CultureInfo.InvariantCulture).AddSeconds(1)), _wait, () => "The deadline did not pass");
        var beforeLate = fixture.Smtp.Messages.Count;
        using (var response = await fixture.Runner.Http.PostAsJsonAsync($"api/rsvp/{token}", new { attendance = "Online" }))
        {
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.Gone);
        }

        var registrations = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/meetings/{id}/registrations");
        Assert.All(registrations!["items"]!.AsArray(), r => Assert.Null(r!["attendance"]));
        Assert.Empty(Subjects(emails[0], "Registration received:"));
        Assert.True(fixture.Smtp.Messages.Count - beforeLate == 0 || fixture.Smtp.Messages.Skip(beforeLate).All(m => !(m.Subject ?? string.Empty).StartsWith("Registration", StringComparison.Ordinal)));
        Assert.True(sent <= fixture.Smtp.Messages.Count);
    }

    private async Task RegisterAsync(string link, string attendance, bool wishToTakeFloor = false, int? agendaItem = null)
    {
        using var response = await fixture.Runner.Http.PostAsJsonAsync($"api/rsvp/{CampaignHelpers.TokenOf(link)}",
            new { attendance, delegationSize = 1, wishToTakeFloor, agendaItem, note = (string?)null });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> ETagAsync(string id)
    {
        using var get = await fixture.SecretariatClient.GetAsync($"api/meetings/{id}");
        return get.Headers.ETag!.ToString();
    }

    private Task<HttpResponseMessage> Put(string id, JsonObject body, string etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/meetings/{id}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return fixture.SecretariatClient.SendAsync(request);
    }

    private async Task<List<string>> MeetingIdsAsync()
        => (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/meetings"))!["items"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()).ToList();

    private IEnumerable<string> Subjects(string address, string prefix)
        => fixture.Smtp.Messages.Where(m => CampaignHelpers.AddressOf(m).Equals(address, StringComparison.OrdinalIgnoreCase) && (m.Subject ?? string.Empty).StartsWith(prefix, StringComparison.Ordinal)).Select(m => m.Subject ?? string.Empty);

    private async Task<IReadOnlyList<MimeMessage>> MessagesAsync(IReadOnlyCollection<string> addresses, string subjectPrefix, int count)
    {
        IReadOnlyList<MimeMessage> found = [];
        await Wait.UntilAsync(() =>
        {
            found = fixture.Smtp.Messages.Where(m => addresses.Contains(CampaignHelpers.AddressOf(m), StringComparer.OrdinalIgnoreCase)
                && (m.Subject ?? string.Empty).StartsWith(subjectPrefix, StringComparison.Ordinal)).ToList();
            return Task.FromResult(found.Count >= count);
        }, _wait, () => $"Only {found.Count} of {count} '{subjectPrefix}' messages arrived");
        return found;
    }

    /// <summary>Three participants with one POC each; the first POC works from Singapore.</summary>
    private async Task<(List<string> Participants, List<string> Emails)> ThreePocsAsync()
    {
        var participants = new List<string>();
        var emails = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var participant = await fixture.NewParticipantAsync();
            var email = $"m{i}-{participant.ToLowerInvariant()}@example.org";
            var body = PocBodies.Valid(participant, i % 2 == 0 ? "Technical" : "Diplomatic", $"Person {i}").With("emails", new JsonArray(email));
            if (i == 0)
            {
                body = body.With("timeZone", "Asia/Singapore");
            }

            await PocBodies.CreateAsync(fixture.SecretariatClient, body);
            participants.Add(participant);
            emails.Add(email);
        }

        return (participants, emails);
    }
}
