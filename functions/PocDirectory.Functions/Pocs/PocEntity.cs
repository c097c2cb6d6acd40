using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Pocs;

/// <summary>A POC row. Lists are stored as JSON text because Table Storage has no collection type.</summary>
public sealed class PocEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = string.Empty;

    public string Rank { get; set; } = string.Empty;

    public string FullName { get; set; } = string.Empty;

    public string? Position { get; set; }

    public string Organisation { get; set; } = string.Empty;

    public string Emails { get; set; } = "[]";

    public string Phones { get; set; } = "[]";

    public string Languages { get; set; } = "[]";

    public string TimeZone { get; set; } = string.Empty;

    public string Availability { get; set; } = "{}";

    public string? PgpPublicKey { get; set; }

    public string? PgpFingerprint { get; set; }

    public DateTimeOffset? PgpExpiresAt { get; set; }

    public string Status { get; set; } = string.Empty;

    public DateTimeOffset LastConfirmedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset UpdatedAt { get; set; }

    public string UpdatedBy { get; set; } = string.Empty;

    public DateTimeOffset? RetiredAt { get; set; }

    /// <summary>Written by campaigns only: the outcome of the last ping this POC was part of.</summary>
    public string? LastPingOutcome { get; set; }

    public DateTimeOffset? LastAcknowledgedAt { get; set; }

    /// <summary>Pings missed in a row (no response or undeliverable); an acknowledgement resets it. "Stale" filters on it.</summary>
    public int MissedPings { get; set; }

    /// <summary>Due or Overdue while a re-confirmation waits for the POC; null (Current) otherwise.</summary>
    public string? Confirmation { get; set; }

    /// <summary>JSON of <see cref="PocSource"/>; null on records made before sources were kept.</summary>
    /// <summary>Where the record comes from (<see cref="PocSource"/>) as JSON; null for a record entered in the portal.</summary>
    public string? Source { get; set; }

    public static PocEntity From(Poc poc) => new()
    {
        PartitionKey = StorageKeys.ParticipantPartition(poc.Participant),
        RowKey = StorageKeys.PocRowKey(poc.Id),
        Kind = poc.Kind.ToString(),
        Rank = poc.Rank.ToString(),
        FullName = poc.FullName,
        Position = poc.Position,
        Organisation = poc.Organisation,
        Emails = Json(poc.Emails),
        Phones = Json(poc.Phones),
        Languages = Json(poc.Languages),
        TimeZone = poc.TimeZone,
        Availability = Json(poc.Availability),
        PgpPublicKey = poc.PgpPublicKey,
        PgpFingerprint = poc.PgpFingerprint,
        PgpExpiresAt = poc.PgpExpiresAt,
        Status = poc.Status.ToString(),
        LastConfirmedAt = poc.LastConfirmedAt,
        CreatedAt = poc.CreatedAt,
        CreatedBy = poc.CreatedBy ?? string.Empty,
        UpdatedAt = poc.UpdatedAt,
        UpdatedBy = poc.UpdatedBy ?? string.Empty,
        RetiredAt = poc.RetiredAt,
        LastPingOutcome = poc.LastPingOutcome,
        LastAcknowledgedAt = poc.LastAcknowledgedAt,
        MissedPings = poc.MissedPings ?? 0,
        Confirmation = poc.Confirmation == ConfirmationStatus.Current ? null : poc.Confirmation.ToString(),
        Source = poc.Source is null || poc.Source == PocSource.Portal ? null : Json(poc.Source),
    };

    public Poc ToModel() => new(
        Id: StorageKeys.PocIdFromRowKey(RowKey),
        Participant: PartitionKey,
        Kind: Enum.Parse<PocKind>(Kind),
        Rank: Enum.Parse<PocRank>(Rank),
        FullName: FullName,
        Position: Position,
        Organisation: Organisation,
        Emails: Parse<List<string>>(Emails),
        Phones: Parse<List<Phone>>(Phones),
        Languages: Parse<List<string>>(Languages),
        TimeZone: TimeZone,
        Availability: Parse<Availability>(Availability),
        PgpPublicKey: PgpPublicKey,
        PgpFingerprint: PgpFingerprint,
        PgpExpiresAt: PgpExpiresAt,
        Status: Enum.Parse<PocStatus>(Status),
        LastConfirmedAt: LastConfirmedAt,
        CreatedAt: CreatedAt,
        CreatedBy: CreatedBy,
        UpdatedAt: UpdatedAt,
        UpdatedBy: UpdatedBy,
        RetiredAt: RetiredAt,
        LastPingOutcome: LastPingOutcome,
        LastAcknowledgedAt: LastAcknowledgedAt,
        MissedPings: MissedPings,
        Confirmation: Confirmation is null ? ConfirmationStatus.Current : Enum.Parse<ConfirmationStatus>(Confirmation),
        Source: Source is null ? PocSource.Portal : Parse<PocSource>(Source));

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ApiJson.Options);

    private static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, ApiJson.Options)!;
}
