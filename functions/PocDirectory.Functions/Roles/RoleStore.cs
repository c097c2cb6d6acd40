using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Roles;

/// <summary>
/// Role assignments in Table Storage, one partition per user. Every authenticated request needs the caller's roles, so
/// they are kept for <see cref="AuthOptions.RoleCacheDuration"/> (decision 0009): a second round trip to storage on
/// every read was the largest part of the API's overhead over a bare table read.
/// </summary>
public sealed class RoleStore(DirectoryTables tables, PocStore pocs, AuditLog audit, IOptions<AuthOptions> auth, TimeProvider time) : IDisposable
{
    // A cache of its own, bounded by entry count, so the users signed in cannot grow memory without limit.
    private readonly MemoryCache _byUser = new(new MemoryCacheOptions { SizeLimit = 10_000, Clock = new CacheClock(time) });

    /// <summary>
    /// The assignments made to this address that grant something. A POC role whose record is retired (or gone) grants
    /// nothing, even when removing it at retirement failed half-way.
    /// </summary>
    public async Task<IReadOnlyList<RoleAssignment>> ForUserAsync(string email, CancellationToken cancellationToken)
    {
        var partition = StorageKeys.UserPartition(email);
        if (_byUser.TryGetValue(partition, out IReadOnlyList<RoleAssignment>? cached) && cached is not null)
        {
            return cached;
        }

        var found = new List<RoleAssignment>();
        await foreach (var entity in tables.RoleAssignments.QueryAsync<RoleAssignmentEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and " + StorageKeys.SkipsChangeRows, cancellationToken: cancellationToken))
        {
            var assignment = entity.ToModel();
            if (assignment.Role != Role.Poc || (await pocs.FindAsync(assignment.PocId!, cancellationToken))?.Value.Status == PocStatus.Active)
            {
                found.Add(assignment);
            }
        }

        var duration = auth.Value.RoleCacheDuration;
        if (duration > TimeSpan.Zero)
        {
            _byUser.Set<IReadOnlyList<RoleAssignment>>(partition, found, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = duration });
        }

        return found;
    }

    public async Task<IReadOnlyList<RoleAssignment>> ListAsync(string? email, Role? role, string? participant, CancellationToken cancellationToken)
    {
        var filters = new List<string> { StorageKeys.SkipsChangeRows };
        if (email is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.UserPartition(email)}"));
        }

        if (role is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Role eq {role.Value.ToString()}"));
        }

        if (participant is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Participant eq {participant.ToUpperInvariant()}"));
        }

        var found = new List<RoleAssignment>();
        await foreach (var entity in tables.RoleAssignments.QueryAsync<RoleAssignmentEntity>(
                           string.Join(" and ", filters), cancellationToken: cancellationToken))
        {
            found.Add(entity.ToModel());
        }

        return found.OrderBy(a => a.Email, StringComparer.Ordinal).ThenBy(a => a.Role).ToList();
    }

    public async Task<RoleAssignment?> FindAsync(string id, CancellationToken cancellationToken)
    {
        // Ids are not tied to a user, so this scans; the table holds one row per person with a role (thousands at most).
        await foreach (var entity in tables.RoleAssignments.QueryAsync<RoleAssignmentEntity>(
                           TableClient.CreateQueryFilter($"RowKey eq {id}") + " and " + StorageKeys.SkipsChangeRows, cancellationToken: cancellationToken))
        {
            return entity.ToModel();
        }

        return null;
    }

    /// <summary>The POC roles that point at one record, wherever their users are (a scan; run when a POC retires).</summary>
    public async Task<IReadOnlyList<RoleAssignment>> ForPocAsync(string pocId, CancellationToken cancellationToken)
    {
        var found = new List<RoleAssignment>();
        await foreach (var entity in tables.RoleAssignments.QueryAsync<RoleAssignmentEntity>(
                           TableClient.CreateQueryFilter($"Role eq {nameof(Role.Poc)} and PocId eq {pocId}"), cancellationToken: cancellationToken))
        {
            found.Add(entity.ToModel());
        }

        return found;
    }

    /// <summary>
    /// Binds an assignment that no one has signed in with yet to the subject, with the audit entry made of the bound
    /// assignment; null when someone else bound it first (the write is conditional on the row read, so two first
    /// sign-ins at once cannot both win).
    /// </summary>
    public async Task<RoleAssignment?> TryBindAsync(RoleAssignment assignment, string subject, Func<RoleAssignment, AuditRecord> entry, CancellationToken cancellationToken)
    {
        var partition = StorageKeys.UserPartition(assignment.Email);
        try
        {
            var current = await tables.RoleAssignments.GetEntityIfExistsAsync<RoleAssignmentEntity>(partition, assignment.Id, cancellationToken: cancellationToken);
            if (!current.HasValue || current.Value!.Subject is not null)
            {
                return null;
            }

            current.Value.Subject = subject;
            var bound = current.Value.ToModel();
            await audit.CommitAsync(tables.RoleAssignments,
                [new TableTransactionAction(TableTransactionActionType.UpdateReplace, current.Value, current.Value.ETag)], entry(bound), cancellationToken);
            return bound;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
        finally
        {
            _byUser.Remove(partition);
        }
    }

    /// <summary>
    /// Adds the assignment with its audit entry and the row that says the user holds this role; false when either
    /// exists already (the same assignment, or the same role given to the same user at the same moment).
    /// </summary>
    public async Task<bool> TryAddAsync(RoleAssignment assignment, AuditRecord entry, CancellationToken cancellationToken)
    {
        var partition = StorageKeys.UserPartition(assignment.Email);
        try
        {
            await audit.CommitAsync(tables.RoleAssignments,
                [
                    new TableTransactionAction(TableTransactionActionType.Add, RoleAssignmentEntity.From(assignment)),
                    new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, StorageKeys.RoleHeldRowKey(assignment)) { [HeldBy] = assignment.Id }),
                ],
                entry,
                cancellationToken);
            _byUser.Remove(partition);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>
    /// Deletes the assignment with its audit entry and the row that says the user holds the role (when it names this
    /// assignment: one made before that row existed has none); a row already gone (a concurrent delete) is the caller's 404.
    /// </summary>
    public async Task DeleteAsync(RoleAssignment assignment, AuditRecord entry, CancellationToken cancellationToken)
    {
        var partition = StorageKeys.UserPartition(assignment.Email);
        try
        {
            var held = await tables.RoleAssignments.GetEntityIfExistsAsync<TableEntity>(partition, StorageKeys.RoleHeldRowKey(assignment), cancellationToken: cancellationToken);
            List<TableTransactionAction> change = [new(TableTransactionActionType.Delete, new TableEntity(partition, assignment.Id), ETag.All)];
            if (held.HasValue && held.Value!.GetString(HeldBy) == assignment.Id)
            {
                change.Add(new TableTransactionAction(TableTransactionActionType.Delete, held.Value, held.Value.ETag));
            }

            await audit.CommitAsync(tables.RoleAssignments, change, entry, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new NotFoundException($"There is no role assignment with id '{assignment.Id}'.");
        }
        finally
        {
            // Also when the delete failed: the row may be gone even if the answer was lost.
            _byUser.Remove(partition);
        }
    }

    private const string HeldBy = "AssignmentId";

    public void Dispose() => _byUser.Dispose();
}
