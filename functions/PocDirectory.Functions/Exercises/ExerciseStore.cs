using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Exercises;

/// <summary>Exercises, the records of their deliveries, replies and observations, in one table (a partition per exercise).</summary>
public sealed class ExerciseStore(DirectoryTables tables, AuditLog audit)
{
    public static bool IsWellFormedId(string id) => id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit);

    public Task AddAsync(ExerciseEntity exercise, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Exercises, [new TableTransactionAction(TableTransactionActionType.Add, exercise)], entry, cancellationToken);

    public async Task<ExerciseEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        var response = await tables.Exercises.GetEntityIfExistsAsync<ExerciseEntity>(id, StorageKeys.ExerciseRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<IReadOnlyList<ExerciseEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<ExerciseEntity>();
        await foreach (var e in tables.Exercises.QueryAsync<ExerciseEntity>(TableClient.CreateQueryFilter($"RowKey eq {StorageKeys.ExerciseRowKey}"), cancellationToken: cancellationToken))
        {
            found.Add(e);
        }

        // Ids are time-ordered: newest first.
        return found.OrderByDescending(e => e.PartitionKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>Replaces the exercise at the ETag it was read with (a concurrent change gets 412), with its audit entry.</summary>
    public async Task<string> ReplaceAsync(ExerciseEntity exercise, AuditRecord entry, CancellationToken cancellationToken)
    {
        var response = await audit.CommitAsync(tables.Exercises, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, exercise, exercise.ETag)], entry, cancellationToken);
        return response.Value[0].Headers.ETag?.ToString() ?? string.Empty;
    }

    /// <summary>Changes the exercise at its ETag, again on a lost race, with its audit entry; null when the change declined.</summary>
    public Task<ExerciseEntity?> ChangeAsync(string id, Func<ExerciseEntity, bool> change, Func<ExerciseEntity, AuditRecord> entry, CancellationToken cancellationToken)
        => ConditionalChange.ApplyAsync(
            async () => await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Exercise {id} does not exist."),
            change,
            row => ReplaceAsync(row, entry(row), cancellationToken));

    public async Task<ExerciseInjectEntity?> FindInjectAsync(string exerciseId, string key, CancellationToken cancellationToken)
    {
        var response = await tables.Exercises.GetEntityIfExistsAsync<ExerciseInjectEntity>(exerciseId, StorageKeys.ExerciseInjectRowKeyPrefix + key, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds the record of a delivery unless it is there (a retried activity finds it).</summary>
    public async Task AddInjectAsync(ExerciseInjectEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await tables.Exercises.AddEntityAsync(row, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already recorded by an earlier attempt.
        }
    }

    public Task<List<ExerciseInjectEntity>> ListInjectsAsync(string exerciseId, CancellationToken cancellationToken)
        => RangeAsync<ExerciseInjectEntity>(exerciseId, StorageKeys.ExerciseInjectRowKeyPrefix, StorageKeys.ExerciseInjectRowKeyEnd, cancellationToken);

    public Task ChangeInjectAsync(string exerciseId, string key, Func<ExerciseInjectEntity, bool> change, CancellationToken cancellationToken)
        => ConditionalChange.ReplaceAsync(tables.Exercises,
            async () => await FindInjectAsync(exerciseId, key, cancellationToken) ?? throw new InvalidOperationException($"Exercise delivery {exerciseId}-{key} does not exist."),
            change, cancellationToken);

    public static string ReplyRowKey(string deliveryKey, string recipientId) => $"{StorageKeys.ExerciseReplyRowKeyPrefix}{deliveryKey}|{recipientId}";

    public async Task<ExerciseReplyEntity?> FindReplyAsync(string exerciseId, string deliveryKey, string recipientId, CancellationToken cancellationToken)
    {
        var response = await tables.Exercises.GetEntityIfExistsAsync<ExerciseReplyEntity>(exerciseId, ReplyRowKey(deliveryKey, recipientId), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds a reply with its audit entry; false when the recipient replied already (the first reply stands).</summary>
    public async Task<bool> AddReplyAsync(ExerciseReplyEntity reply, AuditRecord entry, CancellationToken cancellationToken)
    {
        try
        {
            await audit.CommitAsync(tables.Exercises, [new TableTransactionAction(TableTransactionActionType.Add, reply)], entry, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public Task<List<ExerciseReplyEntity>> ListRepliesAsync(string exerciseId, CancellationToken cancellationToken)
        => RangeAsync<ExerciseReplyEntity>(exerciseId, StorageKeys.ExerciseReplyRowKeyPrefix, StorageKeys.ExerciseReplyRowKeyEnd, cancellationToken);

    public Task SaveObservationAsync(ExerciseObservationEntity observation, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Exercises, [new TableTransactionAction(TableTransactionActionType.UpsertReplace, observation)], entry, cancellationToken);

    public Task<List<ExerciseObservationEntity>> ListObservationsAsync(string exerciseId, CancellationToken cancellationToken)
        => RangeAsync<ExerciseObservationEntity>(exerciseId, StorageKeys.ExerciseObservationRowKeyPrefix, StorageKeys.ExerciseObservationRowKeyEnd, cancellationToken);

    /// <summary>The delivery core's recipient rows of one of the exercise's deliveries (read-only here; see MeetingStore for why not DeliveryStore).</summary>
    public async Task<List<RecipientEntity>> RecipientRowsAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var found = new List<RecipientEntity>();
        await foreach (var row in tables.ExerciseRecipients.QueryAsync<RecipientEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {deliveryId} and RowKey ge {StorageKeys.CampaignResultRowKeyPrefix} and RowKey lt {StorageKeys.CampaignResultRowKeyEnd}"),
                           cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    private async Task<List<T>> RangeAsync<T>(string exerciseId, string from, string to, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var found = new List<T>();
        if (!IsWellFormedId(exerciseId))
        {
            return found;
        }

        await foreach (var row in tables.Exercises.QueryAsync<T>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {exerciseId} and RowKey ge {from} and RowKey lt {to}"), cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }
}
