namespace PocDirectory.Functions.Communications;

/// <summary>The statistics of communications, computed from their metadata only.</summary>
public static class CommunicationStatsBuilder
{
    public static CommunicationStats Build(DateTimeOffset? from, DateTimeOffset? to, IReadOnlyList<CommunicationEntity> communications, CommunicationOptions options)
    {
        var overall = Group("all", communications, options);
        return new CommunicationStats(
            from,
            to,
            communications.Count,
            Enum.GetValues<CommunicationType>().ToDictionary(t => t.ToString(), t => communications.Count(c => c.Type == t.ToString())),
            Enum.GetValues<Urgency>().ToDictionary(u => u.ToString(), u => communications.Count(c => c.Urgency == u.ToString())),
            overall.TimeToAcknowledge,
            overall.TimeToFirstReply,
            overall.AcknowledgedWithinTarget,
            communications.GroupBy(c => c.To).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g.ToList(), options)).ToList(),
            communications.GroupBy(c => c.ToRegion ?? "Unknown").OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Group(g.Key, g.ToList(), options)).ToList());
    }

    /// <summary>The nearest-rank percentile of sorted values: the smallest value with at least p of them at or below it.</summary>
    public static double? Percentile(IReadOnlyList<double> sorted, double p)
        => sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static CommunicationGroupStats Group(string key, IReadOnlyList<CommunicationEntity> group, CommunicationOptions options)
    {
        var acknowledge = group.Where(c => c.AcknowledgedAt is not null).Select(c => (c.AcknowledgedAt!.Value - c.SentAt).TotalSeconds).Order().ToList();
        var reply = group.Where(c => c.FirstReplyAt is not null).Select(c => (c.FirstReplyAt!.Value - c.SentAt).TotalSeconds).Order().ToList();
        var within = group.Count(c => c.AcknowledgedAt is { } at && at - c.SentAt <= options.TargetFor(c.UrgencyValue));
        return new CommunicationGroupStats(key, group.Count, Times(acknowledge), Times(reply), group.Count == 0 ? null : (double)within / group.Count);
    }

    private static TimeStats Times(IReadOnlyList<double> sorted) => new(sorted.Count, Percentile(sorted, 0.5), Percentile(sorted, 0.9));
}
