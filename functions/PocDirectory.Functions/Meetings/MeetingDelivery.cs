using Microsoft.Extensions.Options;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Meetings;

/// <summary>
/// Meetings as a feature of the delivery core. Every message of a meeting is a delivery of its own, "{meetingId}-{kind}-{n}":
/// invitation rounds (which take answers: registering acknowledges them, so their reminders reach only those who have
/// not answered), updates, the cancellation and the link notice, each to a subset of those invited (<see cref="RecipientScope.Keep"/>).
/// Sending, links (Register), pacing and retries are the core's.
/// </summary>
/// <remarks>
/// It reads earlier rounds' rows through <see cref="MeetingStore.RecipientRowsAsync"/>, not DeliveryStore: the core's
/// store is built from the features, so a feature that needed it would be a dependency cycle.
/// </remarks>
public sealed class MeetingDelivery(MeetingStore meetings, IOptions<EmailOptions> email, TimeProvider time) : IDeliveryFeature
{
    public const string FeatureName = "meeting";

    public string Name => FeatureName;

    public LinkPurpose LinkPurpose => LinkPurpose.Register;

    public string RecipientsTable => StorageKeys.MeetingRecipientsTable;

    public string AuditEntity => "Meeting";

    public static string Key(MeetingMessage kind, int n) => $"{kind.ToString().ToLowerInvariant()}-{n}";

    public static DeliveryRef Of(string meetingId, string key) => new(FeatureName, $"{meetingId}-{key}");

    /// <summary>The meeting and the delivery key of a delivery id; false for anything else.</summary>
    public static bool TrySplit(string deliveryId, out string meetingId, out string key)
    {
        var dash = deliveryId.IndexOf('-', StringComparison.Ordinal);
        meetingId = dash > 0 ? deliveryId[..dash] : string.Empty;
        key = dash > 0 ? deliveryId[(dash + 1)..] : string.Empty;
        return dash > 0 && key.Length > 0 && MeetingStore.IsWellFormedId(meetingId);
    }

    /// <summary>When the reminders of the meeting go: each reminder's distance before the start.</summary>
    public static IReadOnlyList<DateTimeOffset> ReminderTimes(MeetingEntity meeting)
        => meeting.ReminderDistances.Select(d => meeting.StartUtc - d).Distinct().Order().ToList();

    public static IEnumerable<DeliveryRef> Invitations(MeetingEntity meeting)
        => Enumerable.Range(1, meeting.Invitations).Select(n => Of(meeting.Id, Key(MeetingMessage.Invite, n)));

