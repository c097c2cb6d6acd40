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

        return new Versioned<Meeting>(Show(meeting), meeting.ETag.ToString());
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

        var entry = audit.Entry(caller, "Meeting.Updated", "Meeting", id, before, meeting.ToModel());
        var etag = notice is null
            ? await meetings.ReplaceAsync(meeting, entry, cancellationToken)
            : await meetings.ReplaceWithDeliveryAsync(meeting, notice, entry, cancellationToken);
        if (notice is not null)
        {
            await StartNoticeAsync(meeting, notice, durable, cancellationToken);
        }

        return new Versioned<Meeting>(Show(meeting), etag);
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

        var before = meeting.ToModel();
        meeting.Invitations++;
        meeting.Status = nameof(MeetingStatus.Invited);
        var round = Delivery(meeting, MeetingMessage.Invite, meeting.Invitations, null);
        await meetings.ReplaceWithDeliveryAsync(meeting, round, audit.Entry(caller, "Meeting.Invited", "Meeting", id, before, meeting.ToModel()), cancellationToken);

        // Reminders before the start, as offsets from now; those already past or after registration closes are dropped.
        var reminders = meeting.ReminderDistances.Select(d => meeting.StartUtc - d - now).Where(at => at > TimeSpan.Zero && at < window).Order().ToList();
        await deliveries.StartAsync(MeetingDelivery.Of(id, round.RowKey[StorageKeys.MeetingDeliveryRowKeyPrefix.Length..]), "Invitation", window, reminders, [], durable, cancellationToken);
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
        foreach (var round in MeetingDelivery.Invitations(meeting))
        {
            await deliveries.SignalAsync(round, DeliveryOrchestrator.Cancel, durable, cancellationToken);
        }

        await StartNoticeAsync(meeting, notice, durable, cancellationToken);
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

    /// <summary>Those who wish to take the floor, per agenda item, in the order they asked.</summary>
    private static List<Speaker> Speakers(MeetingEntity meeting, IEnumerable<RegistrationEntity> registrations)
        => registrations.Where(r => r.WishToTakeFloor && r.AttendanceValue != Attendance.Declined && r.AgendaItem is not null)
            .OrderBy(r => r.AgendaItem).ThenBy(r => r.FloorAskedAt)
            .Select(r => new Speaker(r.AgendaItem!.Value, r.Participant, r.Name, r.FloorAskedAt ?? r.AnsweredAt)).ToList();

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
                await email.SendAsync(MeetingEmails.Confirmation(new RegistrationConfirmationModel(meeting, invitee.FullName, address, registration.AttendanceValue, registration.AnsweredAt))
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

    private Task StartNoticeAsync(MeetingEntity meeting, MeetingDeliveryEntity notice, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var window = meeting.StartUtc - time.GetUtcNow();
        return deliveries.StartAsync(MeetingDelivery.Of(meeting.Id, notice.RowKey[StorageKeys.MeetingDeliveryRowKeyPrefix.Length..]), notice.Kind,
            window > _minimumNoticeWindow ? window : _minimumNoticeWindow, [], [], durable, cancellationToken);
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
