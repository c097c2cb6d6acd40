using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Home;

[ApiTag("Home", "What waits for the signed-in user today, per role it holds.")]
public sealed class HomeFunctions(ApiHandler api, HomeService home)
{
    [Function(nameof(GetHome))]
    [ApiDoc("What waits for the caller: as a POC its pings, communications and meetings; as a focal point its participant's POCs and what is missing; as the Secretariat today's picture.", Response = typeof(CallerHome))]
    public Task<IActionResult> GetHome([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "home")] HttpRequest req)
        => api.RunAsync(req, async caller => ApiResult.Ok(await home.GetAsync(caller, req.HttpContext.RequestAborted)));
}
