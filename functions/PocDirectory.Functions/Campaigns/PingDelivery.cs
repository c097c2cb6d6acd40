using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>
/// The ping campaign as a feature of the delivery core: what a campaign is (its record, status and failure), what its
/// messages say, whom an escalation tells, and how it closes (<see cref="CampaignClosing"/>). Sending, links, timers and
/// answers are the core's.
/// </summary>
public sealed class PingDelivery(
    CampaignStore campaigns,
    ParticipantStore participants,
    RoleStore roles,
    CampaignClosing closing,
    AuditLog audit,
    TimeProvider time) : IDeliveryFeature
{
    public const string FeatureName = "campaign";

    /// <summary>What step 0 is called in a failure.</summary>
    public const string FirstStepName = "Ping";

    public string Name => FeatureName;

    public LinkPurpose LinkPurpose => LinkPurpose.Acknowledge;

    public string RecipientsTable => StorageKeys.CampaignResultsTable;

    public string AuditEntity => "Campaign";

    public static DeliveryRef Of(string campaignId) => new(FeatureName, campaignId);

    public async Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken)
        => await campaigns.FindAsync(id, cancellationToken) is { } campaign ? Header(campaign) : null;

    public static DeliveryHeader Header(CampaignEntity campaign) => new(
        campaign.Name,
        campaign.Reference,
        campaign.CampaignStatus switch
        {
            CampaignStatus.Scheduled => DeliveryState.Scheduled,
            CampaignStatus.Running => DeliveryState.Running,
            CampaignStatus.Failed => DeliveryState.Failed,
            _ => DeliveryState.Closed,
        },
        campaign.Deadline,
        campaign.CancelRequested,
        campaign.FailedStep);

    public async Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var campaign = await RequireAsync(id, cancellationToken);
        if (campaign.CampaignStatus == CampaignStatus.Scheduled)
        {
            campaign.Status = nameof(CampaignStatus.Running);
            campaign.StartedAt = deadline - campaign.Window;
            campaign.Deadline = deadline;
            await campaigns.UpdateAsync(campaign, cancellationToken);
        }

        var scope = campaign.ScopeValue;
        return new RecipientScope(scope.Participants, scope.Regions, scope.Kinds);
    }

    public async Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken)
    {
        var campaign = await RequireAsync(id, cancellationToken);
        return m => CampaignEmails.Ping(new PingEmailModel(
            campaign.RowKey, campaign.Name, campaign.Reference, m.Recipient.FullName, m.Address, m.Recipient.TimeZone, m.Deadline,
            m.Link.AbsoluteUri, m.Step, campaign.Subject, campaign.Body, m.Recipient.Language ?? MessageTexts.Fallback));
    }

    /// <summary>
    /// For each participant with an unanswered POC: its focal points and its other POCs in the campaign are told, so
    /// someone can chase the silent contact through national channels. One unit per participant; campaigns have one level.
    /// </summary>
    public async Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        var campaign = await RequireAsync(id, cancellationToken);
        var names = (await participants.ListAsync(cancellationToken)).ToDictionary(p => p.Code, p => p.Name, StringComparer.Ordinal);
        var notices = new List<EscalationNotice>();
        foreach (var participant in recipients.GroupBy(r => r.Participant).Where(g => g.Any(r => r.OutcomeValue == RecipientOutcome.Pending)))
        {
            var name = names.GetValueOrDefault(participant.Key, participant.Key);
            var silent = participant.Where(r => r.OutcomeValue == RecipientOutcome.Pending).Select(r => r.FullName).ToList();
            var messages = (await roles.ListAsync(null, Role.FocalPoint, participant.Key, cancellationToken))
                .Select(a => (a.Email, Name: CampaignEmails.FocalPointOf(name), Language: MessageTexts.Fallback))
                .Concat(participant.Where(r => r.OutcomeValue != RecipientOutcome.Pending)
                    .SelectMany(r => r.EmailList.Select(e => (Email: e, Name: r.FullName, Language: r.Language ?? MessageTexts.Fallback))))
                .DistinctBy(r => r.Email, StringComparer.OrdinalIgnoreCase)
                .Select(r => CampaignEmails.Escalation(new EscalationEmailModel(
                    id, campaign.Name, campaign.Reference, r.Name, r.Email, name, silent, campaign.Deadline ?? time.GetUtcNow(), r.Language)))
                .ToList();
            notices.Add(new EscalationNotice(participant.Key, messages));
        }

        return notices;
    }

    public Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
        => closing.CloseAsync(id, cancelled, recipients, cancellationToken);

    /// <summary>A step that failed for good: the campaign shows Failed with the step and the reason until the Secretariat decides.</summary>
    public Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken)
        => campaigns.ChangeAsync(id, c =>
        {
            c.Status = nameof(CampaignStatus.Failed);
            c.FailedStep = step;
            c.FailureReason = reason;
            c.FailedAt = time.GetUtcNow();
            return true;
        }, (before, after) => audit.Entry(Caller.System, "Campaign.Failed", "Campaign", id, before, after), cancellationToken);

    /// <summary>Back to Running before the failed step runs again; the audit log keeps the failure.</summary>
    public Task ResumeAsync(string id, CancellationToken cancellationToken)
        => campaigns.ChangeAsync(id, c =>
        {
            if (c.CampaignStatus != CampaignStatus.Failed)
            {
                return false;
            }

            c.Status = nameof(CampaignStatus.Running);
            (c.FailedStep, c.FailureReason, c.FailedAt) = (null, null, null);
            return true;
        }, (before, after) => audit.Entry(Caller.System, "Campaign.Resumed", "Campaign", id, before, after), cancellationToken);

    public string ClosedMessage(DeliveryHeader header) => header.Deadline is { } deadline
        ? $"This ping closed on {CampaignEmails.FormatUtc(deadline)}; it can no longer be acknowledged. The Secretariat will be in touch."
        : "This ping is closed; it can no longer be acknowledged.";

    private async Task<CampaignEntity> RequireAsync(string id, CancellationToken cancellationToken)
        => await campaigns.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Campaign {id} does not exist.");
}
