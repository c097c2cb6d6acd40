using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;

namespace PocDirectory.Functions.Outreach;

/// <summary>What a participant had not nominated when the outreach was sent.</summary>
public enum Missing
{
    /// <summary>No point of contact at all.</summary>
    NoPoc,
    NoTechnicalPoc,
    NoDiplomaticPoc,
}

/// <summary>
/// Whom to write to: the participants whose nomination status is one of <paramref name="NominationStatus"/> (all but
/// Both when empty), in these regions (all when empty), and, when given, only these participants.
/// </summary>
public sealed record OutreachScopeInput(IReadOnlyList<NominationStatus>? NominationStatus, IReadOnlyList<Region>? Regions, IReadOnlyList<string?>? Participants = null);

/// <summary>An outreach: the standard letter unless <paramref name="Subject"/> or <paramref name="Body"/> are given; reminders as ISO 8601 durations from the start.</summary>
public sealed record OutreachInput(OutreachScopeInput? Scope, string? Subject, string? Body, IReadOnlyList<string?>? Reminders) : IApiExample<OutreachInput>
{
    public static OutreachInput Example { get; } = new(
        new OutreachScopeInput([NominationStatus.None, NominationStatus.DiplomaticOnly, NominationStatus.TechnicalOnly], [], ["EXAMPLE"]), null, null, ["P14D"]);
}

/// <summary>One participant written to: what it lacked, when its contacts were written to and reminded, and when it nominated since.</summary>
public sealed record OutreachParticipant(string Code, string Name, Missing Missing, DateTimeOffset? ContactedAt, DateTimeOffset? RemindedAt, DateTimeOffset? NominatedAt);

public sealed record OutreachRound(
    string Id,
    string Reference,
    string? Subject,
    DeliveryState State,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? Deadline,
    IReadOnlyList<string> Reminders,
    IReadOnlyList<OutreachParticipant> Participants);

/// <summary>A participant in an outreach's snapshot, as stored on its row.</summary>
public sealed record OutreachTarget(string Code, string Name, Missing Missing);

/// <summary>An outreach's row (partition "outreach", row the newest-first id); its recipients are the delivery core's rows.</summary>
public sealed class OutreachEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string? Subject { get; set; }

    public string? Body { get; set; }

    public string Reminders { get; set; } = "[]";

    /// <summary>The participants written to, with what each lacked: <see cref="OutreachTarget"/>s as JSON.</summary>
    public string Targets { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public string State { get; set; } = nameof(DeliveryState.Scheduled);

    public DateTimeOffset? Deadline { get; set; }

    public string? FailedStep { get; set; }

    public string? FailureReason { get; set; }

    [IgnoreDataMember]
    public DeliveryState StateValue => Enum.Parse<DeliveryState>(State);

    [IgnoreDataMember]
    public IReadOnlyList<OutreachTarget> TargetList => JsonSerializer.Deserialize<List<OutreachTarget>>(Targets, ApiJson.Options)!;

    [IgnoreDataMember]
    public IReadOnlyList<string> ReminderList => JsonSerializer.Deserialize<List<string>>(Reminders, ApiJson.Options)!;
}
