using CultureInfo = System.Globalization.CultureInfo;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ical.Net;
using MimeKit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Meetings;
using PocDirectory.Functions.Storage;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 16, the rest: the speakers list, the calendar entry on demand, reminders, and the gap between saving an invitation round and starting it.</summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed class MeetingFollowUpTests(InMemoryCampaignFixture fixture)
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Speakers_InTheOrderTheyAsked_ReorderedWithIfMatch_BadListsRefused_NothingChanged()
    {
        var (participants, pocs) = await PocsAsync(3);
        var id = await InvitedMeetingAsync(MeetingHelpers.LaunchMeeting(participants, DateTime.UtcNow.Year + 1), pocs.Count);
        var links = await LinksAsync(pocs);
        var (a, b, c) = (pocs[0].Id, pocs[1].Id, pocs[2].Id);
        await RegisterAsync(links[pocs[0].Email], "Online", 5);
        await RegisterAsync(links[pocs[1].Email], "InPerson", 5);
        await RegisterAsync(links[pocs[2].Email], "Online", 6);

        var (meeting, etag) = await GetAsync(id);
        Assert.Equal([(5, a), (5, b), (6, c)], SpeakersOf(meeting));

        // Each bad list is 400 on its field (a stale version 412), and the list and its version stay as they were.
        var bad = new (object Body, string? IfMatch, HttpStatusCode Status, string? Field)[]
        {
            (Order((5, [b, a]), (6, [c])), "\"stale\"", HttpStatusCode.PreconditionFailed, null),
            (Order((5, [b, "01UNKNOWN0000000000000000"]), (6, [c])), etag, HttpStatusCode.BadRequest, "items[0].speakers[1]"),
            (Order((5, [b]), (6, [c])), etag, HttpStatusCode.BadRequest, "items[0].speakers"),
            (Order((5, [b, b, a]), (6, [c])), etag, HttpStatusCode.BadRequest, "items[0].speakers[1]"),
            (Order((5, [b, a])), etag, HttpStatusCode.BadRequest, "items"),
            (Order((5, [b, a]), (5, [b, a]), (6, [c])), etag, HttpStatusCode.BadRequest, "items[1].agendaItem"),
            (Order((5, [b, c]), (6, [a])), etag, HttpStatusCode.BadRequest, "items[0].speakers[1]"),
            (new { items = (object?)null }, etag, HttpStatusCode.BadRequest, "items"),
        };
        foreach (var (body, ifMatch, status, field) in bad)
        {
            using var response = await PutSpeakersAsync(id, body, ifMatch);
            await PocBodies.AssertProblemAsync(response, status, field);
        }

        var (unchanged, sameETag) = await GetAsync(id);
        Assert.Equal(etag, sameETag);
        Assert.Equal([(5, a), (5, b), (6, c)], SpeakersOf(unchanged));

        string newETag;
        using (var put = await PutSpeakersAsync(id, Order((5, [b, a]), (6, [c])), etag))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            newETag = put.Headers.ETag!.ToString();
            Assert.NotEqual(etag, newETag);
            Assert.Equal([(5, b), (5, a), (6, c)], SpeakersOf(await put.ReadJsonAsync()));
        }

        // The list alone, with the meeting's version to reorder it again.
        using (var list = await fixture.SecretariatClient.GetAsync($"api/meetings/{id}/speakers"))
        {
            Assert.Equal(newETag, list.Headers.ETag!.ToString());
            Assert.Equal([(5, b), (5, a), (6, c)], SpeakersOf(await list.ReadJsonAsync()));
        }

        // The order holds for readers of the meeting and in the report.
        var (reordered, _) = await GetAsync(id);
        Assert.Equal([(5, b), (5, a), (6, c)], SpeakersOf(reordered));
        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/meetings/{id}/report");
        Assert.Equal([(5, b), (5, a), (6, c)], SpeakersOf(report!));
    }

    [Fact]
    public async Task CalendarIcs_ForAnInvitee_IsTheInvitationsEvent_AtTheCurrentSequence_AndNotFoundForOthers()
    {
        var year = DateTime.UtcNow.Year + 1;
        var (participants, pocs) = await PocsAsync(2);
        var body = MeetingHelpers.LaunchMeeting(participants, year);
        var id = await InvitedMeetingAsync(body, pocs.Count);
        using var invitee = await fixture.UserWithRoleAsync("Poc", pocId: pocs[0].Id);

        // The invitee learns of the meeting from its invitation; the 202 of invite comes before the recipients are known.
        var invitation = (await MessagesAsync([pocs[0].Email], "Invitation:", 1)).Single();
        using (var response = await invitee.GetAsync($"api/meetings/{id}/calendar.ics"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
            var calendar = Calendar.Load(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("REQUEST", calendar.Method);
            var ev = Assert.Single(calendar.Events);
            Assert.Equal($"{id}@pocdirectory.un.org", ev.Uid);
            Assert.Equal(0, ev.Sequence);
            Assert.Equal(new DateTime(year, 5, 9, 14, 0, 0, DateTimeKind.Utc), ev.DtStart!.AsUtc);
            Assert.Equal("America/New_York", ev.DtStart.TzId);
            var attendee = Assert.Single(ev.Attendees);
            Assert.Equal($"mailto:{pocs[0].Email}", attendee.Value!.OriginalString, ignoreCase: true);
            Assert.True(attendee.Rsvp);
        }

        // The same event as the invitation, but for this attendee.
        var sent = Assert.Single(MeetingHelpers.CalendarIn(invitation).Calendar.Events);

        // Moved by an hour: the entry on demand is the update's, SEQUENCE 1.
        body["start"] = $"{year}-05-09T11:00";
        body["end"] = $"{year}-05-09T14:00";
        body["agenda"] = MeetingHelpers.Agenda(1);
        var (_, etag) = await GetAsync(id);
        using (var put = new HttpRequestMessage(HttpMethod.Put, $"api/meetings/{id}") { Content = JsonContent.Create(body) })
        {
            put.Headers.TryAddWithoutValidation("If-Match", etag);
            using var moved = await fixture.SecretariatClient.SendAsync(put);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        }

        var updated = Assert.Single(Calendar.Load(await invitee.GetStringAsync($"api/meetings/{id}/calendar.ics"))!.Events);
        Assert.Equal(sent.Uid, updated.Uid);
        Assert.Equal(sent.Sequence + 1, updated.Sequence);
        Assert.Equal(new DateTime(year, 5, 9, 15, 0, 0, DateTimeKind.Utc), updated.DtStart!.AsUtc);

        // The Secretariat's copy has no attendee; a POC of a participant not invited gets 404, as for an unknown meeting.
        var organizer = Assert.Single(Calendar.Load(await fixture.SecretariatClient.GetStringAsync($"api/meetings/{id}/calendar.ics"))!.Events);
        Assert.Empty(organizer.Attendees);
        var outsider = await fixture.NewParticipantAsync();
        var (stranger, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(outsider));
        using var strangerClient = await fixture.UserWithRoleAsync("Poc", pocId: stranger["id"]!.GetValue<string>());
        using (var response = await strangerClient.GetAsync($"api/meetings/{id}/calendar.ics"))
        {
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }

        using (var response = await invitee.GetAsync("api/meetings/01NOSUCHMEETING/calendar.ics"))
        {
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Reminders_ReachRegistrantsWithTheirLink_AndThoseWhoDidNotAnswerArePleasedToRegister_TheDeclinedNeither()
    {
        var (participants, pocs) = await PocsAsync(3);
        var (online, declined, silent) = (pocs[0], pocs[1], pocs[2]);

        // A meeting 150 s away with a reminder 90 s before it: the reminder's durable timer fires about a minute after the invitation.
        var start = DateTime.UtcNow.AddSeconds(150);
        var body = MeetingHelpers.LaunchMeeting(participants, start.Year);
        body["timeZone"] = "Etc/UTC";
        body["start"] = start.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        body["end"] = start.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        body["agenda"] = new JsonArray();
        body["reminders"] = new JsonArray("PT90S");
        var id = await InvitedMeetingAsync(body, pocs.Count);
        var links = await LinksAsync(pocs);
        await RegisterAsync(links[online.Email], "Online");
        await RegisterAsync(links[declined.Email], "Declined");
        var registrations = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/meetings/{id}/registrations");
        var remindAt = new DateTimeOffset(start.AddSeconds(-90), TimeSpan.Zero);
        Assert.All(registrations!["items"]!.AsArray().Where(r => r!["answeredAt"] is not null),
            r => Assert.True(r!["answeredAt"]!.GetValue<DateTimeOffset>() < remindAt, "the machine was too slow: an answer came after the reminder time"));

        var reminder = Assert.Single(await MessagesAsync([online.Email], "Reminder of the meeting:", 1));
        Assert.Contains("registered to attend online", reminder.TextBody, StringComparison.Ordinal);
        var reminderLink = MeetingHelpers.RsvpLinkIn(reminder);
        var view = await fixture.Runner.Http.GetFromJsonAsync<JsonObject>($"api/rsvp/{CampaignHelpers.TokenOf(reminderLink)}");
        Assert.Equal("Online", view!["registration"]!["attendance"]!.GetValue<string>());
        Assert.Equal(0, MeetingHelpers.CalendarIn(reminder).Calendar.Events.Single().Sequence);
        Assert.Single(await MessagesAsync([silent.Email], "Reminder: please register", 1));

        // Who each reminder was for, from the core's rows: the registrant's reminder went to the registrant alone, and the
        // invitation round reminded only the one who had not answered.
        var rows = new TableClient(fixture.Azurite.ConnectionString, StorageKeys.MeetingRecipientsTable);
        var reminded = await RowsAsync(rows, $"{id}-reminder-1");
        Assert.Equal([online.Id], reminded.Select(r => r.RecipientId));
        var invited = (await RowsAsync(rows, $"{id}-invite-1")).ToDictionary(r => r.RecipientId);
        Assert.Equal(1, invited[silent.Id].LastStepSent);
        Assert.Equal(0, invited[online.Id].LastStepSent);
        Assert.Equal(0, invited[declined.Id].LastStepSent);
        Assert.Empty(Subjects(declined.Email, "Reminder"));
        Assert.Empty(Subjects(online.Email, "Reminder: please register"));
        Assert.Empty(Subjects(silent.Email, "Reminder of the meeting:"));
    }

    [Fact]
    public async Task InvitationRoundSavedButNeverStarted_TheNextInviteStartsIt_EachInviteeInvitedExactlyOnce()
    {
        var (participants, pocs) = await PocsAsync(3);
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", MeetingHelpers.LaunchMeeting(participants, DateTime.UtcNow.Year + 1));
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();

        var table = new TableClient(fixture.Azurite.ConnectionString, StorageKeys.MeetingsTable);
        await StrandInvitationRoundAsync(table, id);

        using (var invite = await fixture.SecretariatClient.PostAsync($"api/meetings/{id}/invite", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, invite.StatusCode);
        }

        var invitations = await MessagesAsync(pocs.Select(p => p.Email).ToList(), "Invitation:", pocs.Count);
        Assert.Equal(pocs.Select(p => p.Email).Order(StringComparer.OrdinalIgnoreCase), invitations.Select(CampaignHelpers.AddressOf).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

        // The stranded round was the one started: no second round, its rows are everyone's.
        Assert.Equal(1, (await table.GetEntityAsync<MeetingEntity>(id, StorageKeys.MeetingRowKey)).Value.Invitations);
        var rows = new TableClient(fixture.Azurite.ConnectionString, StorageKeys.MeetingRecipientsTable);
        Assert.Equal(pocs.Select(p => p.Id).Order(StringComparer.Ordinal), (await RowsAsync(rows, $"{id}-invite-1")).Select(r => r.RecipientId).Order(StringComparer.Ordinal));
        Assert.Empty(await RowsAsync(rows, $"{id}-invite-2"));
    }

    [Fact]
    public async Task InvitationRoundSavedButNeverStarted_TheTimerStartsIt_WithoutAnotherCall()
    {
        var (participants, pocs) = await PocsAsync(2);
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", MeetingHelpers.LaunchMeeting(participants, DateTime.UtcNow.Year + 1));
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        var table = new TableClient(fixture.Azurite.ConnectionString, StorageKeys.MeetingsTable);
        await StrandInvitationRoundAsync(table, id);

        // Nobody calls invite again: the sweep on the campaign scheduler's timer (2 s here) finds the round and starts it.
        var invitations = await MessagesAsync(pocs.Select(p => p.Email).ToList(), "Invitation:", pocs.Count);
        Assert.Equal(pocs.Select(p => p.Email).Order(StringComparer.OrdinalIgnoreCase), invitations.Select(CampaignHelpers.AddressOf).Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(1, (await table.GetEntityAsync<MeetingEntity>(id, StorageKeys.MeetingRowKey)).Value.Invitations);
    }

    /// <summary>What a process that died between the save and the start leaves: the meeting invited, its round Scheduled, no orchestration.</summary>
    private static async Task StrandInvitationRoundAsync(TableClient table, string id)
    {
        var meeting = (await table.GetEntityAsync<MeetingEntity>(id, StorageKeys.MeetingRowKey)).Value;
        (meeting.Invitations, meeting.Status) = (1, nameof(MeetingStatus.Invited));
        await table.UpdateEntityAsync(meeting, meeting.ETag, TableUpdateMode.Replace);
        await table.AddEntityAsync(new MeetingDeliveryEntity
        {
            PartitionKey = id, RowKey = StorageKeys.MeetingDeliveryRowKeyPrefix + MeetingDelivery.Key(MeetingMessage.Invite, 1), Kind = nameof(MeetingMessage.Invite),
        });
    }

    private static object Order(params (int Item, string[] Speakers)[] items)
        => new { items = items.Select(i => new { agendaItem = i.Item, speakers = i.Speakers }).ToArray() };

    private static List<(int, string)> SpeakersOf(JsonObject meeting)
        => meeting["speakers"]!.AsArray().Select(s => (s!["agendaItem"]!.GetValue<int>(), s["inviteeId"]!.GetValue<string>())).ToList();

    private async Task<HttpResponseMessage> PutSpeakersAsync(string id, object body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/meetings/{id}/speakers") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await fixture.SecretariatClient.SendAsync(request);
    }

    private async Task<(JsonObject Meeting, string ETag)> GetAsync(string id)
    {
        using var get = await fixture.SecretariatClient.GetAsync($"api/meetings/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        return (await get.ReadJsonAsync(), get.Headers.ETag!.ToString());
    }

    private async Task<string> InvitedMeetingAsync(JsonObject body, int invitees)
    {
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        using var invite = await fixture.SecretariatClient.PostAsync($"api/meetings/{id}/invite", null);
        Assert.Equal(HttpStatusCode.Accepted, invite.StatusCode);
        return id;
    }

    private async Task<Dictionary<string, string>> LinksAsync(IReadOnlyList<(string Id, string Email)> pocs)
        => (await MessagesAsync(pocs.Select(p => p.Email).ToList(), "Invitation:", pocs.Count))
            .ToDictionary(CampaignHelpers.AddressOf, MeetingHelpers.RsvpLinkIn, StringComparer.OrdinalIgnoreCase);

    private async Task RegisterAsync(string link, string attendance, int? floorOn = null)
    {
        using var response = await fixture.Runner.Http.PostAsJsonAsync($"api/rsvp/{CampaignHelpers.TokenOf(link)}",
            new { attendance, delegationSize = 1, wishToTakeFloor = floorOn is not null, agendaItem = floorOn, note = (string?)null });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<List<RecipientEntity>> RowsAsync(TableClient table, string deliveryId)
    {
        var rows = new List<RecipientEntity>();
        await foreach (var row in table.QueryAsync<RecipientEntity>(TableClient.CreateQueryFilter(
                           $"PartitionKey eq {deliveryId} and RowKey ge {StorageKeys.CampaignResultRowKeyPrefix} and RowKey lt {StorageKeys.CampaignResultRowKeyEnd}")))
        {
            rows.Add(row);
        }

        return rows;
    }

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

    /// <summary>Participants with one POC each (Technical, Diplomatic alternately).</summary>
    private async Task<(List<string> Participants, List<(string Id, string Email)> Pocs)> PocsAsync(int count)
    {
        var participants = new List<string>();
        var pocs = new List<(string, string)>();
        for (var i = 0; i < count; i++)
        {
            var participant = await fixture.NewParticipantAsync();
            var email = $"f{i}-{participant.ToLowerInvariant()}@example.org";
            var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient,
                PocBodies.Valid(participant, i % 2 == 0 ? "Technical" : "Diplomatic", $"Speaker {i}").With("emails", new JsonArray(email)));
            participants.Add(participant);
            pocs.Add((poc["id"]!.GetValue<string>(), email));
        }

        return (participants, pocs);
    }
}
