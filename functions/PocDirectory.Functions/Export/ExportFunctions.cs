using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Export;

[ApiTag("Export", "The whole directory for the Secretariat, as JSON or CSV.")]
public sealed class ExportFunctions(ApiHandler api, ExportService export)
{
    [Function(nameof(ExportDirectory))]
    [ApiDoc("The whole directory as JSON or CSV (Secretariat).", Response = typeof(DirectoryExport), Csv = true)]
    [ApiQuery("format", typeof(string), Values = ["json", "csv"])]
    public Task<IActionResult> ExportDirectory([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "export")] HttpRequest req)
        => api.RunAsync(req, async caller =>
        {
            var format = req.String("format", 10) ?? "json";
            if (format is not ("json" or "csv"))
            {
                throw RequestValidationException.For("format", "Must be csv or json.");
            }

            var directory = await export.ExportAsync(caller, req.HttpContext.RequestAborted);
            return format == "csv"
                ? ApiResult.Text(ExportService.ToCsv(directory), "text/csv; charset=utf-8")
                    .WithHeader("Content-Disposition", "attachment; filename=\"poc-directory.csv\"")
                : ApiResult.Ok(directory);
        });
}
