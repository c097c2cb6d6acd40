using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Coverage;

/// <summary>
/// Coverage over time (issue 18 item 5): a timer writes one snapshot of nomination counts a day, and the history reads
/// them back as one point per day, so the Secretariat can say "92 at launch, 116 in February".
/// </summary>
public sealed class CoverageHistoryService(DirectoryTables tables, ParticipantStore participants, TimeProvider time)
{
    public const string NoRegion = "noRegion";

    /// <summary>The longest range one request may ask for: ten years of days.</summary>
    public const int MaxDays = 3660;

    private const string DateFormat = "yyyy-MM-dd";

    private readonly TableClient _table = tables.Table(StorageKeys.CoverageHistoryTable);
    private readonly Lazy<Task> _created = new(() => tables.Table(StorageKeys.CoverageHistoryTable).CreateIfNotExistsAsync());

    /// <summary>Writes today's snapshot (UTC); a second run the same day replaces it with the later counts.</summary>
    public async Task<CoveragePoint> TakeSnapshotAsync(CancellationToken cancellationToken)
    {
        await _created.Value;
        var now = time.GetUtcNow();
        var all = await participants.ListAsync(cancellationToken);
        var entity = new CoverageSnapshotEntity
        {
            PartitionKey = StorageKeys.CoverageDayPartition,
            RowKey = DateOnly.FromDateTime(now.UtcDateTime).ToString(DateFormat, CultureInfo.InvariantCulture),
            Participants = all.Count,
            Nominated = all.Count(p => p.NominationStatus != NominationStatus.None),
            ByStatus = JsonSerializer.Serialize(
                Enum.GetValues<NominationStatus>().ToDictionary(s => s.ToString(), s => all.Count(p => p.NominationStatus == s)), ApiJson.Options),
            ByRegion = JsonSerializer.Serialize(
                Enum.GetNames<Region>().Append(NoRegion).ToDictionary(r => r, r => all.Count(p => (p.Region?.ToString() ?? NoRegion) == r && p.NominationStatus != NominationStatus.None)),
                ApiJson.Options),
            TakenAt = now,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        return entity.ToPoint(entity.Date, carried: false);
    }

    /// <summary>
    /// One point per day from <paramref name="from"/> to <paramref name="to"/> (default: the last 90 days to today). A day
    /// without a snapshot carries the last earlier one (counts change only by nominations, so a missed timer run is not
    /// a dip); days before the first snapshot have no point; days after today neither.
    /// </summary>
    public async Task<CoverageHistory> HistoryAsync(Caller caller, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var last = to ?? today;
        var first = from ?? last.AddDays(-89);
        if (first > last)
        {
            throw RequestValidationException.For("from", "Must not be after to.");
        }

        if (last.DayNumber - first.DayNumber >= MaxDays)
        {
            throw RequestValidationException.For("from", $"At most {MaxDays} days at once.");
        }

        await _created.Value;
        var end = last > today ? today : last;
        CoverageSnapshotEntity? carry = null;
        var byDay = new Dictionary<DateOnly, CoverageSnapshotEntity>();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {StorageKeys.CoverageDayPartition} and RowKey le {end.ToString(DateFormat, CultureInfo.InvariantCulture)}");
        await foreach (var row in _table.QueryAsync<CoverageSnapshotEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            // Rows come in date order: the last one before the range is the value its first days carry.
            if (row.Date < first)
            {
                carry = row;
            }
            else
            {
                byDay[row.Date] = row;
            }
        }

        var points = new List<CoveragePoint>();
        for (var day = first; day <= end; day = day.AddDays(1))
        {
            if (byDay.TryGetValue(day, out var own))
            {
                carry = own;
                points.Add(own.ToPoint(day, carried: false));
            }
            else if (carry is not null)
            {
                points.Add(carry.ToPoint(day, carried: true));
            }
        }

        return new CoverageHistory(points);
    }

    public static DateOnly? DateOf(HttpRequest request, string name)
    {
        var text = request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw RequestValidationException.For(name, "A date as YYYY-MM-DD, e.g. 2025-02-01.");
    }
}
