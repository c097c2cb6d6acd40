using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Campaigns;

[ApiTag("Campaigns", "Ping campaigns: every POC in scope gets a message with a link; who answered, how fast; recurring schedules.")]
public sealed class CampaignFunctions(ApiHandler api, CampaignService campaigns, CampaignScheduler scheduler)
{
    private const string NotFailed = "The campaign has not failed: only a failed campaign can be closed or have its step retried.";

    [Function(nameof(CreateCampaign))]
    [ApiDoc("Creates a ping campaign and starts it now or at startAt (Secretariat).", Request = typeof(CampaignInput), Response = typeof(Campaign), SuccessStatus = 202, Idempotent = true)]
    public Task<IActionResult> CreateCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns")] HttpRequest req, [DurableClient] DurableTaskClient durable)
        => api.RunCreateAsync<CampaignInput>(req, async (caller, input) =>
        {
            var campaign = await campaigns.CreateAsync(caller, input, durable, req.HttpContext.RequestAborted);
            return ApiResult.Accepted($"/api/campaigns/{campaign.Id}", campaign);
        }, StatusCodes.Status202Accepted);

    [Function(nameof(ListCampaigns))]
    [ApiDoc("Campaigns, newest first (Secretariat).", Response = typeof(ListPage<Campaign>))]
    [ApiQuery("status", typeof(CampaignStatus))]
    public Task<IActionResult> ListCampaigns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.ListAsync(caller, req.Enum<CampaignStatus>("status"), req.HttpContext.RequestAborted)));

    [Function(nameof(GetCampaign))]
    [ApiDoc("A campaign with its live counts (Secretariat).", Response = typeof(Campaign))]
    public Task<IActionResult> GetCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(CancelCampaign))]
    [ApiDoc("Cancels a campaign: no further messages; the report is still compiled (Secretariat).", Response = typeof(Campaign), SuccessStatus = 202)]
    [ApiProblem(409, "The campaign has already finished or been cancelled.")]
    public Task<IActionResult> CancelCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{id}/cancel")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller =>
        {
            var campaign = await campaigns.CancelAsync(caller, id, durable, req.HttpContext.RequestAborted);
            return ApiResult.Accepted($"/api/campaigns/{campaign.Id}", campaign);
        });

    [Function(nameof(CloseCampaign))]
    [ApiDoc("Closes a failed campaign: the report is compiled from what happened; pings missed so far are recorded (Secretariat).", Response = typeof(Campaign), SuccessStatus = 202)]
    [ApiProblem(409, NotFailed)]
    public Task<IActionResult> CloseCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{id}/close")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller =>
        {
            var campaign = await campaigns.CloseAsync(caller, id, durable, req.HttpContext.RequestAborted);
            return ApiResult.Accepted($"/api/campaigns/{campaign.Id}", campaign);
        });

    [Function(nameof(RetryCampaignStep))]
    [ApiDoc("Runs the failed step of a failed campaign again, and carries on from there (Secretariat).", Response = typeof(Campaign), SuccessStatus = 202)]
    [ApiProblem(409, NotFailed)]
    public Task<IActionResult> RetryCampaignStep(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{id}/retry")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller =>
        {
            var campaign = await campaigns.RetryAsync(caller, id, durable, req.HttpContext.RequestAborted);
            return ApiResult.Accepted($"/api/campaigns/{campaign.Id}", campaign);
        });

    [Function(nameof(ListCampaignResults))]
    [ApiDoc("Per-POC outcomes of a campaign, paged (Secretariat).", Response = typeof(ListPage<CampaignResult>), Paged = true)]
    [ApiQuery("outcome", typeof(PingOutcome))]
    public Task<IActionResult> ListCampaignResults([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{id}/results")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.ResultsAsync(
            caller, id, req.Enum<PingOutcome>("outcome"), req.PageSize(), req.ContinuationToken(), req.HttpContext.RequestAborted)));

    [Function(nameof(GetCampaignReport))]
    [ApiDoc("The campaign's report as JSON or CSV (Secretariat).", Response = typeof(CampaignReport), Csv = true)]
    [ApiQuery("format", typeof(string), Values = ["json", "csv"])]
    public Task<IActionResult> GetCampaignReport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{id}/report")] HttpRequest req, string id)
        => api.RunAsync(req, async caller =>
        {
            var csv = (req.String("format", 10) ?? "json") switch
            {
                "json" => false,
                "csv" => true,
                _ => throw RequestValidationException.For("format", "Must be csv or json."),
            };
            var report = await campaigns.ReportAsync(caller, id, req.HttpContext.RequestAborted);
            return csv
                ? ApiResult.Text(CampaignReportBuilder.ToCsv(report), "text/csv; charset=utf-8")
                    .WithHeader("Content-Disposition", $"attachment; filename=\"campaign-{report.CampaignId}.csv\"")
                : ApiResult.Ok(report);
        });

    [Function(nameof(AcknowledgeCampaignAsPoc))]
    [ApiDoc("The signed-in POC acknowledges the campaign's ping.", Response = typeof(AcknowledgementReceipt))]
    [ApiProblem(410, "The campaign is closed; the ping can no longer be acknowledged.")]
    public Task<IActionResult> AcknowledgeCampaignAsPoc(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{id}/acknowledge")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.AcknowledgeAsCallerAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(CreateCampaignSchedule))]
    [ApiDoc("Creates a recurring campaign (Secretariat).", Request = typeof(CampaignScheduleInput), Response = typeof(CampaignSchedule), SuccessStatus = 201, Idempotent = true)]
    public Task<IActionResult> CreateCampaignSchedule([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaign-schedules")] HttpRequest req)
        => api.RunCreateAsync<CampaignScheduleInput>(req, async (caller, input) =>
        {
            var schedule = await scheduler.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/campaign-schedules/{schedule.Id}", schedule);
        });

    [Function(nameof(ListCampaignSchedules))]
    [ApiDoc("Recurring campaigns with their next occurrence (Secretariat).", Response = typeof(ListPage<CampaignSchedule>))]
    public Task<IActionResult> ListCampaignSchedules([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaign-schedules")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await scheduler.ListAsync(caller, req.HttpContext.RequestAborted)));

    [Function(nameof(GetCampaignSchedule))]
    [ApiDoc("One recurring campaign (Secretariat).", Response = typeof(CampaignSchedule))]
    public Task<IActionResult> GetCampaignSchedule([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaign-schedules/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await scheduler.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(DeleteCampaignSchedule))]
    [ApiDoc("Stops a recurring campaign; campaigns it created stay (Secretariat).", SuccessStatus = 204)]
    public Task<IActionResult> DeleteCampaignSchedule([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "campaign-schedules/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller =>
        {
            await scheduler.DeleteAsync(caller, id, req.HttpContext.RequestAborted);
            return ApiResult.NoContent();
        });

    /// <summary>Creates campaigns of recurring schedules and starts those due; its schedule is the app setting CampaignSchedulerSchedule.</summary>
    [Function(nameof(StartDueCampaigns))]
    public Task StartDueCampaigns([TimerTrigger("%CampaignSchedulerSchedule%")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => scheduler.RunAsync(durable, cancellationToken);
}
