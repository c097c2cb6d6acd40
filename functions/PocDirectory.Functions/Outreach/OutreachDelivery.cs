using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Outreach;

/// <summary>
/// Outreach as a feature of the delivery core: the mission contacts and focal points of each participant in scope get a
/// letter saying what it has not nominated and how to; reminders go only to the participants that still lack it (the
/// core asks <see cref="StillConcernedAsync"/>). Sending, links, timers and answers are the core's.
/// </summary>
public sealed class OutreachDelivery(OutreachStore outreach, ParticipantStore participants, MissionContactService missions, PortalLinks portal) : IDeliveryFeature
{
    public const string FeatureName = "outreach";

    public const string FirstStepName = "Letter";

    /// <summary>Mission contacts and focal points are named recipients, whose ids start so (<see cref="NamedRecipient.IdFor"/>); POCs are not written to.</summary>
    private const string NamedRecipientPrefix = "x-";

    public string Name => FeatureName;

    public LinkPurpose LinkPurpose => LinkPurpose.Acknowledge;

    public string RecipientsTable => StorageKeys.OutreachRecipientsTable;

    public string AuditEntity => "Outreach";

    public static DeliveryRef Of(string id) => new(FeatureName, id);

    public async Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken)
        => await outreach.FindAsync(id, cancellationToken) is { } o
            ? new DeliveryHeader(o.Subject ?? OutreachTexts.Subject, o.Reference, o.StateValue, o.Deadline, false, o.FailedStep)
            : null;

    public async Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await outreach.ChangeAsync(id, o =>
        {
            if (o.StateValue != DeliveryState.Scheduled)
            {
                return false;
            }

            (o.State, o.Deadline) = (nameof(DeliveryState.Running), deadline);
            return true;
        }, cancellationToken);
        var targets = (await RequireAsync(id, cancellationToken)).TargetList;
        var codes = targets.Select(t => t.Code).ToList();
        var contacts = await missions.ListAsync(codes, cancellationToken);
        var named = contacts.SelectMany(c => c.Value.Select(m => new NamedRecipient(NamedRecipient.IdFor(m.Email), c.Key, "MissionContact", m.Name, m.Email,
            Language: MessageTexts.Choose([m.Language])))).ToList();
        return new RecipientScope(codes, [], [], FocalPoints: true, Others: named, Keep: r => r.StartsWith(NamedRecipientPrefix, StringComparison.Ordinal));
    }

    public async Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken)
    {
        var o = await RequireAsync(id, cancellationToken);
        var targets = o.TargetList.ToDictionary(t => t.Code, StringComparer.Ordinal);
        var home = portal.Page();
        return m =>
        {
            var target = targets[m.Recipient.Participant];
            return OutreachEmails.Letter(new OutreachEmailModel(
                id, o.Reference, o.Subject, o.Body, target.Name, target.Missing, m.Recipient.FullName, m.Address, m.Step, m.Link, home, m.Recipient.Language ?? MessageTexts.Fallback));
        };
    }

    /// <summary>Only the participants that still lack what they lacked when written to are reminded.</summary>
    public async Task<Func<RecipientEntity, bool>?> StillConcernedAsync(string id, CancellationToken cancellationToken)
    {
        var targets = (await RequireAsync(id, cancellationToken)).TargetList.ToDictionary(t => t.Code, t => t.Missing, StringComparer.Ordinal);
        var now = (await participants.ListAsync(cancellationToken)).ToDictionary(p => p.Code, StringComparer.Ordinal);
        return row => !targets.TryGetValue(row.Participant, out var missing) || !now.TryGetValue(row.Participant, out var participant) || StillLacks(missing, participant);
    }

    public static bool StillLacks(Missing missing, Participant participant) => missing switch
    {
        Missing.NoPoc => participant.ActiveDiplomaticPocs + participant.ActiveTechnicalPocs == 0,
        Missing.NoTechnicalPoc => participant.ActiveTechnicalPocs == 0,
        _ => participant.ActiveDiplomaticPocs == 0,
    };

    public static Missing? MissingOf(NominationStatus status) => status switch
    {
        NominationStatus.None => Missing.NoPoc,
        NominationStatus.DiplomaticOnly => Missing.NoTechnicalPoc,
        NominationStatus.TechnicalOnly => Missing.NoDiplomaticPoc,
        _ => null,
    };

    /// <summary>Outreach has no escalation: the Secretariat follows up through official channels.</summary>
    public Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<EscalationNotice>>([]);

    public async Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        await outreach.ChangeAsync(id, o =>
        {
            if (o.StateValue == DeliveryState.Closed)
            {
                return false;
            }

            o.State = nameof(DeliveryState.Closed);
            return true;
        }, cancellationToken);
        int Count(RecipientOutcome outcome) => recipients.Count(r => r.OutcomeValue == outcome);
        return new DeliverySummary(id, recipients.Count, Count(RecipientOutcome.Acknowledged), Count(RecipientOutcome.NoResponse), Count(RecipientOutcome.Undeliverable), Count(RecipientOutcome.Cancelled));
    }

    public Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken)
        => outreach.ChangeAsync(id, o =>
        {
            (o.State, o.FailedStep, o.FailureReason) = (nameof(DeliveryState.Failed), step, reason);
            return true;
        }, cancellationToken);

    public Task ResumeAsync(string id, CancellationToken cancellationToken)
        => outreach.ChangeAsync(id, o =>
        {
            if (o.StateValue != DeliveryState.Failed)
            {
                return false;
            }

            (o.State, o.FailedStep, o.FailureReason) = (nameof(DeliveryState.Running), null, null);
            return true;
        }, cancellationToken);

    public string ClosedMessage(DeliveryHeader header) => OutreachTexts.ClosedMessage;

    private async Task<OutreachEntity> RequireAsync(string id, CancellationToken cancellationToken)
        => await outreach.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Outreach {id} does not exist.");
}
