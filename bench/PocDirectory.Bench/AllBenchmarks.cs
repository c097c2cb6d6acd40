using System.Diagnostics;
using System.Globalization;

namespace PocDirectory.Bench;

/// <summary>
/// Every benchmark: the directory at 1,000 and 10,000 POCs; campaigns at 100, 1,000 and 10,000 POCs on both durable
/// backends and at 25,000 on the Azure Storage one (where the curve goes); storage calls per request; communications,
/// meeting invitations and an exercise's timeline. Then one table of the campaigns and one of how each figure grows from
/// 1,000 to 10,000 to 25,000 POCs. Each run starts a stack of its own, so one run's leftovers do not weigh on the next.
/// </summary>
public static class AllBenchmarks
{
    private static readonly int[] CampaignSizes = [100, 1_000, 10_000];
    private static readonly string[] Backends = ["AzureStorage", "InMemory"];
    private const int Largest = 25_000;

    public static async Task RunAsync()
    {
        var clock = Stopwatch.StartNew();
        var directory = new List<DirectoryFigures>();
        foreach (var pocs in new[] { 1_000, 10_000 })
        {
            directory.Add(await DirectoryBenchmark.RunAsync(pocs));
            Console.WriteLine();
        }

        var calls = await CallsBenchmark.RunAsync(200);
        Console.WriteLine();
        var communication = await CommunicationBenchmark.RunAsync(200, "AzureStorage");
        Console.WriteLine();
        var meeting = await MeetingBenchmark.RunAsync(1_000, "AzureStorage");
        Console.WriteLine();
        var exercise = await ExerciseBenchmark.RunAsync(50, "AzureStorage");
        Console.WriteLine();
        var pgp = await PgpBenchmark.RunAsync(200, "AzureStorage");
        Console.WriteLine();

        var campaigns = new List<CampaignFigures>();
        foreach (var pocs in CampaignSizes)
        {
            foreach (var backend in Backends)
            {
                campaigns.Add(await CampaignBenchmark.RunAsync(pocs, backend));
                Console.WriteLine();
            }
        }

        campaigns.Add(await CampaignBenchmark.RunAsync(Largest, "AzureStorage"));
        Console.WriteLine();

        Console.WriteLine("campaigns (start to report; baseline = the same number of emails from a plain loop on one SMTP connection)");
        Console.WriteLine("  backend       pocs |  total s  pings/s  acks/s  acked/reported | baseline s  ratio | runner peak MiB");
        foreach (var c in campaigns)
        {
            Console.WriteLine(Invariant(
                $"  {c.Backend,-12} {c.Pocs,6} | {c.Total.TotalSeconds,8:F1} {c.PingsPerSecond,8:F0} {c.AcksPerSecond,7:F0} {c.Acknowledged,7}/{c.Reported,-7} | {c.Baseline.TotalSeconds,10:F2} {c.Ratio,5:F1}x | {c.PeakRunnerMiB,15:F0}"));
        }

        Console.WriteLine();
        Console.WriteLine("growth from 1,000 to 10,000 to 25,000 POCs ('linear' = the figure per POC, or per operation, changes by less than 25% at each step)");
        Console.WriteLine("  figure                                       1,000     10,000     25,000  growth");
        var (small, large) = (directory[0].At8Clients, directory[1].At8Clients);
        foreach (var op in small.Keys)
        {
            // Per-operation latency should not depend on the directory's size; growth here means a query that scans.
            Growth($"directory {op} p50 ms (API, 8 clients)", [(1_000, small[op].ApiP50), (10_000, large[op].ApiP50)], perPoc: false);
            Growth($"directory {op} API/raw p50", [(1_000, small[op].ApiP50 / small[op].RawP50), (10_000, large[op].ApiP50 / large[op].RawP50)], perPoc: false);
        }

        foreach (var backend in Backends)
        {
            var runs = campaigns.Where(c => c.Backend == backend && c.Pocs >= 1_000).OrderBy(c => c.Pocs).ToList();
            Growth($"campaign {backend} start to report s", runs.Select(c => (c.Pocs, c.Total.TotalSeconds)).ToList(), perPoc: true);
            Growth($"campaign {backend} pings/s", runs.Select(c => (c.Pocs, c.PingsPerSecond)).ToList(), perPoc: false, higherIsBetter: true);
            Growth($"campaign {backend} acks/s", runs.Select(c => (c.Pocs, c.AcksPerSecond)).ToList(), perPoc: false, higherIsBetter: true);
            Growth($"campaign {backend} runner peak MiB", runs.Select(c => (c.Pocs, c.PeakRunnerMiB)).ToList(), perPoc: true);
        }

        var worst = campaigns.Where(c => c.Backend == "AzureStorage").ToDictionary(c => c.Pocs);
        Console.WriteLine();
        Console.WriteLine(
            Invariant($"summary: all benchmarks in {clock.Elapsed.TotalMinutes:F1} min; get API/raw at 8 clients {small["get"].ApiP50 / small["get"].RawP50:F2}x (target 1.5); ") +
            Invariant($"storage calls per acknowledgement {calls.Calls["acknowledgement"].Mean:F2} (max {calls.Calls["acknowledgement"].Max}, target 3), PUT/bare replace at 8 clients {small["put"].ApiP50 / small["put"].RawP50:F2}x (target 2.2); ") +
            Invariant($"1,000-POC campaign {worst[1_000].Total.TotalSeconds:F0} s, 10,000 {worst[10_000].Total.TotalSeconds:F0} s ({worst[10_000].Total / worst[1_000].Total:F1}x, target 10x), 25,000 {worst[Largest].Total.TotalSeconds:F0} s; ") +
            Invariant($"runner peak {campaigns.Max(c => c.PeakRunnerMiB):F0} MiB (target 300); acknowledgements lost {campaigns.Sum(c => c.Acknowledged - c.Reported)}; ") +
            Invariant($"communication p50 {communication.P50:F0} ms p99 {communication.P99:F0} ms; meeting 1,000 invitations {meeting:F1}x the send loop; ") +
            Invariant($"exercise max inject deviation {exercise.MaxDeviationMs:F0} ms (timer loop {exercise.BaselineMaxMs:F0} ms); ") +
            Invariant($"OpenPGP {pgp.ExtraMs:F1} ms extra per encrypted message ({pgp.Ratio:F2}x the clear campaign)"));
    }

    /// <summary>
    /// Prints one row over the sizes measured. For a per-POC figure (a total that should scale with the POCs), 'linear'
    /// means each step's figure grew with the POCs (within 25%); for a per-operation figure, 'flat' means it stayed within
    /// 25%. The class is the worst step's.
    /// </summary>
    private static void Growth(string name, IReadOnlyList<(int Pocs, double Value)> points, bool perPoc, bool higherIsBetter = false)
    {
        var classes = points.Zip(points.Skip(1), (a, b) =>
        {
            var expected = perPoc ? (double)b.Pocs / a.Pocs : 1.0;
            var relative = b.Value / a.Value / expected;
            return relative is > 0.8 and < 1.25 ? 0 : (relative > 1) ^ higherIsBetter ? 1 : -1;
        }).ToList();
        var growth = classes.Contains(1) ? "worse" : classes.All(c => c == -1) && classes.Count > 0 ? "better" : perPoc ? "linear" : "flat";
        var values = string.Join(" ", Enumerable.Range(0, 3).Select(i => i < points.Count ? Invariant($"{points[i].Value,10:F2}") : new string(' ', 9) + "-"));
        Console.WriteLine(Invariant($"  {name,-42} {values}  {growth}"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
