using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// Storage calls per request, from the runner's own telemetry (decision 0040): every GET, PUT and acknowledgement is sent
/// in a trace of its own, and the Table Storage spans the runner exports for that trace are counted. Also the PUT's time
/// against a bare <see cref="TableClient"/> replace of an entity of the same size, one at a time, in the same run.
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
        var etags = new string[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            using var get = Traced(new HttpRequestMessage(HttpMethod.Get, $"api/pocs/{ids[i]}"), traces["get"]);
            using var got = await secretariat.SendAsync(get);
            await BenchDirectory.EnsureOkAsync(got);
            using var put = Traced(Put(participant, ids, i, got.Headers.ETag!.ToString(), "Counted"), traces["put"]);
            using var putted = await secretariat.SendAsync(put);
            await BenchDirectory.EnsureOkAsync(putted);
            etags[i] = putted.Headers.ETag!.ToString();
        }

        // Timed apart from the counting, as the directory benchmark compares: 8 clients each side, every POC once.
        var putMs = await TimedAsync(ids.Length, async i =>
        {
            using var put = Put(participant, ids, i, etags[i], "Timed");
            using var putted = await secretariat.SendAsync(put);
            await BenchDirectory.EnsureOkAsync(putted);
        });
        var rawMs = await BareReplaceAsync(stack.Azurite.ConnectionString, count);

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

        var figures = new CallsFigures(count, perRequest.ToDictionary(p => p.Key, p => (p.Value.Average(c => c.Count), p.Value.Max(c => c.Count)), StringComparer.Ordinal),
            Stats.Percentile(putMs, 0.5), Stats.Percentile(rawMs, 0.5));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  PUT at {Clients} clients p50 {figures.PutP50:F2} ms (p99 {Stats.Percentile(putMs, 0.99):F2}) vs bare TableClient replace at {Clients} clients p50 {figures.RawReplaceP50:F2} ms (p99 {Stats.Percentile(rawMs, 0.99):F2})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: storage calls per GET {figures.Calls["get"].Mean:F2} (max {figures.Calls["get"].Max}), PUT {figures.Calls["put"].Mean:F2} (max {figures.Calls["put"].Max}), " +
            $"acknowledgement {figures.Calls["acknowledgement"].Mean:F2} (max {figures.Calls["acknowledgement"].Max}, target 3); PUT/bare replace {figures.PutRatio:F2}x (target 2.2)"));
        return figures;
    }

    private static HttpRequestMessage Put(string participant, string[] ids, int i, string etag, string position)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/pocs/{ids[i]}") { Content = JsonContent.Create(BenchDirectory.PocBody(participant, i, position)) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return request;
    }

    /// <summary>Runs operations 0..count-1 on 8 concurrent clients; the milliseconds of each.</summary>
    private static async Task<List<double>> TimedAsync(int count, Func<int, Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            for (var op = Interlocked.Increment(ref next); op < count; op = Interlocked.Increment(ref next))
            {
                var start = Stopwatch.GetTimestamp();
                await operation(op);
                latencies[op] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        return [.. latencies];
    }

    private const int Clients = 8;

    /// <summary>The same number of replaces, each with If-Match, of entities of a POC's size, by a bare client on the same Azurite.</summary>
    private static async Task<List<double>> BareReplaceAsync(string connection, int count)
    {
        var table = new TableClient(connection, "BenchReplace");
        await table.CreateIfNotExistsAsync();
        var padding = new string('x', 600);
        var entities = new List<TableEntity>();
        for (var i = 0; i < count; i++)
        {
            var entity = new TableEntity("bench", $"poc|{i:D6}") { ["FullName"] = $"Person {i:D4}", ["Body"] = padding };
            entity.ETag = (await table.AddEntityAsync(entity)).Headers.ETag ?? ETag.All;
            entities.Add(entity);
        }

        return await TimedAsync(count, async i =>
        {
            entities[i]["Position"] = "Timed";
            await table.UpdateEntityAsync(entities[i], entities[i].ETag, TableUpdateMode.Replace);
        });
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

/// <summary>Storage calls per request kind (mean, max) and the PUT against a bare replace (p50 ms).</summary>
public sealed record CallsFigures(int Count, IReadOnlyDictionary<string, (double Mean, int Max)> Calls, double PutP50, double RawReplaceP50)
{
    public double PutRatio => PutP50 / RawReplaceP50;
}
