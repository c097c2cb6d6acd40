using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Participants;

public sealed class ParticipantService(ParticipantStore store, IValidator<ParticipantInput> validator, IValidator<EncryptionInput> encryptionValidator, AuditLog audit)
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

    /// <summary>The participant's encryption setting with the ETag a change to it must send as If-Match.</summary>
    public async Task<Pocs.Versioned<ParticipantEncryption>> GetEncryptionAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var entity = await store.FindAsync(code, cancellationToken) ?? throw new NotFoundException($"There is no participant with code '{code}'.");
        return new Pocs.Versioned<ParticipantEncryption>(new ParticipantEncryption(entity.PartitionKey, entity.RequireEncryption), entity.ETag.ToString());
    }

    /// <summary>Whether the participant's POCs get only encrypted content; its focal point or the Secretariat decides (decision 0034).</summary>
    public async Task<Pocs.Versioned<ParticipantEncryption>> SetEncryptionAsync(Caller caller, string code, string ifMatch, EncryptionInput input, CancellationToken cancellationToken)
    {
        caller.RequireCanManage(code);
        encryptionValidator.ThrowIfInvalid(input);
        var entity = await store.FindAsync(code, cancellationToken) ?? throw new NotFoundException($"There is no participant with code '{code}'.");
        var before = entity.ToModel();
        entity.RequireEncryption = input.RequireEncryption!.Value;
        var etag = await store.UpdateAsync(entity, new Azure.ETag(ifMatch), audit.Entry(caller, "Participant.EncryptionSet", "Participant", before.Code, before, entity.ToModel()), cancellationToken);
        return new Pocs.Versioned<ParticipantEncryption>(new ParticipantEncryption(entity.PartitionKey, entity.RequireEncryption), etag);
    }

    /// <summary>States are reference data; the Secretariat adds regional organisations as they join.</summary>
    public async Task<Participant> CreateAsync(Caller caller, ParticipantInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        validator.ThrowIfInvalid(input);

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
