using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// An exercise's timeline: N injects one second apart to one player, and how far each inject's delivery (its recorded
/// deliveredAt, and its arrival at the SMTP server) fell from its schedule (the start plus its offset). The baseline is
/// a plain timer loop in the benchmark process keeping the same schedule at the same time, so both see the same load.
/// </summary>
public static class ExerciseBenchmark
{
    public static async Task<ExerciseFigures> RunAsync(int injects, string backend)
    {
        await using var stack = await BenchStack.StartAsync(backend);
        var (smtp, runner) = (stack.Smtp, stack.Runner);
        using var secretariat = await runner.ClientForAsync(RunnerSettings.Secretariat);
        var (player, _) = await BenchDirectory.CreateAsync(secretariat, 1, 1);
        var controllerEmail = $"control-{Guid.NewGuid():N}@bench.example.org";
        using var controller = await runner.ClientForAsync(controllerEmail);
        var body = new JsonObject
        {
            ["name"] = "Benchmark exercise",
            ["description"] = "Injects one second apart.",
            ["players"] = new JsonObject { ["participants"] = new JsonArray(player), ["regions"] = new JsonArray(), ["kinds"] = new JsonArray() },
            ["controllers"] = new JsonArray(controllerEmail),
            ["injects"] = new JsonArray(Enumerable.Range(0, injects).Select(i => (JsonNode)new JsonObject
            {
                ["at"] = $"PT{i}S", ["title"] = $"Tick {i:00}", ["message"] = "Acknowledge please.", ["expects"] = "Acknowledge", ["contactParticipant"] = null,
                ["respondWithin"] = "PT20M", ["to"] = "AllPlayers", ["participants"] = new JsonArray(),
            }).ToArray()),
        };
        using var created = await secretariat.PostAsJsonAsync("api/exercises", body);
        await BenchDirectory.EnsureOkAsync(created);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var seen = smtp.ReceivedAt.Count;
        using (var start = await controller.PostAsync($"api/exercises/{id}/start", null))
        {
            await BenchDirectory.EnsureOkAsync(start);
        }

        var baseline = TimerLoopAsync(injects);
        var waited = Stopwatch.StartNew();
        while (smtp.ReceivedAt.Count - seen < injects && waited.Elapsed < TimeSpan.FromSeconds(injects + 300))
        {
            await Task.Delay(50);
        }

        var exercise = (await controller.GetFromJsonAsync<JsonObject>($"api/exercises/{id}"))!;
        var startedAt = exercise["startedAt"]!.GetValue<DateTimeOffset>();
        var report = (await controller.GetFromJsonAsync<JsonObject>($"api/exercises/{id}/report"))!;
        var sent = report["injects"]!.AsArray().Select((inject, i) => (inject!["deliveredAt"]!.GetValue<DateTimeOffset>() - startedAt - TimeSpan.FromSeconds(i)).TotalMilliseconds).ToList();
        var arrived = smtp.ReceivedAt.Skip(seen).Select(r => r.At).Order().Select((at, i) => (at - startedAt - TimeSpan.FromSeconds(i)).TotalMilliseconds).ToList();
        var timer = await baseline;
        using (await controller.PostAsync($"api/exercises/{id}/end", null))
        {
        }

        var figures = new ExerciseFigures(injects, Stats.Percentile(sent, 0.5), sent.Max(s => Math.Abs(s)), arrived.Count == 0 ? double.NaN : arrived.Max(a => Math.Abs(a)), timer.Max());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: exercise of {injects} injects 1 s apart ({backend}): delivery offset against schedule p50 {figures.MedianOffsetMs:F0} ms, max deviation {figures.MaxDeviationMs:F0} ms " +
            $"(arrival at SMTP max {figures.MaxArrivalDeviationMs:F0} ms); plain timer loop in the same run max {figures.BaselineMaxMs:F0} ms"));
        return figures;
    }

    /// <summary>How late a plain timer loop keeping the same one-second schedule wakes, each time.</summary>
    private static async Task<List<double>> TimerLoopAsync(int ticks)
    {
        var start = Stopwatch.GetTimestamp();
        var late = new List<double>();
        for (var i = 0; i < ticks; i++)
        {
            var due = TimeSpan.FromSeconds(i) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            late.Add((Stopwatch.GetElapsedTime(start) - TimeSpan.FromSeconds(i)).TotalMilliseconds);
        }

        return late;
    }
}

/// <summary>Inject delivery against schedule (ms) and the timer loop's worst lateness in the same run.</summary>
public sealed record ExerciseFigures(int Injects, double MedianOffsetMs, double MaxDeviationMs, double MaxArrivalDeviationMs, double BaselineMaxMs);
