using System.Globalization;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Meetings;

/// <summary>Meetings: their records, invitations and changes (as deliveries of the core), registrations, attendance and report.</summary>
public sealed class MeetingService(
    MeetingStore meetings,
    ParticipantStore participants,
    MeetingDelivery feature,
    DeliveryService deliveries,
    DeliveryStore recipients,
    DeliveryLinks links,
    IEmailSender email,
    IValidator<MeetingInput> validator,
    IValidator<RegistrationInput> registrationValidator,
    IValidator<MeetingCopyInput> copyValidator,
    IValidator<AttendanceInput> attendanceValidator,
    IValidator<SpeakersInput> speakersValidator,
    Microsoft.Extensions.Options.IOptions<EmailOptions> emailOptions,
    AuditLog audit,
    TimeProvider time,
    ILogger<MeetingService> logger)
{
    /// <summary>A notice (update, cancellation, link) stays open at least this long, so its links are not born expired.</summary>
    private static readonly TimeSpan _minimumNoticeWindow = TimeSpan.FromHours(1);

    private const string InvalidLink = "This link is not valid. Use the link from the most recent message, or ask the Secretariat.";

    public async Task<Versioned<Meeting>> CreateAsync(Caller caller, MeetingInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        await ValidateAsync(input, cancellationToken);
        var now = time.GetUtcNow();
        var id = StorageKeys.SortableId(now);
        var meeting = new MeetingEntity { PartitionKey = id, Reference = $"MTG-{now:yyyyMMdd}-{id[^6..]}", CreatedAt = now, CreatedBy = caller.Email };
        Apply(meeting, input);
        await meetings.AddAsync(meeting, audit.Entry(caller, "Meeting.Created", "Meeting", id, null, meeting.ToModel()), cancellationToken);
        return await GetAsync(caller, id, cancellationToken);
    }

    public async Task<ListPage<Meeting>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var found = await meetings.ListAsync(cancellationToken);
        return new ListPage<Meeting>(found.Where(m => caller.IsSecretariat || m.StatusValue != MeetingStatus.Draft).Select(Show).ToList(), null);
    }

    /// <summary>The meeting and its agenda: public to anyone in the directory once invitations went out; drafts are the Secretariat's.</summary>
    public async Task<Versioned<Meeting>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var meeting = await FindAsync(id, cancellationToken);
        if (!caller.IsSecretariat && meeting.StatusValue == MeetingStatus.Draft)
        {
            throw NotFound(id);
        }

        // Who asked for the floor is part of a participant's registration: outside the Secretariat, only one's own participant's.
        var speakers = Speakers(meeting, await meetings.ListRegistrationsAsync(id, cancellationToken))
            .Where(s => caller.Sees(s.Participant, Confidential.Registrations)).ToList();
        return new Versioned<Meeting>(Show(meeting) with { Speakers = speakers }, meeting.ETag.ToString());
    }

    /// <summary>
    /// The Secretariat's order of the speakers list, at the version read. Each agenda item with speakers must list every
    /// one of them once, and only them: an unknown id, a duplicate or a list that drops someone is refused.
    /// </summary>
    public async Task<Versioned<Meeting>> ReorderSpeakersAsync(Caller caller, string id, string ifMatch, SpeakersInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var meeting = await FindAsync(id, cancellationToken);
        if (!string.Equals(meeting.ETag.ToString(), ifMatch, StringComparison.Ordinal))
        {
            throw new PreconditionFailedException(ProblemResults.StaleVersion);
        }

        speakersValidator.ThrowIfInvalid(input);
        var current = Speakers(meeting, await meetings.ListRegistrationsAsync(id, cancellationToken))
            .GroupBy(s => s.AgendaItem).ToDictionary(g => g.Key, g => g.Select(s => s.InviteeId).ToHashSet(StringComparer.Ordinal));
        var order = new List<string>();
        var listed = new HashSet<int>();
        for (var i = 0; i < input.Items!.Count; i++)
        {
            var item = input.Items[i]!;
            var agendaItem = item.AgendaItem!.Value;
            if (!listed.Add(agendaItem))
            {
                throw RequestValidationException.For($"items[{i}].agendaItem", $"Agenda item {agendaItem} is listed twice.");
            }

            var speakers = current.GetValueOrDefault(agendaItem) ?? [];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var j = 0; j < item.Speakers!.Count; j++)
            {
                var invitee = item.Speakers[j]!;
                if (!speakers.Contains(invitee))
                {
                    throw RequestValidationException.For($"items[{i}].speakers[{j}]", $"'{invitee}' has not asked for the floor on agenda item {agendaItem}.");
                }

                if (!seen.Add(invitee))
                {
                    throw RequestValidationException.For($"items[{i}].speakers[{j}]", $"'{invitee}' is listed twice.");
                }

                order.Add($"{agendaItem}|{invitee}");
            }

            if (seen.Count < speakers.Count)
            {
                throw RequestValidationException.For($"items[{i}].speakers", $"The list drops {speakers.Count - seen.Count} of the {speakers.Count} speakers of agenda item {agendaItem}; send every one of them.");
            }
        }

        if (current.Keys.Where(k => !listed.Contains(k)).Order().FirstOrDefault(-1) is var missing and >= 0)
        {
            throw RequestValidationException.For("items", $"Agenda item {missing} has speakers but is not listed; send every item that has speakers.");
        }

        var before = new { speakerOrder = meeting.SpeakerOrderValue };
        meeting.SpeakerOrder = JsonSerializer.Serialize(order, ApiJson.Options);
        meeting.UpdatedAt = time.GetUtcNow();
        var etag = await meetings.ReplaceAsync(meeting, audit.Entry(caller, "Meeting.SpeakersReordered", "Meeting", id, before, new { speakerOrder = order }), cancellationToken);
        var reordered = Speakers(meeting, await meetings.ListRegistrationsAsync(id, cancellationToken));
        return new Versioned<Meeting>(Show(meeting) with { Speakers = reordered }, etag);
    }

    /// <summary>
    /// The meeting's calendar entry for the caller: the invitation's VEVENT at the current SEQUENCE (METHOD:CANCEL once
    /// cancelled), with the caller as attendee. Only for those invited, and the Secretariat (no attendee); anyone else gets 404.
    /// </summary>
    public async Task<string> CalendarAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var meeting = await FindAsync(id, cancellationToken);
        string? address = null, name = null;
        if (!caller.IsSecretariat)
        {
            var roster = meeting.StatusValue == MeetingStatus.Draft ? [] : await RosterAsync(meeting, cancellationToken);
            var invitee = caller.Roles.Where(r => r.Role == Roles.Role.Poc && r.PocId is not null)
                    .Select(r => roster.GetValueOrDefault(r.PocId!)).FirstOrDefault(r => r is not null)
                ?? roster.GetValueOrDefault(NamedRecipient.IdFor(caller.Email))
                ?? throw NotFound(id);
            address = invitee.EmailList.FirstOrDefault(e => string.Equals(e, caller.Email, StringComparison.OrdinalIgnoreCase)) ?? invitee.EmailList.FirstOrDefault();
            name = invitee.FullName;
        }

        var sender = emailOptions.Value;
        var method = meeting.StatusValue == MeetingStatus.Cancelled ? MeetingCalendar.Cancel : MeetingCalendar.Request;
        return MeetingCalendar.Write(meeting, method, sender.SenderAddress, sender.SenderName ?? "Global POC Directory", address, name, time.GetUtcNow());
    }

    /// <summary>
    /// Replaces the meeting. After invitations, a change of time, venue or link sends an update (SEQUENCE + 1) to every
    /// invitee who has not declined; a link set for the first time goes to those registered online.
    /// </summary>
    public async Task<Versioned<Meeting>> UpdateAsync(Caller caller, string id, string ifMatch, MeetingInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var meeting = await FindAsync(id, cancellationToken);
        if (!string.Equals(meeting.ETag.ToString(), ifMatch, StringComparison.Ordinal))
        {
            throw new PreconditionFailedException(ProblemResults.StaleVersion);
        }

        if (meeting.StatusValue is MeetingStatus.Cancelled)
        {
            throw new ConflictException("This meeting is cancelled; it can no longer be changed.");
        }

        await ValidateAsync(input, cancellationToken);
        var before = meeting.ToModel();
        var (oldStart, oldEnd, oldZone, oldVenue, oldLink) = (meeting.StartUtc, meeting.EndUtc, meeting.TimeZone, meeting.Venue, meeting.ConnectionLink);
        Apply(meeting, input);
        meeting.UpdatedAt = time.GetUtcNow();

        var changes = new List<string>();
        if (oldStart != meeting.StartUtc || oldEnd != meeting.EndUtc || oldZone != meeting.TimeZone)
        {
            changes.Add($"The time has changed: the meeting is now at {MeetingEmails.Local(meeting.StartUtc, meeting.TimeZone)} to {MeetingEmails.Local(meeting.EndUtc, meeting.TimeZone, timeOnly: true)} ({meeting.TimeZone}), "
                + $"instead of {MeetingEmails.Local(oldStart, oldZone)} to {MeetingEmails.Local(oldEnd, oldZone, timeOnly: true)} ({oldZone}).");
        }

        if (!string.Equals(oldVenue, meeting.Venue, StringComparison.Ordinal))
        {
            changes.Add($"The venue has changed: {meeting.Venue ?? "none (online only)"}.");
        }

        if (oldLink is not null && !string.Equals(oldLink, meeting.ConnectionLink, StringComparison.Ordinal))
        {
            changes.Add("The connection link has changed; use the new one below.");
        }

        var linkSet = oldLink is null && meeting.ConnectionLink is not null;
        MeetingDeliveryEntity? notice = null;
        if (meeting.StatusValue == MeetingStatus.Invited && (changes.Count > 0 || linkSet))
        {
            meeting.Sequence++;
            notice = changes.Count > 0
                ? Delivery(meeting, MeetingMessage.Update, meeting.Sequence, string.Join(' ', changes))
                : Delivery(meeting, MeetingMessage.Link, meeting.Sequence, null);
        }

        // Reminders follow the time and the offsets: new ones where none is due, those at times no longer wanted stop.
        var existing = meeting.StatusValue == MeetingStatus.Invited ? await meetings.ListDeliveriesAsync(id, cancellationToken) : [];
        var (addedReminders, stoppedReminders) = meeting.StatusValue == MeetingStatus.Invited ? ReminderChanges(meeting, existing, time.GetUtcNow()) : ([], []);
        List<MeetingDeliveryEntity> added = [.. notice is null ? [] : new[] { notice }, .. addedReminders];
        var entry = audit.Entry(caller, "Meeting.Updated", "Meeting", id, before, meeting.ToModel());
        var etag = added.Count == 0
            ? await meetings.ReplaceAsync(meeting, entry, cancellationToken)
            : await meetings.ReplaceWithDeliveriesAsync(meeting, added, entry, cancellationToken);
        if (meeting.StatusValue == MeetingStatus.Invited)
        {
            foreach (var reminder in stoppedReminders)
            {
                // Stopped already by its record (its time is no longer a reminder time); the signal only ends its timer early.
                if (await deliveries.IsStartedAsync(Ref(meeting, reminder), durable, cancellationToken))
                {
                    await deliveries.SignalAsync(Ref(meeting, reminder), DeliveryOrchestrator.Cancel, durable, cancellationToken);
                }
            }

            await StartScheduledAsync(meeting, [.. existing, .. added], durable, cancellationToken);
        }

        var speakers = Speakers(meeting, await meetings.ListRegistrationsAsync(id, cancellationToken));
        return new Versioned<Meeting>(Show(meeting) with { Speakers = speakers }, etag);
    }

    /// <summary>Invites everyone in scope not invited yet: a new invitation round, so it can be called again after new nominations.</summary>
    public async Task<Meeting> InviteAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var meeting = await FindAsync(id, cancellationToken);
        if (meeting.StatusValue == MeetingStatus.Cancelled)
        {
            throw new ConflictException("This meeting is cancelled.");
        }

        var now = time.GetUtcNow();
        var window = meeting.ClosesAt - now;
        if (window <= TimeSpan.Zero)
        {
            throw new ConflictException("Registration for this meeting has closed; invitations can no longer be sent.");
        }

        // A round saved by an earlier call whose start never happened (the process died in between) is started now
        // instead of a new one: its snapshot takes everyone in scope not invited yet, so each is invited exactly once.
        var existing = await meetings.ListDeliveriesAsync(id, cancellationToken);
        if (!existing.Any(d => d.KindValue == MeetingMessage.Invite && d.StateValue == DeliveryState.Scheduled))
        {
            var before = meeting.ToModel();
            meeting.Invitations++;
            meeting.Status = nameof(MeetingStatus.Invited);
            List<MeetingDeliveryEntity> added = [Delivery(meeting, MeetingMessage.Invite, meeting.Invitations, null), .. ReminderChanges(meeting, existing, now).Added];
            await meetings.ReplaceWithDeliveriesAsync(meeting, added, audit.Entry(caller, "Meeting.Invited", "Meeting", id, before, meeting.ToModel()), cancellationToken);
            existing = [.. existing, .. added];
        }

        await StartScheduledAsync(meeting, existing, durable, cancellationToken);
        return Show(meeting);
    }

    /// <summary>Cancels the meeting: METHOD:CANCEL to every invitee who has not declined; invitation rounds stop.</summary>
    public async Task<Meeting> CancelAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var meeting = await FindAsync(id, cancellationToken);
        if (meeting.StatusValue == MeetingStatus.Cancelled)
        {
            throw new ConflictException("This meeting is already cancelled.");
        }

        var before = meeting.ToModel();
        var invited = meeting.StatusValue == MeetingStatus.Invited;
        meeting.Status = nameof(MeetingStatus.Cancelled);
        meeting.Sequence++;
        meeting.UpdatedAt = time.GetUtcNow();
        var entry = audit.Entry(caller, "Meeting.Cancelled", "Meeting", id, before, meeting.ToModel());
        if (!invited)
        {
            await meetings.ReplaceAsync(meeting, entry, cancellationToken);
            return Show(meeting);
        }

        var notice = Delivery(meeting, MeetingMessage.Cancel, meeting.Sequence, null);
        await meetings.ReplaceWithDeliveryAsync(meeting, notice, entry, cancellationToken);
        var existing = await meetings.ListDeliveriesAsync(id, cancellationToken);
        foreach (var running in existing.Where(d => d.KindValue is MeetingMessage.Invite or MeetingMessage.Reminder && d.StateValue != DeliveryState.Closed))
        {
            if (await deliveries.IsStartedAsync(Ref(meeting, running), durable, cancellationToken))
            {
                await deliveries.SignalAsync(Ref(meeting, running), DeliveryOrchestrator.Cancel, durable, cancellationToken);
            }
        }

        await StartDeliveryAsync(meeting, notice, durable, cancellationToken);
        return Show(meeting);
    }

    /// <summary>A new draft meeting on a new date with the same scope, agenda and reminders ("regular meetings").</summary>
    public async Task<Versioned<Meeting>> CopyAsync(Caller caller, string id, MeetingCopyInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var source = await FindAsync(id, cancellationToken);
        copyValidator.ThrowIfInvalid(input);
        MeetingTimes.TryLocal(input.Start, out var start);
        MeetingTimes.TryLocal(source.Start, out var oldStart);
        MeetingTimes.TryLocal(source.End, out var oldEnd);
        var shift = start - oldStart;
        var deadline = source.RegistrationDeadline is { } d && MeetingTimes.TryLocal(d, out var oldDeadline) ? MeetingTimes.Format(oldDeadline + shift) : null;
        var scope = source.InviteesValue;
        var copy = new MeetingInput(source.Title, source.FormatValue, source.Venue, source.TimeZone, MeetingTimes.Format(start), MeetingTimes.Format(oldEnd + shift), null,
            new InviteeScopeInput(scope.Participants.Cast<string?>().ToList(), scope.Regions, scope.Kinds, scope.FocalPoints),
            source.AgendaValue.Select(a => (AgendaItemInput?)new AgendaItemInput(a.Start, a.End, a.Item, a.Speakers)).ToList(), deadline,
            source.RemindersValue.Cast<string?>().ToList());
        return await CreateAsync(caller, copy, cancellationToken);
    }

    public async Task<RsvpView> RsvpViewAsync(string token, CancellationToken cancellationToken)
    {
        var (meeting, invitee) = await ReadLinkAsync(token, cancellationToken);
        var registration = await meetings.FindRegistrationAsync(meeting.Id, invitee.RecipientId, cancellationToken);
        return new RsvpView(meeting.Id, meeting.Title, meeting.FormatValue, meeting.Venue, meeting.TimeZone, meeting.Start, meeting.End, meeting.StartUtc, meeting.EndUtc,
            meeting.AgendaValue, Show(meeting).Status, invitee.FullName, registration?.ToModel(),
            meeting.StatusValue != MeetingStatus.Cancelled && time.GetUtcNow() <= meeting.ClosesAt, meeting.ClosesAt);
    }

    public async Task<Registration> RsvpAsync(string token, RegistrationInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var (meeting, invitee) = await ReadLinkAsync(token, cancellationToken);
        return await RegisterAsync(meeting, invitee, input, new Caller("registration-link", null, []), durable, cancellationToken);
    }

    /// <summary>A signed-in invitee answers in the portal instead of through the link.</summary>
    public async Task<Registration> RegisterAsCallerAsync(Caller caller, string id, RegistrationInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var meeting = await FindAsync(id, cancellationToken);
        var roster = await RosterAsync(meeting, cancellationToken);
        foreach (var role in caller.Roles.Where(r => r.Role == Roles.Role.Poc && r.PocId is not null))
        {
            if (roster.TryGetValue(role.PocId!, out var invitee))
            {
                return await RegisterAsync(meeting, invitee, input, caller, durable, cancellationToken);
            }
        }

        throw new ForbiddenException("You are not a POC invited to this meeting.");
    }

    /// <summary>Every invitee with its answer; a participant's registrations are confidential (<see cref="Confidential.Registrations"/>).</summary>
    public async Task<ListPage<Registration>> RegistrationsAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var meeting = await FindAsync(id, cancellationToken);
        var answers = (await meetings.ListRegistrationsAsync(id, cancellationToken)).ToDictionary(r => r.InviteeId, StringComparer.Ordinal);
        var rows = (await RosterAsync(meeting, cancellationToken)).Values
            .Where(r => caller.Sees(r.Participant, Confidential.Registrations))
            .OrderBy(r => r.Participant, StringComparer.Ordinal).ThenBy(r => r.RecipientId, StringComparer.Ordinal)
            .Select(r => answers.TryGetValue(r.RecipientId, out var a)
                ? a.ToModel()
                : new Registration(r.RecipientId, r.Participant, r.Kind, r.FullName, null, null, false, null, null, null))
            .ToList();
        return new ListPage<Registration>(rows, null);
    }

    /// <summary>Records who attended, from POC ids, addresses and a video-conference CSV; an upload again replaces the same rows.</summary>
    public async Task<AttendanceResult> AttendanceAsync(Caller caller, string id, AttendanceInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var meeting = await FindAsync(id, cancellationToken);
        attendanceValidator.ThrowIfInvalid(input);
        var entries = (input.Attendees ?? []).Select(a => (Who: a!.Trim(), Join: (DateTimeOffset?)null, Leave: (DateTimeOffset?)null)).ToList();
        if (!string.IsNullOrWhiteSpace(input.Csv))
        {
            entries.AddRange(ReadCsv(input.Csv));
        }

        var roster = await RosterAsync(meeting, cancellationToken);
        var byAddress = roster.Values.SelectMany(r => r.EmailList.Select(e => (Email: e.Trim().ToLowerInvariant(), r.RecipientId)))
            .DistinctBy(p => p.Email).ToDictionary(p => p.Email, p => p.RecipientId, StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var rows = new Dictionary<string, AttendeeEntity>(StringComparer.Ordinal);
        foreach (var (who, join, leave) in entries)
        {
            string? inviteeId = who.Contains('@', StringComparison.Ordinal)
                ? byAddress.GetValueOrDefault(who.ToLowerInvariant())
                : roster.ContainsKey(who) ? who : null;
            if (inviteeId is null && !who.Contains('@', StringComparison.Ordinal))
            {
                throw RequestValidationException.For("attendees", $"'{who}' is neither an email address nor the id of a POC invited to this meeting.");
            }

            var key = inviteeId ?? NamedRecipient.IdFor(who);
            var row = rows.TryGetValue(key, out var seen) ? seen : rows[key] = new AttendeeEntity
            {
                PartitionKey = id, RowKey = StorageKeys.AttendeeRowKeyPrefix + key, InviteeId = inviteeId, RecordedAt = now,
            };
            row.JoinedAt = Min(row.JoinedAt, join);
            row.LeftAt = Max(row.LeftAt, leave);
        }

        var list = rows.Values.ToList();
        await meetings.SaveAttendeesAsync(id, list, count => audit.Entry(caller, "Meeting.AttendanceRecorded", "Meeting", id, null, new { attendees = count }), cancellationToken);
        var matched = list.Count(r => r.InviteeId is not null);
        return new AttendanceResult(list.Count, matched, list.Count - matched);
    }

    public async Task<MeetingReport> ReportAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var meeting = await FindAsync(id, cancellationToken);
        var roster = (await RosterAsync(meeting, cancellationToken)).Values.ToList();
        var answers = (await meetings.ListRegistrationsAsync(id, cancellationToken)).ToDictionary(r => r.InviteeId, StringComparer.Ordinal);
        var attendees = await meetings.ListAttendeesAsync(id, cancellationToken);
        var attended = attendees.Where(a => a.InviteeId is not null).Select(a => a.InviteeId!).ToHashSet(StringComparer.Ordinal);

        MeetingCounts Count(string key, IEnumerable<RecipientEntity> rows)
        {
            var list = rows.ToList();
            Attendance? Answer(RecipientEntity r) => answers.TryGetValue(r.RecipientId, out var a) ? a.AttendanceValue : null;
            return new MeetingCounts(key, list.Count, list.Count(r => Answer(r) == Attendance.InPerson), list.Count(r => Answer(r) == Attendance.Online),
                list.Count(r => Answer(r) == Attendance.Declined), list.Count(r => Answer(r) is null), list.Count(r => attended.Contains(r.RecipientId)));
        }

        var speakers = Speakers(meeting, answers.Values);
        return new MeetingReport(id, meeting.Title, Count("total", roster),
            roster.GroupBy(r => r.Region ?? "None").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Count(g.Key, g)).ToList(),
            roster.GroupBy(r => r.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Count(g.Key, g)).ToList(),
            roster.GroupBy(r => r.Participant).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Count(g.Key, g)).ToList(),
            roster.Where(r => attended.Contains(r.RecipientId)).Select(r => r.Participant).Distinct().Count(),
            attendees.Count(a => a.InviteeId is null), speakers);
    }

    public static string ToCsv(MeetingReport report)
    {
        static IEnumerable<string?> Row(string group, MeetingCounts c)
            => [group, c.Key, .. new[] { c.Invited, c.InPerson, c.Online, c.Declined, c.NoAnswer, c.Attended }.Select(n => n.ToString(CultureInfo.InvariantCulture))];
        return Export.SpreadsheetCsv.Write(
            new[] { new[] { "group", "key", "invited", "inPerson", "online", "declined", "noAnswer", "attended" }.AsEnumerable<string?>() }
                .Append(Row("total", report.Total))
                .Concat(report.ByRegion.Select(c => Row("region", c)))
                .Concat(report.ByKind.Select(c => Row("kind", c)))
                .Concat(report.ByParticipant.Select(c => Row("participant", c))));
    }

    /// <summary>
    /// Those who wish to take the floor, per agenda item: in the Secretariat's order when it reordered them, then those
    /// who asked since, in the order they asked.
    /// </summary>
    public static List<Speaker> Speakers(MeetingEntity meeting, IEnumerable<RegistrationEntity> registrations)
    {
        var order = meeting.SpeakerOrderValue.Select((key, i) => (key, i)).ToDictionary(k => k.key, k => k.i, StringComparer.Ordinal);
        return registrations.Where(r => r.WishToTakeFloor && r.AttendanceValue != Attendance.Declined && r.AgendaItem is not null)
            .OrderBy(r => r.AgendaItem)
            .ThenBy(r => order.TryGetValue($"{r.AgendaItem}|{r.InviteeId}", out var i) ? i : int.MaxValue)
            .ThenBy(r => r.FloorAskedAt)
            .Select(r => new Speaker(r.AgendaItem!.Value, r.Participant, r.Name, r.FloorAskedAt ?? r.AnsweredAt, r.InviteeId)).ToList();
    }

    private async Task<Registration> RegisterAsync(MeetingEntity meeting, RecipientEntity invitee, RegistrationInput input, Caller actor, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (meeting.StatusValue == MeetingStatus.Cancelled)
        {
            throw new GoneException("This meeting has been cancelled.");
        }

        if (now > meeting.ClosesAt)
        {
            throw new GoneException($"Registration for this meeting closed at {MeetingEmails.Local(meeting.ClosesAt, meeting.TimeZone)} ({meeting.TimeZone}); answers can no longer be changed.");
        }

        registrationValidator.ThrowIfInvalid(input);
        if (input.Attendance == Attendance.Online && meeting.FormatValue == MeetingFormat.InPerson)
        {
            throw RequestValidationException.For("attendance", "This meeting is in person only.");
        }

        if (input.Attendance == Attendance.InPerson && meeting.FormatValue == MeetingFormat.Virtual)
        {
            throw RequestValidationException.For("attendance", "This meeting is virtual only.");
        }

        var wish = input.WishToTakeFloor ?? false;
        if (wish && (input.AgendaItem is not { } item || item >= meeting.AgendaValue.Count))
        {
            throw RequestValidationException.For("agendaItem", $"To take the floor, name the agenda item (0 to {meeting.AgendaValue.Count - 1}).");
        }

        var existing = await meetings.FindRegistrationAsync(meeting.Id, invitee.RecipientId, cancellationToken);
        var registration = existing ?? new RegistrationEntity
        {
            PartitionKey = meeting.Id, RowKey = StorageKeys.RegistrationRowKeyPrefix + invitee.RecipientId,
            Participant = invitee.Participant, Kind = invitee.Kind, Name = invitee.FullName,
        };
        var before = existing is null ? null : Audited(existing);
        var floorAskedAt = wish && registration.WishToTakeFloor && registration.AgendaItem == input.AgendaItem ? registration.FloorAskedAt : wish ? now : null;
        registration.Attendance = input.Attendance!.Value.ToString();
        registration.DelegationSize = input.DelegationSize ?? 1;
        registration.WishToTakeFloor = wish;
        registration.AgendaItem = wish ? input.AgendaItem : null;
        registration.Note = input.Note;
        registration.AnsweredAt = now;
        registration.FloorAskedAt = floorAskedAt;
        await meetings.SaveRegistrationAsync(registration, existing is null,
            audit.Entry(actor, "Meeting.Registered", "MeetingRegistration", $"{meeting.Id}/{invitee.RecipientId}", before, Audited(registration)), cancellationToken);

        // Answered: the invitation round stops reminding this invitee to register (and ends early once everyone has).
        foreach (var round in MeetingDelivery.Invitations(meeting))
        {
            if (await recipients.FindAsync(round, invitee.RecipientId, cancellationToken) is { OutcomeValue: RecipientOutcome.Pending })
            {
                try
                {
                    await deliveries.AcknowledgeAsync(feature, round.Id, invitee.RecipientId, actor.Email, durable, cancellationToken);
                }
                catch (GoneException)
                {
                    // The round already closed; the answer stands in the registrations.
                }
            }
        }

        await ConfirmAsync(meeting, invitee, registration, cancellationToken);
        return registration.ToModel();
    }

    /// <summary>One message that expects no answer, to the invitee's addresses; a failure leaves the answer recorded.</summary>
    private async Task ConfirmAsync(MeetingEntity meeting, RecipientEntity invitee, RegistrationEntity registration, CancellationToken cancellationToken)
    {
        foreach (var address in invitee.EmailList)
        {
            try
            {
                await email.SendAsync(MeetingEmails.Confirmation(new RegistrationConfirmationModel(meeting, invitee.FullName, address, registration.AttendanceValue, registration.AnsweredAt, invitee.Language ?? MessageTexts.Fallback))
                    with { SendBy = time.GetUtcNow().AddSeconds(10) }, cancellationToken);
            }
            catch (Exception e) when (e is EmailDeliveryException or EmailPaceDeferredException)
            {
                logger.LogWarning("Meeting {Meeting}: the confirmation of a registration could not be sent ({Error})", meeting.Id, e.GetType().Name);
            }
        }
    }

    private static object Audited(RegistrationEntity r) => new { attendance = r.Attendance, delegationSize = r.DelegationSize, wishToTakeFloor = r.WishToTakeFloor, agendaItem = r.AgendaItem };

    /// <summary>Every invitee of every invitation round, by id: the delivery core's snapshot rows.</summary>
    private async Task<Dictionary<string, RecipientEntity>> RosterAsync(MeetingEntity meeting, CancellationToken cancellationToken)
    {
        var roster = new Dictionary<string, RecipientEntity>(StringComparer.Ordinal);
        foreach (var round in MeetingDelivery.Invitations(meeting))
        {
            await foreach (var row in recipients.AllAsync(round, cancellationToken))
            {
                roster.TryAdd(row.RecipientId, row);
            }
        }

        return roster;
    }

    private async Task<(MeetingEntity Meeting, RecipientEntity Invitee)> ReadLinkAsync(string token, CancellationToken cancellationToken)
    {
        if (!links.TryRead(token, out var claim) || claim!.Purpose != LinkPurpose.Register || claim.Feature != MeetingDelivery.FeatureName
            || !MeetingDelivery.TrySplit(claim.DeliveryId, out var meetingId, out _))
        {
            throw new NotFoundException(InvalidLink);
        }

        if (claim.HasExpired(time.GetUtcNow()))
        {
            throw new GoneException("This registration link has expired.");
        }

        var meeting = await meetings.FindAsync(meetingId, cancellationToken) ?? throw new NotFoundException(InvalidLink);
        var invitee = await recipients.FindAsync(new DeliveryRef(MeetingDelivery.FeatureName, claim.DeliveryId), claim.RecipientId, cancellationToken)
            ?? throw new NotFoundException(InvalidLink);
        return (meeting, invitee);
    }

    /// <summary>
    /// The timer's sweep: starts every delivery of a meeting still ahead that was saved but never started (the process
    /// died between a request's save and its start), so a stranded invitation, update, link notice or cancellation goes
    /// out without waiting for the next change. Starting one already started changes nothing (decision 0041).
    /// </summary>
    public async Task StartStrandedAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var scheduled in (await meetings.ListScheduledDeliveriesAsync(cancellationToken)).GroupBy(d => d.PartitionKey, StringComparer.Ordinal))
        {
            if (await meetings.FindAsync(scheduled.Key, cancellationToken) is { StatusValue: not MeetingStatus.Draft } meeting && meeting.StartUtc > now)
            {
                await StartScheduledAsync(meeting, scheduled, durable, cancellationToken);
            }
        }
    }

    private static DeliveryRef Ref(MeetingEntity meeting, MeetingDeliveryEntity delivery)
        => MeetingDelivery.Of(meeting.Id, delivery.RowKey[StorageKeys.MeetingDeliveryRowKeyPrefix.Length..]);

    /// <summary>
    /// Starts every delivery of the meeting still Scheduled: the ones just saved, and any whose start an earlier call
    /// never reached (the process died between the save and the start). Starting one already started changes nothing.
    /// </summary>
    private async Task StartScheduledAsync(MeetingEntity meeting, IEnumerable<MeetingDeliveryEntity> all, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        foreach (var delivery in all.Where(d => d.StateValue == DeliveryState.Scheduled && !d.StopRequested))
        {
            await StartDeliveryAsync(meeting, delivery, durable, cancellationToken);
        }
    }

    /// <summary>
    /// An invitation round takes answers until registration closes, reminding at the offsets before the start; a
    /// reminder begins at its time on a durable timer; a notice (update, link, cancellation) at once. Each stays open
    /// until the start, at least an hour, so its links are not born expired.
    /// </summary>
    private async Task StartDeliveryAsync(MeetingEntity meeting, MeetingDeliveryEntity delivery, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reference = Ref(meeting, delivery);
        switch (delivery.KindValue)
        {
            case MeetingMessage.Invite:
                var window = meeting.ClosesAt - now;
                if (window > TimeSpan.Zero)
                {
                    // "Please register" before the start, as offsets from now; those already past or after registration closes are dropped.
                    var reminders = MeetingDelivery.ReminderTimes(meeting).Select(at => at - now).Where(at => at > TimeSpan.Zero && at < window).ToList();
                    await deliveries.StartAsync(reference, "Invitation", window, reminders, [], durable, cancellationToken);
                }

                break;
            case MeetingMessage.Reminder:
                var startAt = delivery.StartAt ?? now;
                await deliveries.StartAsync(reference, "Reminder", Longest(meeting.StartUtc - startAt, _minimumNoticeWindow), [], [], durable, cancellationToken, notBefore: startAt);
                break;
            default:
                await deliveries.StartAsync(reference, delivery.Kind, Longest(meeting.StartUtc - now, _minimumNoticeWindow), [], [], durable, cancellationToken);
                break;
        }
    }

    private static TimeSpan Longest(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>
    /// The reminders to registrants the meeting wants (one delivery per reminder time still ahead) against those it has:
    /// new ones for times without a live reminder, and the live ones at times no longer wanted.
    /// </summary>
    private static (List<MeetingDeliveryEntity> Added, List<MeetingDeliveryEntity> Stopped) ReminderChanges(
        MeetingEntity meeting, IReadOnlyList<MeetingDeliveryEntity> existing, DateTimeOffset now)
    {
        var reminders = existing.Where(d => d.KindValue == MeetingMessage.Reminder).ToList();
        var live = reminders.Where(d => d.StateValue != DeliveryState.Closed && !d.StopRequested).ToList();
        var wanted = MeetingDelivery.ReminderTimes(meeting).Where(at => at > now).ToList();
        var added = wanted.Where(at => !live.Any(d => d.StartAt == at))
            .Select((at, i) =>
            {
                var reminder = Delivery(meeting, MeetingMessage.Reminder, reminders.Count + i + 1, null);
                reminder.StartAt = at;
                return reminder;
            }).ToList();
        return (added, live.Where(d => !wanted.Contains(d.StartAt ?? default)).ToList());
    }

    private static MeetingDeliveryEntity Delivery(MeetingEntity meeting, MeetingMessage kind, int n, string? changes) => new()
    {
        PartitionKey = meeting.Id,
        RowKey = StorageKeys.MeetingDeliveryRowKeyPrefix + MeetingDelivery.Key(kind, n),
        Kind = kind.ToString(),
        Changes = changes,
    };

    private async Task ValidateAsync(MeetingInput input, CancellationToken cancellationToken)
    {
        validator.ThrowIfInvalid(input);
        foreach (var code in (input.Invitees?.Participants ?? []).Select(p => p!.ToUpperInvariant()).Distinct())
        {
            if (await participants.FindAsync(code, cancellationToken) is null)
            {
                throw RequestValidationException.For("invitees.participants", $"There is no participant with code '{code}'.");
            }
        }
    }

    /// <summary>The input (validated) onto the record; local times are converted once, here, with the zone's rules.</summary>
    private static void Apply(MeetingEntity meeting, MeetingInput input)
    {
        meeting.Title = input.Title!.Trim();
        meeting.Format = input.Format!.Value.ToString();
        meeting.Venue = string.IsNullOrWhiteSpace(input.Venue) ? null : input.Venue.Trim();
        meeting.TimeZone = input.TimeZone!;
        MeetingTimes.TryLocal(input.Start, out var start);
        MeetingTimes.TryLocal(input.End, out var end);
        meeting.Start = MeetingTimes.Format(start);
        meeting.End = MeetingTimes.Format(end);
        meeting.StartUtc = MeetingTimes.Utc(meeting.Start, meeting.TimeZone);
        meeting.EndUtc = MeetingTimes.Utc(meeting.End, meeting.TimeZone);
        meeting.ConnectionLink = input.ConnectionLink;
        var scope = input.Invitees;
        meeting.Invitees = JsonSerializer.Serialize(new InviteeScope(
            (scope?.Participants ?? []).Select(p => p!.ToUpperInvariant()).Distinct().ToList(), (scope?.Regions ?? []).Distinct().ToList(),
            (scope?.Kinds ?? []).Distinct().ToList(), scope?.FocalPoints ?? false), ApiJson.Options);
        meeting.Agenda = JsonSerializer.Serialize((input.Agenda ?? []).Select((a, i) => new AgendaItem(i, a!.Start!, a.End!, a.Item!.Trim(), a.Speakers?.Trim())).ToList(), ApiJson.Options);
        meeting.RegistrationDeadline = input.RegistrationDeadline is { } d && MeetingTimes.TryLocal(d, out var deadline) ? MeetingTimes.Format(deadline) : null;
        meeting.RegistrationDeadlineUtc = meeting.RegistrationDeadline is null ? null : MeetingTimes.TryUtc(meeting.RegistrationDeadline, meeting.TimeZone, out var utc) ? utc : null;
        meeting.Reminders = JsonSerializer.Serialize(input.Reminders ?? [], ApiJson.Options);
    }

    /// <summary>An invited meeting whose end has passed shows as held.</summary>
    private Meeting Show(MeetingEntity meeting)
    {
        var model = meeting.ToModel();
        return model.Status == MeetingStatus.Invited && time.GetUtcNow() > meeting.EndUtc ? model with { Status = MeetingStatus.Held } : model;
    }

    private async Task<MeetingEntity> FindAsync(string id, CancellationToken cancellationToken)
        => await meetings.FindAsync(id, cancellationToken) ?? throw NotFound(id);

    private static NotFoundException NotFound(string id) => new($"There is no meeting with id '{id}'.");

    private static IEnumerable<(string Who, DateTimeOffset? Join, DateTimeOffset? Leave)> ReadCsv(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines.Skip(lines.Length > 0 && lines[0].Contains("mail", StringComparison.OrdinalIgnoreCase) ? 1 : 0))
        {
            var fields = line.Split(',').Select(f => f.Trim().Trim('"').Trim()).ToArray();
            if (fields.Length < 2 || !fields[1].Contains('@', StringComparison.Ordinal))
            {
                throw RequestValidationException.For("csv", "Each row needs name, email, join time, leave time; a row has no email address in its second column.");
            }

            yield return (fields[1], Instant(fields.ElementAtOrDefault(2)), Instant(fields.ElementAtOrDefault(3)));
        }
    }

    private static DateTimeOffset? Instant(string? value)
        => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
