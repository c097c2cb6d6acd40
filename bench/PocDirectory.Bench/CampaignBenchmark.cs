using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// A whole campaign on the local runner: N POCs, every ping acknowledged through the API as soon as its email reaches
/// the SMTP server, timed from the campaign's creation to its stored report. The baseline is the same number of emails
/// sent by a plain loop to the same SMTP server, in the same run.
/// </summary>
public static partial class CampaignBenchmark
{
    public static async Task RunAsync(int pocCount, string backend)
    {
        await using var stack = await LocalStack.StartAsync(settings =>
        {
            settings["CampaignSchedulerSchedule"] = "0 0 0 1 1 *";
            settings["Runner:Durable:Backend"] = backend;
            settings["Logging:LogLevel:Default"] = "Warning";
        });
        var (smtp, runner) = (stack.Smtp, stack.Runner);
        using var secretariat = await runner.ClientForAsync(RunnerSettings.Secretariat);

        var participant = "B" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        (await secretariat.PostAsJsonAsync("api/participants", new { code = participant, name = "Benchmark", type = "RegionalOrganisation" })).EnsureSuccessStatusCode();
        await Parallel.ForEachAsync(Enumerable.Range(0, pocCount), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var body = new
            {
                participant, kind = i % 2 == 0 ? "Technical" : "Diplomatic", rank = "Primary", fullName = $"Person {i}", organisation = "Org",
                emails = new[] { $"p{i}@bench.example.org" }, languages = new[] { "en" }, timeZone = "UTC", availability = new { type = "TwentyFourSeven" },
            };
            using var response = await secretariat.PostAsJsonAsync("api/pocs", body, ct);
            response.EnsureSuccessStatusCode();
        });

        var acknowledged = 0;
        var seen = smtp.Messages.Count;
        using var done = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        using var create = await secretariat.PostAsJsonAsync("api/campaigns", new
        {
            name = "Benchmark", scope = new { participants = new[] { participant } }, responseWindow = "PT30M",
        });
        create.EnsureSuccessStatusCode();
        var id = (await create.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        // The POCs' side: acknowledge each ping as it arrives, 8 at a time.
        var acknowledger = Task.Run(async () =>
        {
            var queue = new ConcurrentQueue<string>();
            var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                while (!done.IsCancellationRequested)
                {
                    if (queue.TryDequeue(out var token))
                    {
                        using var ack = await runner.Http.PostAsync($"api/acknowledgements/{token}", null);
                        ack.EnsureSuccessStatusCode();
                        Interlocked.Increment(ref acknowledged);
                    }
                    else
                    {
                        await Task.Delay(5);
                    }
                }
            })).ToList();
            while (!done.IsCancellationRequested)
            {
                var messages = smtp.Messages;
                for (; seen < messages.Count; seen++)
                {
                    // Pings carry a link; the campaign summary to the Secretariat does not.
                    if (AckToken().Match(messages[seen].TextBody ?? string.Empty) is { Success: true } link)
                    {
                        queue.Enqueue(link.Groups[1].Value);
                    }
                }

                await Task.Delay(20);
            }

            await Task.WhenAll(workers);
        });

        var allSent = TimeSpan.Zero;
        while (true)
        {
            var campaign = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}");
            if (allSent == TimeSpan.Zero && campaign!["progress"]!["sent"]!.GetValue<int>() == pocCount)
            {
                allSent = clock.Elapsed;
            }

            if (campaign!["status"]!.GetValue<string>() == "Completed")
            {
                break;
            }

            await Task.Delay(200);
        }

        var total = clock.Elapsed;
        await done.CancelAsync();
        await acknowledger;

        var baseline = await SmtpBaselineAsync(smtp.Port, pocCount);
        Console.WriteLine($"campaign  backend={backend} pocs={pocCount}");
        Console.WriteLine($"  start to report      {total.TotalSeconds,8:F1} s");
        Console.WriteLine($"  all pings sent after {allSent.TotalSeconds,8:F1} s  ({pocCount / allSent.TotalSeconds:F0} pings/s)");
        Console.WriteLine($"  acknowledged         {acknowledged,8}    ({acknowledged / total.TotalSeconds:F0} acks/s)");
        Console.WriteLine($"  baseline: {pocCount} emails in a plain loop {baseline.TotalSeconds,6:F1} s");
        Console.WriteLine($"summary: campaign of {pocCount} POCs ({backend}) took {total.TotalSeconds:F1} s start to report = {total / baseline:F1} x the plain send loop");
    }

    /// <summary>The raw limit: the same emails sent one after another over one SMTP connection, as the app's sender does.</summary>
    private static async Task<TimeSpan> SmtpBaselineAsync(int port, int count)
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
