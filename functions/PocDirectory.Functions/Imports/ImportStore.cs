using System.Globalization;
using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Imports;

/// <summary>An import's own row: its partition is the import's id, its row key <see cref="StorageKeys.ImportRowKey"/>.</summary>
public sealed class ImportEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = StorageKeys.ImportRowKey;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Directory { get; set; } = string.Empty;

    public string? Reference { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public string ImportedBy { get; set; } = string.Empty;

    /// <summary>The participants its entries are for, comma-separated: a focal point lists the imports that concern it.</summary>
    public string Participants { get; set; } = string.Empty;

    [IgnoreDataMember]
    public IReadOnlyList<string> ParticipantList => Participants.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>One entry of an import, in the import's partition; the match is fixed when the list is read in.</summary>
public sealed class ImportEntryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Number { get; set; }

    public string Participant { get; set; } = string.Empty;

    public string Match { get; set; } = string.Empty;

    public string Incoming { get; set; } = "{}";

    public string? PocId { get; set; }

    public string Differences { get; set; } = "[]";

    /// <summary>Pending, Accepting (claimed by an accept in progress), Accepted or Rejected.</summary>
    public string Decision { get; set; } = nameof(ImportDecision.Pending);

    public DateTimeOffset? DecidedAt { get; set; }

    public string? DecidedBy { get; set; }

    public string? ResultPocId { get; set; }

    [IgnoreDataMember]
    public ExchangeEntry IncomingEntry => JsonSerializer.Deserialize<ExchangeEntry>(Incoming, ApiJson.Options)!;

    [IgnoreDataMember]
    public IReadOnlyList<string> DifferenceList => JsonSerializer.Deserialize<List<string>>(Differences, ApiJson.Options)!;
}

public sealed class ImportStore(DirectoryTables tables, AuditLog audit)
{
    /// <summary>Written while an accept creates or updates the POC, so a second accept meanwhile is refused.</summary>
    public const string Accepting = "Accepting";

    public static bool IsWellFormedId(string id) => id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit);

    public static string EntryRowKey(int number) => StorageKeys.ImportEntryRowKeyPrefix + number.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>
    /// The entries first, then the import's row with its audit entry: the row is what makes the import exist, so a
    /// failure part-way leaves only entries nothing lists or reads, never half an import in the review area.
    /// </summary>
    public async Task AddAsync(ImportEntity import, IReadOnlyList<ImportEntryEntity> entries, AuditRecord entry, CancellationToken cancellationToken)
    {
        foreach (var chunk in entries.Chunk(100))
        {
            await tables.Imports.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), cancellationToken);
        }

        await audit.CommitAsync(tables.Imports, [new TableTransactionAction(TableTransactionActionType.Add, import)], entry, cancellationToken);
    }

    public async Task<ImportEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        var response = await tables.Imports.GetEntityIfExistsAsync<ImportEntity>(id, StorageKeys.ImportRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<IReadOnlyList<ImportEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<ImportEntity>();
        await foreach (var row in tables.Imports.QueryAsync<ImportEntity>(
                           TableClient.CreateQueryFilter($"RowKey eq {StorageKeys.ImportRowKey}"), cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found.OrderByDescending(i => i.ImportedAt).ToList();
    }

    public async Task<IReadOnlyList<ImportEntryEntity>> EntriesAsync(string id, CancellationToken cancellationToken)
    {
        var found = new List<ImportEntryEntity>();
        await foreach (var row in tables.Imports.QueryAsync<ImportEntryEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {id} and RowKey ge {StorageKeys.ImportEntryRowKeyPrefix} and RowKey lt {StorageKeys.ImportEntryRowKeyEnd}"),
                           cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    public async Task<ImportEntryEntity?> FindEntryAsync(string id, int number, CancellationToken cancellationToken)
    {
        var response = await tables.Imports.GetEntityIfExistsAsync<ImportEntryEntity>(id, EntryRowKey(number), cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Moves a pending entry to <paramref name="decision"/> at the ETag read; false when another decision got there first.</summary>
    public async Task<ImportEntryEntity?> ClaimAsync(ImportEntryEntity entry, string decision, CancellationToken cancellationToken)
    {
        entry.Decision = decision;
        try
        {
            var response = await tables.Imports.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace, cancellationToken);
            entry.ETag = response.Headers.ETag ?? entry.ETag;
            return entry;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>Records the decision on the claimed entry with its audit entry.</summary>
    public Task DecideAsync(ImportEntryEntity entry, AuditRecord record, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Imports, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, entry, entry.ETag)], record, cancellationToken);

    /// <summary>Hands a claimed entry back when the POC could not be written: it is pending again, nothing was decided.</summary>
    public async Task ReleaseAsync(ImportEntryEntity entry, CancellationToken cancellationToken)
    {
        entry.Decision = nameof(ImportDecision.Pending);
        await tables.Imports.UpdateEntityAsync(entry, entry.ETag, TableUpdateMode.Replace, CancellationToken.None);
        _ = cancellationToken;
    }
}
