using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Reconfirmation;

/// <summary>
/// Periodic re-confirmation as a feature of the delivery core: the POCs found stale get a one-click confirm link
/// (/confirm/{token}); a reminder after the grace period to those that have not confirmed by any means; at the end the
/// rest become Overdue and their participants' focal points are told. Sending, links, timers and answers are the core's.
/// </summary>
public sealed class ReconfirmationDelivery(ReconfirmationStore rounds, PocStore pocs, ParticipantStore participants, RoleStore roles, PortalLinks portal) : IDeliveryFeature
{
    public const string FeatureName = "reconfirmation";

    public const string FirstStepName = "Request";

    public string Name => FeatureName;

    public LinkPurpose LinkPurpose => LinkPurpose.Confirm;

    public string RecipientsTable => StorageKeys.ReconfirmationRecipientsTable;

    public string AuditEntity => "Reconfirmation";

    public static DeliveryRef Of(string id) => new(FeatureName, id);

    public async Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken)
        => await rounds.FindAsync(id, cancellationToken) is { } r ? new DeliveryHeader(ReconfirmationTexts.Title, r.Reference, r.StateValue, r.Deadline, false, r.FailedStep) : null;

    public async Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        await rounds.ChangeAsync(id, r =>
        {
            if (r.StateValue != DeliveryState.Scheduled)
            {
                return false;
            }

            (r.State, r.Deadline) = (nameof(DeliveryState.Running), deadline);
            return true;
        }, cancellationToken);
        var round = await RequireAsync(id, cancellationToken);
        var ids = round.PocsByParticipant.SelectMany(p => p.Value).ToHashSet(StringComparer.Ordinal);
        return new RecipientScope(round.PocsByParticipant.Keys.ToList(), [], [], Keep: ids.Contains);
    }

    public async Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken)
    {
        var round = await RequireAsync(id, cancellationToken);
        var confirmed = await LastConfirmedAsync(round, cancellationToken);
        return m => ReconfirmationEmails.Request(new ReconfirmationEmailModel(
            id, round.Reference, m.Recipient.FullName, m.Address, m.Recipient.TimeZone, confirmed.GetValueOrDefault(m.Recipient.RecipientId, round.CreatedAt), m.Step,
            m.Link, portal.Page("pocs", m.Recipient.RecipientId), m.Deadline, m.Recipient.Language ?? MessageTexts.Fallback));
    }

    /// <summary>A POC that confirmed since the round began, in the portal or by its link, needs no reminder.</summary>
    public async Task<Func<RecipientEntity, bool>?> StillConcernedAsync(string id, CancellationToken cancellationToken)
    {
        var round = await RequireAsync(id, cancellationToken);
        var confirmed = await LastConfirmedAsync(round, cancellationToken);
        return row => !confirmed.TryGetValue(row.RecipientId, out var at) || at < round.CreatedAt;
    }

    /// <summary>One level, at the deadline: the focal points of each participant learn which of its POCs did not confirm.</summary>
    public async Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        var round = await RequireAsync(id, cancellationToken);
        var confirmed = await LastConfirmedAsync(round, cancellationToken);
        var names = (await participants.ListAsync(cancellationToken)).ToDictionary(p => p.Code, p => p.Name, StringComparer.Ordinal);
        var notices = new List<EscalationNotice>();
        foreach (var participant in recipients.Where(r => r.OutcomeValue == RecipientOutcome.Pending && (!confirmed.TryGetValue(r.RecipientId, out var at) || at < round.CreatedAt))
                     .GroupBy(r => r.Participant))
        {
            var name = names.GetValueOrDefault(participant.Key, participant.Key);
            var silent = participant.Select(r => r.FullName).ToList();
            var messages = (await roles.ListAsync(null, Role.FocalPoint, participant.Key, cancellationToken))
                .DistinctBy(a => a.Email, StringComparer.OrdinalIgnoreCase)
                .Select(a => ReconfirmationEmails.Overdue(new OverdueEmailModel(id, round.Reference, a.Email, name, silent)))
                .ToList();
            notices.Add(new EscalationNotice(participant.Key, messages));
        }

        return notices;
    }

    /// <summary>Whoever neither answered the link nor confirmed in the portal since the round began is Overdue.</summary>
    public async Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        var round = await RequireAsync(id, cancellationToken);
        if (!cancelled)
        {
            foreach (var participant in recipients.Where(r => r.OutcomeValue != RecipientOutcome.Acknowledged).GroupBy(r => r.Participant))
            {
                await pocs.SetConfirmationAsync(participant.Key, participant.Select(r => r.RecipientId).ToList(), ConfirmationStatus.Overdue,
                    poc => poc.LastConfirmedAt < round.CreatedAt, cancellationToken);
            }
        }

        await rounds.ChangeAsync(id, r =>
        {
            if (r.StateValue == DeliveryState.Closed)
            {
                return false;
            }

            r.State = nameof(DeliveryState.Closed);
            return true;
        }, cancellationToken);
        int Count(RecipientOutcome outcome) => recipients.Count(r => r.OutcomeValue == outcome);
        return new DeliverySummary(id, recipients.Count, Count(RecipientOutcome.Acknowledged), Count(RecipientOutcome.NoResponse), Count(RecipientOutcome.Undeliverable), Count(RecipientOutcome.Cancelled));
    }

    public Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken)
        => rounds.ChangeAsync(id, r =>
        {
            (r.State, r.FailedStep) = (nameof(DeliveryState.Failed), step);
            return true;
        }, cancellationToken);

    public Task ResumeAsync(string id, CancellationToken cancellationToken)
        => rounds.ChangeAsync(id, r =>
        {
            if (r.StateValue != DeliveryState.Failed)
            {
                return false;
            }

            (r.State, r.FailedStep) = (nameof(DeliveryState.Running), null);
            return true;
        }, cancellationToken);

    public string ClosedMessage(DeliveryHeader header) => ReconfirmationTexts.ClosedMessage;

    private async Task<Dictionary<string, DateTimeOffset>> LastConfirmedAsync(ReconfirmationEntity round, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var (participant, ids) in round.PocsByParticipant)
        {
            await foreach (var poc in pocs.AllAsync(participant, cancellationToken))
            {
                if (ids.Contains(poc.Id))
                {
                    found[poc.Id] = poc.LastConfirmedAt;
                }
            }
        }

        return found;
    }

    private async Task<ReconfirmationEntity> RequireAsync(string id, CancellationToken cancellationToken)
        => await rounds.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Re-confirmation round {id} does not exist.");
}
