using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Campaigns and their per-POC results in Table Storage, their reports in Blob Storage. The orchestration holds only time.</summary>
public sealed class CampaignStore(DirectoryTables tables, BlobServiceClient blobs, AuditLog audit)
{
    /// <summary>An entity group transaction holds at most 100 operations; a POC takes two (result and pending index).</summary>
    private const int PocsPerTransaction = 50;

    /// <summary>
    /// Conditional writes that lose a race re-read and try again; a race is one concurrent writer (an acknowledgement,
    /// the cancel route), so this many lost in a row means something is wrong, and the caller's retry policy takes over.
    /// </summary>
    private const int MaxConditionalAttempts = 10;

    private readonly BlobContainerClient _reports = blobs.GetBlobContainerClient(StorageKeys.CampaignReportsContainer);

    public Task AddAsync(CampaignEntity campaign, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.Add, campaign)], entry, cancellationToken);

    public async Task<CampaignEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return null;
        }

        var response = await tables.Campaigns.GetEntityIfExistsAsync<CampaignEntity>(StorageKeys.CampaignPartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<IReadOnlyList<CampaignEntity>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.CampaignPartition}") + " and " + StorageKeys.SkipsChangeRows;
        if (status is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        var found = new List<CampaignEntity>();
        await foreach (var entity in tables.Campaigns.QueryAsync<CampaignEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(entity);
        }

        // Ids are time-ordered; newest first is what the Secretariat wants to see.
        return found.OrderByDescending(c => c.RowKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>Merges the changed campaign if it is still at its ETag; a concurrent change gets 412.</summary>
    public Task UpdateAsync(CampaignEntity campaign, CancellationToken cancellationToken)
        => tables.Campaigns.UpdateEntityAsync(campaign, campaign.ETag, TableUpdateMode.Merge, cancellationToken);

    /// <summary>As <see cref="UpdateAsync(CampaignEntity, CancellationToken)"/>, with the change's audit entry in its transaction.</summary>
    public Task UpdateAsync(CampaignEntity campaign, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.UpdateMerge, campaign, campaign.ETag)], entry, cancellationToken);

    /// <summary>
    /// Reads the whole campaign, applies <paramref name="change"/> (which returns false when there is nothing to do) and
    /// writes it back at the ETag it read with the audit entry <paramref name="entry"/> makes of before and after, in one
    /// transaction, again on a lost race; returns the campaign before and after, or null when nothing changed.
    /// </summary>
    public async Task<(Campaign Before, CampaignEntity After)?> ChangeAsync(
        string id, Func<CampaignEntity, bool> change, Func<Campaign, Campaign, AuditRecord> entry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var campaign = await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Campaign {id} does not exist.");
            var before = campaign.ToModel();
            if (!change(campaign))
            {
                return null;
            }

            try
            {
                // Replace, not merge: a merge leaves properties set to null (a cleared failure) as they were.
                await audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, campaign, campaign.ETag)],
                    entry(before, campaign.ToModel()), cancellationToken);
                return (before, campaign);
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxConditionalAttempts)
            {
                // Changed by someone else since the read (the cancel route): apply the change to what is there now.
            }
        }
    }

    /// <summary>
    /// Adds the snapshot rows and their pending index rows; a row already there is left alone. The snapshot activity can
    /// run again after sends and acknowledgements began (an activity is delivered at least once, e.g. when the process dies
    /// between reporting its result and deleting its queue message), and two copies can even run at once; rewriting a row
    /// then would undo its acknowledgement and its record of what was sent. Hence inserts only, with 409 meaning "already
    /// there"; the rows known to exist are skipped up front, so a rerun writes only what a run cut short left out.
    /// </summary>
    public async Task SnapshotAsync(string campaignId, IReadOnlyList<CampaignResultEntity> rows, CancellationToken cancellationToken)
    {
        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in tables.CampaignResults.QueryAsync<TableEntity>(ResultRows(campaignId), maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            existing.Add(row.RowKey);
        }

        foreach (var chunk in rows.Where(r => !existing.Contains(r.RowKey)).Chunk(PocsPerTransaction))
        {
            try
            {
                await tables.CampaignResults.SubmitTransactionAsync(chunk.SelectMany(row => new[]
                {
                    new TableTransactionAction(TableTransactionActionType.Add, row),
                    new TableTransactionAction(TableTransactionActionType.Add, PendingRow(campaignId, row.PocId, row.Batch)),
                }), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // A concurrent copy wrote some of these first: add the rest one POC at a time, keeping what it wrote.
                foreach (var row in chunk)
                {
                    await AddIfAbsentAsync(row, cancellationToken);
                    await AddIfAbsentAsync(PendingRow(campaignId, row.PocId, row.Batch), cancellationToken);
                }
            }
        }
    }

    public async Task<IReadOnlyList<CampaignResultEntity>> BatchAsync(string campaignId, int batch, CancellationToken cancellationToken)
    {
        var filter = ResultRows(campaignId) + " and " + TableClient.CreateQueryFilter($"Batch eq {batch}");
        var found = new List<CampaignResultEntity>();
        await foreach (var row in tables.CampaignResults.QueryAsync<CampaignResultEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    public async Task<CampaignResultEntity?> FindResultAsync(string campaignId, string pocId, CancellationToken cancellationToken)
    {
        var response = await tables.CampaignResults.GetEntityIfExistsAsync<CampaignResultEntity>(
            campaignId, StorageKeys.CampaignResultRowKey(pocId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Records that a step was sent; if-match, so a concurrent acknowledgement is never overwritten.</summary>
    public async Task<CampaignResultEntity> MarkSentAsync(CampaignResultEntity row, int step, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = row;
        for (var attempt = 1; ; attempt++)
        {
            current.LastStepSent = Math.Max(current.LastStepSent, step);
            current.FirstSentAt ??= at;
            try
            {
                var response = await tables.CampaignResults.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken);
                current.ETag = response.Headers.ETag ?? current.ETag;
                return current;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxConditionalAttempts)
            {
                // An acknowledgement landed between the read and this write: re-read and keep it.
                current = await FindResultAsync(row.PartitionKey, row.PocId, cancellationToken) ?? current;
            }
        }
    }

    /// <summary>
    /// Moves a still-pending POC to a final outcome and drops it from the pending index. False if it was no longer pending.
    /// <paramref name="lastRead"/>, the row as the caller just read it, saves the first read; its ETag keeps the write safe.
    /// An audited resolution (an acknowledgement) passes its <paramref name="entry"/>, committed with it.
    /// </summary>
    public async Task<bool> ResolveAsync(
        string campaignId, string pocId, Action<CampaignResultEntity> resolve, CancellationToken cancellationToken, CampaignResultEntity? lastRead = null,
        AuditRecord? entry = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = lastRead ?? await FindResultAsync(campaignId, pocId, cancellationToken);
            lastRead = null;
            if (row is null || row.OutcomeValue != PingOutcome.Pending)
            {
                return false;
            }

            resolve(row);
            try
            {
                await SubmitResultsAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(campaignId, StorageKeys.PendingRowKey(pocId)), ETag.All),
                ], entry, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // The index row is already gone; the result row alone carries the outcome.
                try
                {
                    await SubmitResultsAsync([new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag)], entry, cancellationToken);
                    return true;
                }
                catch (RequestFailedException conflict) when (conflict.Status == 412 && attempt < MaxConditionalAttempts)
                {
                    // Resolved by someone else in the meantime: look again.
                }
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < MaxConditionalAttempts)
            {
                // Resolved by someone else first (an acknowledgement racing the deadline): look again.
            }
        }
    }

    private Task SubmitResultsAsync(IReadOnlyList<TableTransactionAction> actions, AuditRecord? entry, CancellationToken cancellationToken)
        => entry is null
            ? tables.CampaignResults.SubmitTransactionAsync(actions, cancellationToken)
            : audit.CommitAsync(tables.CampaignResults, actions, entry, cancellationToken);

    public async Task<bool> AnyPendingAsync(string campaignId, CancellationToken cancellationToken)
    {
        var filter = PendingRows(campaignId);
        await foreach (var page in tables.CampaignResults.QueryAsync<TableEntity>(filter, maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    public async IAsyncEnumerable<CampaignResultEntity> AllResultsAsync(string campaignId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in tables.CampaignResults.QueryAsync<CampaignResultEntity>(ResultRows(campaignId), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>
    /// The live counts of a campaign. Only the two columns they need are read: the Secretariat's page asks every few
    /// seconds while a campaign runs, and each ask scans every result row (names, addresses, times) of up to 10,000 POCs.
    /// </summary>
    public async Task<CampaignProgress> ProgressAsync(string campaignId, CancellationToken cancellationToken)
    {
        int inScope = 0, sent = 0, acknowledged = 0, pending = 0, undeliverable = 0, noResponse = 0, cancelled = 0;
        await foreach (var row in tables.CampaignResults.QueryAsync<TableEntity>(
                           ResultRows(campaignId), maxPerPage: 1000, select: [nameof(CampaignResultEntity.LastStepSent), nameof(CampaignResultEntity.Outcome)], cancellationToken: cancellationToken))
        {
            inScope++;
            sent += row.GetInt32(nameof(CampaignResultEntity.LastStepSent)) >= CampaignSteps.Ping ? 1 : 0;
            switch (Enum.Parse<PingOutcome>(row.GetString(nameof(CampaignResultEntity.Outcome))))
            {
                case PingOutcome.Acknowledged: acknowledged++; break;
                case PingOutcome.Pending: pending++; break;
                case PingOutcome.Undeliverable: undeliverable++; break;
                case PingOutcome.NoResponse: noResponse++; break;
                case PingOutcome.Cancelled: cancelled++; break;
            }
        }

        return new CampaignProgress(inScope, sent, acknowledged, pending, undeliverable, noResponse, cancelled);
    }

    public async IAsyncEnumerable<string> PendingPocIdsAsync(string campaignId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = PendingRows(campaignId);
        await foreach (var row in tables.CampaignResults.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            yield return row.RowKey[StorageKeys.PendingRowKeyPrefix.Length..];
        }
    }

    public async Task<ListPage<CampaignResult>> ResultsPageAsync(string campaignId, PingOutcome? outcome, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var filter = ResultRows(campaignId);
        if (outcome is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Outcome eq {outcome.ToString()}");
        }

        var rows = tables.CampaignResults.QueryAsync<CampaignResultEntity>(filter, pageSize, cancellationToken: cancellationToken);
        return await TablePages.FirstAsync(rows, continuationToken, pageSize, r => r.ToModel());
    }

    /// <summary>The report as one blob: thousands of undeliverable POCs make it megabytes, beyond any table entity.</summary>
    public async Task SaveReportAsync(CampaignReport report, CancellationToken cancellationToken)
    {
        await _reports.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _reports.GetBlobClient(StorageKeys.CampaignReportBlob(report.CampaignId))
            .UploadAsync(BinaryData.FromObjectAsJson(report, ApiJson.Options), overwrite: true, cancellationToken);
    }

    public async Task<CampaignReport?> FindReportAsync(string campaignId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _reports.GetBlobClient(StorageKeys.CampaignReportBlob(campaignId)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<CampaignReport>(ApiJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not compiled yet (or no container yet: no campaign has closed).
            return null;
        }
    }

    /// <summary>The participants whose escalation has gone out.</summary>
    public async Task<IReadOnlySet<string>> EscalatedAsync(string campaignId, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in tables.CampaignResults.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
                           $"PartitionKey eq {campaignId} and RowKey ge {StorageKeys.EscalatedRowKeyPrefix} and RowKey lt {StorageKeys.EscalatedRowKeyEnd}"),
                           select: ["RowKey"], cancellationToken: cancellationToken))
        {
            found.Add(row.RowKey[StorageKeys.EscalatedRowKeyPrefix.Length..]);
        }

        return found;
    }

    public Task MarkEscalatedAsync(string campaignId, string participant, CancellationToken cancellationToken)
        => AddIfAbsentAsync(new TableEntity(campaignId, StorageKeys.EscalatedRowKey(participant)), cancellationToken);

    public Task AddScheduleAsync(CampaignScheduleEntity schedule, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.Add, schedule)], entry, cancellationToken);

    public async Task<IReadOnlyList<CampaignScheduleEntity>> ListSchedulesAsync(CancellationToken cancellationToken)
    {
        var found = new List<CampaignScheduleEntity>();
        await foreach (var entity in tables.Campaigns.QueryAsync<CampaignScheduleEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.CampaignSchedulePartition}") + " and " + StorageKeys.SkipsChangeRows,
                           cancellationToken: cancellationToken))
        {
            found.Add(entity);
        }

        return found;
    }

    public async Task<CampaignScheduleEntity?> FindScheduleAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var response = await tables.Campaigns.GetEntityIfExistsAsync<CampaignScheduleEntity>(StorageKeys.CampaignSchedulePartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>If-match: two schedulers that both saw an occurrence record it once.</summary>
    public Task UpdateScheduleAsync(CampaignScheduleEntity schedule, CancellationToken cancellationToken)
        => tables.Campaigns.UpdateEntityAsync(schedule, schedule.ETag, TableUpdateMode.Replace, cancellationToken);

    public Task DeleteScheduleAsync(CampaignScheduleEntity schedule, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.Delete, schedule, schedule.ETag)], entry, cancellationToken);

    /// <summary>Inserts; a row already there (409) is what was wanted, and is kept as it is.</summary>
    private async Task AddIfAbsentAsync(ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await tables.CampaignResults.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already there.
        }
    }

    private static TableEntity PendingRow(string campaignId, string pocId, int batch)
        => new(campaignId, StorageKeys.PendingRowKey(pocId)) { ["Batch"] = batch };

    private static string PendingRows(string campaignId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {campaignId} and RowKey ge {StorageKeys.PendingRowKeyPrefix} and RowKey lt {StorageKeys.PendingRowKeyEnd}");

    private static string ResultRows(string campaignId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {campaignId} and RowKey ge {StorageKeys.CampaignResultRowKeyPrefix} and RowKey lt {StorageKeys.CampaignResultRowKeyEnd}");
}
