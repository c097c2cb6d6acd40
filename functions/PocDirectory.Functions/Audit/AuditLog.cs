using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Audit;

public sealed record AuditChange(string Field, JsonNode? Before, JsonNode? After);

public sealed record AuditEntry(
    string Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId, IReadOnlyList<AuditChange> Changes);

/// <summary>Appends to the audit log. The log has no update or delete path anywhere in the app.</summary>
public sealed class AuditLog(DirectoryTables tables, TimeProvider time)
{
    public async Task RecordAsync(Caller actor, string action, string entityType, string entityId, object? before, object? after, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var id = StorageKeys.SortableId(at);
        var entity = new TableEntity(StorageKeys.AuditPartition(at), StorageKeys.AuditRowKey(at, id))
        {
            ["Id"] = id,
            ["At"] = at,
            ["Actor"] = actor.Email,
            ["Action"] = action,
            ["EntityType"] = entityType,
            ["EntityId"] = entityId,
            ["Changes"] = JsonSerializer.Serialize(Diff(before, after), ApiJson.Options),
        };

        // AddEntity, never upsert: an entry once written is not replaced.
        await tables.Audit.AddEntityAsync(entity, cancellationToken);
    }

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

public sealed record AuditQuery(string? EntityType, string? EntityId, string? Actor, DateTimeOffset? From, DateTimeOffset? To, int PageSize, string? ContinuationToken);
