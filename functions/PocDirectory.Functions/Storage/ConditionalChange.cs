using Azure;
using Azure.Data.Tables;

namespace PocDirectory.Functions.Storage;

/// <summary>
/// Read, change, write back at the ETag read; when someone wrote in between (412), read again and apply the change to
/// what is there now. The one loop for every record that a user and a background step can both change.
/// </summary>
public static class ConditionalChange
{
    /// <summary>Enough for any real contention on one record; past it the 412 is the caller's.</summary>
    private const int MaxAttempts = 10;

    /// <summary>The row as written, or null when <paramref name="change"/> found nothing to do.</summary>
    public static async Task<T?> ApplyAsync<T>(Func<Task<T>> read, Func<T, bool> change, Func<T, Task> write)
        where T : class
    {
        for (var attempt = 1; ; attempt++)
        {
            var row = await read();
            if (!change(row))
            {
                return null;
            }

            try
            {
                await write(row);
                return row;
            }
            catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxAttempts)
            {
                // Changed since the read: apply the change to what is there now.
            }
        }
    }

    /// <summary><see cref="ApplyAsync"/> with the plain write: the row replaced at the ETag it was read with.</summary>
    public static Task<T?> ReplaceAsync<T>(TableClient table, Func<Task<T>> read, Func<T, bool> change, CancellationToken cancellationToken)
        where T : class, ITableEntity
        => ApplyAsync(read, change, row => table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken));
}
