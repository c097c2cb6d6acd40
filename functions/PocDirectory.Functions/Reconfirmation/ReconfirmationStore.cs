using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Reconfirmation;

public sealed class ReconfirmationStore(DirectoryTables tables)
{
    public Task AddAsync(ReconfirmationEntity round, CancellationToken cancellationToken)
        => tables.Reconfirmations.AddEntityAsync(round, cancellationToken);

    public async Task<ReconfirmationEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 32 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var response = await tables.Reconfirmations.GetEntityIfExistsAsync<ReconfirmationEntity>(StorageKeys.ReconfirmationPartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public Task ChangeAsync(string id, Func<ReconfirmationEntity, bool> change, CancellationToken cancellationToken)
        => ConditionalChange.ReplaceAsync(tables.Reconfirmations,
            async () => await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Re-confirmation round {id} does not exist."), change, cancellationToken);

    /// <summary>
    /// Claims the next look for stale POCs: true for one caller per <paramref name="every"/>, across instances (the
    /// check row is written at the ETag read, so two instances firing together look once).
    /// </summary>
    public async Task<bool> TryClaimCheckAsync(DateTimeOffset now, TimeSpan every, CancellationToken cancellationToken)
    {
        var response = await tables.Reconfirmations.GetEntityIfExistsAsync<TableEntity>(StorageKeys.ReconfirmationCheckPartition, StorageKeys.ReconfirmationCheckRowKey, cancellationToken: cancellationToken);
        var row = response.HasValue ? response.Value! : null;
        if (row?.GetDateTimeOffset("LastCheckAt") is { } last && now - last < every)
        {
            return false;
        }

        var next = new TableEntity(StorageKeys.ReconfirmationCheckPartition, StorageKeys.ReconfirmationCheckRowKey) { ["LastCheckAt"] = now };
        try
        {
            if (row is null)
            {
                await tables.Reconfirmations.AddEntityAsync(next, cancellationToken);
            }
            else
            {
                await tables.Reconfirmations.UpdateEntityAsync(next, row.ETag, TableUpdateMode.Replace, cancellationToken);
            }

            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another instance claimed it.
            return false;
        }
    }
}
