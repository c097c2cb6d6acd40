using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Campaigns;

public enum CampaignStatus
{
    /// <summary>Waiting for its start time.</summary>
    Scheduled,
    Running,
    Completed,
    Cancelled,

    /// <summary>A step failed after every retry; the campaign waits for the Secretariat to retry the step or close it.</summary>
    Failed,
}

/// <summary>Why a campaign stopped: its step ("Snapshot", "Ping", "Reminder 1", "Escalation", "Report") and the error.
/// Kept after a close, so a campaign completed by the Secretariat still says it had failed.</summary>
public sealed record CampaignFailure(string Step, string Reason, DateTimeOffset At);

/// <summary>Which POCs a campaign pings; empty lists mean "all", so an empty scope is every active POC.</summary>
public sealed record CampaignScope(IReadOnlyList<string> Participants, IReadOnlyList<Region> Regions, IReadOnlyList<PocKind> Kinds)
{
    public static CampaignScope Everyone { get; } = new([], [], []);
}

/// <summary>A ping campaign as the API shows it.</summary>
public sealed record Campaign(
    string Id,
    string Reference,
    string Name,
    CampaignScope Scope,
    string ResponseWindow,
    IReadOnlyList<string> Reminders,
    bool Escalate,
    DateTimeOffset? StartAt,
    string? Subject,
    string? Body,
    CampaignStatus Status,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? StartedAt,
    DateTimeOffset? Deadline,
    DateTimeOffset? CompletedAt,
    string? ScheduleId,
    CampaignProgress? Progress = null,
    CampaignFailure? Failure = null);

/// <summary>What the Secretariat sends to create a campaign.</summary>
public sealed record CampaignInput(
    string? Name,
    CampaignScopeInput? Scope,
    string? ResponseWindow,
    IReadOnlyList<string?>? Reminders,
    bool? Escalate,
    DateTimeOffset? StartAt,
    string? Subject,
    string? Body) : IApiExample<CampaignInput>
{
    public static CampaignInput Example { get; } = new(
        "Quarterly ping", new CampaignScopeInput(["SGP"], [], [PocKind.Technical]), "PT72H", ["PT24H", "PT48H"], true, null, null, null);
}

public sealed record CampaignScopeInput(IReadOnlyList<string?>? Participants, IReadOnlyList<Region>? Regions, IReadOnlyList<PocKind>? Kinds);

/// <summary>Live numbers of a campaign, counted from its results; <paramref name="SentByStep"/>[0] had the ping, [n] reminder n.</summary>
public sealed record CampaignProgress(int InScope, int Sent, int Acknowledged, int Pending, int Undeliverable, int NoResponse, int Cancelled, IReadOnlyList<int> SentByStep);
