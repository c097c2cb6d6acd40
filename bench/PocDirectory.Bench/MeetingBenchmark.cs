using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// Invitations to a meeting of N POCs on the local runner: the time from <c>POST /api/meetings/{id}/invite</c> to the
/// last invitation (with its calendar part) accepted by the SMTP server, against the same number of emails sent by a
/// plain loop to the same server in the same run.
/// </summary>
public static class MeetingBenchmark
{
    public static async Task<double> RunAsync(int pocCount, string backend)
    {
        await using var stack = await BenchStack.StartAsync(backend);
        var (smtp, runner) = (stack.Smtp, stack.Runner);
        using var secretariat = await runner.ClientForAsync(RunnerSettings.Secretariat);
        var (participant, _) = await BenchDirectory.CreateAsync(secretariat, pocCount, parallelism: 8);

        var year = DateTime.UtcNow.Year + 1;
        using var created = await secretariat.PostAsJsonAsync("api/meetings", new
        {
            title = "Benchmark meeting", format = "Hybrid", venue = "United Nations Headquarters, New York", timeZone = "America/New_York",
            start = $"{year}-05-10T10:00", end = $"{year}-05-10T13:00",
            invitees = new { participants = new[] { participant } },
            agenda = new[] { new { start = "10:00", end = "13:00", item = "Exchange of experiences", speakers = "POCs" } },
        });
        await BenchDirectory.EnsureOkAsync(created);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var seen = smtp.Messages.Count;
        var clock = Stopwatch.StartNew();
        using (var invite = await secretariat.PostAsync($"api/meetings/{id}/invite", null))
        {
            await BenchDirectory.EnsureOkAsync(invite);
        }

        while (smtp.Messages.Count - seen < pocCount)
        {
            await Task.Delay(20);
        }

        var total = clock.Elapsed;
        var calendars = smtp.MessagesAfter(seen).Count(m => m.BodyParts.Any(p => p.ContentType.IsMimeType("text", "calendar")));
        var baseline = await CampaignBenchmark.SmtpBaselineAsync(smtp.Port, pocCount);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: invitations to {pocCount} POCs ({backend}) took {total.TotalSeconds:F1} s from invite to the last accepted by SMTP ({calendars} with a calendar part); "
            + $"plain send loop {baseline.TotalSeconds:F2} s = {total / baseline:F1} x"));
        return total / baseline;
    }
}
