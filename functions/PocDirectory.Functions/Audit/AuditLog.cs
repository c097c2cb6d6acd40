using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Audit;

public sealed record AuditChange(string Field, JsonNode? Before, JsonNode? After);

public sealed record AuditEntry(
    string Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, IReadOnlyList<AuditChange> Changes);

/// <summary>
/// The audit entry of a change that is about to be written: made by <see cref="AuditLog.Entry"/>, written by
/// <see cref="AuditLog.CommitAsync"/> in the change's own transaction. <see cref="After"/> is the API representation
/// after the change, which is also what a create answers.
/// </summary>
public sealed record AuditRecord(string Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, string Changes, object? After);

/// <summary>
/// The audit log (decision 0004). A change and its entry commit together: the entry goes into the change's entity group
/// transaction as an outbox row in the change's partition, and is then moved to the append-only Audit table: after the
/// answer, by <see cref="AuditOutboxMover"/> (decision 0040), and after a crash in between, by <see cref="MoveOutboxAsync"/>
/// (a timer, and every read of the log). The log has no update or delete path anywhere in the app.
/// </summary>
public sealed class AuditLog(DirectoryTables tables, TimeProvider time, ILogger<AuditLog> logger)
{
    private static readonly string[] EntryColumns = ["Id", "At", "Actor", "Action", "EntityType", "EntityId", "Changes"];

