using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.CapacityBuilding;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Exercises;
using PocDirectory.Functions.Meetings;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Home;

/// <summary>
/// What waits for the signed-in user today, one part per role it holds: a section per POC record it is, one per
/// participant it is focal point of, and the Secretariat's picture. Parts for roles it does not hold are empty or null.
/// </summary>
public sealed record CallerHome(IReadOnlyList<PocHome> Pocs, IReadOnlyList<ParticipantHome> Participants, SecretariatHome? Secretariat);

/// <summary>
/// How current a POC's details are, as the re-confirmation feature keeps it on the POC (<see cref="Poc.Confirmation"/>:
/// Due once asked, Overdue after the grace period); <see cref="DueAt"/> is when it is next asked (Directory:ReconfirmEvery).
/// </summary>
public sealed record Confirmation(ConfirmationStatus Status, DateTimeOffset LastConfirmedAt, DateTimeOffset DueAt);

/// <summary>A ping of a running campaign this POC has not acknowledged yet.</summary>
public sealed record PendingPing(string CampaignId, string Reference, string Name, DateTimeOffset? Deadline);

/// <summary>A communication to the participant that nobody of it has acknowledged yet; <see cref="EscalationSteps"/> went out so far.</summary>
public sealed record WaitingCommunication(
    string Id, string Reference, string From, string To, CommunicationType Type, Urgency Urgency, DateTimeOffset SentAt, DateTimeOffset AcknowledgeBy,
    int EscalationSteps, string? Subject);

/// <summary>A meeting coming with invitations out; <see cref="Answered"/> of <see cref="Invited"/> of the participant (or everyone) answered.</summary>
public sealed record ComingMeeting(
    string Id, string Reference, string Title, MeetingFormat Format, DateTimeOffset StartUtc, DateTimeOffset? RegistrationDeadlineUtc, bool RegistrationOpen,
    int Invited, int Answered, int InPerson, int Online, int Declined, Attendance? MyAnswer);

/// <summary>A POC's record with how current it is.</summary>
public sealed record HomePoc(Poc Poc, Confirmation Confirmation);

/// <summary>A kind and rank the participant has no active POC for.</summary>
public sealed record MissingPoc(PocKind Kind, PocRank Rank);

/// <summary>The home of a POC: what waits for its answer first, then its own record, then its participant's other POCs.</summary>
public sealed record PocHome(
    string PocId,
    string Participant,
    string ParticipantName,
    IReadOnlyList<PendingPing> Pings,
    IReadOnlyList<WaitingCommunication> Communications,
    IReadOnlyList<ComingMeeting> Meetings,
    HomePoc Record,
    IReadOnlyList<Poc> Colleagues,
    IReadOnlyList<PendingInject> Injects,
    IReadOnlyList<ResourceProgress>? Resources = null);

/// <summary>The home of a focal point for one participant it holds.</summary>
public sealed record ParticipantHome(
    string Participant,
    string Name,
    NominationStatus NominationStatus,
    IReadOnlyList<HomePoc> Pocs,
    IReadOnlyList<MissingPoc> Missing,
    IReadOnlyList<WaitingCommunication> Communications,
    IReadOnlyList<ComingMeeting> Meetings,
    IReadOnlyList<WaitingCommunication> Escalations);

/// <summary>Participants by nomination status now, and how many nominated for the first time in the last 30 days.</summary>
public sealed record CoverageNow(int Participants, int Both, int DiplomaticOnly, int TechnicalOnly, int None, int NewlyNominatedLast30Days);

/// <summary>A POC whose ping could not be delivered in the last completed campaign.</summary>
public sealed record UndeliverableAddress(string PocId, string Participant, PocKind Kind, string? Reason);

/// <summary>The Secretariat's picture of today.</summary>
public sealed record SecretariatHome(
    IReadOnlyList<Campaign> RunningCampaigns,
    Campaign? LastCompletedCampaign,
    IReadOnlyList<UndeliverableAddress> Undeliverable,
    IReadOnlyList<ComingMeeting> Meetings,
    CoverageNow Coverage,
    int ConfirmationsOverdue,
    int ConfirmationsDue,
    CommunicationStats CommunicationsLast30Days,
    IReadOnlyList<Exercise> RunningExercises);
