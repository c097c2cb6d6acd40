using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Email.Pgp;

/// <summary>
/// Tells a participant's focal points when one of its POCs' OpenPGP keys expires within
/// <see cref="PgpKeyStatuses.WarningPeriod"/>, once per POC and key: a marker row beside the POC records the key told
/// about, so a renewed key (a new fingerprint) is told about again and an edit that keeps the key is not.
/// </summary>
public sealed class PgpKeyExpiryService(
    DirectoryTables tables, PocStore pocs, FocalPointNotices focalPoints, TimeProvider time, ILogger<PgpKeyExpiryService> logger)
{
    /// <summary>Looks at every active POC's key; returns how many POCs' focal points were told.</summary>
    public async Task<int> TellFocalPointsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var told = 0;
        await foreach (var poc in pocs.KeysExpiringAsync(now, now + PgpKeyStatuses.WarningPeriod, cancellationToken))
        {
            if (PgpKeyStatuses.Of(poc, now) == PgpKeyStatus.ExpiringSoon && poc.PgpFingerprint is { } fingerprint
                && !await WasToldAsync(poc, fingerprint, cancellationToken) && await TellAsync(poc, fingerprint, poc.PgpExpiresAt!.Value, cancellationToken))
            {
                told++;
            }
        }

        if (told > 0)
        {
            logger.LogInformation("OpenPGP keys expiring soon: the focal points of {Count} POCs were told", told);
        }

        return told;
    }

    private async Task<bool> WasToldAsync(Poc poc, string fingerprint, CancellationToken cancellationToken)
        => (await tables.Directory.GetEntityIfExistsAsync<TableEntity>(
            StorageKeys.ParticipantPartition(poc.Participant), StorageKeys.PgpExpiryNoticeRowKey(poc.Id, fingerprint), ["RowKey"], cancellationToken)).HasValue;

    /// <summary>
    /// Sends the notice to each focal point, then writes the marker: a crash in between sends it again with the same
    /// idempotency keys. A participant without focal points gets no marker, so one assigned later is still told.
    /// </summary>
    private async Task<bool> TellAsync(Poc poc, string fingerprint, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        var texts = MessageTexts.For(MessageTexts.Choose(poc.Languages));
        if (!await focalPoints.SendAsync(poc.Participant, "key-expiry", (participantName, to) => PgpNotices.KeyExpiring(
            texts, to, participantName, poc.FullName, fingerprint, expiresAt, $"pgp-expiring/{poc.Id}/{fingerprint}/{MessageKeys.Hash(MessageKeys.Address(to))}"), cancellationToken))
        {
            return false;
        }

        try
        {
            await tables.Directory.AddEntityAsync(
                new TableEntity(StorageKeys.ParticipantPartition(poc.Participant), StorageKeys.PgpExpiryNoticeRowKey(poc.Id, fingerprint)) { ["ToldAt"] = time.GetUtcNow() },
                cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Another look told them at the same time; the idempotency keys made it one message each.
        }

        return true;
    }
}
