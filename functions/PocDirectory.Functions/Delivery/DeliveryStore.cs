using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Delivery;

/// <summary>The live counts of a delivery's recipients; <paramref name="SentByStep"/>[n] is how many have had step n.</summary>
public sealed record DeliveryProgress(int InScope, int Sent, int Acknowledged, int Pending, int Undeliverable, int NoResponse, int Cancelled, IReadOnlyList<int> SentByStep);

/// <summary>
/// The recipient rows of every delivery, one partition per delivery in its feature's table: a row per recipient
/// ("poc|{id}"), an index row per recipient still unanswered ("pending|{id}"), a row per escalation unit done
/// ("escalated|{key}"). An index of started deliveries lets the audit sweep find their partitions.
/// </summary>
public sealed class DeliveryStore(DirectoryTables tables, DeliveryFeatures features, AuditLog audit)
{
    /// <summary>An entity group transaction holds at most 100 operations; a recipient takes two (row and pending index).</summary>
    private const int RecipientsPerTransaction = 50;

    /// <summary>
    /// Conditional writes that lose a race re-read and try again; a race is one concurrent writer (an answer, the cancel
    /// route), so this many lost in a row means something is wrong, and the caller's retry policy takes over.
    /// </summary>
    private const int MaxConditionalAttempts = 10;

    private TableClient Table(DeliveryRef delivery) => tables.Table(features[delivery.Feature].RecipientsTable);

