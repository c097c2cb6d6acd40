using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Meetings;

public enum MeetingFormat
{
    InPerson,
    Virtual,
    Hybrid,
}

public enum MeetingStatus
{
    Draft,
    Invited,
    Cancelled,
    Held,
}

/// <summary>How an invitee answers the registration.</summary>
public enum Attendance
{
    InPerson,
    Online,
    Declined,
}

/// <summary>Who is invited; empty lists mean "all", so an empty scope is every active POC and every focal point.</summary>
public sealed record InviteeScopeInput(IReadOnlyList<string?>? Participants, IReadOnlyList<Region>? Regions, IReadOnlyList<PocKind>? Kinds, bool? FocalPoints);

public sealed record InviteeScope(IReadOnlyList<string> Participants, IReadOnlyList<Region> Regions, IReadOnlyList<PocKind> Kinds, bool FocalPoints);

/// <summary>One item of the agenda, in the meeting's local time ("10:00").</summary>
public sealed record AgendaItemInput(string? Start, string? End, string? Item, string? Speakers);

public sealed record AgendaItem(int Index, string Start, string End, string Item, string? Speakers);

/// <summary>
/// What the Secretariat sends to create or replace a meeting. Times are local times in the meeting's IANA time zone:
/// <c>start</c>, <c>end</c> and <c>registrationDeadline</c> as "2027-05-10T10:00", agenda items as "10:00".
/// </summary>
public sealed record MeetingInput(
    string? Title,
    MeetingFormat? Format,
    string? Venue,
    string? TimeZone,
    string? Start,
    string? End,
    string? ConnectionLink,
    InviteeScopeInput? Invitees,
    IReadOnlyList<AgendaItemInput?>? Agenda,
    string? RegistrationDeadline,
    IReadOnlyList<string?>? Reminders) : IApiExample<MeetingInput>
{
    public static MeetingInput Example { get; } = new(
        "First meeting of the POCs", MeetingFormat.Hybrid, "United Nations Headquarters, New York", "America/New_York",
        "2027-05-10T10:00", "2027-05-10T13:00", null, new InviteeScopeInput([], [], [PocKind.Diplomatic, PocKind.Technical], true),
        [new AgendaItemInput("10:00", "10:15", "Opening remarks", "OEWG Chair"), new AgendaItemInput("10:15", "13:00", "Reflections from States", "POCs and delegations")],
        null, ["P7D", "P1D"]);
}

/// <summary>
/// A meeting as the API shows it; <c>startUtc</c>/<c>endUtc</c> are the local times converted with the zone's rules.
/// <c>speakers</c> is the speakers list (one meeting read alone; empty in lists).
/// </summary>
public sealed record Meeting(
    string Id,
    string Reference,
    string Title,
    MeetingFormat Format,
    string? Venue,
    string TimeZone,
    string Start,
    string End,
    DateTimeOffset StartUtc,
    DateTimeOffset EndUtc,
    string? ConnectionLink,
    InviteeScope Invitees,
    IReadOnlyList<AgendaItem> Agenda,
    string? RegistrationDeadline,
    DateTimeOffset? RegistrationDeadlineUtc,
    IReadOnlyList<string> Reminders,
    MeetingStatus Status,
    int Sequence,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<Speaker> Speakers);

/// <summary>The new date of a copied meeting: its local start; the end, agenda and deadline keep their distance to it.</summary>
public sealed record MeetingCopyInput(string? Start) : IApiExample<MeetingCopyInput>
{
    public static MeetingCopyInput Example { get; } = new("2027-11-10T10:00");
}

/// <summary>An invitee's answer; it can be replaced until the registration deadline.</summary>
/// <param name="AgendaItem">The index of the agenda item the invitee wishes to speak on, when <c>wishToTakeFloor</c>.</param>
public sealed record RegistrationInput(Attendance? Attendance, int? DelegationSize, bool? WishToTakeFloor, int? AgendaItem, string? Note) : IApiExample<RegistrationInput>
{
    public static RegistrationInput Example { get; } = new(Meetings.Attendance.Online, 1, false, null, null);
}

/// <summary>One invitee's registration as the Secretariat (or the invitee) sees it; no answer yet is a null attendance.</summary>
public sealed record Registration(
    string InviteeId, string Participant, string Kind, string Name, Attendance? Attendance, int? DelegationSize, bool WishToTakeFloor,
    int? AgendaItem, string? Note, DateTimeOffset? AnsweredAt);

/// <summary>What a registration link opens: the meeting's public details and this invitee's own answer, nothing about anyone else.</summary>
public sealed record RsvpView(
    string MeetingId, string Title, MeetingFormat Format, string? Venue, string TimeZone, string Start, string End, DateTimeOffset StartUtc, DateTimeOffset EndUtc,
    IReadOnlyList<AgendaItem> Agenda, MeetingStatus Status, string InviteeName, Registration? Registration, bool Open, DateTimeOffset ClosesAt);

/// <summary>
/// Who attended: POC ids or email addresses in <c>attendees</c>, and/or <c>csv</c> as a video-conference service exports
/// it (a header row, then name, email, join time, leave time).
/// </summary>
public sealed record AttendanceInput(IReadOnlyList<string?>? Attendees, string? Csv) : IApiExample<AttendanceInput>
{
    public static AttendanceInput Example { get; } = new(["ana.perez@cert.example"], "Name,Email,Join time,Leave time\nAna Perez,ana.perez@cert.example,2027-05-10T14:02:00Z,2027-05-10T16:58:00Z\n");
}

/// <summary>What an attendance upload recorded: attendees matched to an invitee, and the others (kept, counted apart).</summary>
public sealed record AttendanceResult(int Recorded, int MatchedInvitees, int Unmatched);

public sealed record MeetingCounts(string Key, int Invited, int InPerson, int Online, int Declined, int NoAnswer, int Attended);

/// <summary>One entry of the speakers list: an invitee who wishes to take the floor on an agenda item, in the order they will be called.</summary>
public sealed record Speaker(int AgendaItem, string Participant, string Name, DateTimeOffset AskedAt, string InviteeId);

/// <summary>The speakers list of a meeting; its ETag is the meeting's, to send back in If-Match when reordering.</summary>
public sealed record SpeakersList(string MeetingId, IReadOnlyList<Speaker> Speakers);

/// <summary>The speakers of one agenda item, by invitee id, in the order they will be called.</summary>
public sealed record SpeakerOrderInput(int? AgendaItem, IReadOnlyList<string?>? Speakers);

/// <summary>
/// The Secretariat's order of the speakers list: for every agenda item that has speakers, every one of them, once
/// (the invitee ids of <c>speakers</c> in GET /api/meetings/{id}). Those who ask for the floor later join the end of their item.
/// </summary>
public sealed record SpeakersInput(IReadOnlyList<SpeakerOrderInput?>? Items) : IApiExample<SpeakersInput>
{
    public static SpeakersInput Example { get; } = new([new SpeakerOrderInput(5, ["01JF3Q8Z2K6N5P7R9T1V3X5Z7B", "01JF3Q8Z2K6N5P7R9T1V3X5Z7A"])]);
}

/// <summary>The numbers of a meeting: overall, by region, by kind and by participant; participants represented; speakers.</summary>
public sealed record MeetingReport(
    string MeetingId, string Title, MeetingCounts Total, IReadOnlyList<MeetingCounts> ByRegion, IReadOnlyList<MeetingCounts> ByKind,
    IReadOnlyList<MeetingCounts> ByParticipant, int ParticipantsRepresented, int AttendedWithoutInvitation, IReadOnlyList<Speaker> Speakers);
