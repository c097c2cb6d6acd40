using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.OpenApi;

[ApiTag("API description", "This document, for tools and for the API reference page of the portal (/reference/).")]
public sealed class OpenApiFunctions(ApiHandler api, OpenApiDocument document)
{
    /// <summary>The API's own description; for signed-in users, like every route that is not explicitly public.</summary>
    [Function(nameof(GetOpenApiDocument))]
    [ApiDoc("The OpenAPI 3.1 description of this API.", Response = typeof(JsonObject))]
    public Task<IActionResult> GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req)
        => api.RunAsync(req, _ => Task.FromResult(ApiResult.Text(document.Json, "application/json; charset=utf-8")));
}
