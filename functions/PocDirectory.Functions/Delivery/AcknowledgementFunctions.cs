using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Delivery;

[ApiTag("Acknowledgements", "The links in messages that expect an answer: one anonymous route per kind of link; the token says what it answers.")]
public sealed class AcknowledgementFunctions(ApiHandler api, DeliveryService deliveries)
{
    /// <summary>Public: the link in a ping or a communication. The token alone authorises acknowledging that one message, and nothing else.</summary>
    [Function(nameof(Acknowledge))]
    [ApiDoc("Acknowledges one message (a ping, a communication) with the token from its email link.", Response = typeof(AcknowledgementReceipt), Anonymous = true)]
    [ApiProblem(410, "The message is closed or the link has expired; it can no longer be acknowledged.")]
    public Task<IActionResult> Acknowledge(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "acknowledgements/{token}")] HttpRequest req, string token, [DurableClient] DurableTaskClient durable)
        => api.RunAnonymousAsync(req, async () => ApiResult.Ok(await deliveries.AnswerByLinkAsync(token, LinkPurpose.Acknowledge, durable, req.HttpContext.RequestAborted)), token);
}
