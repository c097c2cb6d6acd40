using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Roles;

/// <summary>Role assignments in Table Storage, one partition per user.</summary>
public sealed class RoleStore(DirectoryTables tables)
{
    public async Task<IReadOnlyList<RoleAssignment>> ForUserAsync(string email, CancellationToken cancellationToken)
    {
        var found = new List<RoleAssignment>();
        await foreach (var entity in tables.RoleAssignments.QueryAsync<RoleAssignmentEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.UserPartition(email)}"), cancellationToken: cancellationToken))
        {
            found.Add(entity.ToModel());
        }

        return found;
    }

    public async Task<IReadOnlyList<RoleAssignment>> ListAsync(string? email, Role? role, string? participant, CancellationToken cancellationToken)
    {
        var filters = new List<string>();
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
                           filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken: cancellationToken))
        {
            found.Add(entity.ToModel());
        }

        return found.OrderBy(a => a.Email, StringComparer.Ordinal).ThenBy(a => a.Role).ToList();
    }

    public async Task<RoleAssignment?> FindAsync(string id, CancellationToken cancellationToken)
    {
        // Ids are not tied to a user, so this scans; the table holds one row per person with a role (thousands at most).
        await foreach (var entity in tables.RoleAssignments.QueryAsync<RoleAssignmentEntity>(
                           TableClient.CreateQueryFilter($"RowKey eq {id}"), cancellationToken: cancellationToken))
        {
            return entity.ToModel();
        }

        return null;
    }

    /// <summary>Adds the assignment; false when the same row key already exists.</summary>
    public async Task<bool> TryAddAsync(RoleAssignment assignment, CancellationToken cancellationToken)
    {
        try
        {
            await tables.RoleAssignments.AddEntityAsync(RoleAssignmentEntity.From(assignment), cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public Task DeleteAsync(RoleAssignment assignment, CancellationToken cancellationToken)
        => tables.RoleAssignments.DeleteEntityAsync(StorageKeys.UserPartition(assignment.Email), assignment.Id, ETag.All, cancellationToken);
}
