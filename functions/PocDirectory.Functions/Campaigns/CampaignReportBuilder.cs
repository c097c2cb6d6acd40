using System.Globalization;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Export;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Compiles a <see cref="CampaignReport"/> from a campaign's results and writes it as CSV.</summary>
public static class CampaignReportBuilder
{
    /// <summary>Key of the overall breakdown.</summary>
    public const string OverallKey = "All";

    /// <summary>Region key for participants that belong to no regional group.</summary>
    public const string NoRegionKey = "None";

    /// <summary>
    /// Inclusive upper edges, in seconds, of the time-to-acknowledge histogram: 1 minute, 5 minutes, 15 minutes, 1 hour,
    /// 4 hours, 24 hours, 72 hours, and +infinity for anything slower. A time t falls in the first bucket whose edge is
    /// at least t, so an answer after exactly one minute counts as "within a minute". The edges follow how the
    /// Secretariat talks about responsiveness (minutes for a CERT on duty, a working day, a long weekend).
    /// </summary>
    public static readonly IReadOnlyList<double> TimeToAcknowledgeBucketSeconds =
    [
        60,
        5 * 60,
        15 * 60,
        3600,
        4 * 3600,
        24 * 3600,
        72 * 3600,
        double.PositiveInfinity,
    ];

    private static readonly string[] _breakdownHeader =
        ["section", "key", "inScope", "acknowledged", "noResponse", "undeliverable", "pending", "responseRate"];

    private static readonly string[] _summaryHeader = ["section", "key", "value"];

    /// <summary>
    /// Reads <paramref name="results"/> exactly once, so a lazily paged query over 10,000+ rows is neither
    /// re-run nor held in memory beyond the acknowledgement times and undeliverable rows that must be sorted.
    /// </summary>
    /// <exception cref="ArgumentException">A row belongs to another campaign.</exception>
    public static CampaignReport Build(string campaignId, IEnumerable<CampaignResult> results, DateTimeOffset compiledAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignId);
        ArgumentNullException.ThrowIfNull(results);

        var overall = new Tally();
        var byKind = new Dictionary<PocKind, Tally>();
        var byRegion = new Dictionary<Region, Tally>();
        Tally? noRegion = null;
        var byParticipant = new Dictionary<string, Tally>(StringComparer.Ordinal);
        var secondsToAcknowledge = new List<double>();
        var undeliverable = new List<UndeliverableEntry>();
        var acknowledgedAfterReminder = 0;
        var held = (Messages: 0, Seconds: 0.0, Longest: 0.0);

        foreach (var row in results)
        {
            // A row from another campaign means the caller queried the wrong partition; a report that silently mixed
            // campaigns would be believed, so fail instead.
            if (!string.Equals(row.CampaignId, campaignId, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"Result for POC '{row.PocId}' belongs to campaign '{row.CampaignId}', not '{campaignId}'.", nameof(results));
            }

            if (row.Outcome == PingOutcome.Cancelled)
            {
                continue;
            }

            if (row.HeldMessages > 0)
            {
                held = (held.Messages + row.HeldMessages, held.Seconds + row.HeldSeconds, Math.Max(held.Longest, row.HeldSeconds / row.HeldMessages));
            }

            overall.Add(row.Outcome);
            GetOrAdd(byKind, row.Kind).Add(row.Outcome);
            if (row.Region is { } region)
            {
                GetOrAdd(byRegion, region).Add(row.Outcome);
            }
            else
            {
                (noRegion ??= new Tally()).Add(row.Outcome);
            }

            GetOrAdd(byParticipant, row.Participant).Add(row.Outcome);

            switch (row.Outcome)
            {
                case PingOutcome.Acknowledged:
                    if (row.AcknowledgedAfterStep > DeliverySteps.First)
                    {
                        acknowledgedAfterReminder++;
                    }

                    // Rows written before timestamps were recorded still count as acknowledged, just not in the timings.
                    if (row.FirstSentAt is { } sentAt && row.AcknowledgedAt is { } acknowledgedAt)
                    {
                        // Clock skew between the sender and the HTTP tier can put the answer a moment before the send;
                        // that is an immediate answer, not a negative time that would drag the median down.
                        secondsToAcknowledge.Add(Math.Max(0, (acknowledgedAt - sentAt).TotalSeconds));
                    }

                    break;
                case PingOutcome.Undeliverable:
                    undeliverable.Add(new UndeliverableEntry(row.PocId, row.Participant, row.UndeliverableReason));
                    break;
                default:
                    break;
            }
        }

        secondsToAcknowledge.Sort();
        undeliverable.Sort(static (a, b) =>
        {
            var byCode = string.CompareOrdinal(a.Participant, b.Participant);
            return byCode != 0 ? byCode : string.CompareOrdinal(a.PocId, b.PocId);
        });

