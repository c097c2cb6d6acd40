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
    int ActiveTechnicalPocs);

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
        ActiveTechnical);
}
