using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Imports;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Export;

[ApiTag("Export", "The whole directory for the Secretariat, as JSON or CSV.")]
public sealed class ExportFunctions(ApiHandler api, ExportService export, ImportService exchange)
{
    [Function(nameof(ExportDirectory))]
    [ApiDoc("The whole directory as JSON or CSV (Secretariat); format=exchange gives the exchange format of regional directories (docs/import-format.md), for one participant also to its focal points.",
        Response = typeof(DirectoryExport), Csv = true)]
    [ApiQuery("format", typeof(string), Values = ["json", "csv", "exchange"])]
    [ApiQuery("participant", typeof(string), Description = "With format=exchange: only this participant's active POCs, e.g. SGP.")]
    public Task<IActionResult> ExportDirectory([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "export")] HttpRequest req)
        => api.RunAsync(req, async caller =>
        {
            var format = req.String("format", 10) ?? "json";
            if (format is not ("json" or "csv" or "exchange"))
            {
                throw RequestValidationException.For("format", "Must be csv, json or exchange.");
            }

            if (format == "exchange")
            {
                return ApiResult.Ok(await exchange.ExportAsync(caller, req.String("participant", 10), req.HttpContext.RequestAborted));
            }

            var directory = await export.ExportAsync(caller, req.HttpContext.RequestAborted);
            return format == "csv"
                ? ApiResult.Text(ExportService.ToCsv(directory), "text/csv; charset=utf-8")
                    .WithHeader("Content-Disposition", "attachment; filename=\"poc-directory.csv\"")
                : ApiResult.Ok(directory);
        });
}