    public async Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!TrySplit(id, out var meetingId, out var key) || await meetings.FindAsync(meetingId, cancellationToken) is not { } meeting
            || await meetings.FindDeliveryAsync(meetingId, key, cancellationToken) is not { } delivery)
        {
            return null;
        }

        // A cancelled meeting stops its invitation rounds (no more "please register"); its cancellation notice still goes.
        // A reminder no longer at one of the meeting's reminder times (the time or the offsets changed) stops too.
        var stop = delivery.StopRequested || (delivery.KindValue != MeetingMessage.Cancel && meeting.StatusValue == MeetingStatus.Cancelled)
            || (delivery.KindValue == MeetingMessage.Reminder && !ReminderTimes(meeting).Contains(delivery.StartAt ?? default));
        return new DeliveryHeader(meeting.Title, meeting.Reference, delivery.StateValue, delivery.Deadline, stop, delivery.FailedStep);
    }

    public async Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        TrySplit(id, out var meetingId, out var key);
        var meeting = await meetings.FindAsync(meetingId, cancellationToken) ?? throw new InvalidOperationException($"Meeting {meetingId} does not exist.");
        await meetings.ChangeDeliveryAsync(meetingId, key, d =>
        {
            if (d.StateValue != DeliveryState.Scheduled)
            {
                return false;
            }

            (d.State, d.Deadline) = (nameof(DeliveryState.Running), deadline);
            return true;
        }, cancellationToken);

        var delivery = (await meetings.FindDeliveryAsync(meetingId, key, cancellationToken))!;
        var scope = meeting.InviteesValue;
        var everyone = scope.Participants.Count == 0 && scope.Regions.Count == 0 && scope.Kinds.Count == 0;
        var invited = new HashSet<string>(StringComparer.Ordinal);
        foreach (var round in Invitations(meeting).Where(r => r.Id != id))
        {
            foreach (var row in await meetings.RecipientRowsAsync(round.Id, cancellationToken))
            {
                invited.Add(row.RecipientId);
            }
        }

        var registrations = (await meetings.ListRegistrationsAsync(meetingId, cancellationToken)).ToDictionary(r => r.InviteeId, r => r.AttendanceValue, StringComparer.Ordinal);
        Func<string, bool> keep = delivery.KindValue switch
        {
            // A new round goes to those in scope who were not invited before (nominated since).
            MeetingMessage.Invite => r => !invited.Contains(r),
            // The link goes to those registered online and, as a fallback, to the in-person registrants of a hybrid meeting.
            MeetingMessage.Link => r => registrations.TryGetValue(r, out var a) && (a == Attendance.Online || (a == Attendance.InPerson && meeting.FormatValue == MeetingFormat.Hybrid)),
            // A reminder of the meeting goes to those registered (in person or online), not to those who declined or never answered.
            MeetingMessage.Reminder => r => registrations.TryGetValue(r, out var a) && a != Attendance.Declined,
            _ => r => invited.Contains(r) && !(registrations.TryGetValue(r, out var a) && a == Attendance.Declined),
        };
        return new RecipientScope(scope.Participants, scope.Regions, scope.Kinds, scope.FocalPoints || everyone, Keep: keep);
    }

    public async Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken)
    {
        TrySplit(id, out var meetingId, out var key);
        var meeting = await meetings.FindAsync(meetingId, cancellationToken) ?? throw new InvalidOperationException($"Meeting {meetingId} does not exist.");
        var delivery = await meetings.FindDeliveryAsync(meetingId, key, cancellationToken) ?? throw new InvalidOperationException($"Meeting delivery {id} does not exist.");
        var sender = email.Value;
        var stamp = time.GetUtcNow();
        var method = delivery.KindValue == MeetingMessage.Cancel ? MeetingCalendar.Cancel : MeetingCalendar.Request;

        // The link notice and reminders say how the recipient registered; the others need no answers.
        var answers = delivery.KindValue is MeetingMessage.Link or MeetingMessage.Reminder
            ? (await meetings.ListRegistrationsAsync(meetingId, cancellationToken)).ToDictionary(r => r.InviteeId, r => r.AttendanceValue, StringComparer.Ordinal)
            : [];

        // One calendar for the delivery; each message only stamps its attendee (decision 0023).
        var calendar = MeetingCalendar.Template(meeting, method, sender.SenderAddress, sender.SenderName ?? "Global POC Directory", stamp);
        return m => MeetingEmails.Message(new MeetingEmailModel(
            meeting, delivery.KindValue, id, m.Recipient.FullName, m.Address, m.Recipient.TimeZone, m.Link, m.Step, delivery.Changes,
            calendar.For(m.Address, m.Recipient.FullName), m.Recipient.Language ?? MessageTexts.Fallback,
            answers.TryGetValue(m.Recipient.RecipientId, out var answer) ? answer : null));
    }

    public Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<EscalationNotice>>([]);

    public async Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        TrySplit(id, out var meetingId, out var key);
        await meetings.ChangeDeliveryAsync(meetingId, key, d =>
        {
            d.State = nameof(DeliveryState.Closed);
            return true;
        }, cancellationToken);
        return new DeliverySummary(id, recipients.Count,
            recipients.Count(r => r.OutcomeValue == RecipientOutcome.Acknowledged), recipients.Count(r => r.OutcomeValue == RecipientOutcome.NoResponse),
            recipients.Count(r => r.OutcomeValue == RecipientOutcome.Undeliverable), recipients.Count(r => r.OutcomeValue == RecipientOutcome.Cancelled));
    }

    public Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken)
    {
        TrySplit(id, out var meetingId, out var key);
        return meetings.ChangeDeliveryAsync(meetingId, key, d =>
        {
            (d.State, d.FailedStep, d.FailureReason) = (nameof(DeliveryState.Failed), step, reason);
            return true;
        }, cancellationToken);
    }

    public Task ResumeAsync(string id, CancellationToken cancellationToken)
    {
        TrySplit(id, out var meetingId, out var key);
        return meetings.ChangeDeliveryAsync(meetingId, key, d =>
        {
            if (d.StateValue != DeliveryState.Failed)
            {
                return false;
            }

            (d.State, d.FailedStep, d.FailureReason) = (nameof(DeliveryState.Running), null, null);
            return true;
        }, cancellationToken);
    }

    public string ClosedMessage(DeliveryHeader header) => header.Deadline is { } deadline
        ? $"Registration for this meeting closed on {deadline.UtcDateTime:yyyy-MM-dd HH:mm} UTC; answers can no longer be changed."
        : "Registration for this meeting is closed.";
}
