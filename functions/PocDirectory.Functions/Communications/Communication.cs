using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Communications;

public enum CommunicationType
{
    RequestForInformation,
    RequestForAssistance,
    IncidentNotification,
    FollowUp,
}

public enum Urgency
{
    Routine,
    Priority,
    Urgent,
}

public enum CommunicationStatus
{
    /// <summary>Sent to the receiving participant's POCs; nobody has acknowledged yet.</summary>
    Sent,

    /// <summary>A POC of the receiving participant acknowledged receipt.</summary>
    Acknowledged,

    /// <summary>Someone replied in the thread.</summary>
    Replied,

    /// <summary>A reply closed the thread; nothing more can be added.</summary>
    Closed,
}

public enum Box
{
    Inbox,
    Sent,
}

/// <summary>What a focal point, a POC or the Secretariat sends; everything nullable so a missing field is reported by name.</summary>
/// <param name="From">The sending participant, needed only by a caller who belongs to more than one.</param>
/// <param name="RespondBy">An ISO 8601 duration from now, e.g. PT24H.</param>
/// <param name="ExerciseId">Sent in this running exercise, whose players include the sender's participant: marked EXERCISE, kept out of statistics.</param>
public sealed record CommunicationInput(
    string? To,
    IReadOnlyList<PocKind>? Kinds,
    CommunicationType? Type,
    Urgency? Urgency,
    string? Subject,
    string? Body,
    string? RespondBy,
    string? InReplyTo = null,
    string? From = null,
    string? ExerciseId = null) : IApiExample<CommunicationInput>
{
    public static CommunicationInput Example { get; } = new(
        "NOR", [PocKind.Technical], CommunicationType.RequestForInformation, Communications.Urgency.Urgent,
        "Scanning from your address space", "We see scanning of our government networks from 192.0.2.0/24 since 04:00 UTC. Can you help identify the source?",
        "PT24H");
}

/// <summary>A reply in a communication's thread; <paramref name="Closes"/> closes the thread.</summary>
public sealed record ReplyInput(string? Body, bool? Closes) : IApiExample<ReplyInput>
{
    public static ReplyInput Example { get; } = new("We have identified the host and taken it offline.", true);
}

/// <summary>Who sent a communication, with the contacts a reader needs to reach them.</summary>
public sealed record CommunicationSender(string Participant, string? Name, string Email, IReadOnlyList<string> Phones, string? PocId);

/// <summary>A receiving POC who acknowledged receipt, and when.</summary>
public sealed record CommunicationAcknowledgement(string RecipientId, string Participant, string Kind, string? Name, DateTimeOffset AcknowledgedAt);

/// <summary>A reply; <see cref="Body"/> is content, withheld from the Secretariat and erased after the retention period.</summary>
public sealed record CommunicationReply(string Id, string Participant, string? AuthorName, string? AuthorEmail, DateTimeOffset At, bool Closes, string? Body);

/// <summary>One escalation step that went out: 1 is the reminder, 2 the other kind of POC (when there is one), then the focal points.</summary>
public sealed record EscalationStep(int Step, string Name, DateTimeOffset At);

/// <summary>
/// A communication as the API shows it. Content (<see cref="Subject"/>, <see cref="Body"/>, the replies' bodies,
/// the sender's and acknowledgers' names and addresses) is null for a caller who sees metadata only (the Secretariat).
/// <see cref="ExerciseId"/> marks a communication sent in a simulation exercise (issue 17): never counted in statistics.
/// <see cref="Delivering"/> is true while reminders and escalation steps may still go out (until the first
/// acknowledgement, a reply from the receiving side, or the end of the escalation chain).
/// </summary>
public sealed record Communication(
    string Id,
    string Reference,
    string From,
    string To,
    Region? ToRegion,
    IReadOnlyList<PocKind> Kinds,
    CommunicationType Type,
    Urgency Urgency,
    CommunicationStatus Status,
    DateTimeOffset SentAt,
    DateTimeOffset RespondBy,
    DateTimeOffset AcknowledgeBy,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? FirstReplyAt,
    DateTimeOffset? ClosedAt,
    string? InReplyTo,
    IReadOnlyList<EscalationStep> Escalations,
    bool Delivering,
    bool ContentErased,
    string? Subject = null,
    string? Body = null,
    CommunicationSender? Sender = null,
    IReadOnlyList<CommunicationAcknowledgement>? Acknowledgements = null,
    IReadOnlyList<CommunicationReply>? Replies = null,
    string? ExerciseId = null);

/// <summary>Times in seconds over the communications that have one; null when none has.</summary>
public sealed record TimeStats(int Count, double? MedianSeconds, double? P90Seconds);

/// <summary>The numbers of one receiving participant or region.</summary>
public sealed record CommunicationGroupStats(string Key, int Count, TimeStats TimeToAcknowledge, TimeStats TimeToFirstReply, double? AcknowledgedWithinTarget);

/// <summary>How communications went in a period: whether the directory works between States.</summary>
public sealed record CommunicationStats(
    DateTimeOffset? From,
    DateTimeOffset? To,
    int Count,
    IReadOnlyDictionary<string, int> ByType,
    IReadOnlyDictionary<string, int> ByUrgency,
    TimeStats TimeToAcknowledge,
    TimeStats TimeToFirstReply,
    double? AcknowledgedWithinTarget,
    IReadOnlyList<CommunicationGroupStats> ByReceivingParticipant,
    IReadOnlyList<CommunicationGroupStats> ByRegion);
