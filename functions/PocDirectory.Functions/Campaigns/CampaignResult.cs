using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Campaigns;

/// <summary>What became of one POC in a campaign.</summary>
public enum PingOutcome
{
    /// <summary>Pinged (or about to be) and not answered yet.</summary>
    Pending,
    Acknowledged,
    NoResponse,
    Undeliverable,
    Cancelled,
}

/// <summary>The messages of a campaign, in the order they are sent: the ping, then each reminder.</summary>
public static class CampaignSteps
{
    public const int Ping = 0;

    /// <summary>Names of the steps besides the sends, as a failure reports them.</summary>
    public const string Snapshot = "Snapshot";

    public const string Escalation = "Escalation";

    public const string Report = "Report";

    /// <summary>"Ping" for step 0, "Reminder 1" for step 1, and so on.</summary>
    public static string Name(int step) => step == Ping ? "Ping" : $"Reminder {step}";
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
    string? UndeliverableReason);
