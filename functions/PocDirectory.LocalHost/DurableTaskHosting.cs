using System.Net;
using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;

namespace PocDirectory.LocalHost;

/// <summary>Settings of section "Runner:Durable".</summary>
public sealed class RunnerDurableOptions
{
    /// <summary>AzureStorage (the provider Durable Functions uses in production; survives restarts) or InMemory (fast tests).</summary>
    public string Backend { get; set; } = "AzureStorage";

    /// <summary>Task hub; defaults to host.json's extensions.durableTask.hubName.</summary>
    public string? TaskHub { get; set; }

    /// <summary>Loopback port of the in-process sidecar's gRPC endpoint; 0 picks a free one.</summary>
    public int GrpcPort { get; set; }

    /// <summary>Activities the backend runs at once. Campaign batches wait on the email rate limit, so more than cores helps.</summary>
    public int MaxConcurrentActivities { get; set; } = 32;

    public int MaxConcurrentOrchestrations { get; set; } = 16;

    /// <summary>
    /// How long a queue message taken by a runner stays invisible to others (the provider's default is 5 minutes). After
    /// a crash, the work the dead process held comes back only after this time. The sidecar does not renew the lock of
    /// a running activity, so it must stay well above the longest activity, or a slow one runs twice.
    /// </summary>
    public TimeSpan? MessageVisibilityTimeout { get; set; }
}

/// <summary>
/// Runs orchestrators and activities of the Functions app on the Durable Task SDK worker, talking over gRPC to an
/// in-process sidecar (<see cref="TaskHubGrpcServer"/>) whose backend is the Azure Storage provider on Azurite, or the
/// in-memory one for fast tests.
/// </summary>
public static class DurableTaskHosting
{
    public static void AddDurableTaskHosting(this WebApplicationBuilder builder, FunctionCatalog catalog)
    {
        var options = builder.Configuration.GetSection("Runner:Durable").Get<RunnerDurableOptions>() ?? new RunnerDurableOptions();
        var grpcPort = options.GrpcPort == 0 ? FreeLoopbackPort() : options.GrpcPort;
        var taskHub = options.TaskHub ?? catalog.TaskHub ?? "PocDirectory";
        ListenOnApiAndGrpcPorts(builder, grpcPort);

        var services = builder.Services;
        services.AddGrpc();
        if (options.Backend.Equals("InMemory", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton(sp => new InMemoryOrchestrationService(sp.GetRequiredService<ILoggerFactory>()));
            services.AddSingleton<IOrchestrationService>(sp => ConcurrencyLimits.Override(
                sp.GetRequiredService<InMemoryOrchestrationService>(), options.MaxConcurrentActivities, options.MaxConcurrentOrchestrations));
            services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<InMemoryOrchestrationService>());
        }
        else
        {
            var connection = builder.Configuration["AzureWebJobsStorage"]
                ?? throw new InvalidOperationException("AzureWebJobsStorage is required for the AzureStorage durable backend.");
            services.AddSingleton(sp => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
            {
                StorageAccountClientProvider = new StorageAccountClientProvider(connection),
                TaskHubName = taskHub,

                // A fixed worker id lets a restarted runner take its partition lease back at once instead of waiting it out.
                WorkerId = "local-runner",
                PartitionCount = 1,
                MaxConcurrentTaskActivityWorkItems = options.MaxConcurrentActivities,
                MaxConcurrentTaskOrchestrationWorkItems = options.MaxConcurrentOrchestrations,

                // The default 30 s polling back-off makes timers and post-restart work late when the hub is idle.
                MaxQueuePollingInterval = TimeSpan.FromSeconds(1),
                ThrowExceptionOnInvalidDedupeStatus = true,
                UseAppLease = false,
                ControlQueueVisibilityTimeout = options.MessageVisibilityTimeout ?? TimeSpan.FromMinutes(5),
                WorkItemQueueVisibilityTimeout = options.MessageVisibilityTimeout ?? TimeSpan.FromMinutes(5),
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            }));
            services.AddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
            services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        }

        services.AddSingleton<TaskHubGrpcServer>();
        var address = $"http://127.0.0.1:{grpcPort}";
        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(registry =>
            {
                foreach (var function in catalog.Functions)
                {
                    if (function.Trigger == TriggerKind.Orchestration)
                    {
                        var orchestrator = new FunctionOrchestrator(function);
                        registry.AddOrchestrator(function.Name, () => orchestrator);
                    }
                    else if (function.Trigger == TriggerKind.Activity)
                    {
                        registry.AddActivity(function.Name, scope => new FunctionActivity(function, scope));
                    }
                }
            });
            worker.UseGrpc(address);
        });
        services.AddDurableTaskClient(client => client.UseGrpc(address));
        services.AddSingleton<IHostedService, StopDurableWorkerFirst>();
        services.AddSingleton(new DurableEndpoint(grpcPort));
    }

    public static async Task UseDurableTaskHostingAsync(this WebApplication app)
    {
        var endpoint = app.Services.GetRequiredService<DurableEndpoint>();
        app.MapGrpcService<TaskHubGrpcServer>().RequireHost($"*:{endpoint.Port}");
        if (app.Services.GetService<AzureStorageOrchestrationService>() is { } storage)
        {
            // The sidecar starts the backend when the worker connects; creating the hub first lets clients call at once.
            await storage.CreateIfNotExistsAsync();
        }
    }

    /// <summary>gRPC without TLS needs an HTTP/2-only endpoint, so the sidecar gets a port of its own beside the API's.</summary>
    private static void ListenOnApiAndGrpcPorts(WebApplicationBuilder builder, int grpcPort)
    {
        var urls = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"] ?? "http://127.0.0.1:7071";
        var api = new Uri(urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0].Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            var host = api.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(api.Host);
            kestrel.Listen(host, api.Port, listen => listen.Protocols = HttpProtocols.Http1AndHttp2);
            kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed record DurableEndpoint(int Port);

    /// <summary>Kestrel stops before the worker, and the worker's open gRPC stream would hold shutdown for 30 s; stop it first.</summary>
    private sealed class StopDurableWorkerFirst(IServiceProvider services) : IHostedLifecycleService
    {
        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            foreach (var worker in services.GetServices<IHostedService>().OfType<DurableTaskWorker>())
            {
                await worker.StopAsync(cancellationToken);
            }
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// The sidecar takes its concurrency from the backend, and the in-memory backend reports the processor count (2 here),
/// which serialises a campaign's batches; this proxy reports the configured limits and forwards everything else.
/// </summary>
public class ConcurrencyLimits : System.Reflection.DispatchProxy
{
    private IOrchestrationService _inner = null!;
    private int _activities;
    private int _orchestrations;

    public static IOrchestrationService Override(IOrchestrationService inner, int activities, int orchestrations)
    {
        var proxy = Create<IOrchestrationService, ConcurrencyLimits>();
        var limits = (ConcurrencyLimits)(object)proxy;
        limits._inner = inner;
        limits._activities = activities;
        limits._orchestrations = orchestrations;
        return proxy;
    }

    protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
    {
        "get_" + nameof(IOrchestrationService.MaxConcurrentTaskActivityWorkItems) => _activities,
        "get_" + nameof(IOrchestrationService.MaxConcurrentTaskOrchestrationWorkItems) => _orchestrations,
        _ => targetMethod.Invoke(_inner, System.Reflection.BindingFlags.DoNotWrapExceptions, null, args, null),
    };
}
