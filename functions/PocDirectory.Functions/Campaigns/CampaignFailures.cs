using Microsoft.Extensions.Logging;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Campaigns;

/// <summary>
/// A campaign step that failed for good: recorded on the campaign (status Failed, the step and the reason) for the
/// Secretariat to see, and cleared when they have the step run again. The orchestration decides what to do next.
/// </summary>
public sealed class CampaignFailures(CampaignStore campaigns, AuditLog audit, TimeProvider time, ILogger<CampaignFailures> logger)
{
    public async Task<bool> RecordAsync(StepFailure failure, CancellationToken cancellationToken)
    {
        await campaigns.ChangeAsync(failure.CampaignId, c =>
        {
            c.Status = nameof(CampaignStatus.Failed);
            c.FailedStep = failure.Step;
            c.FailureReason = failure.Reason;
            c.FailedAt = time.GetUtcNow();
            return true;
        }, (before, after) => audit.Entry(Caller.System, "Campaign.Failed", "Campaign", failure.CampaignId, before, after), cancellationToken);
        logger.LogError("Campaign {CampaignId} failed at step {Step}: {Reason}", failure.CampaignId, failure.Step, failure.Reason);
        return true;
    }

    /// <summary>Back to Running before the failed step runs again; the audit log keeps the failure.</summary>
    public async Task<bool> ResumeAsync(string campaignId, CancellationToken cancellationToken)
    {
        await campaigns.ChangeAsync(campaignId, c =>
            {
                if (c.CampaignStatus != CampaignStatus.Failed)
                {
                    return false;
                }

                c.Status = nameof(CampaignStatus.Running);
                (c.FailedStep, c.FailureReason, c.FailedAt) = (null, null, null);
                return true;
            }, (before, after) => audit.Entry(Caller.System, "Campaign.Resumed", "Campaign", campaignId, before, after), cancellationToken);
        return true;
    }
}
