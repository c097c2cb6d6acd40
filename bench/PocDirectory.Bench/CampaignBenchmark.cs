using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// A whole campaign on the local runner: N POCs, every ping acknowledged through the API as soon as its email reaches
/// the SMTP server, timed from the campaign's creation to its stored report. The baseline is the same number of emails
/// sent by a plain loop to the same SMTP server, in the same run.
/// </summary>
public static partial class CampaignBenchmark
{
    /// <summary>
    /// Runs one campaign of <paramref name="pocCount"/> POCs on a stack of its own and prints its figures.
    /// <paramref name="overrides"/> change runner settings (e.g. Campaigns:SendBatchSize) for tuning runs.
    /// </summary>
    public static async Task<CampaignFigures> RunAsync(int pocCount, string backend, IReadOnlyDictionary<string, string>? overrides = null)
    {
        await using var stack = await BenchStack.StartAsync(backend, settings =>
        {
            foreach (var (key, value) in overrides ?? new Dictionary<string, string>())
            {
                settings[key] = value;
            }
        });
        var (smtp, runner) = (stack.Smtp, stack.Runner);
        using var secretariat = await runner.ClientForAsync(RunnerSettings.Secretariat);

        var setupClock = Stopwatch.StartNew();
        var (participant, _) = await BenchDirectory.CreateAsync(secretariat, pocCount, parallelism: 8);
        var setup = setupClock.Elapsed;

        var cpu = CpuMeter.Find(runner.Process.Id);
        var cpuBefore = cpu?.Read();
        var acknowledged = 0;
        var seen = smtp.Messages.Count;
        var pings = 0;
        var allSent = TimeSpan.Zero;
        using var done = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        using var create = await secretariat.PostAsJsonAsync("api/campaigns", new
        {
            name = "Benchmark", scope = new { participants = new[] { participant } }, responseWindow = "PT30M",
        });
        create.EnsureSuccessStatusCode();
        var id = (await create.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {pocCount} POCs created in {setup.TotalSeconds:F1} s; campaign {id} started (runner pid {runner.Process.Id})"));

        // The POCs' side: acknowledge each ping as it arrives, 8 at a time.
        var acknowledger = Task.Run(async () =>
        {
            var links = Channel.CreateUnbounded<string>();
            var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                await foreach (var token in links.Reader.ReadAllAsync())
                {
                    using var ack = await runner.Http.PostAsync($"api/acknowledgements/{token}", null);
                    ack.EnsureSuccessStatusCode();
                    Interlocked.Increment(ref acknowledged);
                }
            })).ToList();
            while (!done.IsCancellationRequested)
            {
                foreach (var message in smtp.MessagesAfter(seen))
                {
                    seen++;

                    // Pings carry a link; the campaign summary to the Secretariat does not.
                    if (AckToken().Match(message.TextBody ?? string.Empty) is { Success: true } link)
                    {
                        links.Writer.TryWrite(link.Groups[1].Value);

                        // The moment the last ping reached SMTP, seen where the POCs see it (the live counts may be shared a few seconds).
                        if (++pings == pocCount)
                        {
                            allSent = clock.Elapsed;
                        }
                    }
                }

                await Task.Delay(20);
            }

            links.Writer.Complete();
            await Task.WhenAll(workers);
        });

        while (true)
        {
            var campaign = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}");
            if (campaign!["status"]!.GetValue<string>() == "Completed")
            {
                if (campaign["progress"]!["acknowledged"]!.GetValue<int>() != pocCount)
                {
                    // Completed early with someone unanswered means a POC left "pending" another way: show how.
                    Console.WriteLine($"  not all acknowledged; final counts: {campaign["progress"]!.ToJsonString()}");
                }

                break;
            }

            // Twice as often as the portal's progress page polls: precise enough for a timing, light enough not to be the load.
            await Task.Delay(1000);
        }

        var total = clock.Elapsed;
        var cpuUsed = cpu?.Read() - cpuBefore;
        await done.CancelAsync();
        await acknowledger;
        var report = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        var reported = report!["overall"]!["acknowledged"]!.GetValue<int>();
        var peak = PeakResidentBytes(runner.Process.Id);

        var baseline = await SmtpBaselineAsync(smtp.Port, pocCount);
        var figures = new CampaignFigures(pocCount, backend, setup, total, allSent, acknowledged, reported, baseline, peak, cpuUsed);
        figures.Print();
        return figures;
    }

    /// <summary>The runner's peak resident memory so far (VmHWM), or -1 where /proc does not exist.</summary>
    private static long PeakResidentBytes(int pid)
    {
        var path = $"/proc/{pid}/status";
        if (!File.Exists(path))
        {
            return -1;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>The raw limit: the same emails sent one after another over one SMTP connection, as the app's sender does.</summary>
    internal static async Task<TimeSpan> SmtpBaselineAsync(int port, int count)
    {
        using var client = new MailKit.Net.Smtp.SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var message = new MimeKit.MimeMessage();
            message.From.Add(MimeKit.MailboxAddress.Parse("pings@poc-directory.bench"));
            message.To.Add(MimeKit.MailboxAddress.Parse($"baseline{i}@bench.example.org"));
            message.Subject = "Baseline";
            message.Body = new MimeKit.TextPart("plain") { Text = "Baseline message." };
            await client.SendAsync(message);
        }

        await client.DisconnectAsync(true);
        return clock.Elapsed;
    }

    [GeneratedRegex(@"/ack/([A-Za-z0-9_\-]+)")]
    private static partial Regex AckToken();
}

/// <summary>What one campaign run measured.</summary>
public sealed record CampaignFigures(
    int Pocs, string Backend, TimeSpan Setup, TimeSpan Total, TimeSpan AllSent, int Acknowledged, int Reported, TimeSpan Baseline, long PeakRunnerBytes, Cpu? CpuUsed)
{
    public double PingsPerSecond => Pocs / AllSent.TotalSeconds;

    public double AcksPerSecond => Acknowledged / Total.TotalSeconds;

    public double Ratio => Total / Baseline;

    public double PeakRunnerMiB => PeakRunnerBytes / 1024.0 / 1024.0;

    public void Print()
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"campaign  backend={Backend} pocs={Pocs} (setup through the API {Setup.TotalSeconds:F1} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  start to report      {Total.TotalSeconds,8:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  all pings sent after {AllSent.TotalSeconds,8:F1} s  ({PingsPerSecond:F0} pings/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  acknowledged         {Acknowledged,8}    ({AcksPerSecond:F0} acks/s; the report counts {Reported})"));
        if (CpuUsed is { } cpu)
        {
            // On 2 cores, a process near Total seconds of CPU is the bottleneck; the clients include the acknowledging POCs and the SMTP server.
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  CPU s start to report: runner {cpu.Runner / 1000,6:F1}  Azurite {cpu.Azurite / 1000,6:F1}  bench (POCs, SMTP server) {cpu.Client / 1000,6:F1}  (wall {Total.TotalSeconds:F1})"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  runner peak memory   {PeakRunnerMiB,8:F0} MiB (VmHWM)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  baseline: {Pocs} emails in a plain loop on one connection {Baseline.TotalSeconds,6:F2} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: campaign of {Pocs} POCs ({Backend}) took {Total.TotalSeconds:F1} s start to report = {Ratio:F1} x the plain send loop; " +
            $"{PingsPerSecond:F0} pings/s, {AcksPerSecond:F0} acks/s, runner peak {PeakRunnerMiB:F0} MiB"));
    }
}
