using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Communications;

[ApiTag("Communications", "Requests and notifications between participants' POCs: a standard template, acknowledgement of receipt, escalation, replies; content for the two parties only.")]
public sealed class CommunicationFunctions(ApiHandler api, CommunicationService communications)
{
    [Function(nameof(SendCommunication))]
    [ApiDoc("Sends a communication to the POCs of another participant (a focal point or POC, or the Secretariat on its own behalf).",
        Request = typeof(CommunicationInput), Response = typeof(Communication), SuccessStatus = 201, Idempotent = true)]
    [ApiProblem(422, "The receiving participant has no active POC of the requested kinds.")]
    public Task<IActionResult> SendCommunication(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "communications")] HttpRequest req, [DurableClient] DurableTaskClient durable)
        => api.RunCreateAsync<CommunicationInput>(req, async (caller, input) =>
        {
            var communication = await communications.SendAsync(caller, input, durable, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/communications/{communication.Id}", communication);
        }, replayAs: async (caller, location) => await communications.GetAsync(caller, location[(location.LastIndexOf('/') + 1)..], req.HttpContext.RequestAborted));

    [Function(nameof(ListCommunications))]
    [ApiDoc("The caller's participant's communications, newest first: received (inbox) or sent; metadata of all for the Secretariat.", Response = typeof(ListPage<Communication>), Paged = true)]
    [ApiQuery("box", typeof(Box))]
    [ApiQuery("status", typeof(CommunicationStatus))]
    public Task<IActionResult> ListCommunications([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "communications")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await communications.ListAsync(
            caller, req.Enum<Box>("box"), req.Enum<CommunicationStatus>("status"), req.PageSize(), req.ContinuationToken(), req.HttpContext.RequestAborted)));

    [Function(nameof(GetCommunicationStats))]
    [ApiDoc("Counts and times to acknowledge and to first reply (Secretariat: all; a participant: those it received).", Response = typeof(CommunicationStats))]
    [ApiQuery("from", typeof(DateTimeOffset))]
    [ApiQuery("to", typeof(DateTimeOffset))]
    public Task<IActionResult> GetCommunicationStats([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "communications/stats")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await communications.StatsAsync(
            caller, req.Timestamp("from"), req.Timestamp("to"), req.HttpContext.RequestAborted)));

    [Function(nameof(GetCommunication))]
    [ApiDoc("A communication with its thread (the two parties) or its metadata (the Secretariat).", Response = typeof(Communication))]
    public Task<IActionResult> GetCommunication([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "communications/{id}")] HttpRequest req, string id)
        => api.RunAsync(req, async caller => ApiResult.Ok(await communications.GetAsync(caller, id, req.HttpContext.RequestAborted)));

    [Function(nameof(AcknowledgeCommunication))]
    [ApiDoc("The signed-in receiving POC acknowledges receipt.", Response = typeof(AcknowledgementReceipt))]
    [ApiProblem(410, "The communication can no longer be acknowledged by a POC: it was acknowledged or answered already, or its time ran out.")]
    public Task<IActionResult> AcknowledgeCommunication(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "communications/{id}/acknowledge")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunAsync(req, async caller => ApiResult.Ok(await communications.AcknowledgeAsync(caller, id, durable, req.HttpContext.RequestAborted)));

    [Function(nameof(ReplyToCommunication))]
    [ApiDoc("A reply in the thread by a focal point or POC of either participant; closes: true closes the thread.",
        Request = typeof(ReplyInput), Response = typeof(CommunicationReply), SuccessStatus = 201, Idempotent = true)]
    [ApiProblem(409, "The thread is closed.")]
    public Task<IActionResult> ReplyToCommunication(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "communications/{id}/replies")] HttpRequest req, string id, [DurableClient] DurableTaskClient durable)
        => api.RunCreateAsync<ReplyInput>(req, async (caller, input) =>
        {
            var reply = await communications.ReplyAsync(caller, id, input, durable, req.HttpContext.RequestAborted);
            return ApiResult.Created($"/api/communications/{id}/replies/{reply.Id}", reply);
        });

    /// <summary>Erases the content of communications past their retention, hourly.</summary>
    [Function(nameof(EraseExpiredCommunicationContent))]
    public Task EraseExpiredCommunicationContent([TimerTrigger("0 17 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
        => communications.EraseExpiredContentAsync(cancellationToken);
}
