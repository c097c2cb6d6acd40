using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Roles;

public enum Role
{
    Secretariat,
    FocalPoint,
    Poc,
}

/// <summary>
/// Who may do what: Secretariat everywhere, a focal point for one participant, a POC for one record. The Secretariat
/// assigns a role to an address; <see cref="Subject"/> is the person ("{tid}/{oid}") who first signed in with it, and
/// from then on only that person holds the role. <see cref="Bootstrap"/> marks the row that Auth:BootstrapSecretariat made.
/// </summary>
public sealed record RoleAssignment(
    string Id, string Email, Role Role, string? Participant, string? PocId, DateTimeOffset CreatedAt, string CreatedBy,
    string? Subject = null, bool Bootstrap = false);

/// <summary>The answer to a revocation: when the role stops working, on this instance and everywhere.</summary>
public sealed record RoleRevocation(string Id, DateTimeOffset RevokedAt, DateTimeOffset EffectiveEverywhereBy, string Effect);

public sealed record RoleAssignmentInput(string? Email, Role? Role, string? Participant, string? PocId) : IApiExample<RoleAssignmentInput>
{
    public static RoleAssignmentInput Example { get; } = new("focal.point@mfa.example.org", Roles.Role.FocalPoint, "SGP", null);
}

internal sealed class RoleAssignmentEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Email { get; set; } = string.Empty;

    public string Role { get; set; } = string.Empty;

    public string? Participant { get; set; }

    public string? PocId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public string? Subject { get; set; }

    public bool Bootstrap { get; set; }

    public static RoleAssignmentEntity From(RoleAssignment a) => new()
    {
        PartitionKey = StorageKeys.UserPartition(a.Email),
        RowKey = a.Id,
        Email = a.Email,
        Role = a.Role.ToString(),
        Participant = a.Participant,
        PocId = a.PocId,
        CreatedAt = a.CreatedAt,
        CreatedBy = a.CreatedBy,
        Subject = a.Subject,
        Bootstrap = a.Bootstrap,
    };

    /// <summary>Before assignments had their own ids, the bootstrap row was the one with id "bootstrap".</summary>
    public RoleAssignment ToModel()
        => new(RowKey, Email, Enum.Parse<Role>(Role), Participant, PocId, CreatedAt, CreatedBy, Subject, Bootstrap || RowKey == "bootstrap");
}
