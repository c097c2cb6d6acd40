using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Communications;

/// <summary>A communication's record: metadata, content (erased after the retention period) and its delivery's state.</summary>
public sealed class CommunicationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = StorageKeys.CommunicationPartition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string From { get; set; } = string.Empty;

    public string To { get; set; } = string.Empty;

    public string? ToRegion { get; set; }

    public string Kinds { get; set; } = "[]";

    public string Type { get; set; } = string.Empty;

    public string Urgency { get; set; } = string.Empty;

    public string Status { get; set; } = nameof(CommunicationStatus.Sent);

    public DateTimeOffset SentAt { get; set; }

    public DateTimeOffset RespondBy { get; set; }

    public DateTimeOffset AcknowledgeBy { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public DateTimeOffset? FirstReplyAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? InReplyTo { get; set; }

    /// <summary>The exercise this communication was sent in (issue 17); null for every real one.</summary>
    public string? ExerciseId { get; set; }

    /// <summary>JSON list of <see cref="EscalationStep"/>.</summary>
    public string Escalations { get; set; } = "[]";

    public string? Subject { get; set; }

    public string? Body { get; set; }

    public DateTimeOffset ContentExpiresAt { get; set; }

    public DateTimeOffset? ContentErasedAt { get; set; }

    public string? SenderName { get; set; }

    public string? SenderEmail { get; set; }

    public string SenderPhones { get; set; } = "[]";

    public string? SenderPocId { get; set; }

    /// <summary>The delivery's own state (Running, Failed, Closed): the thread goes on after the delivery closed.</summary>
    public string DeliveryState { get; set; } = nameof(Delivery.DeliveryState.Running);

    /// <summary>The receiving side replied: the delivery stops reminding and escalating.</summary>
    public bool StopRequested { get; set; }

    public DateTimeOffset DeliveryDeadline { get; set; }

    public string? FailedStep { get; set; }

    public string? FailureReason { get; set; }

    [IgnoreDataMember]
    public IReadOnlyList<PocKind> KindList => JsonSerializer.Deserialize<List<PocKind>>(Kinds, ApiJson.Options)!;

    [IgnoreDataMember]
    public IReadOnlyList<EscalationStep> EscalationList => JsonSerializer.Deserialize<List<EscalationStep>>(Escalations, ApiJson.Options)!;

    [IgnoreDataMember]
    public CommunicationStatus StatusValue => Enum.Parse<CommunicationStatus>(Status);

    [IgnoreDataMember]
    public Urgency UrgencyValue => Enum.Parse<Urgency>(Urgency);

    [IgnoreDataMember]
    public CommunicationType TypeValue => Enum.Parse<CommunicationType>(Type);

    [IgnoreDataMember]
    public DeliveryState DeliveryStateValue => Enum.Parse<DeliveryState>(DeliveryState);

    /// <summary>What the Secretariat and the audit log see: metadata, never content or personal data.</summary>
    public Communication ToMetadata() => new(
        RowKey, Reference, From, To, ToRegion is null ? null : Enum.Parse<Region>(ToRegion), KindList, TypeValue, UrgencyValue, StatusValue,
        SentAt, RespondBy, AcknowledgeBy, AcknowledgedAt, FirstReplyAt, ClosedAt, InReplyTo, EscalationList,
        DeliveryStateValue != Delivery.DeliveryState.Closed, ContentErasedAt is not null, ExerciseId: ExerciseId);

    /// <summary>Erases subject and body; the metadata stays. Returns false when there was nothing to erase.</summary>
    public bool EraseContent(DateTimeOffset now)
    {
        if (ContentErasedAt is not null)
        {
            return false;
        }

        (Subject, Body, ContentErasedAt) = (null, null, now);
        return true;
    }
}

/// <summary>A reply in a thread: partition "thread|{communication id}", row a time-ordered id.</summary>
public sealed class CommunicationReplyEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Participant { get; set; } = string.Empty;

    public string? AuthorName { get; set; }

    public string? AuthorEmail { get; set; }

    public DateTimeOffset At { get; set; }

    public bool Closes { get; set; }

    public string? Body { get; set; }

    public CommunicationReply ToModel(bool content) => new(
        RowKey, Participant, content ? AuthorName : null, content ? AuthorEmail : null, At, Closes, content ? Body : null);
}
