using FluentValidation;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Roles;

public sealed class RoleAssignmentService(
    RoleStore store, IValidator<RoleAssignmentInput> validator, ParticipantStore participants, PocStore pocs, AuditLog audit, IOptions<AuthOptions> auth, TimeProvider time)
{
    public async Task<ListPage<RoleAssignment>> ListAsync(Caller caller, string? email, Role? role, string? participant, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        return new ListPage<RoleAssignment>(await store.ListAsync(email, role, participant, cancellationToken), null);
    }

    public async Task<RoleAssignment> CreateAsync(Caller caller, RoleAssignmentInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        validator.ThrowIfInvalid(input);
        if (input.Role == Role.FocalPoint && await participants.FindAsync(input.Participant!, cancellationToken) is null)
        {
            throw RequestValidationException.For("participant", $"There is no participant with code '{input.Participant}'.");
        }

        if (input.Role == Role.Poc && (await pocs.FindAsync(input.PocId!, cancellationToken))?.Value.Status != PocStatus.Active)
        {
            throw RequestValidationException.For("pocId", $"There is no active POC with id '{input.PocId}'.");
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
        if (!await store.TryAddAsync(assignment, audit.Entry(caller, "RoleAssignment.Created", "RoleAssignment", assignment.Id, null, assignment), cancellationToken))
        {
            // The same role was given to this user at the same moment, by another request.
            throw new ConflictException("This user already has this role.");
        }

        return assignment;
    }

    /// <summary>
    /// Removes an assignment, the bootstrap one included (it comes back at the next start only while the setting still
    /// names that person), but never the last Secretariat assignment: someone must be able to administer the directory.
    /// </summary>
    public async Task<RoleRevocation> DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var assignment = await store.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no role assignment with id '{id}'.");
        if (assignment.Role == Role.Secretariat
            && !(await store.ListAsync(null, Role.Secretariat, null, cancellationToken)).Any(a => a.Id != assignment.Id))
        {
            throw new ConflictException("This is the last Secretariat assignment; assign the role to someone else first.");
        }

        await store.DeleteAsync(assignment, audit.Entry(caller, "RoleAssignment.Deleted", "RoleAssignment", id, assignment, null), cancellationToken);
        var now = time.GetUtcNow();
        var cache = auth.Value.RoleCacheDuration;
        return new RoleRevocation(id, now, now + cache,
            $"The role no longer works on this instance from the next request, and on every instance within {cache.TotalSeconds:0} seconds (Auth:RoleCacheDuration).");
    }

    /// <summary>
    /// The roles the signed-in user holds: assignments made to their address that are bound to them. An assignment no
    /// one has signed in with is bound to this user now (audited with both address and subject); one bound to someone
    /// else grants nothing, so a recycled address does not inherit its former owner's roles.
    /// </summary>
    public async Task<IReadOnlyList<RoleAssignment>> RolesOfAsync(SignedInUser user, CancellationToken cancellationToken)
    {
        var assignments = await store.ForUserAsync(user.Email, cancellationToken);
        var held = new List<RoleAssignment>(assignments.Count);
        foreach (var assignment in assignments)
        {
            if (assignment.Subject is null && await store.TryBindAsync(assignment, user.Subject,
                    bound => audit.Entry(new Caller(user.Email, user.Name, [], user.Subject), "RoleAssignment.Bound", "RoleAssignment", bound.Id, assignment, bound),
                    cancellationToken) is { } bound)
            {
                held.Add(bound);
            }
            else if (assignment.Subject == user.Subject)
            {
                held.Add(assignment);
            }
        }

        return held;
    }

    /// <summary>A retired POC keeps no role: every assignment pointing at the record is removed, and each removal audited.</summary>
    public async Task RevokePocRolesAsync(Caller caller, string pocId, CancellationToken cancellationToken)
    {
        foreach (var assignment in await store.ForPocAsync(pocId, cancellationToken))
        {
            await store.DeleteAsync(assignment, audit.Entry(caller, "RoleAssignment.Deleted", "RoleAssignment", assignment.Id, assignment, null), cancellationToken);
        }
    }

    /// <summary>
    /// Makes sure the configured bootstrap user is Secretariat, and that nobody else holds a Secretariat role only
    /// because the setting once named them: a former bootstrap user's flagged row is removed (audited). Idempotent, run
    /// at every start; the new row is added before the old one goes, so there is always a Secretariat.
    /// </summary>
    public async Task EnsureBootstrapAsync(CancellationToken cancellationToken)
    {
        var email = auth.Value.BootstrapSecretariat.Trim().ToLowerInvariant();
        var secretariat = await store.ListAsync(null, Role.Secretariat, null, cancellationToken);
        if (!secretariat.Any(a => a.Email == email))
        {
            var assignment = new RoleAssignment(
                StorageKeys.BootstrapAssignmentId(email), email, Role.Secretariat, null, null, time.GetUtcNow(), Caller.System.Email, Bootstrap: true);
            await store.TryAddAsync(assignment, audit.Entry(Caller.System, "RoleAssignment.Created", "RoleAssignment", assignment.Id, null, assignment), cancellationToken);
        }

        foreach (var former in secretariat.Where(a => a.Bootstrap && a.Email != email))
        {
            await store.DeleteAsync(former, audit.Entry(Caller.System, "RoleAssignment.Deleted", "RoleAssignment", former.Id, former, null), cancellationToken);
        }
    }
}
