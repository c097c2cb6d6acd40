using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Campaigns;

/// <summary>What became of one POC in a campaign: the delivery core's <see cref="RecipientOutcome"/>, under the name the API has always used.</summary>
public enum PingOutcome
{
    /// <summary>Pinged (or about to be) and not answered yet.</summary>
    Pending,
    Acknowledged,
    NoResponse,
    Undeliverable,
    Cancelled,
}

/// <summary>One POC's row in a campaign's results: the snapshot taken at start and what happened since.</summary>
public sealed record CampaignResult(
    string CampaignId,
    string PocId,
    string Participant,
    Region? Region,
    PocKind Kind,
    PingOutcome Outcome,
    int LastStepSent,
    DateTimeOffset? FirstSentAt,
    DateTimeOffset? AcknowledgedAt,
    int? AcknowledgedAfterStep,
    string? UndeliverableReason,
    int HeldMessages = 0,
    double HeldSeconds = 0);

public static class CampaignResults
{
    public static CampaignResult ToCampaignResult(this RecipientEntity row) => new(
        row.PartitionKey, row.RecipientId, row.Participant, row.Region is null ? null : Enum.Parse<Region>(row.Region), Enum.Parse<PocKind>(row.Kind),
        Enum.Parse<PingOutcome>(row.Outcome), row.LastStepSent, row.FirstSentAt, row.AcknowledgedAt, row.AcknowledgedAfterStep, row.UndeliverableReason,
        row.HeldMessages, row.HeldSeconds);

    public static CampaignProgress ToCampaignProgress(this DeliveryProgress p)
        => new(p.InScope, p.Sent, p.Acknowledged, p.Pending, p.Undeliverable, p.NoResponse, p.Cancelled, p.SentByStep);
}
