using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Participants;

public sealed class ParticipantService(ParticipantStore store, AuditLog audit)
{
    public async Task<ListPage<Participant>> ListAsync(Caller caller, Region? region, ParticipantType? type, NominationStatus? status, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var all = await store.ListAsync(cancellationToken);
        var items = all
            .Where(p => region is null || p.Region == region)
            .Where(p => type is null || p.Type == type)
            .Where(p => status is null || p.NominationStatus == status)
            .OrderBy(p => p.Type).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        return new ListPage<Participant>(items, null);
    }

    public async Task<Participant> GetAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var entity = await store.FindAsync(code, cancellationToken) ?? throw new NotFoundException($"There is no participant with code '{code}'.");
        return entity.ToModel();
    }

    /// <summary>States are reference data; the Secretariat adds regional organisations as they join.</summary>
    public async Task<Participant> CreateAsync(Caller caller, ParticipantInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var errors = new Dictionary<string, string[]>();
        if (input.Code is null || !ParticipantStore.IsWellFormedCode(input.Code))
        {
            errors["code"] = ["Required: 2 to 10 letters or digits, e.g. OSCE."];
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 200)
        {
            errors["name"] = ["Required, at most 200 characters."];
        }

        if (input.Type != ParticipantType.RegionalOrganisation)
        {
            errors["type"] = ["Only RegionalOrganisation participants can be added; States are reference data."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var entity = new ParticipantEntity
        {
            PartitionKey = StorageKeys.ParticipantPartition(input.Code!),
            RowKey = StorageKeys.ParticipantRowKey,
            Name = input.Name!.Trim(),
            Type = ParticipantType.RegionalOrganisation.ToString(),
        };
        var created = entity.ToModel();
        if (!await store.TryAddAsync(entity, audit.Entry(caller, "Participant.Created", "Participant", created.Code, null, created), cancellationToken))
        {
            throw new ConflictException($"A participant with code '{entity.PartitionKey}' already exists.");
        }

        return created;
    }
}
