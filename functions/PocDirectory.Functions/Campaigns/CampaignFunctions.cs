using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Campaigns;

public sealed class CampaignFunctions(ApiHandler api, CampaignService campaigns, CampaignScheduler scheduler)
{
    [Function(nameof(CreateCampaign))]
    [ApiDoc("Creates a ping campaign and starts it now or at startAt (Secretariat).", Request = typeof(CampaignInput), Response = typeof(Campaign), SuccessStatus = 202)]
    public Task<IActionResult> CreateCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns")] HttpRequest req, [DurableClient] DurableTaskClient durable)
        => api.RunAsync<CampaignInput>(req, async (caller, input) =>
        {
            var campaign = await campaigns.CreateAsync(caller, input, durable, req.HttpContext.RequestAborted);
            return ApiResult.Accepted($"/api/campaigns/{campaign.Id}", campaign);
        });

    [Function(nameof(ListCampaigns))]
    [ApiDoc("Campaigns, newest first (Secretariat).", Response = typeof(ListPage<Campaign>), Query = "status")]
    public Task<IActionResult> ListCampaigns([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.ListAsync(caller, req.Enum<CampaignStatus>("status"), req.HttpContext.RequestAborted)));

    [Function(nameof(GetCampaign))]
    [ApiDoc("A campaign with its live counts (Secretariat).", Response = typeof(Campaign))]
    public Task<IActionResult> GetCampaign([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(CancelCampaign))]
    [ApiDoc("Cancels a campaign: no further messages; the report is still compiled (Secretariat).", Response = typeof(Campaign), SuccessStatus = 202)]
    public Task<IActionResult> CancelCampaign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{id}/cancel")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller =>
        {
            var campaign = await campaigns.CancelAsync(caller, id, durable, req.HttpContext.RequestAborted);
            return ApiResult.Accepted($"/api/campaigns/{campaign.Id}", campaign);
        });

    [Function(nameof(ListCampaignResults))]
    [ApiDoc("Per-POC outcomes of a campaign, paged (Secretariat).", Response = typeof(ListPage<CampaignResult>), Query = "outcome,pageSize,continuationToken")]
    public Task<IActionResult> ListCampaignResults([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "campaigns/{id}/results")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.ResultsAsync(
            caller, id, req.Enum<PingOutcome>("outcome"), req.PageSize(), req.ContinuationToken(), req.HttpContext.RequestAborted)));

    [Function(nameof(GetCampaignReport))]
    [ApiDoc("The campaign's report as JSON or CSV (Secretariat).", Response = typeof(CampaignReport), Query = "format")]
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
    public Task<IActionResult> AcknowledgeCampaignAsPoc(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaigns/{id}/acknowledge")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Ok(await campaigns.AcknowledgeAsCallerAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    /// <summary>Public: the link in a ping email. The token alone authorises acknowledging that one ping, and nothing else.</summary>
    [Function(nameof(AcknowledgePing))]
    [ApiDoc("Acknowledges one ping with the token from its email link.", Response = typeof(AcknowledgementReceipt), Anonymous = true)]
    public Task<IActionResult> AcknowledgePing(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "acknowledgements/{token}")] HttpRequest req, string token, [DurableClient] DurableTaskClient durable)
        => api.RunAnonymousAsync(req, async () => ApiResult.Ok(await campaigns.AcknowledgeByLinkAsync(token, durable, req.HttpContext.RequestAborted)), token);

    [Function(nameof(CreateCampaignSchedule))]
    [ApiDoc("Creates a recurring campaign (Secretariat).", Request = typeof(CampaignScheduleInput), Response = typeof(CampaignSchedule), SuccessStatus = 201)]
    public Task<IActionResult> CreateCampaignSchedule([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "campaign-schedules")] HttpRequest req)
        => api.RunAsync<CampaignScheduleInput>(req, async (caller, input) =>
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
