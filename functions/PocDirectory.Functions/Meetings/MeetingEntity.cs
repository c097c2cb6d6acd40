using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Meetings;

/// <summary>A meeting: partition = its id, row "meeting". Computed members carry [IgnoreDataMember].</summary>
public sealed class MeetingEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = StorageKeys.MeetingRowKey;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = string.Empty;

    public string Title { get; set; } = string.Empty;

    public string Format { get; set; } = string.Empty;

    public string? Venue { get; set; }

    public string TimeZone { get; set; } = "UTC";

    public string Start { get; set; } = string.Empty;

    public string End { get; set; } = string.Empty;

    public DateTimeOffset StartUtc { get; set; }

    public DateTimeOffset EndUtc { get; set; }

    public string? ConnectionLink { get; set; }

    public string Invitees { get; set; } = "{}";

    public string Agenda { get; set; } = "[]";

    public string? RegistrationDeadline { get; set; }

    public DateTimeOffset? RegistrationDeadlineUtc { get; set; }

    public string Reminders { get; set; } = "[]";

    public string Status { get; set; } = nameof(MeetingStatus.Draft);

    /// <summary>The iCalendar SEQUENCE: 0 for the invitation, one more for each update or the cancellation (RFC 5546 §2.1.4).</summary>
    public int Sequence { get; set; }

    /// <summary>How many invitation rounds were started; round n is the delivery "{id}-invite-n".</summary>
    public int Invitations { get; set; }

    /// <summary>Reordered speakers, as "{agendaItem}|{inviteeId}" in order; empty until the Secretariat reorders.</summary>
    public string SpeakerOrder { get; set; } = "[]";

    public DateTimeOffset CreatedAt { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset? UpdatedAt { get; set; }

    [IgnoreDataMember]
    public string Id => PartitionKey;

    [IgnoreDataMember]
    public MeetingStatus StatusValue => Enum.Parse<MeetingStatus>(Status);

    [IgnoreDataMember]
    public MeetingFormat FormatValue => Enum.Parse<MeetingFormat>(Format);

    [IgnoreDataMember]
    public InviteeScope InviteesValue => JsonSerializer.Deserialize<InviteeScope>(Invitees, ApiJson.Options)!;

    [IgnoreDataMember]
    public IReadOnlyList<AgendaItem> AgendaValue => JsonSerializer.Deserialize<List<AgendaItem>>(Agenda, ApiJson.Options)!;

    [IgnoreDataMember]
    public IReadOnlyList<string> RemindersValue => JsonSerializer.Deserialize<List<string>>(Reminders, ApiJson.Options)!;

    /// <summary>When answers stop: the registration deadline, or the start.</summary>
    [IgnoreDataMember]
    public DateTimeOffset ClosesAt => RegistrationDeadlineUtc ?? StartUtc;

    /// <summary>Before the start, at each reminder's distance from it.</summary>
    [IgnoreDataMember]
    public IReadOnlyList<TimeSpan> ReminderDistances => RemindersValue
        .Select(r => CampaignInputValidator.TryParseDuration(r, out var d) ? d : TimeSpan.Zero).Where(d => d > TimeSpan.Zero).ToList();

    /// <summary>The Secretariat's order: "{agendaItem}|{inviteeId}" keys in order.</summary>
    [IgnoreDataMember]
    public IReadOnlyList<string> SpeakerOrderValue => JsonSerializer.Deserialize<List<string>>(SpeakerOrder, ApiJson.Options)!;

    public Meeting ToModel(IReadOnlyList<Speaker>? speakers = null) => new(
        Id, Reference, Title, FormatValue, Venue, TimeZone, Start, End, StartUtc, EndUtc, ConnectionLink, InviteesValue, AgendaValue,
        RegistrationDeadline, RegistrationDeadlineUtc, RemindersValue, StatusValue, Sequence, CreatedAt, CreatedBy, UpdatedAt, speakers ?? []);
}

/// <summary>What a meeting's delivery is for; the delivery id is "{meetingId}-{kind}-{n}".</summary>
public enum MeetingMessage
{
    Invite,
    Update,
    Cancel,
    Link,

    /// <summary>A reminder of the meeting to those registered, at one of its reminder offsets before the start (decision 0023).</summary>
    Reminder,
}

/// <summary>One delivery of a meeting (an invitation round, an update...): its state as the delivery core sees it.</summary>
public sealed class MeetingDeliveryEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Kind { get; set; } = string.Empty;

    public string State { get; set; } = nameof(DeliveryState.Scheduled);

    public DateTimeOffset? Deadline { get; set; }

    public bool StopRequested { get; set; }

    public string? FailedStep { get; set; }

    public string? FailureReason { get; set; }

    /// <summary>What changed, stated at the top of an update ("The time changed: ...").</summary>
    public string? Changes { get; set; }

    /// <summary>When a reminder begins (its durable timer); null for a delivery that begins at once.</summary>
    public DateTimeOffset? StartAt { get; set; }

    [IgnoreDataMember]
    public MeetingMessage KindValue => Enum.Parse<MeetingMessage>(Kind);

    [IgnoreDataMember]
    public DeliveryState StateValue => Enum.Parse<DeliveryState>(State);
}

/// <summary>An invitee's answer (row "reg|{inviteeId}") in the registrations table, partition = meeting id.</summary>
public sealed class RegistrationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Participant { get; set; } = string.Empty;

    public string Kind { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string Attendance { get; set; } = string.Empty;

    public int DelegationSize { get; set; } = 1;

    public bool WishToTakeFloor { get; set; }

    public int? AgendaItem { get; set; }

    public string? Note { get; set; }

    public DateTimeOffset AnsweredAt { get; set; }

    /// <summary>When the invitee first asked for the floor: the speakers list is in this order until the Secretariat reorders it.</summary>
    public DateTimeOffset? FloorAskedAt { get; set; }

    [IgnoreDataMember]
    public string InviteeId => RowKey[StorageKeys.RegistrationRowKeyPrefix.Length..];

    [IgnoreDataMember]
    public Attendance AttendanceValue => Enum.Parse<Attendance>(Attendance);

    public Registration ToModel() => new(InviteeId, Participant, Kind, Name, AttendanceValue, DelegationSize, WishToTakeFloor, AgendaItem, Note, AnsweredAt);
}

/// <summary>One attendee (row "att|{key}"): an invitee by id, or someone known only by address (a hash, never the address).</summary>
public sealed class AttendeeEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string? InviteeId { get; set; }

    public DateTimeOffset? JoinedAt { get; set; }

    public DateTimeOffset? LeftAt { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
}
