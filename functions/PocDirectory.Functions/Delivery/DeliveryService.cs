using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Telemetry;

namespace PocDirectory.Functions.Delivery;

/// <summary>
/// What an acknowledgement answers: enough for the recipient to see it counted, nothing about anyone else.
/// <paramref name="Kind"/> is the feature ("campaign", "communication"); <paramref name="CampaignId"/> and
/// <paramref name="CampaignName"/> are the first names of <paramref name="Id"/> and <paramref name="Title"/>, from when
/// only pings had links, kept for the clients that read them.
/// </summary>
public sealed record AcknowledgementReceipt(
    string Kind, string Id, string Title, string Reference, DateTimeOffset AcknowledgedAt, string CampaignId, string CampaignName)
{
    public static AcknowledgementReceipt For(string kind, string id, string title, string reference, DateTimeOffset acknowledgedAt)
        => new(kind, id, title, reference, acknowledgedAt, id, title);
}

/// <summary>
/// Starts and signals deliveries, and records answers to them. An answer is written once, with a conditional write and
/// its audit entry in the same transaction; a second answer changes nothing and gets the first one's receipt.
/// </summary>
public sealed class DeliveryService(
    DeliveryFeatures features,
    DeliveryStore recipients,
    DeliveryHeaders headers,
    DeliveryLinks links,
    AuditLog audit,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    DirectoryMetrics metrics,
    ILogger<DeliveryService> logger)
{
    private const string InvalidLink = "This link is not valid. Use the link from the most recent message, or ask the Secretariat.";

    /// <summary>
    /// Starts the delivery's orchestration. The instance id comes from the delivery and a start is refused when that
    /// instance exists in any state, so two starters (a timer and a route) still run a delivery once. With
    /// <paramref name="notBefore"/>, the delivery begins then (a durable timer), and its window and offsets count from then.
    /// </summary>
    public async Task StartAsync(DeliveryRef delivery, string firstStepName, TimeSpan window, IReadOnlyList<TimeSpan> reminders, IReadOnlyList<TimeSpan> escalations,
        DurableTaskClient durable, CancellationToken cancellationToken, DateTimeOffset? notBefore = null)
    {
        if (await durable.GetInstanceAsync(delivery.InstanceId, cancellationToken) is not null)
        {
            return;
        }

        var settings = options.Value;
        var input = new DeliveryInput(delivery, firstStepName, window.TotalSeconds, reminders.Select(r => r.TotalSeconds).ToList(), escalations.Select(e => e.TotalSeconds).ToList(),
            settings.MaxParallelBatches, settings.SendAttempts, settings.FirstRetryDelay.TotalSeconds, notBefore);
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(DeliveryOrchestrator.Name, input,
                new StartOrchestrationOptions(delivery.InstanceId).WithDedupeStatuses(Enum.GetValues<OrchestrationRuntimeStatus>()), cancellationToken);
            metrics.DeliveryStarted(delivery.Feature);
            logger.LogInformation("Delivery {Delivery} started", delivery.InstanceId);
        }
        catch (Exception e) when (e is global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException
                                       or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.AlreadyExists })
        {
            // Another start won the race; the delivery runs once.
            logger.LogInformation("Delivery {Delivery} was already started", delivery.InstanceId);
        }
    }

    public async Task<bool> IsStartedAsync(DeliveryRef delivery, DurableTaskClient durable, CancellationToken cancellationToken)
        => await durable.GetInstanceAsync(delivery.InstanceId, cancellationToken) is not null;

    /// <summary>Hands a signal (<see cref="DeliveryOrchestrator.Cancel"/>, Retry, Close) to the delivery's orchestration.</summary>
    public Task SignalAsync(DeliveryRef delivery, string signal, DurableTaskClient durable, CancellationToken cancellationToken)
        => durable.RaiseEventAsync(delivery.InstanceId, DeliveryOrchestrator.SignalEvent, signal, cancellationToken);

    /// <summary>The anonymous link of <paramref name="purpose"/>. Unknown, tampered and foreign tokens all get the same 404.</summary>
    public async Task<AcknowledgementReceipt> AnswerByLinkAsync(string token, LinkPurpose purpose, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (!links.TryRead(token, out var claim) || claim!.Purpose != purpose || !features.TryGet(claim.Feature, out var feature))
        {
            throw new NotFoundException(InvalidLink);
        }

        if (claim.HasExpired(time.GetUtcNow()))
        {
            throw new GoneException("This link has expired; it can no longer be used. The Secretariat will be in touch.");
        }

        return await AcknowledgeAsync(feature!, claim.DeliveryId, claim.RecipientId, "acknowledgement-link", durable, cancellationToken);
    }

    /// <summary>Records that <paramref name="recipientId"/> acknowledged (by link or signed in as <paramref name="actor"/>).</summary>
    public async Task<AcknowledgementReceipt> AcknowledgeAsync(
        IDeliveryFeature feature, string id, string recipientId, string actor, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var delivery = new DeliveryRef(feature.Name, id);
        var header = await headers.ForAnswerAsync(feature, id, cancellationToken) ?? throw new NotFoundException(InvalidLink);
        var row = await recipients.FindAsync(delivery, recipientId, cancellationToken) ?? throw new NotFoundException(InvalidLink);
        var acknowledgedAt = row.OutcomeValue == RecipientOutcome.Acknowledged
            ? row.AcknowledgedAt!.Value
            : await RecordAsync(feature, delivery, header, row, actor, cancellationToken);
        await WakeIfNobodyIsLeftAsync(feature, delivery, header, durable);
        return AcknowledgementReceipt.For(feature.Name, id, header.Title, header.Reference, acknowledgedAt);
    }

    private async Task<DateTimeOffset> RecordAsync(
        IDeliveryFeature feature, DeliveryRef delivery, DeliveryHeader header, RecipientEntity row, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A failed delivery still takes answers until its deadline: the failure was ours, not the recipient's.
        if (header.State is not (DeliveryState.Running or DeliveryState.Failed) || header.Deadline is null || now > header.Deadline)
        {
            throw new GoneException(feature.ClosedMessage(header));
        }

        var entry = audit.Entry(new Caller(actor, null, []), $"{feature.AuditEntity}.Acknowledged", $"{feature.AuditEntity}Result", $"{delivery.Id}/{row.RecipientId}",
            null, new { pocId = row.RecipientId, acknowledgedAt = now });
        if (await recipients.ResolveAsync(delivery, row.RecipientId, r =>
            {
                r.Outcome = nameof(RecipientOutcome.Acknowledged);
                r.AcknowledgedAt = now;
                r.AcknowledgedAfterStep = Math.Max(r.LastStepSent, DeliverySteps.First);
            }, cancellationToken, lastRead: row, entry: entry))
        {
            metrics.Acknowledged(feature.Name, now - row.FirstSentAt);
            return now;
        }

        // Lost a race: either the same recipient answered a moment ago (harmless) or the deadline closed it.
        var current = await recipients.FindAsync(delivery, row.RecipientId, cancellationToken);
        return current?.OutcomeValue == RecipientOutcome.Acknowledged
            ? current.AcknowledgedAt!.Value
            : throw new GoneException(feature.ClosedMessage(header));
    }

    /// <summary>
    /// Ends the delivery's wait early once nobody is left to answer (or at once, for a feature whose first answer ends it). Every answering call asks for the check, not only the one that
    /// recorded the last answer: that call may have failed after its write (a timeout answered 503, the client retried and
    /// found the answer already there), and the delivery must not then wait for its deadline. A signal more than once is
    /// harmless (the orchestration takes the first). It is not tied to the request: the answer is recorded whatever the
    /// client does now, so neither its leaving nor a failure here turns the receipt into an error; the deadline still
    /// closes the delivery if the signal never arrives.
    /// <para>
    /// The "anyone left?" read runs after the answer, and at most once per <see cref="PendingCheckInterval"/> per delivery
    /// in this instance, however many answers arrive meanwhile; an answer that arrives while a check runs or waits gets
    /// one more check after it (decision 0040). On Azurite every query scans the whole table, so a read per answer made a
    /// 10,000-POC campaign quadratic; on Table Storage it is a cheap range read, but still one call per answer saved.
    /// </para>
    /// </summary>
    private async Task WakeIfNobodyIsLeftAsync(IDeliveryFeature feature, DeliveryRef delivery, DeliveryHeader header, DurableTaskClient durable)
    {
        // A failed delivery waits for the Secretariat's decision; everyone having answered meanwhile closes it too.
        if (header.State is not (DeliveryState.Running or DeliveryState.Failed))
        {
            return;
        }

        if (feature.FirstAnswerEnds)
        {
            await SignalEveryoneAnsweredAsync(delivery, durable);
            return;
        }

        var check = _pendingChecks.GetOrAdd(delivery.InstanceId, _ => new PendingCheck());
        lock (check)
        {
            check.Requested = true;
            if (check.Running)
            {
                return;
            }

            check.Running = true;
        }

        // Not in the request's trace or execution context: the check outlives the answer.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => CheckPendingAsync(delivery, check, durable), CancellationToken.None);
        }
    }

    private async Task CheckPendingAsync(DeliveryRef delivery, PendingCheck check, DurableTaskClient durable)
    {
        while (true)
        {
            lock (check)
            {
                if (!check.Requested)
                {
                    check.Running = false;
                    _pendingChecks.TryRemove(new KeyValuePair<string, PendingCheck>(delivery.InstanceId, check));
                    return;
                }

                check.Requested = false;
            }

            try
            {
                if (!await recipients.AnyPendingAsync(delivery, CancellationToken.None))
                {
                    await SignalEveryoneAnsweredAsync(delivery, durable);
                }
            }
            catch (Exception e) when (e is Azure.RequestFailedException or TimeoutException)
            {
                logger.LogWarning(e, "Delivery {Delivery}: could not check who is left to answer; the next answer or the deadline closes it", delivery.InstanceId);
            }

            await Task.Delay(PendingCheckInterval, time);
        }
    }

    private async Task SignalEveryoneAnsweredAsync(DeliveryRef delivery, DurableTaskClient durable)
    {
        try
        {
            await durable.RaiseEventAsync(delivery.InstanceId, DeliveryOrchestrator.SignalEvent, DeliveryOrchestrator.AllAcknowledged, CancellationToken.None);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or Grpc.Core.RpcException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning(e, "Delivery {Delivery}: could not signal that everyone has answered; it closes at its deadline", delivery.InstanceId);
        }
    }

    /// <summary>How often, at most, one instance asks whether anyone is left to answer a delivery.</summary>
    public static readonly TimeSpan PendingCheckInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, PendingCheck> _pendingChecks = new(StringComparer.Ordinal);

    /// <summary>One delivery's check in this instance: asked for again since it last ran; running (or waiting its interval).</summary>
    private sealed class PendingCheck
    {
        public bool Requested { get; set; }

        public bool Running { get; set; }
    }
}
