using System.Diagnostics;
using System.Globalization;

namespace PocDirectory.Bench;

/// <summary>
/// Every benchmark at 1,000 and 10,000 POCs (campaigns also at 100, and on both durable backends), then one table of
/// the figures and one of how each grows from 1,000 to 10,000 POCs. Each run starts a stack of its own, so one run's
/// leftovers (queues, tables, memory) do not weigh on the next.
/// </summary>
public static class AllBenchmarks
{
    private static readonly int[] CampaignSizes = [100, 1_000, 10_000];
    private static readonly string[] Backends = ["AzureStorage", "InMemory"];

    public static async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var directory = new List<DirectoryFigures>();
        foreach (var pocs in new[] { 1_000, 10_000 })
        {
            directory.Add(await DirectoryBenchmark.RunAsync(pocs));
            Console.WriteLine();
        }

        var campaigns = new List<CampaignFigures>();
        foreach (var pocs in CampaignSizes)
        {
            foreach (var backend in Backends)
            {
                campaigns.Add(await CampaignBenchmark.RunAsync(pocs, backend));
                Console.WriteLine();
            }
        }

        Console.WriteLine("campaigns (start to report; baseline = the same number of emails from a plain loop on one SMTP connection)");
        Console.WriteLine("  backend       pocs |  total s  pings/s  acks/s  acked/reported | baseline s  ratio | runner peak MiB");
        foreach (var c in campaigns)
        {
            Console.WriteLine(Invariant(
                $"  {c.Backend,-12} {c.Pocs,6} | {c.Total.TotalSeconds,8:F1} {c.PingsPerSecond,8:F0} {c.AcksPerSecond,7:F0} {c.Acknowledged,7}/{c.Reported,-7} | {c.Baseline.TotalSeconds,10:F2} {c.Ratio,5:F1}x | {c.PeakRunnerMiB,15:F0}"));
        }

        Console.WriteLine();
        Console.WriteLine("growth from 1,000 to 10,000 POCs (10x the POCs; 'linear' = the figure per POC, or per operation, changes by less than 25%)");
        Console.WriteLine("  figure                                       1,000     10,000   change  growth");
        var (small, large) = (directory[0].At8Clients, directory[1].At8Clients);
        foreach (var op in small.Keys)
        {
            // Per-operation latency should not depend on the directory's size; growth here means a query that scans.
            Growth($"directory {op} p50 ms (API, 8 clients)", small[op].ApiP50, large[op].ApiP50, perPoc: false);
            Growth($"directory {op} API/raw p50", small[op].ApiP50 / small[op].RawP50, large[op].ApiP50 / large[op].RawP50, perPoc: false);
        }

        foreach (var backend in Backends)
        {
            var (a, b) = (campaigns.Single(c => c.Backend == backend && c.Pocs == 1_000), campaigns.Single(c => c.Backend == backend && c.Pocs == 10_000));
            Growth($"campaign {backend} start to report s", a.Total.TotalSeconds, b.Total.TotalSeconds, perPoc: true);
            Growth($"campaign {backend} pings/s", a.PingsPerSecond, b.PingsPerSecond, perPoc: false, higherIsBetter: true);
            Growth($"campaign {backend} runner peak MiB", a.PeakRunnerMiB, b.PeakRunnerMiB, perPoc: true);
        }

        var worst = campaigns.Where(c => c.Backend == "AzureStorage").ToDictionary(c => c.Pocs);
        Console.WriteLine();
        Console.WriteLine(
            Invariant($"summary: all benchmarks in {clock.Elapsed.TotalMinutes:F1} min; get API/raw at 8 clients {small["get"].ApiP50 / small["get"].RawP50:F2}x (target 1.5); ") +
            Invariant($"1,000-POC campaign {worst[1_000].Total.TotalSeconds:F0} s (target 60), 10,000 {worst[10_000].Total.TotalSeconds:F0} s (target 600), ") +
            Invariant($"runner peak {campaigns.Max(c => c.PeakRunnerMiB):F0} MiB (target 1024); acknowledgements lost {campaigns.Sum(c => c.Acknowledged - c.Reported)}"));
    }

    /// <summary>
    /// Prints one row. For a per-POC figure (a total that should scale with the POCs), 'linear' means 10x the POCs gave
    /// about 10x the figure; for a per-operation figure, about the same figure.
    /// </summary>
    private static void Growth(string name, double at1000, double at10000, bool perPoc, bool higherIsBetter = false)
    {
        var expected = perPoc ? 10.0 : 1.0;
        var change = at10000 / at1000;
        var relative = change / expected;
        var growth = relative is > 0.8 and < 1.25 ? (perPoc ? "linear" : "flat")
            : (relative > 1) ^ higherIsBetter ? "worse" : "better";
        Console.WriteLine(Invariant($"  {name,-42} {at1000,9:F2} {at10000,10:F2} {change,7:F2}x  {growth}"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