    /// <summary>
    /// Adds the snapshot rows and their pending index rows; a row already there is left alone. The snapshot activity can
    /// run again after sends and answers began (an activity is delivered at least once, e.g. when the process dies
    /// between reporting its result and deleting its queue message), and two copies can even run at once; rewriting a row
    /// then would undo its answer and its record of what was sent. Hence inserts only, with 409 meaning "already
    /// there"; the rows known to exist are skipped up front, so a rerun writes only what a run cut short left out.
    /// </summary>
    public async Task<int> SnapshotAsync(DeliveryRef delivery, IReadOnlyList<RecipientEntity> rows, int batchSize, CancellationToken cancellationToken)
    {
        var table = Table(delivery);
        await table.CreateIfNotExistsAsync(cancellationToken);
        await AddIfAbsentAsync(tables.Deliveries, new TableEntity(StorageKeys.DeliveryIndexPartition, delivery.InstanceId)
        {
            [StorageKeys.DeliveryIndexTableColumn] = table.Name,
            [StorageKeys.DeliveryIndexPartitionColumn] = delivery.Id,
        }, cancellationToken);

        var existing = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(RecipientRows(delivery.Id), maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            existing.Add(row.RowKey);
        }

        foreach (var chunk in rows.Where(r => !existing.Contains(r.RowKey)).Chunk(RecipientsPerTransaction))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.SelectMany(row => new[]
                {
                    new TableTransactionAction(TableTransactionActionType.Add, row),
                    new TableTransactionAction(TableTransactionActionType.Add, PendingRow(delivery.Id, row.RecipientId, row.Batch)),
                }), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // A concurrent copy wrote some of these first: add the rest one recipient at a time, keeping what it wrote.
                foreach (var row in chunk)
                {
                    await AddIfAbsentAsync(table, row, cancellationToken);
                    await AddIfAbsentAsync(table, PendingRow(delivery.Id, row.RecipientId, row.Batch), cancellationToken);
                }
            }
        }

        return await BatchBoundsAsync(table, delivery, existing.Concat(rows.Select(r => r.RowKey)), batchSize, cancellationToken);
    }

    /// <summary>
    /// The row-key ranges of the send batches, written once: batch n is [From, To), consecutive ranges cover every
    /// recipient row key, so a recipient is in exactly one batch even if a rerun of the snapshot added rows. A rerun keeps
    /// the ranges already written (a step may be sending by them).
    /// </summary>
    private static async Task<int> BatchBoundsAsync(TableClient table, DeliveryRef delivery, IEnumerable<string> rowKeys, int batchSize, CancellationToken cancellationToken)
    {
        var written = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
                           $"PartitionKey eq {delivery.Id} and RowKey ge {StorageKeys.BatchRowKeyPrefix} and RowKey lt {StorageKeys.BatchRowKeyEnd}"),
                           maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            written++;
        }

        if (written > 0)
        {
            return written;
        }

        var starts = rowKeys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Where((_, i) => i % batchSize == 0).ToList();
        var bounds = starts.Select((start, n) => new TableEntity(delivery.Id, StorageKeys.BatchRowKey(n))
        {
            ["From"] = n == 0 ? StorageKeys.CampaignResultRowKeyPrefix : start,
            ["To"] = n + 1 < starts.Count ? starts[n + 1] : StorageKeys.CampaignResultRowKeyEnd,
        });
        foreach (var chunk in bounds.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk.Select(b => new TableTransactionAction(TableTransactionActionType.Add, b)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // A concurrent copy of the snapshot wrote them from the same rows: theirs stand.
            }
        }

        return starts.Count;
    }

    /// <summary>The recipients of one send batch: a point read of its range, then one range read.</summary>
    public async Task<IReadOnlyList<RecipientEntity>> BatchAsync(DeliveryRef delivery, int batch, CancellationToken cancellationToken)
    {
        var table = Table(delivery);
        var bounds = await table.GetEntityIfExistsAsync<TableEntity>(delivery.Id, StorageKeys.BatchRowKey(batch), cancellationToken: cancellationToken);
        // Deliveries snapshotted before batch ranges existed still find their rows by the Batch column.
        var filter = bounds.HasValue
            ? TableClient.CreateQueryFilter($"PartitionKey eq {delivery.Id} and RowKey ge {bounds.Value!.GetString("From")} and RowKey lt {bounds.Value.GetString("To")}")
            : RecipientRows(delivery.Id) + " and " + TableClient.CreateQueryFilter($"Batch eq {batch}");
        var found = new List<RecipientEntity>();
        await foreach (var row in table.QueryAsync<RecipientEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    public async Task<RecipientEntity?> FindAsync(DeliveryRef delivery, string recipientId, CancellationToken cancellationToken)
    {
        var response = await Table(delivery).GetEntityIfExistsAsync<RecipientEntity>(
            delivery.Id, StorageKeys.CampaignResultRowKey(recipientId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async IAsyncEnumerable<RecipientEntity> AllAsync(DeliveryRef delivery, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in Table(delivery).QueryAsync<RecipientEntity>(RecipientRows(delivery.Id), maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return row;
        }
    }

    /// <summary>Every row of the delivery; none yet when the feature's recipients table is still to be made by its first snapshot.</summary>
    public async Task<List<RecipientEntity>> ListAsync(DeliveryRef delivery, CancellationToken cancellationToken)
    {
        var rows = new List<RecipientEntity>();
        try
        {
            await foreach (var row in AllAsync(delivery, cancellationToken))
            {
                rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The first delivery of a feature on a fresh storage account: read before its snapshot created the table.
        }

        return rows;
    }

    /// <summary>A page of rows, optionally of one outcome.</summary>
    public AsyncPageable<RecipientEntity> QueryAsync(DeliveryRef delivery, RecipientOutcome? outcome, int pageSize, CancellationToken cancellationToken)
    {
        var filter = RecipientRows(delivery.Id);
        if (outcome is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Outcome eq {outcome.ToString()}");
        }

        return Table(delivery).QueryAsync<RecipientEntity>(filter, pageSize, cancellationToken: cancellationToken);
    }

    /// <summary>Records that a step was sent; if-match, so a concurrent answer is never overwritten.</summary>
    public async Task<RecipientEntity> MarkSentAsync(DeliveryRef delivery, RecipientEntity row, int step, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var current = row;
        for (var attempt = 1; ; attempt++)
        {
            current.LastStepSent = Math.Max(current.LastStepSent, step);
            current.FirstSentAt ??= at;
            current.LastSentAt = current.LastStepSent == step ? at : current.LastSentAt;
            if (current.HeldSince is { } since)
            {
                current.HeldMessages++;
                current.HeldSeconds += Math.Max(0, (at - since).TotalSeconds);
                current.HeldSince = null;
            }

            try
            {
                var response = await Table(delivery).UpdateEntityAsync(current, current.ETag, TableUpdateMode.Replace, cancellationToken);
                current.ETag = response.Headers.ETag ?? current.ETag;
                return current;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxConditionalAttempts)
            {
                // An answer landed between the read and this write: re-read and keep it.
                current = await FindAsync(delivery, row.RecipientId, cancellationToken) ?? current;
            }
        }
    }

    /// <summary>Notes that the recipient's message waits for its business hours, from <paramref name="at"/> unless it waits already.</summary>
    public async Task MarkHeldAsync(DeliveryRef delivery, RecipientEntity row, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (row.HeldSince is not null)
        {
            return;
        }

        row.HeldSince = at;
        try
        {
            var response = await Table(delivery).UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
            row.ETag = response.Headers.ETag ?? row.ETag;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // An answer landed meanwhile: it needs no reminder, and the next send reads the row afresh.
        }
    }

    /// <summary>
    /// Moves a still-pending recipient to a final outcome and drops it from the pending index. False if it was no longer
    /// pending. <paramref name="lastRead"/>, the row as the caller just read it, saves the first read; its ETag keeps the
    /// write safe. An audited resolution (an answer) passes its <paramref name="entry"/>, committed with it.
    /// </summary>
    public async Task<bool> ResolveAsync(
        DeliveryRef delivery, string recipientId, Action<RecipientEntity> resolve, CancellationToken cancellationToken, RecipientEntity? lastRead = null,
        AuditRecord? entry = null)
    {
        var table = Table(delivery);
        for (var attempt = 1; ; attempt++)
        {
            var row = lastRead ?? await FindAsync(delivery, recipientId, cancellationToken);
            lastRead = null;
            if (row is null || row.OutcomeValue != RecipientOutcome.Pending)
            {
                return false;
            }

            resolve(row);
            try
            {
                await SubmitAsync(table,
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag),
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(delivery.Id, StorageKeys.PendingRowKey(recipientId)), ETag.All),
                ], entry, cancellationToken);
                return true;
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // The index row is already gone; the recipient's row alone carries the outcome.
                try
                {
                    await SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, row, row.ETag)], entry, cancellationToken);
                    return true;
                }
                catch (RequestFailedException conflict) when (conflict.Status == 412 && attempt < MaxConditionalAttempts)
                {
                    // Resolved by someone else in the meantime: look again.
                }
            }
            catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < MaxConditionalAttempts)
            {
                // Resolved by someone else first (an answer racing the deadline): look again.
            }
        }
    }

    /// <summary>Is anyone left to answer? One short range read of the pending index.</summary>
    public async Task<bool> AnyPendingAsync(DeliveryRef delivery, CancellationToken cancellationToken)
    {
        await foreach (var page in Table(delivery).QueryAsync<TableEntity>(PendingRows(delivery.Id), maxPerPage: 1, select: ["RowKey"], cancellationToken: cancellationToken).AsPages())
        {
            if (page.Values.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    public async IAsyncEnumerable<string> PendingIdsAsync(DeliveryRef delivery, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var row in Table(delivery).QueryAsync<TableEntity>(PendingRows(delivery.Id), maxPerPage: 1000, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            yield return row.RowKey[StorageKeys.PendingRowKeyPrefix.Length..];
        }
    }

    /// <summary>
    /// The live counts. Only the two columns they need are read: the Secretariat's page asks every few seconds while a
    /// delivery runs, and each ask scans every row (names, addresses, times) of up to 10,000 recipients.
    /// </summary>
    public async Task<DeliveryProgress> ProgressAsync(DeliveryRef delivery, CancellationToken cancellationToken)
    {
        int inScope = 0, sent = 0, acknowledged = 0, pending = 0, undeliverable = 0, noResponse = 0, cancelled = 0;
        var lastStepCounts = new SortedDictionary<int, int>();
        await foreach (var row in Table(delivery).QueryAsync<TableEntity>(
                           RecipientRows(delivery.Id), maxPerPage: 1000, select: [nameof(RecipientEntity.LastStepSent), nameof(RecipientEntity.Outcome)], cancellationToken: cancellationToken))
        {
            inScope++;
            var lastStep = row.GetInt32(nameof(RecipientEntity.LastStepSent)) ?? -1;
            sent += lastStep >= DeliverySteps.First ? 1 : 0;
            lastStepCounts[lastStep] = lastStepCounts.GetValueOrDefault(lastStep) + 1;
            switch (Enum.Parse<RecipientOutcome>(row.GetString(nameof(RecipientEntity.Outcome))))
            {
                case RecipientOutcome.Acknowledged: acknowledged++; break;
                case RecipientOutcome.Pending: pending++; break;
                case RecipientOutcome.Undeliverable: undeliverable++; break;
                case RecipientOutcome.NoResponse: noResponse++; break;
                case RecipientOutcome.Cancelled: cancelled++; break;
            }
        }

        // A recipient whose last step is n has had every step up to n (a step goes only to those who had the one before).
        var steps = lastStepCounts.Count == 0 ? -1 : lastStepCounts.Keys.Max();
        var sentByStep = Enumerable.Range(0, steps + 1).Select(step => lastStepCounts.Where(c => c.Key >= step).Sum(c => c.Value)).ToList();
        return new DeliveryProgress(inScope, sent, acknowledged, pending, undeliverable, noResponse, cancelled, sentByStep);
    }

    /// <summary>The escalation units already sent.</summary>
    public async Task<IReadOnlySet<string>> EscalatedAsync(DeliveryRef delivery, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in Table(delivery).QueryAsync<TableEntity>(TableClient.CreateQueryFilter(
                           $"PartitionKey eq {delivery.Id} and RowKey ge {StorageKeys.EscalatedRowKeyPrefix} and RowKey lt {StorageKeys.EscalatedRowKeyEnd}"),
                           select: ["RowKey"], cancellationToken: cancellationToken))
        {
            found.Add(row.RowKey[StorageKeys.EscalatedRowKeyPrefix.Length..]);
        }

        return found;
    }

    public Task MarkEscalatedAsync(DeliveryRef delivery, string key, CancellationToken cancellationToken)
        => AddIfAbsentAsync(Table(delivery), new TableEntity(delivery.Id, StorageKeys.EscalatedRowKey(key)), cancellationToken);

    private Task SubmitAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, AuditRecord? entry, CancellationToken cancellationToken)
        => entry is null ? table.SubmitTransactionAsync(actions, cancellationToken) : audit.CommitAsync(table, actions, entry, cancellationToken);

    /// <summary>Inserts; a row already there (409) is what was wanted, and is kept as it is.</summary>
    private static async Task AddIfAbsentAsync(TableClient table, ITableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already there.
        }
    }

    private static TableEntity PendingRow(string deliveryId, string recipientId, int batch)
        => new(deliveryId, StorageKeys.PendingRowKey(recipientId)) { ["Batch"] = batch };

    private static string PendingRows(string deliveryId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {deliveryId} and RowKey ge {StorageKeys.PendingRowKeyPrefix} and RowKey lt {StorageKeys.PendingRowKeyEnd}");

    private static string RecipientRows(string deliveryId) => TableClient.CreateQueryFilter(
        $"PartitionKey eq {deliveryId} and RowKey ge {StorageKeys.CampaignResultRowKeyPrefix} and RowKey lt {StorageKeys.CampaignResultRowKeyEnd}");
}
