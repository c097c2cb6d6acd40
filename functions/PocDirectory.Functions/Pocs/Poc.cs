using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Pocs;

public enum PocKind
{
    Diplomatic,
    Technical,
}

public enum PocRank
{
    Primary,
    Alternate,
}

public enum PocStatus
{
    Active,
    Retired,
}

/// <summary>Whether a POC has confirmed its details recently enough (Directory:ReconfirmEvery; issue 18).</summary>
public enum ConfirmationStatus
{
    Current,

    /// <summary>Asked to confirm; not yet.</summary>
    Due,

    /// <summary>Asked, reminded, and still not confirmed after the grace period; the focal points were told.</summary>
    Overdue,
}

public enum PhoneType
{
    Office,
    Mobile,
    DutyLine,
}

public enum AvailabilityType
{
    /// <summary>Reachable around the clock, e.g. a CERT duty line.</summary>
    TwentyFourSeven,

    /// <summary>Reachable on the given days between start and end, in the POC's own time zone.</summary>
    BusinessHours,
}

public sealed record Phone(string Number, PhoneType Type);

public sealed record Availability(AvailabilityType Type, IReadOnlyList<DayOfWeek>? Days = null, string? Start = null, string? End = null);

/// <summary>
/// A nominated point of contact, as the API shows it. The fields that <see cref="Security.Visibility"/> withholds from
/// other participants (ping performance, authors) are null when withheld.
/// </summary>
public sealed record Poc(
    string Id,
    string Participant,
    PocKind Kind,
    PocRank Rank,
    string FullName,
    string? Position,
    string Organisation,
    IReadOnlyList<string> Emails,
    IReadOnlyList<Phone> Phones,
    IReadOnlyList<string> Languages,
    string TimeZone,
    Availability Availability,
    string? PgpPublicKey,
    string? PgpFingerprint,
    DateTimeOffset? PgpExpiresAt,
    PocStatus Status,
    DateTimeOffset LastConfirmedAt,
    DateTimeOffset CreatedAt,
    string? CreatedBy,
    DateTimeOffset UpdatedAt,
    string? UpdatedBy,
    DateTimeOffset? RetiredAt,
    string? LastPingOutcome = null,
    DateTimeOffset? LastAcknowledgedAt = null,
    int? MissedPings = 0,
    ConfirmationStatus Confirmation = ConfirmationStatus.Current,
    PocSource? Source = null,
    PgpKeyStatus PgpKeyStatus = PgpKeyStatus.None);

/// <summary>What a client sends to create or replace a POC. Everything is nullable so a missing field is reported by name.</summary>
public sealed record PocInput(
    string? Participant,
    PocKind? Kind,
    PocRank? Rank,
    string? FullName,
    string? Position,
    string? Organisation,
    IReadOnlyList<string?>? Emails,
    IReadOnlyList<PhoneInput?>? Phones,
    IReadOnlyList<string?>? Languages,
    string? TimeZone,
    AvailabilityInput? Availability,
    string? PgpPublicKey) : IApiExample<PocInput>
{
    public static PocInput Example { get; } = new(
        "SGP", PocKind.Technical, PocRank.Primary, "Tan Mei Ling", "Head, Incident Response", "National CERT",
        ["duty-officer@cert.example.org"], [new PhoneInput("+6561234567", PhoneType.DutyLine)], ["en"], "Asia/Singapore",
        new AvailabilityInput(AvailabilityType.TwentyFourSeven, null, null, null), null);
}

public sealed record PhoneInput(string? Number, PhoneType? Type);

public sealed record AvailabilityInput(AvailabilityType? Type, IReadOnlyList<DayOfWeek>? Days, string? Start, string? End);

/// <summary>A value with the ETag it was read at.</summary>
public sealed record Versioned<T>(T Value, string ETag);
