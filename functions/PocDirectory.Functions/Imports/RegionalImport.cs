namespace PocDirectory.Functions.Imports;

public enum ImportDecision
{
    Pending,
    Accepted,
    Rejected,
}

/// <summary>How many entries of each kind an import holds (of those the caller sees), and how many wait for a decision.</summary>
public sealed record ImportCounts(int New, int Known, int Differing, int Pending);

/// <summary>
/// One row of a regional list in the review area: what came in and, side by side in the same columns, the POC it was
/// matched to as it is now (null for a new entry, or when that POC has since been retired).
/// </summary>
public sealed record ImportEntry(
    int Number,
    string Participant,
    ImportMatch Match,
    ExchangeEntry Incoming,
    string? PocId,
    ExchangeEntry? Existing,
    IReadOnlyList<string> Differences,
    ImportDecision Decision,
    DateTimeOffset? DecidedAt,
    string? DecidedBy,
    string? ResultPocId);

/// <summary>A regional directory's list under review; <see cref="Entries"/> is null in lists of imports.</summary>
public sealed record RegionalImport(
    string Id,
    string Directory,
    string? Reference,
    DateTimeOffset ImportedAt,
    string? ImportedBy,
    IReadOnlyList<string> Participants,
    ImportCounts Counts,
    IReadOnlyList<ImportEntry>? Entries);
