using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Participants;

public enum ParticipantType
{
    MemberState,
    ObserverState,
    RegionalOrganisation,
}

/// <summary>The five United Nations regional groups.</summary>
public enum Region
{
    African,
    AsiaPacific,
    EasternEuropean,
    LatinAmericanAndCaribbean,
    WesternEuropeanAndOthers,
}

public enum NominationStatus
{
    None,
    DiplomaticOnly,
    TechnicalOnly,
    Both,
}

public sealed record Participant(
    string Code,
    string Name,
    ParticipantType Type,
    Region? Region,
    NominationStatus NominationStatus,
    DateTimeOffset? FirstNominatedAt,
    int ActiveDiplomaticPocs,
    int ActiveTechnicalPocs,
    bool RequireEncryption = false);

/// <summary>
/// Whether the participant's POCs may only be sent encrypted content (decision 0034): a POC without a valid OpenPGP key
/// then gets nothing, and the participant's focal points are told instead.
/// </summary>
/// <summary>A participant's encryption setting, read and changed at /api/participants/{code}/encryption (with its ETag).</summary>
public sealed record ParticipantEncryption(string Participant, bool RequireEncryption);

public sealed record EncryptionInput(bool? RequireEncryption) : IApiExample<EncryptionInput>
{
    public static EncryptionInput Example { get; } = new(true);
}

public sealed record ParticipantInput(string? Code, string? Name, ParticipantType? Type) : IApiExample<ParticipantInput>
{
    public static ParticipantInput Example { get; } = new("EXAMPLE", "Example Regional Organisation", ParticipantType.RegionalOrganisation);
}

/// <summary>A participant's row; it sits in the partition of its own POCs and carries their active counts.</summary>
public sealed class ParticipantEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public string? Region { get; set; }

    public int ActiveDiplomatic { get; set; }

    public int ActiveTechnical { get; set; }

    public DateTimeOffset? FirstNominatedAt { get; set; }

    /// <summary>Set by the participant's focal point or the Secretariat (PUT /api/participants/{code}/encryption).</summary>
    public bool RequireEncryption { get; set; }

    public Participant ToModel() => new(
        PartitionKey,
        Name,
        Enum.Parse<ParticipantType>(Type),
        Region is null ? null : Enum.Parse<Region>(Region),
        (ActiveDiplomatic > 0, ActiveTechnical > 0) switch
        {
            (true, true) => NominationStatus.Both,
            (true, false) => NominationStatus.DiplomaticOnly,
            (false, true) => NominationStatus.TechnicalOnly,
            _ => NominationStatus.None,
        },
        FirstNominatedAt,
        ActiveDiplomatic,
        ActiveTechnical,
        RequireEncryption);
}
