using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.CapacityBuilding;

[ApiTag("Capacity-building", "Onboarding resources for POCs, their completions, and the share of POCs trained.")]
public sealed class CapacityBuildingFunctions(ApiHandler api, CapacityBuildingService capacity)
{
    [Function(nameof(ListResources))]
    [ApiDoc("The onboarding resources (anyone with a role in the directory).", Response = typeof(ListPage<Resource>))]
    public Task<IActionResult> ListResources([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "resources")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await capacity.ListAsync(caller, req.HttpContext.RequestAborted)));

    [Function(nameof(GetResource))]
    [ApiDoc("One onboarding resource; the ETag header is the version to send back in If-Match.", Response = typeof(Resource), ETag = true)]
    public Task<IActionResult> GetResource([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "resources/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => Versioned(await capacity.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(CreateResource))]
    [ApiDoc("Adds an onboarding resource (Secretariat).", Request = typeof(ResourceInput), Response = typeof(Resource), ETag = true, SuccessStatus = 201)]
    public Task<IActionResult> CreateResource([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "resources")] HttpRequest req)
        => api.RunAsync<ResourceInput>(req, async (caller, input) =>
        {
            var created = await capacity.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/resources/{created.Value.Id}", created.Value).WithETag(created.ETag);
        });

    [Function(nameof(UpdateResource))]
    [ApiDoc("Replaces an onboarding resource (Secretariat); a stale If-Match gets 412.", Request = typeof(ResourceInput), Response = typeof(Resource), IfMatch = true, ETag = true)]
    public Task<IActionResult> UpdateResource([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "resources/{id}")] HttpRequest req, string id)
        => api.RunAsync<ResourceInput>(req, async (caller, input) =>
            Versioned(await capacity.UpdateAsync(caller, id, req.RequiredIfMatch(), input, req.HttpContext.RequestAborted)));

    [Function(nameof(DeleteResource))]
    [ApiDoc("Removes an onboarding resource (Secretariat); completions recorded for it are kept.", SuccessStatus = 204)]
    public Task<IActionResult> DeleteResource([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "resources/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller =>
        {
            await capacity.DeleteAsync(caller, id, req.HttpContext.RequestAborted);
            return ApiResult.NoContent();
        });

    [Function(nameof(RecordTraining))]
    [ApiDoc("Marks a resource completed by the POC (the POC itself or its focal point); marking it again keeps the first date.", Request = typeof(TrainingInput), Response = typeof(TrainingCompletion))]
    [ApiProblem(409, "The POC is retired.")]
    public Task<IActionResult> RecordTraining([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "pocs/{id}/training")] HttpRequest req, string id)
        => api.RunAsync<TrainingInput>(req, async (caller, input) => ApiResult.Ok(await capacity.CompleteAsync(caller, id, input, req.HttpContext.RequestAborted)));

    [Function(nameof(GetTrainingCoverage))]
    [ApiDoc("The share of active POCs that completed at least one resource, in all and by region (Secretariat).", Response = typeof(TrainingCoverage))]
    public Task<IActionResult> GetTrainingCoverage([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "coverage/training")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await capacity.CoverageAsync(caller, req.HttpContext.RequestAborted)));

    private static ApiResult Versioned(Versioned<Resource> resource) => ApiResult.Ok(resource.Value).WithETag(resource.ETag);
}
