using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Email.Pgp;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Telemetry;

namespace PocDirectory.Functions.Delivery;

public sealed record SnapshotInput(DeliveryRef Delivery, DateTimeOffset Deadline);

public sealed record SendBatchInput(DeliveryRef Delivery, int Step, int Batch, DateTimeOffset Deadline);

/// <summary>
/// What one send activity did. <paramref name="Deferred"/> recipients are left for the next activity because the shared
/// pace had no slot for them within this one's time budget; <paramref name="ResumeAt"/> is when a slot may be free again.
/// </summary>
/// <paramref name="Held"/> recipients wait for their business hours, the first window opening at <paramref name="HeldUntil"/>:
/// the step is sent again to the batch then.
public sealed record BatchOutcome(int Sent, int Undeliverable, int Skipped, int Deferred = 0, DateTimeOffset? ResumeAt = null, int Held = 0, DateTimeOffset? HeldUntil = null);

/// <summary>What one escalation activity did; as with sends, <paramref name="Remaining"/> units wait for the next one.</summary>
public sealed record EscalationOutcome(int Notified, int Remaining, DateTimeOffset? ResumeAt);

public sealed record EscalateInput(DeliveryRef Delivery, int Level);

public sealed record CloseInput(DeliveryRef Delivery, bool Cancelled);

public sealed record StepFailure(DeliveryRef Delivery, string Step, string Reason);

