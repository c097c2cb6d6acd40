using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace PocDirectory.Functions.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>What the app's traces are made of: Table Storage and ACS calls (Azure SDK), orchestrations, SMTP.</summary>
    public static readonly string[] TraceSources = ["Azure.*", "Microsoft.DurableTask*", "MailKit.*"];

    /// <summary>
    /// OpenTelemetry traces, metrics and logs of the same function code in Azure (Application Insights, when its
    /// connection string is set) and locally (an OTLP receiver, when <see cref="TelemetryOptions.OtlpEndpoint"/> is set).
    /// The Functions host adds its worker defaults and the local runner its ASP.NET Core requests on the same builder.
    /// </summary>
    public static IOpenTelemetryBuilder AddDirectoryTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        // The Azure SDK's spans (each Table Storage and ACS call) are behind this switch.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        // A container without a host (a test's) has no meter factory unless asked.
        services.AddMetrics();
        services.AddSingleton<DirectoryMetrics>();
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var interval = (int)options.ExportInterval.TotalMilliseconds;

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("poc-directory"))
            .WithTracing(tracing => tracing.AddSource(TraceSources).AddProcessor(new PersonalDataRedactor()))
            .WithMetrics(metrics => metrics.AddMeter(DirectoryMetrics.MeterName))
            .WithLogging();

        var applicationInsights = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"];
        if (!string.IsNullOrWhiteSpace(applicationInsights))
        {
            telemetry.UseAzureMonitorExporter(monitor =>
            {
                monitor.ConnectionString = applicationInsights;
                // The deployment sends with the app's managed identity (local authentication is off on the resource).
                if (ManagedIdentityClientId(configuration["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]) is { } clientId)
                {
                    monitor.Credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
                }
            });
        }

        if (options.OtlpEndpoint is { } endpoint)
        {
            telemetry
                .WithTracing(tracing => tracing.AddOtlpExporter(otlp =>
                {
                    Otlp(otlp, endpoint, "v1/traces");
                    otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = interval;
                }))
                .WithMetrics(metrics => metrics.AddOtlpExporter((otlp, reader) =>
                {
                    Otlp(otlp, endpoint, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                }))
                .WithLogging(logging => logging.AddOtlpExporter((otlp, processor) =>
                {
                    Otlp(otlp, endpoint, "v1/logs");
                    processor.BatchExportProcessorOptions.ScheduledDelayMilliseconds = interval;
                }));
        }

        return telemetry;
    }

    private static void Otlp(OtlpExporterOptions otlp, Uri endpoint, string path)
    {
        otlp.Protocol = OtlpExportProtocol.HttpProtobuf;
        otlp.Endpoint = new Uri(endpoint, path);
    }

    /// <summary>"ClientId=...;Authorization=AAD" as the deployment writes it.</summary>
    internal static string? ManagedIdentityClientId(string? authentication) => authentication?
        .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(part => part.Split('=', 2))
        .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
        .Select(pair => pair[1])
        .FirstOrDefault();
}
