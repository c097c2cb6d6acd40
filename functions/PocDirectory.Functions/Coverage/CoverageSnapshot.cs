using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.Coverage;

/// <summary>
/// Participants by nomination status on one day. <see cref="ByRegion"/> counts the nominated participants (any POC) of
/// each UN regional group ("noRegion" for those without one, e.g. regional organisations). <see cref="Carried"/> is
/// true on a day without a snapshot of its own: the last earlier snapshot's counts, carried forward.
/// </summary>
public sealed record CoveragePoint(
    DateOnly Date, int Participants, int Nominated, IReadOnlyDictionary<string, int> ByStatus, IReadOnlyDictionary<string, int> ByRegion, bool Carried);

/// <summary>One point per day from the first snapshot on or before <c>from</c> (or the first one after it) to <c>to</c>.</summary>
public sealed record CoverageHistory(IReadOnlyList<CoveragePoint> Points);

/// <summary>A day's snapshot: partition "day", row "yyyy-MM-dd" of the CoverageHistory table. Counts only, no names.</summary>
public sealed class CoverageSnapshotEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Participants { get; set; }

    public int Nominated { get; set; }

    /// <summary>JSON: NominationStatus name → participants.</summary>
    public string ByStatus { get; set; } = "{}";

    /// <summary>JSON: region name (or "noRegion") → nominated participants.</summary>
    public string ByRegion { get; set; } = "{}";

    public DateTimeOffset TakenAt { get; set; }

    [IgnoreDataMember]
    public DateOnly Date => DateOnly.ParseExact(RowKey, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public CoveragePoint ToPoint(DateOnly date, bool carried) => new(
        date, Participants, Nominated,
        JsonSerializer.Deserialize<Dictionary<string, int>>(ByStatus, ApiJson.Options)!,
        JsonSerializer.Deserialize<Dictionary<string, int>>(ByRegion, ApiJson.Options)!,
        carried);
}
