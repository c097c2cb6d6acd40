using System.Reflection;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;

namespace PocDirectory.LocalHost;

/// <summary>
/// <c>GET /_runner/functions</c>: what this runner actually serves and runs, read back from the router, the Durable Task
/// worker's registry and the timer host, not from functions.metadata, so a test can compare the two.
/// </summary>
public static class RunnerIntrospection
{
    public static void MapRunnerIntrospection(this WebApplication app)
        => app.MapGet("/_runner/functions", (EndpointDataSource endpoints, FunctionCatalog catalog, TimerTriggerHost timers, IServiceProvider services) =>
        {
            // The running worker's own factory, the one it creates every orchestrator and activity with; it lists no
            // names, so each function's name is put to it as both kinds, and a task registered as the wrong kind shows.
            var factory = WorkerFactory(services);
            using var scope = services.CreateScope();
            var names = catalog.Functions.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();
            return new RunnerFunctions(
                [.. endpoints.Endpoints.OfType<RouteEndpoint>()
                    .Where(e => e.Metadata.GetMetadata<FunctionDefinition>() is not null)
                    .Select(e => new HostedRoute(e.Metadata.GetMetadata<FunctionDefinition>()!.Name, e.RoutePattern.RawText ?? string.Empty,
                        [.. (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Order(StringComparer.Ordinal)]))],
                [.. names.Where(n => factory.TryCreateOrchestrator(new TaskName(n), scope.ServiceProvider, out _))],
                [.. names.Where(n => factory.TryCreateActivity(new TaskName(n), scope.ServiceProvider, out _))],
                timers.Scheduled.ToDictionary(t => t.Key, t => t.Value));
        });

    /// <summary>DurableTaskWorker.Factory is protected (for derived workers); read from outside, it needs reflection.</summary>
    private static IDurableTaskFactory WorkerFactory(IServiceProvider services)
    {
        var worker = services.GetServices<IHostedService>().OfType<DurableTaskWorker>().Single();
        return typeof(DurableTaskWorker).GetProperty("Factory", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(worker) as IDurableTaskFactory
            ?? throw new InvalidOperationException("DurableTaskWorker.Factory is gone: this Durable Task SDK version needs another way to list registered tasks.");
    }

    private sealed record RunnerFunctions(IReadOnlyList<HostedRoute> Http, IReadOnlyList<string> Orchestrators, IReadOnlyList<string> Activities,
        IReadOnlyDictionary<string, string> Timers);

    private sealed record HostedRoute(string Name, string Route, IReadOnlyList<string> Methods);
}
