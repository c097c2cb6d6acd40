using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Health;

public sealed record HealthReport(string Status, bool StorageReachable);

[ApiTag("Health", "For load balancers and monitors.")]
public sealed class HealthFunctions(ApiHandler api, DirectoryTables tables)
{
    /// <summary>Public, for load balancers and monitors; it says whether storage answers and nothing else.</summary>
    [Function(nameof(GetHealth))]
    [ApiDoc("Whether the service and its storage answer.", Response = typeof(HealthReport), Anonymous = true)]
    [ApiProblem(503, "Storage does not answer.", Body = typeof(HealthReport))]
    public Task<IActionResult> GetHealth([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req)
        => api.RunAnonymousAsync(req, async () =>
        {
            var reachable = await StorageReachableAsync(req.HttpContext.RequestAborted);
            var report = new HealthReport(reachable ? "Healthy" : "Unhealthy", reachable);
            return reachable ? ApiResult.Ok(report) : ApiResult.Problem(StatusCodes.Status503ServiceUnavailable, report);
        });

    private async Task<bool> StorageReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await tables.Directory.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "probe", select: ["RowKey"], cancellationToken: timeout.Token);
            return true;
        }
        catch (Exception e) when (e is Azure.RequestFailedException or OperationCanceledException)
        {
            return false;
        }
    }
}
