using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Computed members carry [IgnoreDataMember]: the Tables SDK would otherwise try to store them.</summary>
public sealed class CampaignEntity : ITableEntity
{
    public string PartitionKey { get; set; } = StorageKeys.CampaignPartition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Scope { get; set; } = "{}";

    public string ResponseWindow { get; set; } = string.Empty;

    public string Reminders { get; set; } = "[]";

    public bool Escalate { get; set; }

    public DateTimeOffset? StartAt { get; set; }

    public string? Subject { get; set; }

    public string? Body { get; set; }

    public string Status { get; set; } = string.Empty;

    /// <summary>Set by the cancel route before it signals the orchestration, so activities already running stop sending.</summary>
    public bool CancelRequested { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? Deadline { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    public string? ScheduleId { get; set; }

    public string? FailedStep { get; set; }

    public string? FailureReason { get; set; }

    public DateTimeOffset? FailedAt { get; set; }

    [IgnoreDataMember]
    public CampaignStatus CampaignStatus => Enum.Parse<CampaignStatus>(Status);

    [IgnoreDataMember]
    public TimeSpan Window => CampaignInputValidator.TryParseDuration(ResponseWindow, out var window) ? window : TimeSpan.Zero;

    [IgnoreDataMember]
    public IReadOnlyList<TimeSpan> ReminderOffsets
        => JsonSerializer.Deserialize<List<string>>(Reminders, ApiJson.Options)!
            .Select(r => CampaignInputValidator.TryParseDuration(r, out var offset) ? offset : TimeSpan.Zero).ToList();

    [IgnoreDataMember]
    public CampaignScope ScopeValue => JsonSerializer.Deserialize<CampaignScope>(Scope, ApiJson.Options)!;

    public Campaign ToModel(CampaignProgress? progress = null) => new(
        RowKey, Reference, Name, ScopeValue, ResponseWindow, JsonSerializer.Deserialize<List<string>>(Reminders, ApiJson.Options)!,
        Escalate, StartAt, Subject, Body, CampaignStatus, CreatedAt, CreatedBy, StartedAt, Deadline, CompletedAt, ScheduleId, progress,
        FailedStep is null ? null : new CampaignFailure(FailedStep, FailureReason ?? string.Empty, FailedAt ?? CreatedAt));
}

/// <summary>A POC's row in a campaign: its contact details as snapshotted at start, and what happened since.</summary>
public sealed class CampaignResultEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Participant { get; set; } = string.Empty;

    public string? Region { get; set; }

    public string Kind { get; set; } = string.Empty;

    public string FullName { get; set; } = string.Empty;

    public string Emails { get; set; } = "[]";

    public string TimeZone { get; set; } = "UTC";

    /// <summary>Which send activity handles this POC; fixed at snapshot so every step sends the same batches.</summary>
    public int Batch { get; set; }

    public string Outcome { get; set; } = nameof(PingOutcome.Pending);

    /// <summary>The last message step sent (-1 before the ping); a step is never sent twice to the same POC.</summary>
    public int LastStepSent { get; set; } = -1;

    public DateTimeOffset? FirstSentAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public int? AcknowledgedAfterStep { get; set; }

    public string? UndeliverableReason { get; set; }

    [IgnoreDataMember]
    public string PocId => RowKey[StorageKeys.CampaignResultRowKeyPrefix.Length..];

    [IgnoreDataMember]
    public PingOutcome OutcomeValue => Enum.Parse<PingOutcome>(Outcome);

    [IgnoreDataMember]
    public IReadOnlyList<string> EmailList => JsonSerializer.Deserialize<List<string>>(Emails, ApiJson.Options)!;

    public static CampaignResultEntity Snapshot(string campaignId, Poc poc, Region? region, int batch) => new()
    {
        PartitionKey = campaignId,
        RowKey = StorageKeys.CampaignResultRowKey(poc.Id),
        Participant = poc.Participant,
        Region = region?.ToString(),
        Kind = poc.Kind.ToString(),
        FullName = poc.FullName,
        Emails = JsonSerializer.Serialize(poc.Emails, ApiJson.Options),
        TimeZone = poc.TimeZone,
        Batch = batch,
    };

    public CampaignResult ToModel() => new(
        PartitionKey, PocId, Participant, Region is null ? null : Enum.Parse<Region>(Region), Enum.Parse<PocKind>(Kind),
        OutcomeValue, LastStepSent, FirstSentAt, AcknowledgedAt, AcknowledgedAfterStep, UndeliverableReason);
}
