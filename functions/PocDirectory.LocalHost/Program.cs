using OpenTelemetry.Trace;
using PocDirectory.Functions;
using PocDirectory.LocalHost;

// Runs the Functions app's own functions without Core Tools: same code, same functions.metadata, same host.json.
// Content root is the build output, so appsettings.json is found whatever the working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var catalog = FunctionCatalog.Load(AppContext.BaseDirectory);
builder.Services.AddPocDirectory(builder.Configuration);
builder.Services.AddLocalRunner(builder.Configuration, catalog);
// What the Functions host traces in Azure (each HTTP request), the runner traces itself; its own Durable sidecar calls are not requests.
builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddAspNetCoreInstrumentation(requests =>
    requests.Filter = context => !context.Request.Path.StartsWithSegments("/TaskHubSidecarService", StringComparison.Ordinal)));
builder.AddDurableTaskHosting(catalog);

var app = builder.Build();
await app.UseDurableTaskHostingAsync();
app.UsePortal(builder.Configuration);
app.MapHttpFunctions(catalog);
app.MapRunnerIntrospection();
await app.RunAsync();
