using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Meetings;

[ApiTag("Meetings", "Meetings of POCs: invitations with calendar entries, registration, updates, attendance and report.")]
public sealed class MeetingFunctions(ApiHandler api, MeetingService meetings)
{
    [Function(nameof(CreateMeeting))]
    [ApiDoc("Creates a draft meeting with its agenda (Secretariat).", Request = typeof(MeetingInput), Response = typeof(Meeting), ETag = true, SuccessStatus = 201, Idempotent = true)]
    public Task<IActionResult> CreateMeeting([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "meetings")] HttpRequest req)
        => api.RunCreateAsync<MeetingInput>(req, async (caller, input) =>
        {
            var created = await meetings.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/meetings/{created.Value.Id}", created.Value).WithETag(created.ETag);
        });

    [Function(nameof(ListMeetings))]
    [ApiDoc("Meetings, newest first; drafts only for the Secretariat.", Response = typeof(ListPage<Meeting>))]
    public Task<IActionResult> ListMeetings([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "meetings")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await meetings.ListAsync(caller, req.HttpContext.RequestAborted)));

    [Function(nameof(GetMeeting))]
    [ApiDoc("One meeting with its agenda; the ETag header is the version to send back in If-Match.", Response = typeof(Meeting), ETag = true)]
    public Task<IActionResult> GetMeeting([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "meetings/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => Versioned(await meetings.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(UpdateMeeting))]
    [ApiDoc("Replaces a meeting; after invitations, a change of time, venue or link is sent to the invitees (Secretariat).", Request = typeof(MeetingInput), Response = typeof(Meeting), IfMatch = true, ETag = true)]
    [ApiProblem(409, "The meeting is cancelled.")]
    public Task<IActionResult> UpdateMeeting(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "meetings/{id}")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync<MeetingInput>(req, async (caller, input) =>
            Versioned(await meetings.UpdateAsync(caller, id, req.RequiredIfMatch(), input, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(InviteToMeeting))]
    [ApiDoc("Sends invitations to everyone in scope not invited yet (Secretariat).", Response = typeof(Meeting), SuccessStatus = 202)]
    [ApiProblem(409, "The meeting is cancelled or its registration has closed.")]
    public Task<IActionResult> InviteToMeeting(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "meetings/{id}/invite")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Accepted($"/api/meetings/{id}", await meetings.InviteAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(CancelMeeting))]
    [ApiDoc("Cancels a meeting; invitees who have not declined get METHOD:CANCEL (Secretariat).", Response = typeof(Meeting), SuccessStatus = 202)]
    [ApiProblem(409, "The meeting is already cancelled.")]
    public Task<IActionResult> CancelMeeting(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "meetings/{id}/cancel")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Accepted($"/api/meetings/{id}", await meetings.CancelAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(CopyMeeting))]
    [ApiDoc("Copies a meeting to a new date with its scope and agenda, as a draft (Secretariat).", Request = typeof(MeetingCopyInput), Response = typeof(Meeting), ETag = true, SuccessStatus = 201)]
    public Task<IActionResult> CopyMeeting([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "meetings/{id}/copy")] HttpRequest req, string id)
        => api.RunAsync<MeetingCopyInput>(req, async (caller, input) =>
        {
            var created = await meetings.CopyAsync(caller, id, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/meetings/{created.Value.Id}", created.Value).WithETag(created.ETag);
        });

    [Function(nameof(RegisterForMeeting))]
    [ApiDoc("The signed-in invited POC registers, or changes its answer, until the registration deadline.", Request = typeof(RegistrationInput), Response = typeof(Registration))]
    [ApiProblem(410, "Registration has closed or the meeting was cancelled.")]
    public Task<IActionResult> RegisterForMeeting(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "meetings/{id}/registration")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync<RegistrationInput>(req, async (caller, input) => ApiResult.Ok(await meetings.RegisterAsCallerAsync(caller, id, input, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(ListMeetingRegistrations))]
    [ApiDoc("Every invitee with its answer; outside the Secretariat, only the caller's own participant's.", Response = typeof(ListPage<Registration>))]
    public Task<IActionResult> ListMeetingRegistrations([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "meetings/{id}/registrations")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await meetings.RegistrationsAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(RecordMeetingAttendance))]
    [ApiDoc("Records who attended: POC ids, addresses, or a video-conference CSV (Secretariat).", Request = typeof(AttendanceInput), Response = typeof(AttendanceResult))]
    public Task<IActionResult> RecordMeetingAttendance([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "meetings/{id}/attendance")] HttpRequest req, string id)
        => api.RunAsync<AttendanceInput>(req, async (caller, input) => ApiResult.Ok(await meetings.AttendanceAsync(caller, id, input, req.HttpContext.RequestAborted)));

    [Function(nameof(GetMeetingReport))]
    [ApiDoc("The meeting's numbers as JSON or CSV (Secretariat).", Response = typeof(MeetingReport), Csv = true)]
    [ApiQuery("format", typeof(string), Values = ["json", "csv"])]
    public Task<IActionResult> GetMeetingReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "meetings/{id}/report")] HttpRequest req, string id)
        => api.RunAsync(req, async caller =>
        {
            var csv = (req.String("format", 10) ?? "json") switch
            {
                "json" => false,
                "csv" => true,
                _ => throw RequestValidationException.For("format", "Must be csv or json."),
            };
            var report = await meetings.ReportAsync(caller, id, req.HttpContext.RequestAborted);
            return csv
                ? ApiResult.Text(MeetingService.ToCsv(report), "text/csv; charset=utf-8").WithHeader("Content-Disposition", $"attachment; filename=\"meeting-{report.MeetingId}.csv\"")
                : ApiResult.Ok(report);
        });

    [Function(nameof(GetMeetingSpeakers))]
    [ApiDoc("The speakers list, per agenda item in the order they will be called; the ETag is the meeting's.", Response = typeof(SpeakersList), ETag = true)]
    public Task<IActionResult> GetMeetingSpeakers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "meetings/{id}/speakers")] HttpRequest req, string id)
        => api.RunAsync(req, async caller =>
        {
            var meeting = await meetings.GetAsync(caller, id, req.HttpContext.RequestAborted);
            return ApiResult.Ok(new SpeakersList(id, meeting.Value.Speakers)).WithETag(meeting.ETag);
        });

    [Function(nameof(ReorderMeetingSpeakers))]
    [ApiDoc("Reorders the speakers list: per agenda item, every speaker once (Secretariat).", Request = typeof(SpeakersInput), Response = typeof(Meeting), IfMatch = true, ETag = true)]
    public Task<IActionResult> ReorderMeetingSpeakers([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "meetings/{id}/speakers")] HttpRequest req, string id)
        => api.RunAsync<SpeakersInput>(req, async (caller, input) =>
            Versioned(await meetings.ReorderSpeakersAsync(caller, id, req.RequiredIfMatch(), input, req.HttpContext.RequestAborted)));

    [Function(nameof(GetMeetingCalendar))]
    [ApiDoc("The meeting's calendar entry (iCalendar, the invitation's VEVENT at its current SEQUENCE) for an invitee or the Secretariat; 404 for anyone else.", TextContentType = "text/calendar")]
    public Task<IActionResult> GetMeetingCalendar([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "meetings/{id}/calendar.ics")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Text(await meetings.CalendarAsync(caller, id, req.HttpContext.RequestAborted), "text/calendar; charset=utf-8")
            .WithHeader("Content-Disposition", $"attachment; filename=\"meeting-{id}.ics\""));

    /// <summary>Public: the registration link of an invitation. The token shows that one invitee's view, nothing else.</summary>
    [Function(nameof(GetRsvp))]
    [ApiDoc("What a registration link opens: the meeting and the invitee's own answer.", Response = typeof(RsvpView), Anonymous = true)]
    [ApiProblem(410, "The link has expired.")]
    public Task<IActionResult> GetRsvp([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "rsvp/{token}")] HttpRequest req, string token)
        => api.RunAnonymousAsync(req, async () => ApiResult.Ok(await meetings.RsvpViewAsync(token, req.HttpContext.RequestAborted)), token);

    [Function(nameof(Rsvp))]
    [ApiDoc("Registers (or changes the answer) with the token of a registration link, until the registration deadline.", Request = typeof(RegistrationInput), Response = typeof(Registration), Anonymous = true)]
    [ApiProblem(410, "Registration has closed, the meeting was cancelled, or the link has expired.")]
    public Task<IActionResult> Rsvp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rsvp/{token}")] HttpRequest req, string token, [DurableClient] DurableTaskClient durable)
        => api.RunAnonymousAsync<RegistrationInput>(req, async input => ApiResult.Ok(await meetings.RsvpAsync(token, input, durable, req.HttpContext.RequestAborted)));

    private static ApiResult Versioned(Versioned<Meeting> meeting) => ApiResult.Ok(meeting.Value).WithETag(meeting.ETag);

    /// <summary>Starts meeting messages saved but never started; on the schedule of the timer that starts due campaigns (CampaignSchedulerSchedule).</summary>
    [Function(nameof(StartStrandedMeetingDeliveries))]
    public Task StartStrandedMeetingDeliveries([TimerTrigger("%CampaignSchedulerSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => meetings.StartStrandedAsync(durable, cancellationToken);
}
