using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Pocs;

[ApiTag("POCs", "Points of contact: nominate, read, update, confirm that details are current, retire.")]
public sealed class PocFunctions(ApiHandler api, PocService pocs)
{
    [Function(nameof(ListPocs))]
    [ApiDoc("Points of contact, filtered and paged.", Response = typeof(ListPage<Poc>), Paged = true)]
    [ApiQuery("participant", typeof(string), Description = "A participant code, e.g. SGP.")]
    [ApiQuery("kind", typeof(PocKind))]
    [ApiQuery("status", typeof(PocStatus))]
    [ApiQuery("language", typeof(string), Description = "A BCP 47 language tag, e.g. fr.")]
    [ApiQuery("q", typeof(string), Description = "Words of the name or organisation.")]
    [ApiQuery("confirmation", typeof(ConfirmationStatus), Description = "Only POCs whose re-confirmation is in this state, e.g. Overdue.")]
    [ApiQuery("missedPings", typeof(int), Description = "Only POCs that missed this many of their last pings in a row.", Minimum = 1, Maximum = 100)]
    public Task<IActionResult> ListPocs([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pocs")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await pocs.ListAsync(caller, PocQueryOf(req), req.HttpContext.RequestAborted)));

    [Function(nameof(GetPoc))]
    [ApiDoc("One POC; the ETag header is the version to send back in If-Match.", Response = typeof(Poc), ETag = true)]
    public Task<IActionResult> GetPoc([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pocs/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => Versioned(await pocs.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(CreatePoc))]
    [ApiDoc("Nominates a POC (Secretariat or the participant's focal point).", Request = typeof(PocInput), Response = typeof(Poc), ETag = true, SuccessStatus = 201, Idempotent = true)]
    public Task<IActionResult> CreatePoc([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pocs")] HttpRequest req)
        => api.RunCreateAsync<PocInput>(req, async (caller, input) =>
        {
            var created = await pocs.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/pocs/{created.Value.Id}", created.Value).WithETag(created.ETag);
        });

    [Function(nameof(UpdatePoc))]
    [ApiDoc("Replaces a POC's details; a stale If-Match gets 412.", Request = typeof(PocInput), Response = typeof(Poc), IfMatch = true, ETag = true)]
    [ApiProblem(409, "The POC is retired; retired records are history.")]
    public Task<IActionResult> UpdatePoc([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "pocs/{id}")] HttpRequest req, string id)
        => api.RunAsync<PocInput>(req, async (caller, input) =>
            Versioned(await pocs.UpdateAsync(caller, id, req.RequiredIfMatch(), input, req.HttpContext.RequestAborted)));

    [Function(nameof(RetirePoc))]
    [ApiDoc("Retires a POC; the record and its history are kept.", Response = typeof(Poc), IfMatch = true, ETag = true)]
    [ApiProblem(409, "The POC is already retired.")]
    public Task<IActionResult> RetirePoc([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "pocs/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => Versioned(await pocs.RetireAsync(caller, id, req.RequiredIfMatch(), req.HttpContext.RequestAborted)));

    [Function(nameof(ConfirmPoc))]
    [ApiDoc("Confirms that a POC's details are current.", Response = typeof(Poc), ETag = true)]
    [ApiProblem(409, "The POC is retired.")]
    public Task<IActionResult> ConfirmPoc([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pocs/{id}/confirm")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => Versioned(await pocs.ConfirmAsync(caller, id, req.HttpContext.RequestAborted)));

    private static ApiResult Versioned(Versioned<Poc> poc) => ApiResult.Ok(poc.Value).WithETag(poc.ETag);

    private static PocQuery PocQueryOf(HttpRequest req) => new(
        req.String("participant", 10),
        req.Enum<PocKind>("kind"),
        req.Enum<PocStatus>("status"),
        req.String("language", 35),
        req.String("q", 100),
        req.PageSize(),
        req.ContinuationToken(),
        req.Int("missedPings", 1, 100),
        Confirmation: req.Enum<ConfirmationStatus>("confirmation"));
}
