using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.CapacityBuilding;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Exercises;
using PocDirectory.Functions.Meetings;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Reconfirmation;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Home;

/// <summary>
/// Puts together what waits for the caller from each feature's own service, called as the caller, so every section
/// shows only what <see cref="Visibility"/> lets the caller see; this class reads no table itself.
/// </summary>
public sealed class HomeService(
    PocService pocs,
    ParticipantService participants,
    CampaignService campaigns,
    CommunicationService communications,
    MeetingService meetings,
    ExerciseService exercises,
    IOptions<ReconfirmationOptions> reconfirmation,
    CapacityBuildingService capacity,
    TimeProvider time)
{
    private const int ListLimit = 50;

    private static readonly (PocKind Kind, PocRank Rank)[] _slots =
        [(PocKind.Diplomatic, PocRank.Primary), (PocKind.Technical, PocRank.Primary), (PocKind.Diplomatic, PocRank.Alternate), (PocKind.Technical, PocRank.Alternate)];

    public async Task<CallerHome> GetAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var now = time.GetUtcNow();
        var focal = caller.Roles.Where(r => r.Role == Role.FocalPoint && r.Participant is not null).Select(r => r.Participant!.ToUpperInvariant()).Distinct().ToList();
        var pocIds = caller.Roles.Where(r => r.Role == Role.Poc && r.PocId is not null).Select(r => r.PocId!).Distinct().ToList();
        var needsParticipantData = focal.Count > 0 || pocIds.Count > 0;

        var inbox = needsParticipantData
            ? (await communications.ListAsync(caller, Box.Inbox, CommunicationStatus.Sent, ListLimit, null, cancellationToken)).Items
            : [];
        var coming = await ComingMeetingsAsync(caller, now, cancellationToken);
        var pings = pocIds.Count > 0 ? await campaigns.PendingForCallerAsync(caller, cancellationToken) : [];
        var injects = pocIds.Count > 0 ? await exercises.PendingForCallerAsync(caller, cancellationToken) : [];

        var pocHomes = new List<PocHome>();
        foreach (var pocId in pocIds)
        {
            pocHomes.Add(await PocHomeAsync(caller, pocId, pings, injects, inbox, coming, now, cancellationToken));
        }

        var participantHomes = new List<ParticipantHome>();
        foreach (var code in focal)
        {
            participantHomes.Add(await ParticipantHomeAsync(caller, code, inbox, coming, now, cancellationToken));
        }

        var secretariat = caller.IsSecretariat ? await SecretariatHomeAsync(caller, coming, now, cancellationToken) : null;
        return new CallerHome(pocHomes, participantHomes, secretariat);
    }

    private async Task<PocHome> PocHomeAsync(
        Caller caller, string pocId, IReadOnlyList<(string PocId, Campaign Campaign)> pings, IReadOnlyList<PendingInject> injects, IReadOnlyList<Communication> inbox,
        IReadOnlyList<(Meeting Meeting, IReadOnlyList<Registration> Rows)> coming, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var poc = (await pocs.GetAsync(caller, pocId, cancellationToken)).Value;
        var participant = await participants.GetAsync(caller, poc.Participant, cancellationToken);
        var colleagues = await ActivePocsAsync(caller, poc.Participant, cancellationToken);
        return new PocHome(
            poc.Id,
            poc.Participant,
            participant.Name,
            pings.Where(p => p.PocId == pocId).Select(p => new PendingPing(p.Campaign.Id, p.Campaign.Reference, p.Campaign.Name, p.Campaign.Deadline)).ToList(),
            inbox.Where(c => c.To == poc.Participant && (c.Kinds.Count == 0 || c.Kinds.Contains(poc.Kind))).Select(Waiting).ToList(),
            coming.Select(m => Counted(m.Meeting, m.Rows.Where(r => r.InviteeId == pocId).ToList(), now, pocId)).OfType<ComingMeeting>().ToList(),
            HomePoc(poc),
            colleagues.Where(c => c.Id != pocId).ToList(),
            injects.Where(i => i.PocId == pocId).OrderBy(i => i.RespondBy).ToList(),
            await capacity.ProgressAsync(caller, poc, cancellationToken));
    }

    private async Task<ParticipantHome> ParticipantHomeAsync(
        Caller caller, string code, IReadOnlyList<Communication> inbox, IReadOnlyList<(Meeting Meeting, IReadOnlyList<Registration> Rows)> coming,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var participant = await participants.GetAsync(caller, code, cancellationToken);
        var active = (await ActivePocsAsync(caller, code, cancellationToken)).OrderBy(p => p.Kind).ThenBy(p => p.Rank).ThenBy(p => p.FullName, StringComparer.Ordinal).ToList();
        var waiting = inbox.Where(c => c.To == participant.Code).Select(Waiting).ToList();
        return new ParticipantHome(
            participant.Code,
            participant.Name,
            participant.NominationStatus,
            active.Select(HomePoc).ToList(),
            _slots.Where(s => !active.Any(p => p.Kind == s.Kind && p.Rank == s.Rank)).Select(s => new MissingPoc(s.Kind, s.Rank)).ToList(),
            waiting,
            coming.Select(m => Counted(m.Meeting, m.Rows.Where(r => r.Participant == participant.Code).ToList(), now, null)).OfType<ComingMeeting>().ToList(),
            waiting.Where(c => c.EscalationSteps > 0).ToList());
    }

    private async Task<SecretariatHome> SecretariatHomeAsync(
        Caller caller, IReadOnlyList<(Meeting Meeting, IReadOnlyList<Registration> Rows)> coming, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var running = new List<Campaign>();
        foreach (var status in new[] { CampaignStatus.Running, CampaignStatus.Failed, CampaignStatus.Scheduled })
        {
            foreach (var campaign in (await campaigns.ListAsync(caller, status, cancellationToken)).Items)
            {
                running.Add(status == CampaignStatus.Scheduled ? campaign : await campaigns.GetAsync(caller, campaign.Id, cancellationToken));
            }
        }

        var last = (await campaigns.ListAsync(caller, CampaignStatus.Completed, cancellationToken)).Items.FirstOrDefault();
        var undeliverable = last is null
            ? []
            : (await campaigns.ResultsAsync(caller, last.Id, PingOutcome.Undeliverable, ListLimit, null, cancellationToken)).Items
                .Select(r => new UndeliverableAddress(r.PocId, r.Participant, r.Kind, r.UndeliverableReason)).ToList();

        var all = (await participants.ListAsync(caller, null, null, null, cancellationToken)).Items;
        var coverage = new CoverageNow(
            all.Count,
            all.Count(p => p.NominationStatus == NominationStatus.Both),
            all.Count(p => p.NominationStatus == NominationStatus.DiplomaticOnly),
            all.Count(p => p.NominationStatus == NominationStatus.TechnicalOnly),
            all.Count(p => p.NominationStatus == NominationStatus.None),
            all.Count(p => p.NominationStatus != NominationStatus.None && p.FirstNominatedAt >= now.AddDays(-30)));

        var overdue = await CountAsync(caller, ConfirmationStatus.Overdue, cancellationToken);
        var due = await CountAsync(caller, ConfirmationStatus.Due, cancellationToken);

        return new SecretariatHome(
            running,
            last is null ? null : await campaigns.GetAsync(caller, last.Id, cancellationToken),
            undeliverable,
            coming.Select(m => Counted(m.Meeting, m.Rows, now, null)).OfType<ComingMeeting>().ToList(),
            coverage,
            overdue,
            due,
            await communications.StatsAsync(caller, now.AddDays(-30), null, cancellationToken),
            await exercises.RunningAsync(caller, cancellationToken));
    }

    /// <summary>The active POCs in this re-confirmation state, counted from the state's own filter (one page read per 500).</summary>
    private async Task<int> CountAsync(Caller caller, ConfirmationStatus status, CancellationToken cancellationToken)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = await pocs.ListAsync(caller, new PocQuery(null, null, PocStatus.Active, null, null, QueryParameters.MaxPageSize, token, Confirmation: status), cancellationToken);
            count += page.Items.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);

        return count;
    }

    /// <summary>The POC with its re-confirmation state as that feature keeps it; next asked Directory:ReconfirmEvery after the last confirmation.</summary>
    private HomePoc HomePoc(Poc poc) => new(poc, new Confirmation(poc.Confirmation, poc.LastConfirmedAt, poc.LastConfirmedAt + reconfirmation.Value.ReconfirmEvery));

    /// <summary>Meetings with invitations out that have not started, each with the registrations the caller may see.</summary>
    private async Task<IReadOnlyList<(Meeting Meeting, IReadOnlyList<Registration> Rows)>> ComingMeetingsAsync(Caller caller, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var found = new List<(Meeting, IReadOnlyList<Registration>)>();
        foreach (var meeting in (await meetings.ListAsync(caller, cancellationToken)).Items.Where(m => m.Status == MeetingStatus.Invited && m.StartUtc > now).OrderBy(m => m.StartUtc))
        {
            found.Add((meeting, (await meetings.RegistrationsAsync(caller, meeting.Id, cancellationToken)).Items));
        }

        return found;
    }

    private async Task<IReadOnlyList<Poc>> ActivePocsAsync(Caller caller, string participant, CancellationToken cancellationToken)
        => (await pocs.ListAsync(caller, new PocQuery(participant, null, PocStatus.Active, null, null, QueryParameters.MaxPageSize, null), cancellationToken)).Items;

    /// <summary>The meeting counted over <paramref name="rows"/>; null when none of them is invited (nothing for this section).</summary>
    private static ComingMeeting? Counted(Meeting meeting, IReadOnlyList<Registration> rows, DateTimeOffset now, string? pocId)
        => rows.Count == 0
            ? null
            : new ComingMeeting(
                meeting.Id, meeting.Reference, meeting.Title, meeting.Format, meeting.StartUtc, meeting.RegistrationDeadlineUtc,
                (meeting.RegistrationDeadlineUtc ?? meeting.StartUtc) > now,
                rows.Count,
                rows.Count(r => r.Attendance is not null),
                rows.Count(r => r.Attendance == Attendance.InPerson),
                rows.Count(r => r.Attendance == Attendance.Online),
                rows.Count(r => r.Attendance == Attendance.Declined),
                pocId is null ? null : rows.FirstOrDefault(r => r.InviteeId == pocId)?.Attendance);

    private static WaitingCommunication Waiting(Communication c)
        => new(c.Id, c.Reference, c.From, c.To, c.Type, c.Urgency, c.SentAt, c.AcknowledgeBy, c.Escalations.Count, c.Subject);
}
