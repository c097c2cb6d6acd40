using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Audit;

[ApiTag("Audit", "Every write: who, when, and the fields before and after.")]
public sealed class AuditFunctions(ApiHandler api, AuditLog audit)
{
    [Function(nameof(ListAudit))]
    [ApiDoc("The audit log, newest first (Secretariat).", Response = typeof(ListPage<AuditEntry>), Paged = true)]
    [ApiQuery("entityType", typeof(string), Description = "e.g. Poc, Participant, RoleAssignment, Campaign.")]
    [ApiQuery("entityId", typeof(string))]
    [ApiQuery("actor", typeof(string), Description = "The email address of whoever made the change.")]
    [ApiQuery("from", typeof(DateTimeOffset))]
    [ApiQuery("to", typeof(DateTimeOffset))]
    public Task<IActionResult> ListAudit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "audit")] HttpRequest req)
        => api.RunAsync(req, async caller =>
        {
            caller.RequireSecretariat();
            var query = new AuditQuery(
                req.String("entityType", 50), req.String("entityId", 100), req.String("actor", 254),
                req.Timestamp("from"), req.Timestamp("to"), req.PageSize(), req.ContinuationToken());
            return ApiResult.Ok(await audit.QueryAsync(query, req.HttpContext.RequestAborted));
        });

    /// <summary>Moves audit entries that a crash left in an outbox (decision 0004); reading the log moves them too.</summary>
    [Function(nameof(MoveAuditOutbox))]
    public Task MoveAuditOutbox([TimerTrigger("0 */5 * * * *")] TimerInfo timer, CancellationToken cancellationToken)
        => audit.MoveOutboxAsync(cancellationToken);
}
