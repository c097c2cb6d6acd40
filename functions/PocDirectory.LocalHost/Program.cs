using PocDirectory.Functions;
using PocDirectory.LocalHost;

// Runs the Functions app's own functions without Core Tools: same code, same functions.metadata, same host.json.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:7071");
}

var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);
builder.Services.AddPocDirectory(builder.Configuration);
builder.Services.AddLocalRunner(builder.Configuration, catalog);

var app = builder.Build();
app.UsePortal(builder.Configuration);
app.MapHttpFunctions(catalog);
app.MapGet("/_runner/functions", () => catalog.Functions.Select(f => new { f.Name, Trigger = f.Trigger.ToString(), f.Route, f.HttpMethods, f.Schedule }));
app.Run();
