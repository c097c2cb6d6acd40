using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Outreach;

public sealed class OutreachStore(DirectoryTables tables, AuditLog audit)
{
    public static bool IsWellFormedId(string id) => id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit);

    public Task AddAsync(OutreachEntity outreach, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Outreach, [new TableTransactionAction(TableTransactionActionType.Add, outreach)], entry, cancellationToken);

    public async Task<OutreachEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        var response = await tables.Outreach.GetEntityIfExistsAsync<OutreachEntity>(StorageKeys.OutreachPartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Newest first: ids sort so.</summary>
    public async Task<IReadOnlyList<OutreachEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<OutreachEntity>();
        await foreach (var row in tables.Outreach.QueryAsync<OutreachEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.OutreachPartition} and RowKey lt {StorageKeys.ChangeRowKeyStart}"), cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    /// <summary>Changes the outreach's row at its ETag, again on a lost race; nothing when <paramref name="change"/> says there is nothing to do.</summary>
    public Task ChangeAsync(string id, Func<OutreachEntity, bool> change, CancellationToken cancellationToken)
        => ConditionalChange.ReplaceAsync(tables.Outreach,
            async () => await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Outreach {id} does not exist."), change, cancellationToken);
}
