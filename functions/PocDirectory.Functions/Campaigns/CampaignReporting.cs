using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Closes a campaign: final outcomes, the stored report, each POC's ping record, and the summary email.</summary>
public sealed class CampaignReporting(
    CampaignStore campaigns,
    PocStore pocs,
    IEmailSender email,
    AuditLog audit,
    IOptions<CampaignOptions> options,
    TimeProvider time,
    ILogger<CampaignReporting> logger)
{
    public async Task<CampaignSummary> CompileAsync(CompileInput input, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.FindAsync(input.CampaignId, cancellationToken)
            ?? throw new InvalidOperationException($"Campaign {input.CampaignId} does not exist.");

        // The stored flag, not only the signal: if raising the cancel event failed after the flag was saved, the campaign
        // ran to its deadline, but it is still a cancelled campaign.
        var cancelled = input.Cancelled || campaign.CancelRequested;
        var closing = cancelled ? PingOutcome.Cancelled : PingOutcome.NoResponse;
        await foreach (var pocId in campaigns.PendingPocIdsAsync(input.CampaignId, cancellationToken))
        {
            await campaigns.ResolveAsync(input.CampaignId, pocId, r =>
            {
                if (closing == PingOutcome.NoResponse && r.LastStepSent < CampaignSteps.Ping)
                {
                    // Closed after a failed step: a POC never pinged did not miss a ping.
                    r.Outcome = nameof(PingOutcome.Undeliverable);
                    r.UndeliverableReason = $"The ping was never sent: the campaign failed at step {campaign.FailedStep} and was closed.";
                }
                else
                {
                    r.Outcome = closing.ToString();
                }
            }, cancellationToken);
        }

        var results = new List<CampaignResult>();
        await foreach (var row in campaigns.AllResultsAsync(input.CampaignId, cancellationToken))
        {
            results.Add(row.ToModel());
        }

        var report = CampaignReportBuilder.Build(input.CampaignId, results, time.GetUtcNow());
        await campaigns.SaveReportAsync(report, cancellationToken);
        if (!cancelled)
        {
            await pocs.RecordPingOutcomesAsync(
                input.CampaignId,
                results.Where(r => r.Outcome != PingOutcome.Cancelled).Select(r => new PingOutcomeUpdate(
                    r.Participant, r.PocId, r.Outcome.ToString(), r.Outcome == PingOutcome.Acknowledged, r.AcknowledgedAt)),
                cancellationToken);
        }

        // Closed already: this step ran before and the process died before its completion was recorded. The first run's
        // time and audit entry stand; only the summary below may go out again (same idempotency key). A failed campaign
        // closed by the Secretariat keeps its failure, so it still says which step it stopped at.
        var status = cancelled ? CampaignStatus.Cancelled : CampaignStatus.Completed;
        if (await campaigns.ChangeAsync(campaign.RowKey, c =>
            {
                if (c.CampaignStatus is CampaignStatus.Completed or CampaignStatus.Cancelled)
                {
                    return false;
                }

                c.Status = status.ToString();
                c.CompletedAt = time.GetUtcNow();
                return true;
            }, (before, after) => audit.Entry(Caller.System, $"Campaign.{status}", "Campaign", campaign.RowKey, before, after), cancellationToken) is (_, var after))
        {
            campaign = after;
        }

        var summary = new CampaignSummary(
            input.CampaignId,
            report.Overall.InScope,
            report.Overall.Acknowledged,
            report.Overall.NoResponse,
            report.Overall.Undeliverable,
            results.Count(r => r.Outcome == PingOutcome.Cancelled));
        await SendSummaryAsync(campaign, summary, cancellationToken);
        return summary;
    }

    private async Task SendSummaryAsync(CampaignEntity campaign, CampaignSummary summary, CancellationToken cancellationToken)
    {
        var recipients = (options.Value.SummaryRecipients ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(campaign.CreatedBy)
            .Where(PocInputValidator.BeEmailAddress)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var reportUrl = $"{options.Value.PublicBaseUrl.TrimEnd('/')}/#/campaigns/{campaign.RowKey}/report";
        foreach (var recipient in recipients)
        {
            try
            {
                await email.SendAsync(CampaignEmails.Summary(new SummaryEmailModel(
                    campaign.RowKey, campaign.Name, campaign.Reference, recipient, summary.InScope, summary.Acknowledged,
                    summary.NoResponse, summary.Undeliverable, reportUrl)), cancellationToken);
            }
            catch (EmailDeliveryException e)
            {
                // The report is stored whatever happens to its summary email; a lost summary must not fail the campaign.
                logger.LogWarning("Campaign {CampaignId}: the summary email was not sent (permanent: {Permanent})", campaign.RowKey, e.IsPermanent);
            }
        }
    }
}
