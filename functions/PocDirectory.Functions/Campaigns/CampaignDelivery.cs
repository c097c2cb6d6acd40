using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Snapshots a campaign's scope and sends its messages. Logs carry ids and counts, never addresses or names.</summary>
public sealed class CampaignDelivery(
    CampaignStore campaigns,
    PocStore pocs,
    ParticipantStore participants,
    RoleStore roles,
    IEmailSender email,
    AcknowledgementTokens tokens,
    IOptions<CampaignOptions> options,
    IOptions<EmailOptions> emailOptions,
    TimeProvider time,
    ILogger<CampaignDelivery> logger)
{
    /// <summary>Takes the POCs in scope into the results table and marks the campaign running; returns the number of send batches.</summary>
    public async Task<int> SnapshotAsync(SnapshotInput input, CancellationToken cancellationToken)
    {
        var campaign = await RequireAsync(input.CampaignId, cancellationToken);
        if (campaign.CampaignStatus == CampaignStatus.Scheduled)
        {
            campaign.Status = nameof(CampaignStatus.Running);
            campaign.StartedAt = input.Deadline - campaign.Window;
            campaign.Deadline = input.Deadline;
            await campaigns.UpdateAsync(campaign, cancellationToken);
        }

        var scope = campaign.ScopeValue;
        var regions = (await participants.ListAsync(cancellationToken)).ToDictionary(p => p.Code, p => p.Region, StringComparer.Ordinal);
        var inScope = new List<Poc>();
        foreach (var participant in scope.Participants.Count == 0 ? [null] : scope.Participants.Select(p => (string?)p))
        {
            await foreach (var poc in pocs.AllAsync(participant, cancellationToken))
            {
                if (poc.Status == PocStatus.Active
                    && (scope.Kinds.Count == 0 || scope.Kinds.Contains(poc.Kind))
                    && (scope.Regions.Count == 0 || (regions.GetValueOrDefault(poc.Participant) is { } region && scope.Regions.Contains(region))))
                {
                    inScope.Add(poc);
                }
            }
        }

        var batchSize = options.Value.SendBatchSize;
        var rows = inScope.Select((poc, i) => CampaignResultEntity.Snapshot(campaign.RowKey, poc, regions.GetValueOrDefault(poc.Participant), i / batchSize)).ToList();
        await campaigns.SnapshotAsync(campaign.RowKey, rows, cancellationToken);
        logger.LogInformation("Campaign {CampaignId}: {Count} POCs in scope", campaign.RowKey, rows.Count);
        return (rows.Count + batchSize - 1) / batchSize;
    }

    /// <summary>
    /// Sends one step to the unanswered POCs of one batch that have not had it yet. A permanent rejection makes the POC
    /// undeliverable; transient failures are thrown after the rest of the batch is sent, so the retry only redoes those.
    /// The activity stays within its time budget: POCs the shared pace has no slot for in time are left, as deferred, to
    /// the next activity of the batch.
    /// </summary>
    public async Task<BatchOutcome> SendBatchAsync(SendBatchInput input, CancellationToken cancellationToken)
    {
        var campaign = await RequireAsync(input.CampaignId, cancellationToken);
        var rows = await campaigns.BatchAsync(input.CampaignId, input.Batch, cancellationToken);
        if (campaign.CancelRequested)
        {
            return new BatchOutcome(0, 0, rows.Count);
        }

        var started = time.GetUtcNow();
        var sendBy = emailOptions.Value.SendBy(started);
        int sent = 0, undeliverable = 0, skipped = 0, transient = 0, deferred = 0;
        DateTimeOffset? resumeAt = null;
        foreach (var row in rows)
        {
            if (row.OutcomeValue != PingOutcome.Pending || row.LastStepSent >= input.Step)
            {
                skipped++;
                continue;
            }

            if (resumeAt is not null)
            {
                deferred++;
                continue;
            }

            Delivery delivery;
            try
            {
                delivery = await SendToPocAsync(campaign, row, input, sendBy, cancellationToken);
            }
            catch (EmailPaceDeferredException e)
            {
                // The next activity may take a slot up to its own budget ahead: it can start this much before the slot.
                resumeAt = e.NextSlot - (sendBy - started);
                deferred++;
                continue;
            }

            switch (delivery)
            {
                case Delivery.Sent:
                    await campaigns.MarkSentAsync(row, input.Step, time.GetUtcNow(), cancellationToken);
                    sent++;
                    break;
                case Delivery.Rejected:
                    await campaigns.ResolveAsync(input.CampaignId, row.PocId, r =>
                    {
                        r.Outcome = nameof(PingOutcome.Undeliverable);
                        r.UndeliverableReason = "Every address of this POC was rejected by the mail system.";
                    }, cancellationToken, lastRead: row);
                    undeliverable++;
                    break;
                default:
                    transient++;
                    break;
            }
        }

        logger.LogInformation("Campaign {CampaignId} step {Step} batch {Batch}: {Sent} sent, {Undeliverable} undeliverable, {Transient} to retry, {Deferred} deferred by the pace",
            input.CampaignId, input.Step, input.Batch, sent, undeliverable, transient, deferred);
        return transient > 0
            ? throw new EmailDeliveryException($"{transient} messages of batch {input.Batch} could not be sent yet.", isPermanent: false)
            : new BatchOutcome(sent, undeliverable, skipped, deferred, resumeAt);
    }

    /// <summary>
    /// After the last retry, or at the deadline with sends still deferred by the pace: POCs whose ping never went out
    /// count as undeliverable, with the reason (a missed reminder does not).
    /// </summary>
    public async Task<int> GiveUpBatchAsync(SendBatchInput input, CancellationToken cancellationToken)
    {
        if (input.Step != CampaignSteps.Ping)
        {
            return 0;
        }

        var reason = time.GetUtcNow() >= input.Deadline
            ? "The ping could not be sent before the deadline at the configured email pace."
            : "The mail system could not be reached after every retry.";
        var givenUp = 0;
        foreach (var row in await campaigns.BatchAsync(input.CampaignId, input.Batch, cancellationToken))
        {
            if (row.LastStepSent < CampaignSteps.Ping && await campaigns.ResolveAsync(input.CampaignId, row.PocId, r =>
                {
                    r.Outcome = nameof(PingOutcome.Undeliverable);
                    r.UndeliverableReason = reason;
                }, cancellationToken, lastRead: row))
            {
                givenUp++;
            }
        }

        logger.LogWarning("Campaign {CampaignId} batch {Batch}: {Count} POCs undeliverable after retries", input.CampaignId, input.Batch, givenUp);
        return givenUp;
    }

    /// <summary>
    /// At the deadline: for each participant with an unanswered POC, tells its focal points and its other POCs in the
    /// campaign, so someone can chase the silent contact through national channels. Each participant done is recorded, so
    /// a retried or continued escalation goes on where it stopped; a cancelled campaign escalates nothing, even when the
    /// cancel's signal never reached the orchestration.
    /// </summary>
    public async Task<EscalationOutcome> EscalateAsync(string campaignId, CancellationToken cancellationToken)
    {
        var campaign = await RequireAsync(campaignId, cancellationToken);
        if (campaign.CancelRequested)
        {
            logger.LogInformation("Campaign {CampaignId}: cancelled, no escalation", campaignId);
            return new EscalationOutcome(0, 0, null);
        }

        var results = new List<CampaignResultEntity>();
        await foreach (var row in campaigns.AllResultsAsync(campaignId, cancellationToken))
        {
            results.Add(row);
        }

        var escalated = await campaigns.EscalatedAsync(campaignId, cancellationToken);
        var names = (await participants.ListAsync(cancellationToken)).ToDictionary(p => p.Code, p => p.Name, StringComparer.Ordinal);
        var due = results.GroupBy(r => r.Participant)
            .Where(g => !escalated.Contains(g.Key) && g.Any(r => r.OutcomeValue == PingOutcome.Pending)).ToList();
        var started = time.GetUtcNow();
        var sendBy = emailOptions.Value.SendBy(started);
        var notified = 0;
        for (var done = 0; done < due.Count; done++)
        {
            var participant = due[done];
            var silent = participant.Where(r => r.OutcomeValue == PingOutcome.Pending).ToList();
            var recipients = (await roles.ListAsync(null, Role.FocalPoint, participant.Key, cancellationToken))
                .Select(a => (Email: a.Email, Name: $"focal point of {names.GetValueOrDefault(participant.Key, participant.Key)}"))
                .Concat(participant.Where(r => r.OutcomeValue != PingOutcome.Pending).SelectMany(r => r.EmailList.Select(e => (Email: e, Name: r.FullName))))
                .DistinctBy(r => r.Email, StringComparer.OrdinalIgnoreCase);
            foreach (var (address, name) in recipients)
            {
                try
                {
                    await email.SendAsync(CampaignEmails.Escalation(new EscalationEmailModel(
                        campaignId, campaign.Name, campaign.Reference, name, address, names.GetValueOrDefault(participant.Key, participant.Key),
                        silent.Select(r => r.FullName).ToList(), campaign.Deadline ?? started)) with { SendBy = sendBy }, cancellationToken);
                    notified++;
                }
                catch (EmailDeliveryException e) when (e.IsPermanent)
                {
                    logger.LogWarning("Campaign {CampaignId}: an escalation for {Participant} was rejected", campaignId, participant.Key);
                }
                catch (EmailPaceDeferredException e)
                {
                    logger.LogInformation("Campaign {CampaignId}: {Count} escalation messages sent, {Remaining} participants left to the next activity",
                        campaignId, notified, due.Count - done);
                    return new EscalationOutcome(notified, due.Count - done, e.NextSlot - (sendBy - started));
                }
            }

            await campaigns.MarkEscalatedAsync(campaignId, participant.Key, cancellationToken);
        }

        logger.LogInformation("Campaign {CampaignId}: {Count} escalation messages sent", campaignId, notified);
        return new EscalationOutcome(notified, 0, null);
    }

    private enum Delivery
    {
        Sent,
        Rejected,
        Retry,
    }

    /// <summary>
    /// One message per address of the POC; delivered to any address counts as sent. A POC the pace defers before its
    /// first address is left whole to the next activity; one deferred after that counts as sent, like a rejected address.
    /// </summary>
    private async Task<Delivery> SendToPocAsync(
        CampaignEntity campaign, CampaignResultEntity row, SendBatchInput input, DateTimeOffset sendBy, CancellationToken cancellationToken)
    {
        var link = new Uri(new Uri(options.Value.PublicBaseUrl.TrimEnd('/') + "/"), "ack/" + tokens.Create(campaign.RowKey, row.PocId)).ToString();
        int delivered = 0, rejected = 0;
        foreach (var address in row.EmailList)
        {
            try
            {
                await email.SendAsync(CampaignEmails.Ping(new PingEmailModel(
                    campaign.RowKey, campaign.Name, campaign.Reference, row.FullName, address, row.TimeZone, input.Deadline,
                    link, input.Step, campaign.Subject, campaign.Body)) with { SendBy = sendBy }, cancellationToken);
                delivered++;
            }
            catch (EmailPaceDeferredException) when (delivered > 0)
            {
                break;
            }
            catch (EmailDeliveryException e) when (e.IsPermanent)
            {
                rejected++;
            }
            catch (EmailDeliveryException)
            {
                // Transient: counted by the caller as "retry".
            }
        }

        return delivered > 0 ? Delivery.Sent : rejected == row.EmailList.Count ? Delivery.Rejected : Delivery.Retry;
    }

    private async Task<CampaignEntity> RequireAsync(string campaignId, CancellationToken cancellationToken)
        => await campaigns.FindAsync(campaignId, cancellationToken) ?? throw new InvalidOperationException($"Campaign {campaignId} does not exist.");
}
