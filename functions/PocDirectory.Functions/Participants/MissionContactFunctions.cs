using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Participants;

[ApiTag("Participants", "States and regional organisations, with the POCs each has nominated.")]
public sealed class MissionContactFunctions(ApiHandler api, MissionContactService missions)
{
    [Function(nameof(GetMissionContacts))]
    [ApiDoc("The participant's mission contacts (Secretariat and the participant itself); an empty list when none are recorded.", Response = typeof(MissionContacts), ETag = true)]
    public Task<IActionResult> GetMissionContacts([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "participants/{code}/mission")] HttpRequest req, string code)
        => api.RunAsync(req, async caller =>
        {
            var found = await missions.GetAsync(caller, code, req.HttpContext.RequestAborted);
            return ApiResult.Ok(found.Value).WithETag(found.ETag);
        });

    [Function(nameof(PutMissionContacts))]
    [ApiDoc("Replaces the participant's mission contacts (Secretariat); a stale If-Match gets 412.", Request = typeof(MissionContactsInput), Response = typeof(MissionContacts), IfMatch = true, ETag = true)]
    public Task<IActionResult> PutMissionContacts([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "participants/{code}/mission")] HttpRequest req, string code)
        => api.RunAsync<MissionContactsInput>(req, async (caller, input) =>
        {
            var saved = await missions.PutAsync(caller, code, req.RequiredIfMatch(), input, req.HttpContext.RequestAborted);
            return ApiResult.Ok(saved.Value).WithETag(saved.ETag);
        });
}
