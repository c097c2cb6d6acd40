using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Reconfirmation;

[ApiTag("Re-confirmation", "POCs confirm periodically that their details are current: a one-click link, a reminder, then Overdue and the focal points told.")]
public sealed class ReconfirmationFunctions(ApiHandler api, ReconfirmationService reconfirmation)
{
    [Function(nameof(ConfirmByLink))]
    [ApiDoc("Confirms, through the link of a re-confirmation message, that the POC's details are current (anyone with the link).", Response = typeof(ConfirmationReceipt), Anonymous = true)]
    [ApiProblem(404, "The link is not valid.")]
    [ApiProblem(410, "The link has expired: the re-confirmation is over.")]
    public Task<IActionResult> ConfirmByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "confirmations/{token}")] HttpRequest req, string token, [DurableClient] DurableTaskClient durable)
        => api.RunAnonymousAsync(req, async () => ApiResult.Ok(await reconfirmation.ConfirmByLinkAsync(token, durable, req.HttpContext.RequestAborted)), link: token);

    /// <summary>Every 30 seconds; the look itself happens once per Directory:ReconfirmCheckEvery across instances.</summary>
    [Function(nameof(AskStalePocsToConfirm))]
    public Task AskStalePocsToConfirm([TimerTrigger("*/30 * * * * *")] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => reconfirmation.RunAsync(durable, cancellationToken);
}
