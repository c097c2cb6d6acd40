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
