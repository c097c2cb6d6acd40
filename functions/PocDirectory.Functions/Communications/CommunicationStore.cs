using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Communications;

/// <summary>Communications and their replies in Table Storage; the receiving POCs' rows are the delivery core's (DeliveryStore).</summary>
public sealed class CommunicationStore(DirectoryTables tables, AuditLog audit)
{
    public Task AddAsync(CommunicationEntity communication, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Communications, [new TableTransactionAction(TableTransactionActionType.Add, communication)], entry, cancellationToken);

    public async Task<CommunicationEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var response = await tables.Communications.GetEntityIfExistsAsync<CommunicationEntity>(StorageKeys.CommunicationPartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Newest first; <paramref name="filter"/> is an OData filter on the communication's columns.</summary>
    public AsyncPageable<CommunicationEntity> QueryAsync(string? filter, CancellationToken cancellationToken)
    {
        var all = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.CommunicationPartition}") + " and " + StorageKeys.SkipsChangeRows;
        return tables.Communications.QueryAsync<CommunicationEntity>(filter is null ? all : $"{all} and ({filter})", cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<CommunicationReplyEntity>> RepliesAsync(string id, CancellationToken cancellationToken)
    {
        var found = new List<CommunicationReplyEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ThreadPartition(id)}") + " and " + StorageKeys.SkipsChangeRows;
        await foreach (var reply in tables.Communications.QueryAsync<CommunicationReplyEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(reply);
        }

        return found;
    }

    /// <summary>Adds a reply (audited by its own entry), in the thread's partition.</summary>
    public Task AddReplyAsync(CommunicationReplyEntity reply, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Communications, [new TableTransactionAction(TableTransactionActionType.Add, reply)], entry, cancellationToken);

    /// <summary>Replaces the replies' bodies with nothing, leaving who replied and when.</summary>
    public async Task EraseRepliesAsync(string id, CancellationToken cancellationToken)
    {
        foreach (var reply in await RepliesAsync(id, cancellationToken))
        {
            if (reply.Body is not null)
            {
                reply.Body = null;
                await tables.Communications.UpdateEntityAsync(reply, reply.ETag, TableUpdateMode.Replace, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Reads the communication, applies <paramref name="change"/> (false: nothing to do), and writes it back at the
    /// ETag it read, with the audit entry of before and after (metadata only) when <paramref name="entry"/> is given;
    /// again on a lost race. Returns the communication as written, or null when nothing changed.
    /// </summary>
    public Task<CommunicationEntity?> ChangeAsync(
        string id, Func<CommunicationEntity, bool> change, Func<Communication, Communication, AuditRecord>? entry, CancellationToken cancellationToken)
    {
        Communication? before = null;
        return ConditionalChange.ApplyAsync(ReadAsync, change, WriteAsync);

        async Task<CommunicationEntity> ReadAsync()
        {
            var read = await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Communication {id} does not exist.");
            before = read.ToMetadata();
            return read;
        }

        Task WriteAsync(CommunicationEntity communication) => entry is null
            ? tables.Communications.UpdateEntityAsync(communication, communication.ETag, TableUpdateMode.Replace, cancellationToken)
            : audit.CommitAsync(tables.Communications, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, communication, communication.ETag)],
                entry(before!, communication.ToMetadata()), cancellationToken);
    }
}
