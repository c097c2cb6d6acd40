using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Coverage;

[ApiTag("Coverage", "Which participants have nominated, and how that changed over time.")]
public sealed class CoverageFunctions(ApiHandler api, CoverageHistoryService history)
{
    [Function(nameof(GetCoverageHistory))]
    [ApiDoc("Nomination counts, one point per day (by status and by region); a day without a snapshot carries the last earlier one.", Response = typeof(CoverageHistory))]
    [ApiQuery("from", typeof(DateOnly), Description = "The first day, YYYY-MM-DD (default: 89 days before to).")]
    [ApiQuery("to", typeof(DateOnly), Description = "The last day, YYYY-MM-DD (default: today, UTC).")]
    public Task<IActionResult> GetCoverageHistory([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coverage/history")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await history.HistoryAsync(
            caller, CoverageHistoryService.DateOf(req, "from"), CoverageHistoryService.DateOf(req, "to"), req.HttpContext.RequestAborted)));

    /// <summary>Once a day; its schedule is the app setting CoverageSnapshotSchedule.</summary>
    [Function(nameof(TakeCoverageSnapshot))]
    public Task TakeCoverageSnapshot([TimerTrigger("%CoverageSnapshotSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
        => history.TakeSnapshotAsync(cancellationToken);
}
