using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Campaigns;

/// <summary>
/// Outcome counts for one slice of a campaign. <see cref="ResponseRate"/> is Acknowledged / InScope, rounded to 4 decimals,
/// and 0 for an empty slice so a report never carries NaN.
/// </summary>
public sealed record RateBreakdown(string Key, int InScope, int Acknowledged, int NoResponse, int Undeliverable, int Pending, double ResponseRate);

/// <summary>A POC the campaign could not reach, with the reason the sender gave.</summary>
public sealed record UndeliverableEntry(string PocId, string Participant, string? Reason);

/// <summary>
/// What a ping campaign showed, compiled from its results. Cancelled rows are left out of every figure: the POC was
/// withdrawn from the campaign (retired, or the campaign was stopped), so it was never asked to answer.
/// </summary>
/// <param name="ByKind">Only the kinds that occur in the results, in <see cref="PocKind"/> order.</param>
/// <param name="ByRegion">Region name, or <see cref="CampaignReportBuilder.NoRegionKey"/> for participants without one
/// (regional organisations, observers); regions in <see cref="Region"/> order, "None" last.</param>
/// <param name="ByParticipant">Participant code, ordinal order.</param>
/// <param name="MedianSecondsToAcknowledge">From first send to acknowledgement over acknowledged rows; null when there are none.</param>
/// <param name="P90SecondsToAcknowledge">Nearest-rank 90th percentile of the same times; null when there are none.</param>
/// <param name="TimeToAcknowledgeHistogram">One count per edge in <see cref="CampaignReportBuilder.TimeToAcknowledgeBucketSeconds"/>.</param>
/// <param name="AcknowledgedAfterReminder">Acknowledged rows whose answer came after a reminder rather than the first ping.</param>
/// <param name="ParticipantsWithNoResponse">Participants in scope none of whose POCs acknowledged, ordinal order.</param>
/// <param name="Undeliverable">Ordered by participant, then POC id.</param>
/// <param name="HeldMessages">Reminders held for the POCs' business hours (issue 19), then sent in their next window.</param>
/// <param name="HeldSeconds">How long they were held, in all; <paramref name="LongestHeldSeconds"/> the longest mean hold of one POC.</param>
public sealed record CampaignReport(
    string CampaignId,
    DateTimeOffset CompiledAt,
    RateBreakdown Overall,
    IReadOnlyList<RateBreakdown> ByKind,
    IReadOnlyList<RateBreakdown> ByRegion,
    IReadOnlyList<RateBreakdown> ByParticipant,
    double? MedianSecondsToAcknowledge,
    double? P90SecondsToAcknowledge,
    IReadOnlyList<int> TimeToAcknowledgeHistogram,
    int AcknowledgedAfterReminder,
    IReadOnlyList<string> ParticipantsWithNoResponse,
    IReadOnlyList<UndeliverableEntry> Undeliverable,
    int HeldMessages = 0,
    double HeldSeconds = 0,
    double LongestHeldSeconds = 0);
