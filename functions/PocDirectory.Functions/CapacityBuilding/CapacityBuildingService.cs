using Azure;
using Azure.Data.Tables;
using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.CapacityBuilding;

/// <summary>
/// Onboarding resources kept by the Secretariat, and the POCs' completions of them (decision 0037). Resources are one
/// partition of the Directory table; a completion sits in its POC's partition, so its audit entry commits with it.
/// </summary>
public sealed class CapacityBuildingService(
    DirectoryTables tables, PocStore pocs, ParticipantStore participants, IValidator<ResourceInput> resources, IValidator<TrainingInput> training,
    AuditLog audit, TimeProvider time)
{
    public async Task<ListPage<Resource>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var found = new List<Resource>();
        await foreach (var entity in tables.Directory.QueryAsync<ResourceEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ResourcePartition} and RowKey lt {StorageKeys.ChangeRowKeyStart}"),
                           cancellationToken: cancellationToken))
        {
            found.Add(entity.ToModel());
        }

        return new ListPage<Resource>(found.OrderBy(r => r.Kind).ThenBy(r => r.Title, StringComparer.Ordinal).ToList(), null);
    }

    public async Task<Versioned<Resource>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var entity = await FindAsync(id, cancellationToken) ?? throw NotFound(id);
        return new Versioned<Resource>(entity.ToModel(), entity.ETag.ToString());
    }

    public async Task<Versioned<Resource>> CreateAsync(Caller caller, ResourceInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        resources.ThrowIfInvalid(input);
        var now = time.GetUtcNow();
        var entity = Entity(StorageKeys.SortableId(now), input, now, now);
        var response = await audit.CommitAsync(tables.Directory, [new TableTransactionAction(TableTransactionActionType.Add, entity)],
            audit.Entry(caller, "Resource.Created", "Resource", entity.RowKey, null, entity.ToModel()), cancellationToken);
        return new Versioned<Resource>(entity.ToModel(), response.Value[0].Headers.ETag?.ToString() ?? string.Empty);
    }

    public async Task<Versioned<Resource>> UpdateAsync(Caller caller, string id, string ifMatch, ResourceInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var current = await FindAsync(id, cancellationToken) ?? throw NotFound(id);
        resources.ThrowIfInvalid(input);
        if (ifMatch != current.ETag.ToString())
        {
            throw new PreconditionFailedException(ProblemResults.StaleVersion);
        }

        var entity = Entity(id, input, current.CreatedAt, time.GetUtcNow());
        try
        {
            var response = await audit.CommitAsync(tables.Directory, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, current.ETag)],
                audit.Entry(caller, "Resource.Updated", "Resource", id, current.ToModel(), entity.ToModel()), cancellationToken);
            return new Versioned<Resource>(entity.ToModel(), response.Value[0].Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            throw new PreconditionFailedException(ProblemResults.StaleVersion);
        }
    }

    /// <summary>Removes the resource from the list; completions recorded for it stay, as the history of who was trained.</summary>
    public async Task DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var current = await FindAsync(id, cancellationToken) ?? throw NotFound(id);
        await audit.CommitAsync(tables.Directory, [new TableTransactionAction(TableTransactionActionType.Delete, current, current.ETag)],
            audit.Entry(caller, "Resource.Deleted", "Resource", id, current.ToModel(), null), cancellationToken);
    }

    /// <summary>The POC itself or its participant's focal point marks a resource completed; a second mark keeps the first.</summary>
    public async Task<TrainingCompletion> CompleteAsync(Caller caller, string pocId, TrainingInput input, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var poc = (await pocs.FindAsync(pocId, cancellationToken))?.Value is { } found && caller.Show(found) is { } shown ? shown : throw new NotFoundException($"There is no POC with id '{pocId}'.");
        if (!caller.IsPoc(poc.Id) && !caller.IsFocalPointOf(poc.Participant))
        {
            throw new ForbiddenException("Only the POC itself or its participant's focal point may record its training.");
        }

        training.ThrowIfInvalid(input);
        var resource = await FindAsync(input.ResourceId!, cancellationToken)
            ?? throw RequestValidationException.For("resourceId", $"There is no resource with id '{input.ResourceId}'.");
        if (poc.Status == PocStatus.Retired)
        {
            throw new ConflictException("This POC is retired.");
        }

        var key = StorageKeys.TrainingRowKey(poc.Id, resource.RowKey);
        var existing = await tables.Directory.GetEntityIfExistsAsync<TrainingEntity>(poc.Participant, key, cancellationToken: cancellationToken);
        if (existing.HasValue)
        {
            return existing.Value!.ToModel();
        }

        var entity = new TrainingEntity
        {
            PartitionKey = poc.Participant,
            RowKey = key,
            PocId = poc.Id,
            ResourceId = resource.RowKey,
            CompletedAt = time.GetUtcNow(),
            CompletedBy = caller.Email,
        };
        try
        {
            await audit.CommitAsync(tables.Directory, [new TableTransactionAction(TableTransactionActionType.Add, entity)],
                audit.Entry(caller, "Poc.TrainingCompleted", "Poc", poc.Id, null, entity.ToModel()), cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            // Marked at the same moment by someone else: theirs stands.
            return (await tables.Directory.GetEntityAsync<TrainingEntity>(poc.Participant, key, cancellationToken: cancellationToken)).Value.ToModel();
        }

        return entity.ToModel();
    }

    /// <summary>The resources with the POC's completions, for its home.</summary>
    public async Task<IReadOnlyList<ResourceProgress>> ProgressAsync(Caller caller, Poc poc, CancellationToken cancellationToken)
    {
        var list = (await ListAsync(caller, cancellationToken)).Items;
        var done = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        await foreach (var row in CompletionsAsync(poc.Participant, poc.Id, cancellationToken))
        {
            done[row.ResourceId] = row.CompletedAt;
        }

        return list.Select(r => new ResourceProgress(r, done.TryGetValue(r.Id, out var at) ? at : null)).ToList();
    }

    /// <summary>The share of active POCs that completed at least one resource, in all and by region (Secretariat).</summary>
    public async Task<TrainingCoverage> CoverageAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var regions = (await participants.ListAsync(cancellationToken)).ToDictionary(p => p.Code, p => p.Region, StringComparer.Ordinal);
        var trained = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in CompletionsAsync(null, null, cancellationToken))
        {
            trained.Add(row.PocId);
        }

        var active = new List<(Region? Region, bool Trained)>();
        await foreach (var poc in pocs.AllAsync(null, cancellationToken))
        {
            if (poc.Status == PocStatus.Active)
            {
                active.Add((regions.GetValueOrDefault(poc.Participant), trained.Contains(poc.Id)));
            }
        }

        static TrainingShare Share(Region? region, IReadOnlyCollection<(Region? Region, bool Trained)> rows)
        {
            var count = rows.Count(r => r.Trained);
            return new TrainingShare(region, rows.Count, count, rows.Count == 0 ? 0 : Math.Round((double)count / rows.Count, 4));
        }

        return new TrainingCoverage(
            Share(null, active),
            active.GroupBy(a => a.Region).OrderBy(g => g.Key is null).ThenBy(g => g.Key).Select(g => Share(g.Key, g.ToList())).ToList());
    }

    private IAsyncEnumerable<TrainingEntity> CompletionsAsync(string? participant, string? pocId, CancellationToken cancellationToken)
    {
        var from = pocId is null ? StorageKeys.TrainingRowKeyPrefix : StorageKeys.TrainingRowKey(pocId, string.Empty);
        var to = pocId is null ? StorageKeys.TrainingRowKeyEnd : StorageKeys.TrainingRowKey(pocId, "~");
        var filter = participant is null
            ? TableClient.CreateQueryFilter($"RowKey ge {from} and RowKey lt {to}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {participant} and RowKey ge {from} and RowKey lt {to}");
        return tables.Directory.QueryAsync<TrainingEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken);
    }

    private async Task<ResourceEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var response = await tables.Directory.GetEntityIfExistsAsync<ResourceEntity>(StorageKeys.ResourcePartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static ResourceEntity Entity(string id, ResourceInput input, DateTimeOffset createdAt, DateTimeOffset updatedAt) => new()
    {
        PartitionKey = StorageKeys.ResourcePartition,
        RowKey = id,
        Title = input.Title!.Trim(),
        Link = input.Link!.Trim(),
        Language = LanguageTags.TryNormalise(input.Language, out var tag, out _) ? tag : input.Language!,
        Kind = input.Kind!.Value.ToString(),
        CreatedAt = createdAt,
        UpdatedAt = updatedAt,
    };

    private static NotFoundException NotFound(string id) => new($"There is no resource with id '{id}'.");
}
