using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Campaigns, their per-POC results and their reports in Table Storage. The orchestration holds only time.</summary>
public sealed class CampaignStore(DirectoryTables tables, AuditLog audit)
{
    /// <summary>An entity group transaction holds at most 100 operations; a POC takes two (result and pending index).</summary>
    private const int PocsPerTransaction = 50;

    /// <summary>Table Storage strings hold at most 32K characters; a report is split into parts of this size.</summary>
    private const int ReportPartLength = 30_000;

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
    /// Writes the snapshot rows and their pending index rows, skipping POCs that already have a row. The snapshot
    /// activity can run again after sends and acknowledgements began (an activity is delivered at least once, e.g. when
    /// the process dies between reporting its result and deleting its queue message); rewriting a row then would undo
    /// its acknowledgement and its record of what was sent. A run cut short is completed by the next one.
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
            var actions = chunk.SelectMany(row => new[]
            {
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, row),
                new TableTransactionAction(TableTransactionActionType.UpsertReplace, PendingRow(campaignId, row.PocId, row.Batch)),
            });
            await tables.CampaignResults.SubmitTransactionAsync(actions, cancellationToken);
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
        for (var current = row; ; current = await FindResultAsync(row.PartitionKey, row.PocId, cancellationToken) ?? current)
        {
            current.LastStepSent = Math.Max(current.LastStepSent, step);
            current.FirstSentAt ??= at;
            try
            {
                var response = await tables.CampaignResults.UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken);
                current.ETag = response.Headers.ETag ?? current.ETag;
                return current;
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // An acknowledgement landed between the read and this write: re-read and keep it.
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
        while (true)
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
                catch (RequestFailedException conflict) when (conflict.Status == 412)
                {
                    // Resolved by someone else in the meantime: look again.
                }
            }
            catch (TableTransactionFailedException e) when (e.Status == 412)
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

    public async Task SaveReportAsync(CampaignReport report, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(report, ApiJson.Options);
        var entity = new TableEntity(StorageKeys.CampaignReportPartition, report.CampaignId);
        var parts = json.Chunk(ReportPartLength).Select(chunk => new string(chunk)).ToList();
        entity["Parts"] = parts.Count;
        for (var i = 0; i < parts.Count; i++)
        {
            entity[$"Part{i}"] = parts[i];
        }

        await tables.Campaigns.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    public async Task<CampaignReport?> FindReportAsync(string campaignId, CancellationToken cancellationToken)
    {
        var response = await tables.Campaigns.GetEntityIfExistsAsync<TableEntity>(StorageKeys.CampaignReportPartition, campaignId, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var entity = response.Value!;
        var json = new StringBuilder();
        for (var i = 0; i < entity.GetInt32("Parts"); i++)
        {
            json.Append(entity.GetString($"Part{i}"));
        }

        return JsonSerializer.Deserialize<CampaignReport>(json.ToString(), ApiJson.Options);
    }

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

    private static TableEntity PendingRow(string campaignId, string pocId, int batch)
        => new(campaignId, StorageKeys.PendingRowKey(pocId)) { ["Batch"] = batch };

    private static string PendingRows(string campaignId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {campaignId} and RowKey ge {StorageKeys.PendingRowKeyPrefix} and RowKey lt {StorageKeys.PendingRowKeyEnd}");

    private static string ResultRows(string campaignId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {campaignId} and RowKey ge {StorageKeys.CampaignResultRowKeyPrefix} and RowKey lt {StorageKeys.CampaignResultRowKeyEnd}");
}
