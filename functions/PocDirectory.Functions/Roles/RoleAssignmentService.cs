using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Roles;

public sealed class RoleAssignmentService(
    RoleStore store, ParticipantStore participants, PocStore pocs, AuditLog audit, IOptions<AuthOptions> auth, TimeProvider time)
{
    /// <summary>The row key of the assignment that Auth:BootstrapSecretariat creates at start-up.</summary>
    public const string BootstrapId = "bootstrap";

    public async Task<ListPage<RoleAssignment>> ListAsync(Caller caller, string? email, Role? role, string? participant, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        return new ListPage<RoleAssignment>(await store.ListAsync(email, role, participant, cancellationToken), null);
    }

    public async Task<RoleAssignment> CreateAsync(Caller caller, RoleAssignmentInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var errors = new Dictionary<string, string[]>();
        if (!PocInputValidator.BeEmailAddress(input.Email))
        {
            errors["email"] = ["Required: the user's sign-in email address."];
        }

        switch (input.Role)
        {
            case null:
                errors["role"] = ["Required: Secretariat, FocalPoint or Poc."];
                break;
            case Role.FocalPoint when string.IsNullOrEmpty(input.Participant):
                errors["participant"] = ["A focal point needs the participant's code."];
                break;
            case Role.FocalPoint when await participants.FindAsync(input.Participant, cancellationToken) is null:
                errors["participant"] = [$"There is no participant with code '{input.Participant}'."];
                break;
            case Role.Poc when string.IsNullOrEmpty(input.PocId):
                errors["pocId"] = ["A POC role needs the id of the POC record."];
                break;
            case Role.Poc when await pocs.FindAsync(input.PocId, cancellationToken) is null:
                errors["pocId"] = [$"There is no POC with id '{input.PocId}'."];
                break;
        }

        if (input.Role != Role.FocalPoint && input.Participant is not null)
        {
            errors["participant"] = ["Only a FocalPoint assignment names a participant."];
        }

        if (input.Role != Role.Poc && input.PocId is not null)
        {
            errors["pocId"] = ["Only a Poc assignment names a POC."];
        }

        if (errors.Count > 0)
        {
            throw new RequestValidationException(errors);
        }

        var email = input.Email!.Trim().ToLowerInvariant();
        var participant = input.Participant?.ToUpperInvariant();
        var existing = await store.ForUserAsync(email, cancellationToken);
        if (existing.Any(a => a.Role == input.Role && a.Participant == participant && a.PocId == input.PocId))
        {
            throw new ConflictException("This user already has this role.");
        }

        var assignment = new RoleAssignment(
            StorageKeys.SortableId(time.GetUtcNow()), email, input.Role!.Value, participant, input.PocId, time.GetUtcNow(), caller.Email);
        await store.TryAddAsync(assignment, audit.Entry(caller, "RoleAssignment.Created", "RoleAssignment", assignment.Id, null, assignment), cancellationToken);
        return assignment;
    }

    public async Task DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var assignment = await store.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no role assignment with id '{id}'.");
        if (assignment.Id == BootstrapId)
        {
            throw new ConflictException("This assignment comes from the Auth:BootstrapSecretariat setting; change the setting instead.");
        }

        await store.DeleteAsync(assignment, audit.Entry(caller, "RoleAssignment.Deleted", "RoleAssignment", id, assignment, null), cancellationToken);
    }

    /// <summary>Makes sure the configured bootstrap user is Secretariat; idempotent, run at every start.</summary>
    public async Task EnsureBootstrapAsync(CancellationToken cancellationToken)
    {
        var email = auth.Value.BootstrapSecretariat.Trim().ToLowerInvariant();
        var assignment = new RoleAssignment(BootstrapId, email, Role.Secretariat, null, null, time.GetUtcNow(), Caller.System.Email);
        await store.TryAddAsync(assignment, audit.Entry(Caller.System, "RoleAssignment.Created", "RoleAssignment", assignment.Id, null, assignment), cancellationToken);
    }
}
