using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Participants;

/// <summary>
/// A participant's mission contacts: kept by the Secretariat, read by the Secretariat and the participant itself
/// (<see cref="Confidential.MissionContacts"/>), used by outreach. One row in the participant's partition.
/// </summary>
public sealed class MissionContactService(DirectoryTables tables, ParticipantStore participants, IValidator<MissionContactsInput> validator, AuditLog audit)
{
    public async Task<Versioned<MissionContacts>> GetAsync(Caller caller, string code, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var participant = await RequireParticipantAsync(code, cancellationToken);
        if (!caller.Sees(participant.PartitionKey, Confidential.MissionContacts))
        {
            throw new ForbiddenException("A participant's mission contacts are shown only to the Secretariat and to the participant itself.");
        }

        var found = await FindAsync(participant.PartitionKey, cancellationToken);
        return found is null
            ? new Versioned<MissionContacts>(new MissionContacts([]), MissionContactsEntity.NoneETag)
            : new Versioned<MissionContacts>(found.ToModel(), found.ETag.ToString());
    }

    /// <summary>Replaces the list at the version read; the first list is written at <see cref="MissionContactsEntity.NoneETag"/>.</summary>
    public async Task<Versioned<MissionContacts>> PutAsync(Caller caller, string code, string ifMatch, MissionContactsInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var participant = await RequireParticipantAsync(code, cancellationToken);
        validator.ThrowIfInvalid(input);

        var current = await FindAsync(participant.PartitionKey, cancellationToken);
        if (ifMatch != (current is null ? MissionContactsEntity.NoneETag : current.ETag.ToString()))
        {
            throw new PreconditionFailedException(ProblemResults.StaleVersion);
        }

        var contacts = new MissionContacts(input.Contacts!
            .Select(c => new MissionContact(c!.Name!.Trim(), c.Email!.Trim(), string.IsNullOrWhiteSpace(c.Phone) ? null : c.Phone.Trim(), LanguageOf(c.Language)))
            .ToList());
        var entity = new MissionContactsEntity
        {
            PartitionKey = participant.PartitionKey,
            RowKey = StorageKeys.MissionContactsRowKey,
            Contacts = JsonSerializer.Serialize(contacts.Contacts, ApiJson.Options),
        };
        var action = current is null
            ? new TableTransactionAction(TableTransactionActionType.Add, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, current.ETag);
        try
        {
            var response = await audit.CommitAsync(tables.Directory, [action],
                audit.Entry(caller, "MissionContacts.Updated", "Participant", participant.PartitionKey, current?.ToModel(), contacts), cancellationToken);
            return new Versioned<MissionContacts>(contacts, response.Value[0].Headers.ETag?.ToString() ?? string.Empty);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            // Someone else wrote the list between our read and this write.
            throw new PreconditionFailedException(ProblemResults.StaleVersion);
        }
    }

    /// <summary>The contacts of many participants at once, for outreach; participants without any are left out.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<MissionContact>>> ListAsync(IEnumerable<string> codes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, IReadOnlyList<MissionContact>>(StringComparer.Ordinal);
        foreach (var code in codes)
        {
            if (await FindAsync(code, cancellationToken) is { } entity && entity.ContactList.Count > 0)
            {
                found[code] = entity.ContactList;
            }
        }

        return found;
    }

    /// <summary>The tag as the POCs' languages are stored (validated above); none when blank.</summary>
    private static string? LanguageOf(string? tag) => LanguageTags.TryNormalise(tag, out var normalised, out _) ? normalised : null;

    private async Task<MissionContactsEntity?> FindAsync(string partition, CancellationToken cancellationToken)
    {
        var response = await tables.Directory.GetEntityIfExistsAsync<MissionContactsEntity>(partition, StorageKeys.MissionContactsRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private async Task<ParticipantEntity> RequireParticipantAsync(string code, CancellationToken cancellationToken)
        => await participants.FindAsync(code, cancellationToken) ?? throw new NotFoundException($"There is no participant with code '{code}'.");
}
