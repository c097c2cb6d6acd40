using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Outreach;

[ApiTag("Outreach", "Letters to the mission contacts and focal points of participants that have not nominated, with reminders to those that still have not (Secretariat).")]
public sealed class OutreachFunctions(ApiHandler api, OutreachService outreach)
{
    [Function(nameof(CreateOutreach))]
    [ApiDoc("Writes to the mission contacts and focal points of each participant in scope, saying what it has not nominated (Secretariat).",
        Request = typeof(OutreachInput), Response = typeof(OutreachRound), SuccessStatus = 202, Idempotent = true)]
    [ApiProblem(422, "The scope selects nobody to write to: no participant in it has a mission contact or a focal point.")]
    public Task<IActionResult> CreateOutreach([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "outreach")] HttpRequest req, [DurableClient] DurableTaskClient durable)
        => api.RunCreateAsync<OutreachInput>(req, async (caller, input) =>
        {
            var created = await outreach.CreateAsync(caller, input, durable, req.HttpContext.RequestAborted);
            return ApiResult.Accepted($"/api/outreach/{created.Id}", created);
        }, StatusCodes.Status202Accepted);

    [Function(nameof(ListOutreach))]
    [ApiDoc("Outreach letters, newest first (Secretariat).", Response = typeof(ListPage<OutreachRound>))]
    public Task<IActionResult> ListOutreach([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "outreach")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await outreach.ListAsync(caller, req.HttpContext.RequestAborted)));

    [Function(nameof(GetOutreach))]
    [ApiDoc("An outreach per participant: what it lacked, contacted, reminded, nominated since (Secretariat).", Response = typeof(OutreachRound))]
    public Task<IActionResult> GetOutreach([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "outreach/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await outreach.GetAsync(caller, id, req.HttpContext.RequestAborted)));
}
