using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// Issue 15's closing note: latency from POST /api/communications to the receiving POC's message accepted by the SMTP
/// server, one communication at a time, against the same message sent by a plain SMTP loop in the same run.
/// </summary>
public static class CommunicationBenchmark
{
    public static async Task<(double P50, double P99, double BaselineP50)> RunAsync(int sends, string backend)
    {
        await using var stack = await BenchStack.StartAsync(backend);
        var (smtp, runner) = (stack.Smtp, stack.Runner);
        using var secretariat = await runner.ClientForAsync(RunnerSettings.Secretariat);
        var (sender, _) = await BenchDirectory.CreateAsync(secretariat, 1, 1);
        var (receiver, _) = await BenchDirectory.CreateAsync(secretariat, 1, 1);
        var focalPoint = $"fp-{Guid.NewGuid():N}@bench.example.org";
        using (var role = await secretariat.PostAsJsonAsync("api/role-assignments", new { email = focalPoint, role = "FocalPoint", participant = sender }))
        {
            await BenchDirectory.EnsureOkAsync(role);
        }

        using var client = await runner.ClientForAsync(focalPoint);
        var latencies = new List<double>();
        for (var i = 0; i < sends; i++)
        {
            var before = smtp.ReceivedAt.Count;
            var clock = Stopwatch.StartNew();
            using var sent = await client.PostAsJsonAsync("api/communications", new
            {
                to = receiver, kinds = new[] { "Technical" }, type = "IncidentNotification", urgency = "Urgent", subject = $"Bench {i}", body = "Benchmark.", respondBy = "PT24H",
            });
            await BenchDirectory.EnsureOkAsync(sent);
            while (smtp.ReceivedAt.Count == before)
            {
                await Task.Delay(1);
            }

            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        var baseline = await PlainLoopAsync(smtp.Port, sends);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"communication backend={backend} sends={sends}: POST to first message accepted by SMTP p50 {Stats.Percentile(latencies, 0.5):F0} ms, p99 {Stats.Percentile(latencies, 0.99):F0} ms; " +
            $"plain send loop p50 {Stats.Percentile(baseline, 0.5):F1} ms, p99 {Stats.Percentile(baseline, 0.99):F1} ms"));
        return (Stats.Percentile(latencies, 0.5), Stats.Percentile(latencies, 0.99), Stats.Percentile(baseline, 0.5));
    }


    /// <summary>The same number of messages, each timed, sent one after another over one SMTP connection.</summary>
    private static async Task<List<double>> PlainLoopAsync(int port, int count)
    {
        using var client = new MailKit.Net.Smtp.SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        var latencies = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var message = new MimeKit.MimeMessage();
            message.From.Add(MimeKit.MailboxAddress.Parse("pings@poc-directory.bench"));
            message.To.Add(MimeKit.MailboxAddress.Parse($"baseline{i}@bench.example.org"));
            message.Subject = "Baseline";
            message.Body = new MimeKit.TextPart("plain") { Text = "Baseline message." };
            var clock = Stopwatch.StartNew();
            await client.SendAsync(message);
            latencies.Add(clock.Elapsed.TotalMilliseconds);
        }

        await client.DisconnectAsync(true);
        return latencies;
    }
}
