using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Campaigns;

/// <summary>
/// The closing step of a campaign, once the delivery core has given every unanswered POC its final outcome: the stored
/// report, each POC's ping record, the final status, and the summary email.
/// </summary>
public sealed class CampaignClosing(
    CampaignStore campaigns,
    PocStore pocs,
    IEmailSender email,
    AuditLog audit,
    PortalLinks portal,
    IOptions<CampaignOptions> options,
    TimeProvider time,
    ILogger<CampaignClosing> logger)
{
    public async Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        var campaign = await campaigns.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Campaign {id} does not exist.");
        var results = recipients.Select(r => r.ToCampaignResult()).ToList();
        var report = CampaignReportBuilder.Build(id, results, time.GetUtcNow());
        await campaigns.SaveReportAsync(report, cancellationToken);
        if (!cancelled)
        {
            await pocs.RecordPingOutcomesAsync(
                id,
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

        var summary = new DeliverySummary(
            id,
            report.Overall.InScope,
            report.Overall.Acknowledged,
            report.Overall.NoResponse,
            report.Overall.Undeliverable,
            results.Count(r => r.Outcome == PingOutcome.Cancelled));
        await SendSummaryAsync(campaign, summary, cancellationToken);
        return summary;
    }

    private async Task SendSummaryAsync(CampaignEntity campaign, DeliverySummary summary, CancellationToken cancellationToken)
    {
        var recipients = (options.Value.SummaryRecipients ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Append(campaign.CreatedBy)
            .Where(PocInputValidator.BeEmailAddress)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var reportUrl = portal.Page("campaigns", campaign.RowKey, "report").AbsoluteUri;
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