/// <summary>
/// The I/O of every delivery's orchestration: snapshot, paced sending with signed links, giving up, escalation, closing.
/// Each is idempotent, so a retried or replayed activity converges. The feature is asked only for what is its own.
/// Logs carry ids and counts, never addresses or names.
/// </summary>
public sealed class DeliveryWork(
    DeliveryFeatures features,
    DeliveryStore recipients,
    DeliveryHeaders headers,
    PocStore pocs,
    ParticipantStore participants,
    RoleStore roles,
    FocalPointNotices focalPoints,
    IEmailSender email,
    DeliveryLinks links,
    PortalLinks portal,
    IOptions<DeliveryOptions> options,
    IOptions<EmailOptions> emailOptions,
    TimeProvider time,
    DirectoryMetrics metrics,
    ILogger<DeliveryWork> logger)
{
    /// <summary>Links keep working this long after the deadline, so a late click is told "closed", not "invalid link".</summary>
    public static readonly TimeSpan LinkGrace = TimeSpan.FromDays(90);

    /// <summary>Takes the recipients in scope into the delivery's rows and marks it running; returns the number of send batches.</summary>
    public async Task<int> SnapshotAsync(SnapshotInput input, CancellationToken cancellationToken)
    {
        var scope = await features[input.Delivery.Feature].StartAsync(input.Delivery.Id, input.Deadline, cancellationToken);
        var all = await participants.ListAsync(cancellationToken);
        var regions = all.ToDictionary(p => p.Code, p => p.Region, StringComparer.Ordinal);
        var encrypted = all.Where(p => p.RequireEncryption).Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        var inScope = new List<Poc>();
        foreach (var participant in scope.NamedOnly ? [] : scope.Participants.Count == 0 ? [null] : scope.Participants.Select(p => (string?)p))
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

        var others = new List<NamedRecipient>(scope.Others ?? []);
        if (scope.FocalPoints && !scope.NamedOnly)
        {
            foreach (var participant in scope.Participants.Count == 0 ? [null] : scope.Participants.Select(p => (string?)p))
            {
                others.AddRange((await roles.ListAsync(null, Role.FocalPoint, participant, cancellationToken))
                    .Where(a => a.Participant is { } code && (scope.Regions.Count == 0 || (regions.GetValueOrDefault(code) is { } region && scope.Regions.Contains(region))))
                    .Select(a => new NamedRecipient(NamedRecipient.IdFor(a.Email), a.Participant!, "FocalPoint", string.Empty, a.Email)));
            }
        }

        var batchSize = options.Value.SendBatchSize;
        var now = time.GetUtcNow();
        var rows = inScope.Select(poc => RecipientEntity.Snapshot(input.Delivery.Id, poc, regions.GetValueOrDefault(poc.Participant), 0, encrypted.Contains(poc.Participant), now))
            .Concat(others.DistinctBy(o => o.Id).Select(o => RecipientEntity.Snapshot(input.Delivery.Id, o, regions.GetValueOrDefault(o.Participant), 0)))
            .DistinctBy(r => r.RowKey)
            .Where(r => scope.Keep?.Invoke(r.RecipientId) ?? true)
            .OrderBy(r => r.RowKey, StringComparer.Ordinal)
            .Select((row, i) => { row.Batch = i / batchSize; return row; })
            .ToList();
        var batches = await recipients.SnapshotAsync(input.Delivery, rows, batchSize, cancellationToken);
        logger.LogInformation("Delivery {Delivery}: {Count} recipients in scope, {Batches} batches", input.Delivery.InstanceId, rows.Count, batches);
        return batches;
    }

    /// <summary>
    /// Sends one step to the unanswered recipients of one batch that have not had it yet. A permanent rejection makes the
    /// recipient undeliverable; transient failures are thrown after the rest of the batch is sent, so the retry only
    /// redoes those. The activity stays within its time budget: recipients the shared pace has no slot for in time are
    /// left, as deferred, to the next activity of the batch.
    /// </summary>
    public async Task<BatchOutcome> SendBatchAsync(SendBatchInput input, CancellationToken cancellationToken)
    {
        var feature = features[input.Delivery.Feature];
        var header = await RequireAsync(feature, input.Delivery, cancellationToken);
        var rows = await recipients.BatchAsync(input.Delivery, input.Batch, cancellationToken);
        if (header.StopRequested)
        {
            return new BatchOutcome(0, 0, rows.Count);
        }

        var compose = await feature.ComposeAsync(input.Delivery.Id, cancellationToken);
        var concerned = input.Step > DeliverySteps.First ? await feature.StillConcernedAsync(input.Delivery.Id, cancellationToken) : null;
        var started = time.GetUtcNow();
        var sendBy = emailOptions.Value.SendBy(started);
        int sent = 0, undeliverable = 0, skipped = 0, transient = 0, deferred = 0, held = 0;
        DateTimeOffset? resumeAt = null, heldUntil = null;
        foreach (var row in rows)
        {
            if (row.OutcomeValue != RecipientOutcome.Pending || row.LastStepSent >= input.Step || concerned?.Invoke(row) == false)
            {
                skipped++;
                continue;
            }

            if (BusinessHours.HoldUntil(row, input.Step, header, time.GetUtcNow(), input.Deadline) is { } until)
            {
                await recipients.MarkHeldAsync(input.Delivery, row, time.GetUtcNow(), cancellationToken);
                heldUntil = heldUntil is { } earliest && earliest < until ? earliest : until;
                held++;
                continue;
            }

            if (resumeAt is not null)
            {
                deferred++;
                continue;
            }

            if (row.RequireEncryption && row.PgpKey is null)
            {
                // Decision 0034: no content in the clear to a POC whose participant requires encryption; its focal points are told.
                try
                {
                    await TellFocalPointsNoKeyAsync(header, row, input, sendBy, cancellationToken);
                }
                catch (EmailPaceDeferredException e)
                {
                    resumeAt = e.NextSlot - (sendBy - started);
                    deferred++;
                    continue;
                }
                catch (EmailDeliveryException e) when (!e.IsPermanent)
                {
                    transient++;
                    continue;
                }

                await recipients.ResolveAsync(input.Delivery, row.RecipientId, r =>
                {
                    r.Outcome = nameof(RecipientOutcome.Undeliverable);
                    r.UndeliverableReason = NoKeyReason;
                }, cancellationToken, lastRead: row);
                undeliverable++;
                continue;
            }

            Sending result;
            try
            {
                result = await SendToRecipientAsync(feature, compose, row, input, sendBy, cancellationToken);
            }
            catch (EmailPaceDeferredException e)
            {
                // The next activity may take a slot up to its own budget ahead: it can start this much before the slot.
                resumeAt = e.NextSlot - (sendBy - started);
                deferred++;
                continue;
            }

            switch (result)
            {
                case Sending.Sent:
                    await recipients.MarkSentAsync(input.Delivery, row, input.Step, time.GetUtcNow(), cancellationToken);
                    sent++;
                    break;
                case Sending.Rejected:
                    await recipients.ResolveAsync(input.Delivery, row.RecipientId, r =>
                    {
                        r.Outcome = nameof(RecipientOutcome.Undeliverable);
                        r.UndeliverableReason = "Every address of this recipient was rejected by the mail system.";
                    }, cancellationToken, lastRead: row);
                    undeliverable++;
                    break;
                default:
                    transient++;
                    break;
            }
        }

        logger.LogInformation("Delivery {Delivery} step {Step} batch {Batch}: {Sent} sent, {Undeliverable} undeliverable, {Transient} to retry, {Deferred} deferred by the pace, {Held} held for business hours",
            input.Delivery.InstanceId, input.Step, input.Batch, sent, undeliverable, transient, deferred, held);
        metrics.MessagesSent(input.Delivery.Feature, input.Step, sent);
        metrics.Undeliverable(input.Delivery.Feature, undeliverable);
        return transient > 0
            ? throw new EmailDeliveryException($"{transient} messages of batch {input.Batch} could not be sent yet.", isPermanent: false)
            : new BatchOutcome(sent, undeliverable, skipped, deferred, resumeAt, held, heldUntil);
    }

    /// <summary>
    /// After the last retry, or at the deadline with sends still deferred by the pace: recipients whose first message
    /// never went out count as undeliverable, with the reason (a missed reminder does not).
    /// </summary>
    public async Task<int> GiveUpBatchAsync(SendBatchInput input, CancellationToken cancellationToken)
    {
        if (input.Step != DeliverySteps.First)
        {
            return 0;
        }

        var reason = time.GetUtcNow() >= input.Deadline
            ? "The message could not be sent before the deadline at the configured email pace."
            : "The mail system could not be reached after every retry.";
        var givenUp = 0;
        foreach (var row in await recipients.BatchAsync(input.Delivery, input.Batch, cancellationToken))
        {
            if (row.LastStepSent < DeliverySteps.First && await recipients.ResolveAsync(input.Delivery, row.RecipientId, r =>
                {
                    r.Outcome = nameof(RecipientOutcome.Undeliverable);
                    r.UndeliverableReason = reason;
                }, cancellationToken, lastRead: row))
            {
                givenUp++;
            }
        }

        logger.LogWarning("Delivery {Delivery} batch {Batch}: {Count} recipients undeliverable after retries", input.Delivery.InstanceId, input.Batch, givenUp);
        return givenUp;
    }

    /// <summary>
    /// At an escalation level's time: sends the feature's escalation notices, unit by unit. Each unit done is recorded, so a retried or
    /// continued escalation goes on where it stopped; a cancelled delivery escalates nothing, even when the cancel's
    /// signal never reached the orchestration.
    /// </summary>
    public async Task<EscalationOutcome> EscalateAsync(EscalateInput input, CancellationToken cancellationToken)
    {
        var delivery = input.Delivery;
        var feature = features[delivery.Feature];
        if ((await RequireAsync(feature, delivery, cancellationToken)).StopRequested)
        {
            logger.LogInformation("Delivery {Delivery}: cancelled, no escalation", delivery.InstanceId);
            return new EscalationOutcome(0, 0, null);
        }

        var escalated = await recipients.EscalatedAsync(delivery, cancellationToken);
        var due = (await feature.EscalationsAsync(delivery.Id, input.Level, await recipients.ListAsync(delivery, cancellationToken), cancellationToken))
            .Where(n => !escalated.Contains(n.Key)).ToList();
        var started = time.GetUtcNow();
        var sendBy = emailOptions.Value.SendBy(started);
        var notified = 0;
        for (var done = 0; done < due.Count; done++)
        {
            foreach (var message in due[done].Messages)
            {
                try
                {
                    await email.SendAsync(message with { SendBy = sendBy }, cancellationToken);
                    notified++;
                }
                catch (EmailDeliveryException e) when (e.IsPermanent)
                {
                    logger.LogWarning("Delivery {Delivery}: an escalation message of unit {Unit} was rejected", delivery.InstanceId, done);
                }
                catch (EmailPaceDeferredException e)
                {
                    // Messages of this unit already sent go again with the same idempotency key, which the provider drops.
                    logger.LogInformation("Delivery {Delivery}: {Count} escalation messages sent, {Remaining} units left to the next activity",
                        delivery.InstanceId, notified, due.Count - done);
                    return new EscalationOutcome(notified, due.Count - done, e.NextSlot - (sendBy - started));
                }
            }

            await recipients.MarkEscalatedAsync(delivery, due[done].Key, cancellationToken);
        }

        logger.LogInformation("Delivery {Delivery}: {Count} escalation messages sent", delivery.InstanceId, notified);
        return new EscalationOutcome(notified, 0, null);
    }

    /// <summary>
    /// Closes a delivery: every recipient still unanswered gets its final outcome (cancelled, no response, or, when its
    /// first message never went out because a step failed, undeliverable), then the feature makes its report.
    /// </summary>
    public async Task<DeliverySummary> CloseAsync(CloseInput input, CancellationToken cancellationToken)
    {
        var feature = features[input.Delivery.Feature];
        var header = await RequireAsync(feature, input.Delivery, cancellationToken);

        // The stored flag, not only the signal: if raising the cancel event failed after the flag was saved, the delivery
        // ran to its deadline, but it is still a cancelled delivery.
        var cancelled = input.Cancelled || header.StopRequested;
        await foreach (var recipientId in recipients.PendingIdsAsync(input.Delivery, cancellationToken))
        {
            await recipients.ResolveAsync(input.Delivery, recipientId, r =>
            {
                if (!cancelled && r.LastStepSent < DeliverySteps.First)
                {
                    // Closed after a failed step: a recipient never sent anything did not miss an answer.
                    r.Outcome = nameof(RecipientOutcome.Undeliverable);
                    r.UndeliverableReason = $"Never sent: the step {header.FailedStep} failed and the delivery was closed.";
                }
                else
                {
                    r.Outcome = (cancelled ? RecipientOutcome.Cancelled : RecipientOutcome.NoResponse).ToString();
                }
            }, cancellationToken);
        }

        var summary = await feature.CloseAsync(input.Delivery.Id, cancelled, await recipients.ListAsync(input.Delivery, cancellationToken), cancellationToken);
        metrics.DeliveryClosed(input.Delivery.Feature, cancelled);
        return summary;
    }

    public async Task<bool> RecordFailureAsync(StepFailure failure, CancellationToken cancellationToken)
    {
        await features[failure.Delivery.Feature].RecordFailureAsync(failure.Delivery.Id, failure.Step, failure.Reason, cancellationToken);
        logger.LogError("Delivery {Delivery} failed at step {Step}: {Reason}", failure.Delivery.InstanceId, failure.Step, failure.Reason);
        return true;
    }

    public async Task<bool> ResumeAsync(DeliveryRef delivery, CancellationToken cancellationToken)
    {
        await features[delivery.Feature].ResumeAsync(delivery.Id, cancellationToken);
        return true;
    }

    private enum Sending
    {
        Sent,
        Rejected,
        Retry,
    }

    /// <summary>
    /// One message per address of the recipient; delivered to any address counts as sent. A recipient the pace defers
    /// before its first address is left whole to the next activity; one deferred after that counts as sent, like a
    /// rejected address.
    /// </summary>
    private async Task<Sending> SendToRecipientAsync(
        IDeliveryFeature feature, Func<StepMessage, EmailMessage> compose, RecipientEntity row, SendBatchInput input, DateTimeOffset sendBy, CancellationToken cancellationToken)
    {
        var token = links.Create(new LinkClaim(feature.LinkPurpose, input.Delivery.Feature, input.Delivery.Id, row.RecipientId, input.Deadline + LinkGrace));
        var link = portal.ForToken(feature.LinkPurpose, token);
        int delivered = 0, rejected = 0;
        foreach (var address in row.EmailList)
        {
            try
            {
                await email.SendAsync(compose(new StepMessage(row, address, input.Step, link, input.Deadline)) with { SendBy = sendBy, RecipientKey = row.PgpKey }, cancellationToken);
                delivered++;
            }
            catch (EmailPaceDeferredException) when (delivered > 0)
            {
                break;
            }
            catch (EmailDeliveryException e) when (e.IsPermanent)
            {
                // The reason names no address (EmailDeliveryException's messages never quote one), so it may be logged.
                logger.LogWarning("Delivery {Delivery} step {Step}: an address of recipient {Recipient} was refused: {Reason}",
                    input.Delivery.InstanceId, input.Step, row.RecipientId, e.Message);
                rejected++;
            }
            catch (EmailDeliveryException)
            {
                // Transient: counted by the caller as "retry".
            }
        }

        return delivered > 0 ? Sending.Sent : rejected == row.EmailList.Count ? Sending.Rejected : Sending.Retry;
    }

    private async Task<DeliveryHeader> RequireAsync(IDeliveryFeature feature, DeliveryRef delivery, CancellationToken cancellationToken)
        => await headers.FreshAsync(feature, delivery.Id, cancellationToken) ?? throw new InvalidOperationException($"Delivery {delivery.InstanceId} does not exist.");

    /// <summary>What the delivery records for a POC that got no content because it has no valid key and its participant requires encryption.</summary>
    public const string NoKeyReason = "Not sent: the participant requires encryption and this POC has no valid OpenPGP key; its focal points were told.";

    /// <summary>
    /// Tells each focal point of the row's participant, once per delivery and POC (the idempotency key), that the POC got
    /// nothing. A permanent rejection of one focal point's address does not stop the others.
    /// </summary>
    private Task TellFocalPointsNoKeyAsync(DeliveryHeader header, RecipientEntity row, SendBatchInput input, DateTimeOffset sendBy, CancellationToken cancellationToken)
        => focalPoints.SendAsync(row.Participant, "no-key", (participantName, to) => PgpNotices.EncryptionRequired(
            MessageTexts.For(row.Language), to, participantName, row.FullName, header.Title, header.Reference,
            $"{input.Delivery.InstanceId}/{row.RecipientId}/no-pgp-key/{MessageKeys.Hash(MessageKeys.Address(to))}") with { SendBy = sendBy }, cancellationToken);

}
