using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Imports;

[ApiTag("Imports", "Regional directories' lists in a review area: matched to the directory, each entry accepted or rejected (Secretariat and focal points).")]
public sealed class ImportFunctions(ApiHandler api, ImportService imports)
{
    [Function(nameof(CreateImport))]
    [ApiDoc("Reads a regional directory's list (JSON entries or CSV) into the review area, each entry matched New, Known or Differing; the directory is not changed.",
        Request = typeof(ImportInput), Response = typeof(RegionalImport), SuccessStatus = 201, Idempotent = true)]
    public Task<IActionResult> CreateImport([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "imports")] HttpRequest req)
        => api.RunCreateAsync<ImportInput>(req, async (caller, input) =>
        {
            var created = await imports.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/imports/{created.Id}", created);
        });

    [Function(nameof(ListImports))]
    [ApiDoc("Imports with entries the caller may review, newest first, with their counts.", Response = typeof(ListPage<RegionalImport>))]
    public Task<IActionResult> ListImports([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "imports")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await imports.ListAsync(caller, req.HttpContext.RequestAborted)));

    [Function(nameof(GetImport))]
    [ApiDoc("An import's entries, each beside the POC it was matched to as that POC is now.", Response = typeof(RegionalImport))]
    public Task<IActionResult> GetImport([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "imports/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await imports.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(AcceptImportEntry))]
    [ApiDoc("Accepts an entry: creates the POC, or updates the matched one, with the import as its source.", Response = typeof(ImportEntry))]
    [ApiProblem(409, "The entry has already been accepted or rejected, or the POC it was matched to has been retired.")]
    public Task<IActionResult> AcceptImportEntry([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "imports/{id}/entries/{n}/accept")] HttpRequest req, string id, string n)
        => api.RunAsync(req, async caller => ApiResult.Ok(await imports.AcceptAsync(caller, id, n, req.HttpContext.RequestAborted)));

    [Function(nameof(RejectImportEntry))]
    [ApiDoc("Rejects an entry: the directory stays as it is.", Response = typeof(ImportEntry))]
    [ApiProblem(409, "The entry has already been accepted or rejected.")]
    public Task<IActionResult> RejectImportEntry([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "imports/{id}/entries/{n}/reject")] HttpRequest req, string id, string n)
        => api.RunAsync(req, async caller => ApiResult.Ok(await imports.RejectAsync(caller, id, n, req.HttpContext.RequestAborted)));
}
