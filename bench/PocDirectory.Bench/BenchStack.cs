using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// The one way a benchmark starts its stack (Azurite, the SMTP server, the local runner): timers off, warnings only,
/// and the shipped delivery settings rather than the tests' small batches and quick give-up, so each benchmark measures
/// what a deployment runs. <paramref name="configure"/> adds a benchmark's own settings last.
/// </summary>
public static class BenchStack
{
    public static Task<LocalStack> StartAsync(string backend, Action<Dictionary<string, string?>>? configure = null)
        => LocalStack.StartAsync(settings =>
        {
            settings["CampaignSchedulerSchedule"] = "0 0 0 1 1 *";
            settings["Runner:Durable:Backend"] = backend;
            settings["Logging:LogLevel:Default"] = "Warning";
            settings.Remove("Campaigns:SendBatchSize");
            settings.Remove("Campaigns:SendAttempts");
            settings.Remove("Campaigns:FirstRetryDelay");
            settings.Remove(RunnerSettings.ProcessorCountVariable);
            configure?.Invoke(settings);
        });
}

/// <summary>Nearest-rank percentiles and the other small statistics every benchmark prints.</summary>
public static class Stats
{
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