        var participants = byParticipant.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var regions = byRegion.OrderBy(r => r.Key).Select(r => r.Value.ToBreakdown(r.Key.ToString())).ToList();
        if (noRegion is not null)
        {
            regions.Add(noRegion.ToBreakdown(NoRegionKey));
        }

        return new CampaignReport(
            campaignId,
            compiledAt,
            overall.ToBreakdown(OverallKey),
            byKind.OrderBy(k => k.Key).Select(k => k.Value.ToBreakdown(k.Key.ToString())).ToArray(),
            regions,
            participants.Select(p => p.Value.ToBreakdown(p.Key)).ToArray(),
            Median(secondsToAcknowledge),
            NearestRank(secondsToAcknowledge, 90),
            Histogram(secondsToAcknowledge),
            acknowledgedAfterReminder,
            participants.Where(p => p.Value.Acknowledged == 0).Select(p => p.Key).ToArray(),
            undeliverable,
            held.Messages,
            Math.Round(held.Seconds, 1),
            Math.Round(held.Longest, 1));
    }

    /// <summary>
    /// One header row, then a row per breakdown whose first column names its section (overall, byKind, byRegion,
    /// byParticipant); then a second header and the summary figures. A single table per kind of row keeps the file
    /// loadable by a spreadsheet or a CSV reader without splitting it first. Numbers use the invariant culture, an
    /// absent figure is an empty cell, and <see cref="SpreadsheetCsv"/> keeps every cell from running as a formula.
    /// </summary>
    public static string ToCsv(CampaignReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = new List<string[]> { _breakdownHeader, Breakdown("overall", report.Overall) };
        rows.AddRange(report.ByKind.Select(kind => Breakdown("byKind", kind)));
        rows.AddRange(report.ByRegion.Select(region => Breakdown("byRegion", region)));
        rows.AddRange(report.ByParticipant.Select(participant => Breakdown("byParticipant", participant)));
        rows.Add(_summaryHeader);
        rows.Add(["summary", "medianSecondsToAcknowledge", Format(report.MedianSecondsToAcknowledge)]);
        rows.Add(["summary", "p90SecondsToAcknowledge", Format(report.P90SecondsToAcknowledge)]);
        rows.Add(["summary", "acknowledgedAfterReminder", Format(report.AcknowledgedAfterReminder)]);
        rows.Add(["summary", "heldMessages", Format(report.HeldMessages)]);
        rows.Add(["summary", "heldSeconds", Format(report.HeldSeconds)]);
        return SpreadsheetCsv.Write(rows);
    }

    private static string[] Breakdown(string section, RateBreakdown breakdown) =>
    [
        section,
        breakdown.Key,
        Format(breakdown.InScope),
        Format(breakdown.Acknowledged),
        Format(breakdown.NoResponse),
        Format(breakdown.Undeliverable),
        Format(breakdown.Pending),
        Format(breakdown.ResponseRate),
    ];

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Format(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;

    private static Tally GetOrAdd<TKey>(Dictionary<TKey, Tally> tallies, TKey key)
        where TKey : notnull
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tally = new Tally();
            tallies.Add(key, tally);
        }

        return tally;
    }

    private static double? Median(List<double> sorted)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double? NearestRank(List<double> sorted, int percentile)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        // ceil(p/100 * n) in integers: 0.9 * n in floating point can land just above a whole number and skip a rank.
        var rank = ((percentile * sorted.Count) + 99) / 100;
        return sorted[Math.Max(rank, 1) - 1];
    }

    private static int[] Histogram(List<double> sorted)
    {
        var counts = new int[TimeToAcknowledgeBucketSeconds.Count];
        var bucket = 0;

        // The times are sorted, so the bucket only ever moves forward.
        foreach (var seconds in sorted)
        {
            while (seconds > TimeToAcknowledgeBucketSeconds[bucket])
            {
                bucket++;
            }

            counts[bucket]++;
        }

        return counts;
    }

    private sealed class Tally
    {
        private int _inScope;
        private int _noResponse;
        private int _undeliverable;
        private int _pending;

        public int Acknowledged { get; private set; }

        public void Add(PingOutcome outcome)
        {
            _inScope++;
            switch (outcome)
            {
                case PingOutcome.Acknowledged:
                    Acknowledged++;
                    break;
                case PingOutcome.NoResponse:
                    _noResponse++;
                    break;
                case PingOutcome.Undeliverable:
                    _undeliverable++;
                    break;
                case PingOutcome.Pending:
                    _pending++;
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Outcome is not counted in a report.");
            }
        }

        public RateBreakdown ToBreakdown(string key) => new(
            key,
            _inScope,
            Acknowledged,
            _noResponse,
            _undeliverable,
            _pending,
            _inScope == 0 ? 0 : Math.Round((double)Acknowledged / _inScope, 4, MidpointRounding.AwayFromZero));
    }
}
