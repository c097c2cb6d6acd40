using PocDirectory.Functions.Api;
using PocDirectory.Functions.Roles;

namespace PocDirectory.Functions.Security;

/// <summary>
/// The signed-in user of a request and what the directory lets them do. All authorisation rules live here.
/// <see cref="Subject"/> ("{tid}/{oid}") is who they are; <see cref="Email"/> is the address they signed in with.
/// </summary>
public sealed record Caller(string Email, string? Name, IReadOnlyList<RoleAssignment> Roles, string? Subject = null)
{
    /// <summary>Background work (seeding, campaigns) acts as the system.</summary>
    public static Caller System { get; } = new("system", "System", []);

    public bool IsSecretariat => Roles.Any(r => r.Role == Role.Secretariat);

    public bool IsFocalPointOf(string participant)
        => Roles.Any(r => r.Role == Role.FocalPoint && string.Equals(r.Participant, participant, StringComparison.OrdinalIgnoreCase));

    public bool IsPoc(string pocId) => Roles.Any(r => r.Role == Role.Poc && r.PocId == pocId);

    public bool CanManage(string participant) => IsSecretariat || IsFocalPointOf(participant);

    /// <summary>Anyone with a role in the directory may read it; a signed-in user without one may not.</summary>
    public void RequireDirectoryAccess()
    {
        if (Roles.Count == 0)
        {
            throw new ForbiddenException("You have no role in the directory. Ask the Secretariat to assign one.");
        }
    }

    public void RequireSecretariat()
    {
        if (!IsSecretariat)
        {
            throw new ForbiddenException("Only the Secretariat may do this.");
        }
    }

    public void RequireCanManage(string participant)
    {
        if (!CanManage(participant))
        {
            throw new ForbiddenException($"Only the Secretariat or a focal point of {participant} may manage its points of contact.");
        }
    }

    /// <summary>A POC may keep its own record current; the focal point and the Secretariat may edit any of the participant's.</summary>
    public void RequireCanEdit(string participant, string pocId)
    {
        if (!CanManage(participant) && !IsPoc(pocId))
        {
            throw new ForbiddenException("You may edit only your own record or, as a focal point, your participant's records.");
        }
    }
}
