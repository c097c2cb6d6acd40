using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Exercises;

public enum ExerciseStatus
{
    Draft,
    Running,

    /// <summary>The timeline is held: no inject goes out until it resumes, and the remaining offsets move by the pause.</summary>
    Paused,
    Ended,
}

/// <summary>What an inject asks of its players.</summary>
public enum InjectExpects
{
    Acknowledge,
    Reply,

    /// <summary>The player's participant sends an exercise communication to the named participant, which acknowledges it.</summary>
    ContactParticipant,
}

public enum InjectTo
{
    AllPlayers,
    Participants,
}

public enum ExerciseResponseKind
{
    Acknowledge,
    Reply,
}

/// <summary>Who plays: the active POCs of these participants and regions (at least one of the two), of these kinds (all when empty).</summary>
public sealed record PlayerScope(IReadOnlyList<string>? Participants, IReadOnlyList<Region>? Regions, IReadOnlyList<PocKind>? Kinds);

/// <summary>One timed message of the scenario; everything nullable so a missing field is reported by name.</summary>
/// <param name="At">ISO 8601 offset from the start, e.g. PT0S, PT30M.</param>
/// <param name="Options">The choices a Reply may pick one of (none: free text only).</param>
public sealed record InjectInput(
    string? At, string? Title, string? Message, InjectExpects? Expects, string? ContactParticipant, string? RespondWithin, InjectTo? To,
    IReadOnlyList<string>? Participants, IReadOnlyList<string>? Options = null);

public sealed record ExerciseInput(string? Name, string? Description, PlayerScope? Players, IReadOnlyList<string>? Controllers, IReadOnlyList<InjectInput>? Injects)
    : IApiExample<ExerciseInput>
{
    public static ExerciseInput Example { get; } = new(
        "Communication check 2027", "Staged scenario: a ransomware incident with cross-border effects.",
        new PlayerScope(["ISL", "NOR"], [], []), ["exercise.control@example.org"],
        [
            new("PT0S", "Start of exercise", "Please acknowledge that you received this inject.", InjectExpects.Acknowledge, null, "PT30M", InjectTo.AllPlayers, []),
            new("PT1H", "Situation report", "Is your CERT seeing the same indicators?", InjectExpects.Reply, null, "PT30M", InjectTo.AllPlayers, [], ["Yes", "No", "Unknown"]),
            new("PT2H", "Reach your neighbour", "Contact NOR through the directory about the shared indicators.", InjectExpects.ContactParticipant, "NOR", "PT1H", InjectTo.Participants, ["ISL"]),
        ]);
}

/// <summary>An inject as stored and shown; <see cref="DeliveredAt"/> is when its delivery started, for a running exercise.</summary>
public sealed record Inject(
    int Number, string At, string Title, string Message, InjectExpects Expects, string? ContactParticipant, string RespondWithin, InjectTo To,
    IReadOnlyList<string> Participants, IReadOnlyList<string> Options, DateTimeOffset? DeliveredAt = null, DateTimeOffset? Deadline = null);

public sealed record Exercise(
    string Id, string Reference, string Name, string? Description, ExerciseStatus Status, PlayerScope Players, IReadOnlyList<string> Controllers,
    IReadOnlyList<Inject> Injects, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? StartedAt, DateTimeOffset? PausedAt, DateTimeOffset? EndedAt,
    int DryRuns);

/// <summary>An answer to an inject by its link: Acknowledge (one click), or Reply with text and, when the inject offers options, one of them.</summary>
public sealed record ExerciseResponseInput(ExerciseResponseKind? Response, string? Text = null, string? Choice = null) : IApiExample<ExerciseResponseInput>
{
    public static ExerciseResponseInput Example { get; } = new(ExerciseResponseKind.Reply, "Yes, our CERT sees the same indicators since 04:00 UTC.", "Yes");
}

/// <summary>What an inject link opens: that inject for that player, nothing about anyone else.</summary>
public sealed record ExerciseResponseView(
    string ExerciseId, string ExerciseName, bool DryRun, int Inject, string Title, string Message, InjectExpects Expects, string? ContactParticipant,
    IReadOnlyList<string> Options, DateTimeOffset? RespondBy, bool Open, DateTimeOffset? AcknowledgedAt, DateTimeOffset? RepliedAt);

public sealed record ExerciseResponseReceipt(string ExerciseId, int Inject, ExerciseResponseKind Response, DateTimeOffset At);

/// <summary>A controller's note on how a participant played; one per participant, replaced when written again.</summary>
public sealed record ObservationInput(string? Participant, string? Text) : IApiExample<ObservationInput>
{
    public static ObservationInput Example { get; } = new("ISL", "Answered every inject within minutes; the reply named the national CERT's duty officer.");
}

public sealed record Observation(string Participant, string Text, string Author, DateTimeOffset At);

/// <summary>How one participant's players did on one inject (the first of its POCs to answer counts).</summary>
/// <param name="FirstResponseAt">Acknowledge: the first acknowledgement; Reply: the first reply; ContactParticipant: the other side's first acknowledgement of an exercise communication sent after the inject.</param>
public sealed record InjectResult(
    int Inject, string Participant, int Recipients, DateTimeOffset? DeliveredAt, DateTimeOffset? FirstAcknowledgedAt, DateTimeOffset? FirstResponseAt,
    bool InTime, double? SecondsTaken, string? Choice, string? Text, string? CommunicationId);

public sealed record ParticipantScore(string Participant, int Injects, int AnsweredInTime, double ShareInTime, double? MedianSeconds, string? Observation);

public sealed record InjectSummary(int Number, string Title, InjectExpects Expects, string At, DateTimeOffset? ScheduledAt, DateTimeOffset? DeliveredAt, double? OffsetSeconds);

/// <summary>The after-action report; dry runs never count.</summary>
public sealed record ExerciseReport(
    string ExerciseId, string Reference, string Name, ExerciseStatus Status, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    IReadOnlyList<InjectSummary> Injects, IReadOnlyList<InjectResult> Results, IReadOnlyList<ParticipantScore> Participants, IReadOnlyList<Observation> Observations);

/// <summary>A live inject waiting for one of the caller's POC records, with that POC's own response link (<c>/exercise/{token}</c>).</summary>
public sealed record PendingInject(
    string PocId, string ExerciseId, string Reference, string ExerciseName, int Inject, string Title, InjectExpects Expects, DateTimeOffset RespondBy, string Token);
