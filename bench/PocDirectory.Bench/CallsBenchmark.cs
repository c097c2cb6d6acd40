using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// Storage calls per request, from the runner's own telemetry (decision 0040): every GET, PUT and acknowledgement is sent
/// in a trace of its own, and the Table Storage spans the runner exports for that trace are counted. The PUT's time
/// against a bare replace is the directory benchmark's (alternating runs, no telemetry receiver in this process), not
/// measured here, where parsing every exported span would weigh on the clients.
/// </summary>
public static partial class CallsBenchmark
{
    private const string StorageScope = "Azure.Data.Tables";

    public static async Task<CallsFigures> RunAsync(int count)
    {
        using var otlp = OtlpReceiver.Start();
        await using var stack = await BenchStack.StartAsync("InMemory", settings =>
        {
            settings["Telemetry:OtlpEndpoint"] = otlp.BaseAddress.ToString();
            settings["Telemetry:ExportInterval"] = "00:00:00.500";
        });
        var (smtp, runner) = (stack.Smtp, stack.Runner);
        using var secretariat = await runner.ClientForAsync(RunnerSettings.Secretariat);
        var (participant, ids) = await BenchDirectory.CreateAsync(secretariat, count, parallelism: 8);

        var traces = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["get"] = [], ["put"] = [], ["acknowledgement"] = [] };
        for (var i = 0; i < ids.Length; i++)
        {
            using var get = Traced(new HttpRequestMessage(HttpMethod.Get, $"api/pocs/{ids[i]}"), traces["get"]);
            using var got = await secretariat.SendAsync(get);
            await BenchDirectory.EnsureOkAsync(got);
            using var put = Traced(Put(participant, ids, i, got.Headers.ETag!.ToString(), "Counted"), traces["put"]);
            using var putted = await secretariat.SendAsync(put);
            await BenchDirectory.EnsureOkAsync(putted);
        }

        // A campaign of the same POCs, each ping acknowledged one at a time as it arrives.
        var seen = smtp.Messages.Count;
        using var create = await secretariat.PostAsJsonAsync("api/campaigns", new { name = "Calls", scope = new { participants = new[] { participant } }, responseWindow = "PT30M" });
        await BenchDirectory.EnsureOkAsync(create);
        var acknowledged = 0;
        while (acknowledged < count)
        {
            foreach (var message in smtp.MessagesAfter(seen))
            {
                seen++;
                if (AckToken().Match(message.TextBody ?? string.Empty) is { Success: true } link)
                {
                    using var ack = Traced(new HttpRequestMessage(HttpMethod.Post, $"api/acknowledgements/{link.Groups[1].Value}"), traces["acknowledgement"]);
                    using var acked = await runner.Http.SendAsync(ack);
                    await BenchDirectory.EnsureOkAsync(acked);
                    acknowledged++;
                }
            }

            await Task.Delay(20);
        }

        // Let the exporter send what it holds, then count each request's Table Storage spans.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var byTrace = otlp.Spans.Where(s => s.Scope.StartsWith(StorageScope, StringComparison.Ordinal)).GroupBy(s => s.TraceId).ToDictionary(g => g.Key, g => g.Select(s => s.Name).ToList(), StringComparer.Ordinal);
        var perRequest = traces.ToDictionary(t => t.Key, t => t.Value.Select(id => byTrace.GetValueOrDefault(id) ?? []).ToList(), StringComparer.Ordinal);

        var ours = traces.Values.SelectMany(t => t).ToHashSet(StringComparer.Ordinal);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  spans exported {otlp.Spans.Count}, in the benchmark's traces {otlp.Spans.Count(s => ours.Contains(s.TraceId))}; scopes: {string.Join(", ", otlp.Spans.Select(s => s.Scope).Distinct())}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calls  {count} POCs, one request at a time; Table Storage calls per request from the runner's spans"));
        Console.WriteLine("  request            mean   max  the calls (most common)");
        foreach (var (name, calls) in perRequest)
        {
            var common = calls.GroupBy(c => string.Join(" + ", c.Select(n => n.Replace("TableClient.", string.Empty, StringComparison.Ordinal)).Order(StringComparer.Ordinal)))
                .OrderByDescending(g => g.Count()).First();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-16} {calls.Average(c => c.Count),6:F2} {calls.Max(c => c.Count),5}  {common.Key} ({common.Count()} of {calls.Count})"));
        }

        var figures = new CallsFigures(count, perRequest.ToDictionary(p => p.Key, p => (p.Value.Average(c => c.Count), p.Value.Max(c => c.Count)), StringComparer.Ordinal));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: storage calls per GET {figures.Calls["get"].Mean:F2} (max {figures.Calls["get"].Max}), PUT {figures.Calls["put"].Mean:F2} (max {figures.Calls["put"].Max}), " +
            $"acknowledgement {figures.Calls["acknowledgement"].Mean:F2} (max {figures.Calls["acknowledgement"].Max}, target 3)"));
        return figures;
    }

    private static HttpRequestMessage Put(string participant, string[] ids, int i, string etag, string position)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/pocs/{ids[i]}") { Content = JsonContent.Create(BenchDirectory.PocBody(participant, i, position)) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    /// <summary>Puts the request in a trace of its own (a W3C traceparent the runner continues) and notes the trace id.</summary>
    private static HttpRequestMessage Traced(HttpRequestMessage request, List<string> traceIds)
    {
        var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
        traceIds.Add(traceId);
        return request;
    }

    [GeneratedRegex(@"/ack/([A-Za-z0-9_\-]+)")]
    private static partial Regex AckToken();
}

/// <summary>Storage calls per request kind (mean, max).</summary>
public sealed record CallsFigures(int Count, IReadOnlyDictionary<string, (double Mean, int Max)> Calls);
