using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Exercises;

/// <summary>An exercise: partition = its id, row "exercise". Computed members carry [IgnoreDataMember].</summary>
public sealed class ExerciseEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = StorageKeys.ExerciseRowKey;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string Status { get; set; } = nameof(ExerciseStatus.Draft);

    /// <summary>JSON <see cref="PlayerScope"/>.</summary>
    public string Players { get; set; } = "{}";

    /// <summary>JSON list of lowercased addresses: who may steer this exercise besides the Secretariat.</summary>
    public string Controllers { get; set; } = "[]";

    /// <summary>JSON list of <see cref="Inject"/> (without delivery times: those are on the inject rows).</summary>
    public string Injects { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? PausedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public int DryRuns { get; set; }

    [IgnoreDataMember]
    public string Id => PartitionKey;

    [IgnoreDataMember]
    public ExerciseStatus StatusValue => Enum.Parse<ExerciseStatus>(Status);

    [IgnoreDataMember]
    public PlayerScope PlayersValue => JsonSerializer.Deserialize<PlayerScope>(Players, ApiJson.Options)!;

    [IgnoreDataMember]
    public IReadOnlyList<string> ControllerList => JsonSerializer.Deserialize<List<string>>(Controllers, ApiJson.Options)!;

    [IgnoreDataMember]
    public IReadOnlyList<Inject> InjectList => JsonSerializer.Deserialize<List<Inject>>(Injects, ApiJson.Options)!;

    public bool IsController(string email) => ControllerList.Contains(email.Trim().ToLowerInvariant(), StringComparer.Ordinal);

    public Exercise ToModel(IReadOnlyDictionary<int, ExerciseInjectEntity> rows) => new(
        Id, Reference, Name, Description, StatusValue, PlayersValue, ControllerList,
        InjectList.Select(i => rows.TryGetValue(i.Number, out var row) ? i with { DeliveredAt = row.StartedAt, Deadline = row.Deadline } : i).ToList(),
        CreatedAt, CreatedBy, StartedAt, PausedAt, EndedAt, DryRuns);
}

/// <summary>
/// The record of one delivery of an exercise (a live inject "inject|i{n}" or a dry run's "inject|d{r}i{n}"), which the
/// delivery core reads through <see cref="ExerciseDelivery"/>: its state, deadline and failure.
/// </summary>
public sealed class ExerciseInjectEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public int Number { get; set; }

    public bool DryRun { get; set; }

    /// <summary>When the timeline meant it to go: the start, plus its offset, plus any pause before it.</summary>
    public DateTimeOffset? ScheduledAt { get; set; }

    /// <summary>When its delivery took its snapshot (the first message follows at once).</summary>
    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? Deadline { get; set; }

    public string State { get; set; } = nameof(DeliveryState.Scheduled);

    public string? FailedStep { get; set; }

    public string? FailureReason { get; set; }

    [IgnoreDataMember]
    public string Key => RowKey[StorageKeys.ExerciseInjectRowKeyPrefix.Length..];

    [IgnoreDataMember]
    public DeliveryState StateValue => Enum.Parse<DeliveryState>(State);
}

/// <summary>A player's reply to a Reply inject: row "reply|{deliveryKey}|{recipientId}", written once.</summary>
public sealed class ExerciseReplyEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Participant { get; set; } = string.Empty;

    public string RecipientId { get; set; } = string.Empty;

    public string DeliveryKey { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;

    public string? Choice { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>A controller's observation on a participant: row "obs|{participant}".</summary>
public sealed class ExerciseObservationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Participant { get; set; } = string.Empty;

    public string Text { get; set; } = string.Empty;

    public string Author { get; set; } = string.Empty;

    public DateTimeOffset At { get; set; }

    public Observation ToModel() => new(Participant, Text, Author, At);
}
