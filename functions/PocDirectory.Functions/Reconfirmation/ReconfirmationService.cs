using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Reconfirmation;

/// <summary>Finds stale POCs and asks them to confirm (one delivery per look); takes confirmations through the link.</summary>
public sealed class ReconfirmationService(
    ReconfirmationStore rounds,
    PocStore pocs,
    PocService pocService,
    DeliveryService deliveries,
    DeliveryLinks links,
    IOptions<ReconfirmationOptions> options,
    TimeProvider time,
    ILogger<ReconfirmationService> logger)
{
    /// <summary>
    /// Active POCs confirmed longer ago than Directory:ReconfirmEvery and not already asked (Current) become Due and get
    /// the message; the round lasts twice the grace period, its reminder at the grace period.
    /// </summary>
    public async Task<string?> RunAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        if (!await rounds.TryClaimCheckAsync(now, settings.ReconfirmCheckEvery, cancellationToken))
        {
            return null;
        }

        var stale = new List<Poc>();
        await foreach (var poc in pocs.AllAsync(null, cancellationToken))
        {
            if (poc.Status == PocStatus.Active && poc.Confirmation == ConfirmationStatus.Current && poc.LastConfirmedAt < now - settings.ReconfirmEvery)
            {
                stale.Add(poc);
            }
        }

        if (stale.Count == 0)
        {
            return null;
        }

        var byParticipant = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var participant in stale.GroupBy(p => p.Participant, StringComparer.Ordinal))
        {
            var due = await pocs.SetConfirmationAsync(participant.Key, participant.Select(p => p.Id).ToList(), ConfirmationStatus.Due,
                p => p.Confirmation == ConfirmationStatus.Current && p.LastConfirmedAt < now - settings.ReconfirmEvery, cancellationToken);
            if (due.Count > 0)
            {
                byParticipant[participant.Key] = due.ToList();
            }
        }

        if (byParticipant.Count == 0)
        {
            return null;
        }

        var id = StorageKeys.NewestFirstId(now);
        await rounds.AddAsync(new ReconfirmationEntity
        {
            PartitionKey = StorageKeys.ReconfirmationPartition,
            RowKey = id,
            Reference = $"CONF-{now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{id[^4..]}",
            CreatedAt = now,
            Pocs = JsonSerializer.Serialize(byParticipant, ApiJson.Options),
        }, cancellationToken);
        var grace = settings.ReconfirmGrace;
        await deliveries.StartAsync(ReconfirmationDelivery.Of(id), ReconfirmationDelivery.FirstStepName, grace * 2, [grace], [grace * 2], durable, cancellationToken);
        logger.LogInformation("Re-confirmation {Round}: {Count} POCs asked", id, byParticipant.Sum(p => p.Value.Count));
        return id;
    }

    /// <summary>
    /// The one-click confirmation: the link's answer is recorded by the core (404 unknown, 410 closed or expired), then
    /// the POC's lastConfirmedAt moves, audited as Poc.Confirmed like a confirmation in the portal.
    /// </summary>
    public async Task<ConfirmationReceipt> ConfirmByLinkAsync(string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var receipt = await deliveries.AnswerByLinkAsync(token, LinkPurpose.Confirm, durable, cancellationToken);
        links.TryRead(token, out var claim);
        var confirmed = await pocService.ConfirmByLinkAsync(claim!.RecipientId, cancellationToken);
        return new ConfirmationReceipt(confirmed.Value.Id, confirmed.Value.LastConfirmedAt, receipt.Reference);
    }
}
