using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Participants;

[ApiTag("Participants", "States and regional organisations, with the POCs each has nominated.")]
public sealed class ParticipantFunctions(ApiHandler api, ParticipantService participants)
{
    [Function(nameof(ListParticipants))]
    [ApiDoc("States and organisations with their nomination status.", Response = typeof(ListPage<Participant>))]
    [ApiQuery("region", typeof(Region))]
    [ApiQuery("type", typeof(ParticipantType))]
    [ApiQuery("nominationStatus", typeof(NominationStatus))]
    public Task<IActionResult> ListParticipants([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "participants")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await participants.ListAsync(
            caller, req.Enum<Region>("region"), req.Enum<ParticipantType>("type"), req.Enum<NominationStatus>("nominationStatus"), req.HttpContext.RequestAborted)));

    [Function(nameof(GetParticipant))]
    [ApiDoc("One participant.", Response = typeof(Participant))]
    public Task<IActionResult> GetParticipant([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "participants/{code}")] HttpRequest req, string code)
        => api.RunAsync(req, async caller => ApiResult.Ok(await participants.GetAsync(caller, code, req.HttpContext.RequestAborted)));

    [Function(nameof(GetParticipantEncryption))]
    [ApiDoc("Whether the participant requires encryption for its POCs, with the ETag to change it.", Response = typeof(ParticipantEncryption), ETag = true)]
    public Task<IActionResult> GetParticipantEncryption([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "participants/{code}/encryption")] HttpRequest req, string code)
        => api.RunAsync(req, async caller => Versioned(await participants.GetEncryptionAsync(caller, code, req.HttpContext.RequestAborted)));

    [Function(nameof(SetParticipantEncryption))]
    [ApiDoc("Requires (or stops requiring) encryption for the participant's POCs (its focal point or the Secretariat); a stale If-Match gets 412.",
        Request = typeof(EncryptionInput), Response = typeof(ParticipantEncryption), IfMatch = true, ETag = true)]
    public Task<IActionResult> SetParticipantEncryption([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "participants/{code}/encryption")] HttpRequest req, string code)
        => api.RunAsync<EncryptionInput>(req, async (caller, input) =>
            Versioned(await participants.SetEncryptionAsync(caller, code, req.RequiredIfMatch(), input, req.HttpContext.RequestAborted)));

    [Function(nameof(CreateParticipant))]
    [ApiDoc("Adds a regional organisation (Secretariat).", Request = typeof(ParticipantInput), Response = typeof(Participant), SuccessStatus = 201, Idempotent = true)]
    [ApiProblem(409, "A participant with this code already exists.")]
    public Task<IActionResult> CreateParticipant([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "participants")] HttpRequest req)
        => api.RunCreateAsync<ParticipantInput>(req, async (caller, input) =>
        {
            var created = await participants.CreateAsync(caller, input, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/participants/{created.Code}", created);
        });

    private static ApiResult Versioned(Pocs.Versioned<ParticipantEncryption> setting) => ApiResult.Ok(setting.Value).WithETag(setting.ETag);
}
