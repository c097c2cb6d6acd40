namespace PocDirectory.Functions.Telemetry;

/// <summary>
/// Where telemetry goes. In Azure the Application Insights connection string (set by the deployment) is enough; locally
/// <see cref="OtlpEndpoint"/> sends the same traces, metrics and logs to any OpenTelemetry collector (Jaeger, Aspire
/// dashboard, an OTLP test receiver). Neither set: nothing is exported.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Base address of an OTLP/HTTP receiver (http://localhost:4318); the signal paths /v1/traces... are added.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>How often batches are exported; short in tests so a test waits less for its spans.</summary>
    public TimeSpan ExportInterval { get; set; } = TimeSpan.FromSeconds(5);
}