    /// <summary>
    /// Entries committed and waiting for <see cref="AuditOutboxMover"/>. Bounded: when the mover falls this far behind,
    /// the writer moves its own entry (the old path), so a burst slows down instead of piling up in memory.
    /// </summary>
    private readonly Channel<OutboxItem> _toMove = Channel.CreateBounded<OutboxItem>(new BoundedChannelOptions(QueuedMovesLimit)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
    });

    public const int QueuedMovesLimit = 10_000;

    public AuditRecord Entry(Caller actor, string action, string entityType, string entityId, object? before, object? after)
    {
        var at = time.GetUtcNow();
        return new AuditRecord(StorageKeys.SortableId(at), at, actor.Email, action, entityType, entityId,
            JsonSerializer.Serialize(Diff(before, after), ApiJson.Options), after);
    }

    /// <summary>
    /// Writes an audited change: <paramref name="change"/> (actions on one partition of <paramref name="table"/>) and the
    /// entry's outbox row in one transaction, so both exist or neither does; then moves the entry to the Audit table. The
    /// answer is the transaction's, with the change's actions first, in their order. A request with an Idempotency-Key
    /// also leaves its marker in the same transaction (decision 0017).
    /// </summary>
    public async Task<Response<IReadOnlyList<Response>>> CommitAsync(
        TableClient table, IReadOnlyList<TableTransactionAction> change, AuditRecord entry, CancellationToken cancellationToken)
    {
        var partition = change[0].Entity.PartitionKey;
        var outbox = OutboxRow(partition, entry);
        var actions = change.Append(new TableTransactionAction(TableTransactionActionType.Add, outbox)).ToList();
        var idempotent = IdempotentRequest.Current;
        var marker = idempotent?.MarkerFor(partition, entry);
        if (marker is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.Add, marker));
            await idempotent!.CommittingToAsync(table, partition);
        }

        Response<IReadOnlyList<Response>> response;
        try
        {
            response = await table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409 && marker is not null)
        {
            // The same create was committed before (an earlier try of this request died before it could answer): answer
            // what it created instead of creating it again. Any other 409 is the change's own.
            throw await idempotent!.AlreadyCommittedAsync(table, marker, cancellationToken) ?? (Exception)e;
        }

        idempotent?.Committed(marker);

        // The change is saved with its entry; the move happens after the answer (two storage calls the request no longer
        // waits for). If it fails, or the process dies first, the sweep moves it later.
        if (!_toMove.Writer.TryWrite(new OutboxItem(table, outbox)))
        {
            await MoveQueuedAsync([new OutboxItem(table, outbox)], CancellationToken.None);
        }

        return response;
    }

    /// <summary>The committed entries waiting to be moved, read by <see cref="AuditOutboxMover"/>.</summary>
    internal ChannelReader<OutboxItem> QueuedMoves => _toMove.Reader;

    /// <summary>
    /// Moves committed entries in as few calls as their keys allow: the entries of one day into the Audit table in one
    /// transaction, then the outbox rows of one partition in another (decision 0043). A failure leaves what was not moved
    /// in the outbox for the sweep, and is only logged.
    /// </summary>
    internal async Task MoveQueuedAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        try
        {
            // Every entry is in the Audit table before any outbox row goes, so a failure part-way loses nothing.
            foreach (var day in items.GroupBy(i => i.Row.GetString("AuditPartition"), StringComparer.Ordinal))
            {
                foreach (var batch in Batches(day.Select(i => i.Row)))
                {
                    await AddToAuditAsync(batch, cancellationToken);
                }
            }

            foreach (var partition in items.GroupBy(i => (i.Table.Name, i.Row.PartitionKey)))
            {
                var table = partition.First().Table;
                foreach (var batch in Batches(partition.Select(i => i.Row)))
                {
                    await DropFromOutboxAsync(table, batch, cancellationToken);
                }
            }
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            logger.LogWarning("{Count} audit entries stay in the outbox until the next sweep: {Error}", items.Count, e.GetType().Name);
        }
    }

    /// <summary>A transaction takes at most 100 actions and 4 MiB; an entry's size is nearly all its changes.</summary>
    private static IEnumerable<TableEntity[]> Batches(IEnumerable<TableEntity> rows)
    {
        const int MaxActions = 100;
        const int MaxChangeChars = 1_000_000;
        var batch = new List<TableEntity>();
        var chars = 0;
        foreach (var row in rows)
        {
            var size = row.GetString("Changes")?.Length ?? 0;
            if (batch.Count == MaxActions || (batch.Count > 0 && chars + size > MaxChangeChars))
            {
                yield return [.. batch];
                (batch, chars) = ([], 0);
            }

            batch.Add(row);
            chars += size;
        }

        if (batch.Count > 0)
        {
            yield return [.. batch];
        }
    }

    private async Task AddToAuditAsync(TableEntity[] outboxRows, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Audit.SubmitTransactionAsync(outboxRows.Select(r => new TableTransactionAction(TableTransactionActionType.Add, EntryOf(r))), cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // One of them was moved already (a sweep beside the mover): the others go one by one.
            foreach (var row in outboxRows)
            {
                await AddOnceAsync(EntryOf(row), cancellationToken);
            }
        }
    }

    private static async Task DropFromOutboxAsync(TableClient table, TableEntity[] outboxRows, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(outboxRows.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // One of them was dropped already (by the sweep): the others go one by one; deleting what is gone succeeds.
            foreach (var row in outboxRows)
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Records an event that changes no stored record (a refused write, a decision handed to an orchestration): there is
    /// no transaction to join, so the entry goes straight to the Audit table. Changes go through <see cref="CommitAsync"/>.
    /// </summary>
    public Task RecordEventAsync(Caller actor, string action, string entityType, string entityId, object? details, CancellationToken cancellationToken)
    {
        var entry = Entry(actor, action, entityType, entityId, null, details);
        return tables.Audit.AddEntityAsync(AuditRow(entry), cancellationToken);
    }

    /// <summary>
    /// Moves every entry still in an outbox to the Audit table and drops expired idempotency markers. Entries keep the
    /// Audit keys chosen at commit, so a move that runs twice (a sweep beside the writer, a crash between the add and the
    /// delete) adds nothing twice.
    /// </summary>
    public async Task<int> MoveOutboxAsync(CancellationToken cancellationToken)
    {
        var moved = 0;
        foreach (var table in tables.RecordTables)
        {
            moved += await SweepAsync(table, TableClient.CreateQueryFilter($"RowKey ge {StorageKeys.ChangeRowKeyStart}"), cancellationToken);
        }

        // Results tables grow with every campaign, so they are read per campaign, each a short key range.
        var campaigns = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.CampaignPartition}") + " and " + StorageKeys.SkipsChangeRows;
        await foreach (var campaign in tables.Campaigns.QueryAsync<TableEntity>(campaigns, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            moved += await SweepAsync(tables.CampaignResults,
                TableClient.CreateQueryFilter($"PartitionKey eq {campaign.RowKey} and RowKey ge {StorageKeys.ChangeRowKeyStart}"), cancellationToken);
        }

        // Every other feature's recipients: the index of started deliveries names each partition.
        var deliveries = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.DeliveryIndexPartition}");
        await foreach (var delivery in tables.Deliveries.QueryAsync<TableEntity>(deliveries, cancellationToken: cancellationToken))
        {
            var table = delivery.GetString(StorageKeys.DeliveryIndexTableColumn);
            if (table != StorageKeys.CampaignResultsTable)
            {
                moved += await SweepAsync(tables.Table(table), TableClient.CreateQueryFilter(
                    $"PartitionKey eq {delivery.GetString(StorageKeys.DeliveryIndexPartitionColumn)} and RowKey ge {StorageKeys.ChangeRowKeyStart}"), cancellationToken);
            }
        }

        return moved;
    }

    private async Task<int> SweepAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var moved = 0;
        var now = time.GetUtcNow();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            if (row.RowKey.StartsWith(StorageKeys.AuditOutboxRowKeyPrefix, StringComparison.Ordinal))
            {
                await MoveAsync(table, row, cancellationToken);
                moved++;
            }
            else if (IdempotentRequest.IsExpiredMarker(row, now))
            {
                await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
            }
        }

        return moved;
    }

    private async Task MoveAsync(TableClient table, TableEntity outbox, CancellationToken cancellationToken)
    {
        await AddOnceAsync(EntryOf(outbox), cancellationToken);
        await table.DeleteEntityAsync(outbox.PartitionKey, outbox.RowKey, ETag.All, cancellationToken);
    }

    /// <summary>The entry an outbox row holds, under the Audit keys it was given at commit.</summary>
    private static TableEntity EntryOf(TableEntity outbox)
    {
        var entry = new TableEntity(outbox.GetString("AuditPartition"), outbox.GetString("AuditRowKey"));
        foreach (var column in EntryColumns)
        {
            entry[column] = outbox[column];
        }

        return entry;
    }

    private async Task AddOnceAsync(TableEntity entry, CancellationToken cancellationToken)
    {
        try
        {
            // AddEntity, never upsert: an entry once written is not replaced.
            await tables.Audit.AddEntityAsync(entry, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Moved already; only the outbox row is left to drop.
        }
    }

    private static TableEntity OutboxRow(string partition, AuditRecord entry)
    {
        var row = AuditRow(entry);
        row["AuditPartition"] = row.PartitionKey;
        row["AuditRowKey"] = row.RowKey;
        (row.PartitionKey, row.RowKey) = (partition, StorageKeys.AuditOutboxRowKeyPrefix + row.RowKey);
        return row;
    }

    /// <summary>The entry as the Audit table holds it, under the keys chosen once (so a repeated move adds nothing twice).</summary>
    private static TableEntity AuditRow(AuditRecord entry) => new(StorageKeys.AuditPartition(entry.At), StorageKeys.AuditRowKey(entry.At, entry.Id))
    {
        ["Id"] = entry.Id,
        ["At"] = entry.At,
        ["Actor"] = entry.Actor,
        ["Action"] = entry.Action,
        ["EntityType"] = entry.EntityType,
        ["EntityId"] = entry.EntityId,
        ["Changes"] = entry.Changes,
    };

    /// <summary>Top-level fields whose JSON differs between the two versions; arrays and objects compare as a whole.</summary>
    public static IReadOnlyList<AuditChange> Diff(object? before, object? after)
    {
        var old = ToObject(before);
        var @new = ToObject(after);
        return old.Select(p => p.Key).Union(@new.Select(p => p.Key))
            .Select(field => (field, before: old[field], after: @new[field]))
            .Where(c => !JsonNode.DeepEquals(c.before, c.after))
            .Select(c => new AuditChange(c.field, c.before?.DeepClone(), c.after?.DeepClone()))
            .ToList();
    }

    private static JsonObject ToObject(object? value)
        => value is null ? [] : JsonSerializer.SerializeToNode(value, value.GetType(), ApiJson.Options) as JsonObject ?? [];

    public async Task<ListPage<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        if (query.ContinuationToken is null)
        {
            // The log as read is complete: entries a crash left in an outbox are moved first.
            await MoveOutboxAsync(cancellationToken);
        }

        var filters = new List<string>();
        if (query.From is { } from)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey le {StorageKeys.AuditPartition(from)}"));
            filters.Add(TableClient.CreateQueryFilter($"At ge {from}"));
        }

        if (query.To is { } to)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey ge {StorageKeys.AuditPartition(to)}"));
            filters.Add(TableClient.CreateQueryFilter($"At lt {to}"));
        }

        if (!string.IsNullOrEmpty(query.EntityType))
        {
            filters.Add(TableClient.CreateQueryFilter($"EntityType eq {query.EntityType}"));
        }

        if (!string.IsNullOrEmpty(query.EntityId))
        {
            filters.Add(TableClient.CreateQueryFilter($"EntityId eq {query.EntityId}"));
        }

        if (!string.IsNullOrEmpty(query.Actor))
        {
            filters.Add(TableClient.CreateQueryFilter($"Actor eq {query.Actor.ToLowerInvariant()}"));
        }

        var rows = tables.Audit.QueryAsync<TableEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), query.PageSize, cancellationToken: cancellationToken);
        return await TablePages.FirstAsync(rows, query.ContinuationToken, query.PageSize, ToEntry);
    }

    private static AuditEntry ToEntry(TableEntity e) => new(
        e.GetString("Id"),
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("Actor"),
        e.GetString("Action"),
        e.GetString("EntityType"),
        e.GetString("EntityId"),
        JsonSerializer.Deserialize<List<AuditChange>>(e.GetString("Changes") ?? "[]", ApiJson.Options) ?? []);
}

/// <summary>An outbox row just committed in <paramref name="Table"/>, to be moved to the Audit table.</summary>
internal sealed record OutboxItem(TableClient Table, TableEntity Row);

public sealed record AuditQuery(string? EntityType, string? EntityId, string? Actor, DateTimeOffset? From, DateTimeOffset? To, int PageSize, string? ContinuationToken);
