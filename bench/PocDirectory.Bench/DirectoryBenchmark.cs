using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// Directory reads and writes (issue #6): one participant with N POCs; a point read, a page of the participant's POCs,
/// a filtered search and a replace with If-Match, each at 1, 8 and 32 concurrent clients, through the local runner over
/// HTTP. The baseline is the same operation done directly with a <see cref="TableClient"/> on the same Azurite, in the
/// same run: raw and API runs alternate (raw, api, raw, api, ...) so machine noise hits both, and each figure is the
/// median of the repeats.
/// </summary>
public static class DirectoryBenchmark
{
    private const string Table = "Directory";
    private const string PocRowKeyPrefix = "poc|";
    private const string PocRowKeyEnd = "poc}";
    private const string SearchText = "Person 01";
    private const int PageSize = 50;
    private const int Repeats = 3;
    private const string User = "secretariat@example.org";
    private static readonly int[] Concurrency = [1, 8, 32];

    public static async Task<DirectoryFigures> RunAsync(int pocCount)
    {
        // No campaigns run here: the in-memory durable backend keeps the Azure Storage provider's queue polling off
        // Azurite, which both sides share.
        await using var stack = await BenchStack.StartAsync("InMemory");
        var (azurite, runner) = (stack.Azurite, stack.Runner);
        var cpu = CpuMeter.Find(runner.Process.Id);

        using var api = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 64,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            BaseAddress = runner.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await runner.TokenForAsync(User));

        // The same kind of transport for the raw side, so connection handling is not what differs.
        var raw = new TableClient(azurite.ConnectionString, Table, new TableClientOptions
        {
            Transport = new HttpClientTransport(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) }),
        });

        // Setup through the API, as a Secretariat user would: one participant, its POCs 4 at a time.
        var clock = Stopwatch.StartNew();
        var (participant, ids) = await BenchDirectory.CreateAsync(api, pocCount, parallelism: 4);
        var setup = clock.Elapsed;
        var partition = participant.ToUpperInvariant();
        var index = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);

        // Both sides must return the same thing, or the comparison means nothing.
        var listFilter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {PocRowKeyPrefix} and RowKey lt {PocRowKeyEnd}");
        var searchFilter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey ge {PocRowKeyPrefix} and RowKey lt {PocRowKeyEnd} and Kind eq {"Technical"}");
        var listUrl = $"api/pocs?participant={participant}&pageSize={PageSize}";
        var searchUrl = $"api/pocs?participant={participant}&kind=Technical&q={Uri.EscapeDataString(SearchText)}";
        var (apiList, rawList) = (await ApiItemCountAsync(api, listUrl), (await RawListAsync(raw, listFilter)).Count);
        var (apiSearch, rawSearch) = (await ApiItemCountAsync(api, searchUrl), (await RawSearchAsync(raw, searchFilter)).Count);
        if (apiList != rawList || apiSearch != rawSearch || apiList != PageSize || apiSearch == 0)
        {
            throw new InvalidOperationException($"The sides disagree: list api={apiList} raw={rawList}, search api={apiSearch} raw={rawSearch}.");
        }

        // Reads pick POCs spread over the partition; writes take a fresh window of distinct POCs per run (no 412 contention).
        string PocFor(int op) => ids[(int)((op * 7919L) % pocCount)];
        var writeRun = 0;
        var operations = new[]
        {
            new Operation("get", 400,
                () => Task.FromResult<Func<int, Task>>(async op =>
                {
                    using var response = await api.GetAsync($"api/pocs/{PocFor(op)}", HttpCompletionOption.ResponseContentRead);
                    await BenchDirectory.EnsureOkAsync(response);
                }),
                () => Task.FromResult<Func<int, Task>>(async op =>
                    await raw.GetEntityAsync<TableEntity>(partition, PocRowKeyPrefix + PocFor(op)))),
            new Operation("list", 64,
                () => Task.FromResult<Func<int, Task>>(async _ =>
                {
                    using var response = await api.GetAsync(listUrl, HttpCompletionOption.ResponseContentRead);
                    await BenchDirectory.EnsureOkAsync(response);
                }),
                () => Task.FromResult<Func<int, Task>>(async _ => await RawListAsync(raw, listFilter))),
            new Operation("search", 64,
                () => Task.FromResult<Func<int, Task>>(async _ =>
                {
                    using var response = await api.GetAsync(searchUrl, HttpCompletionOption.ResponseContentRead);
                    await BenchDirectory.EnsureOkAsync(response);
                }),
                () => Task.FromResult<Func<int, Task>>(async _ => await RawSearchAsync(raw, searchFilter))),
            new Operation("put", 200,
                async () =>
                {
                    var (targets, run) = WriteWindow(ids, 200, writeRun++);

                    // The If-Match of each PUT comes from a GET through the API, made before the clock starts.
                    var etags = new string[targets.Length];
                    await Parallel.ForEachAsync(Enumerable.Range(0, targets.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                    {
                        using var response = await api.GetAsync($"api/pocs/{targets[i]}", ct);
                        await BenchDirectory.EnsureOkAsync(response);
                        etags[i] = response.Headers.ETag?.ToString() ?? throw new InvalidOperationException("GET /api/pocs/{id} sent no ETag.");
                    });
                    return async op =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/pocs/{targets[op]}")
                        {
                            Content = JsonContent.Create(BenchDirectory.PocBody(participant, index[targets[op]], $"Updated api {run}")),
                        };
                        request.Headers.TryAddWithoutValidation("If-Match", etags[op]);
                        using var response = await api.SendAsync(request);
                        await BenchDirectory.EnsureOkAsync(response);
                    };
                },
                async () =>
                {
                    var (targets, run) = WriteWindow(ids, 200, writeRun++);
                    var entities = new TableEntity[targets.Length];
                    await Parallel.ForEachAsync(Enumerable.Range(0, targets.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
                        entities[i] = (await raw.GetEntityAsync<TableEntity>(partition, PocRowKeyPrefix + targets[i], cancellationToken: ct)).Value);
                    return async op =>
                    {
                        var entity = entities[op];
                        entity["Position"] = $"Updated raw {run}";
                        entity["UpdatedAt"] = DateTimeOffset.UtcNow;
                        await raw.UpdateEntityAsync(entity, entity.ETag, TableUpdateMode.Replace);
                    };
                }),
        };

        // Warm up both sides (JIT, connection pools, Azurite's caches) before anything is recorded.
        foreach (var operation in operations)
        {
            await MeasureAsync(cpu, await operation.Raw(), Math.Min(100, operation.Count / 2), 8);
            await MeasureAsync(cpu, await operation.Api(), Math.Min(100, operation.Count / 2), 8);
        }

        var rows = new List<Row>();
        foreach (var operation in operations)
        {
            foreach (var clients in Concurrency)
            {
                var rawRuns = new List<Run>();
                var apiRuns = new List<Run>();
                for (var repeat = 0; repeat < Repeats; repeat++)
                {
                    rawRuns.Add(await MeasureAsync(cpu, await operation.Raw(), operation.Count, clients));
                    apiRuns.Add(await MeasureAsync(cpu, await operation.Api(), operation.Count, clients));
                }

                rows.Add(new Row(operation.Name, operation.Count, clients, Run.Median(apiRuns), Run.Median(rawRuns)));
            }
        }

        // The storage calls the API makes besides the operation itself, timed raw on the same Azurite at 1 client: the
        // caller's role lookup (a partition query, as RoleStore does on a cache miss) and, for writes, the audit row (into a table of
        // the benchmark's own, so the product's audit log stays clean).
        var roles = new TableClient(azurite.ConnectionString, "RoleAssignments");
        var roleFilter = TableClient.CreateQueryFilter($"PartitionKey eq {Uri.EscapeDataString(User)}");
        if (!await roles.QueryAsync<TableEntity>(roleFilter).AnyAsync())
        {
            throw new InvalidOperationException($"No role assignment found for {User}: the role lookup baseline would time an empty partition.");
        }

        var audit = new TableClient(azurite.ConnectionString, "BenchAuditBaseline");
        await audit.CreateIfNotExistsAsync();
        var changes = System.Text.Json.JsonSerializer.Serialize(new[] { new { field = "position", before = (string?)null, after = "Updated api 1" }, new { field = "updatedAt", before = (string?)"2026-11-28T06:00:00Z", after = "2026-11-28T06:00:01Z" } });
        var components = new[]
        {
            ("role lookup", (Func<int, Task>)(async _ =>
            {
                await foreach (var entity in roles.QueryAsync<TableEntity>(roleFilter))
                {
                    GC.KeepAlive(entity);
                }
            })),
            ("audit insert", async op => await audit.AddEntityAsync(new TableEntity("99979872", $"{DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UtcNow.UtcTicks:D19}-{Guid.NewGuid():N}")
            {
                ["Id"] = Guid.NewGuid().ToString("N"), ["At"] = DateTimeOffset.UtcNow, ["Actor"] = User, ["Action"] = "Poc.Updated",
                ["EntityType"] = "Poc", ["EntityId"] = ids[op % pocCount], ["Changes"] = changes,
            })),
        };
        var componentP50 = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, call) in components)
        {
            await MeasureAsync(cpu, call, 100, 8);
            var runs = new List<Run>();
            for (var repeat = 0; repeat < Repeats; repeat++)
            {
                runs.Add(await MeasureAsync(cpu, call, 300, 1));
            }

            componentP50[name] = Run.Median(runs).P50;
        }

        var measured = clock.Elapsed - setup;
        Console.WriteLine($"directory  pocs={pocCount} participant={participant} setup={setup.TotalSeconds:F1} s measured={measured.TotalSeconds:F1} s " +
                          $"repeats={Repeats} (median of each figure), list/search return {apiList}/{apiSearch} items on both sides");
        Console.WriteLine("  op      clients   ops |  api p50    p99    ops/s |  raw p50    p99    ops/s | api/raw p50  ops/s");
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Name,-7} {row.Clients,7} {row.Count,5} | {row.Api.P50,8:F2} {row.Api.P99,6:F1} {row.Api.Throughput,8:F0} | " +
                $"{row.Raw.P50,8:F2} {row.Raw.P99,6:F1} {row.Raw.Throughput,8:F0} | {row.Api.P50 / row.Raw.P50,9:F2}x {row.Api.Throughput / row.Raw.Throughput,6:F2}x"));
        }

        Console.WriteLine("  (latencies in ms; ops/s = operations / wall time of the run; api/raw ops/s below 1 means the API does fewer)");
        if (cpu is not null)
        {
            Console.WriteLine("  CPU ms per operation at 8 clients (client = this process, runner, Azurite; all share the machine's cores):");
            Console.WriteLine("  op      |   api client runner azurite  total |   raw client azurite  total | api/raw total");
            foreach (var row in rows.Where(r => r.Clients == 8))
            {
                var (a, r) = (row.Api.Cpu, row.Raw.Cpu);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {row.Name,-7} | {a.Client,12:F2} {a.Runner,6:F2} {a.Azurite,7:F2} {a.Total,6:F2} | {r.Client,12:F2} {r.Azurite,7:F2} {r.Total,6:F2} | {a.Total / r.Total,12:F2}x"));
            }
        }

        var at1 = rows.Where(r => r.Clients == 1).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var (role, insert) = (componentP50["role lookup"], componentP50["audit insert"]);
        var (read, replace) = (at1["get"].Raw.P50, at1["put"].Raw.P50);
        Console.WriteLine("  where an API request's time goes at 1 client (p50 ms of each storage call done raw on the same Azurite):");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    point read {read:F2}, replace with ETag {replace:F2}, audit insert {insert:F2}; role lookup query {role:F2} (answered from the role cache after a user's first request)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    get = point read                          = {read,6:F2} of API p50 {at1["get"].Api.P50,6:F2} -> {at1["get"].Api.P50 - read,5:F2} in JWT, runner, JSON and the HTTP hop"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    put = point read + replace + audit insert = {read + replace + insert,6:F2} of API p50 {at1["put"].Api.P50,6:F2} -> {at1["put"].Api.P50 - read - replace - insert,5:F2} elsewhere"));
        var at8 = rows.Where(r => r.Clients == 8).ToDictionary(r => r.Name, StringComparer.Ordinal);
        var key = at8["get"].Api.P50 / at8["get"].Raw.P50;
        var cpuNote = cpu is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; CPU per get {at8["get"].Api.Cpu.Total / at8["get"].Raw.Cpu.Total:F2}x");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: directory reads and writes ({pocCount} POCs, 8 clients): API/raw p50 ratio for single-entity reads {key:F2}x " +
            $"(target <= 1.5, {(key <= 1.5 ? "met" : "not met")}); list {Ratio(at8["list"])}, search {Ratio(at8["search"])}, put {Ratio(at8["put"])} " +
            $"(p50 ratio; API/raw throughput get {at8["get"].Api.Throughput / at8["get"].Raw.Throughput:F2}, put {at8["put"].Api.Throughput / at8["put"].Raw.Throughput:F2}{cpuNote})"));
        return new DirectoryFigures(pocCount, at8.ToDictionary(p => p.Key, p => (p.Value.Api.P50, p.Value.Raw.P50, p.Value.Api.Throughput), StringComparer.Ordinal));
    }

    private static string Ratio(Row row) => string.Create(CultureInfo.InvariantCulture, $"{row.Api.P50 / row.Raw.P50:F2}x");

    /// <summary>The create/replace body of POC number <paramref name="i"/>: even numbers Technical, names "Person 0000".."Person 0999".</summary>
    /// <summary>A window of distinct POCs for one write run; consecutive runs move on through the participant's POCs.</summary>
    private static (string[] Targets, int Run) WriteWindow(string[] ids, int count, int run)
        => (Enumerable.Range(0, Math.Min(count, ids.Length)).Select(i => ids[((run * count) + i) % ids.Length]).ToArray(), run);

    /// <summary>A page of the participant's POCs, as a client of Table Storage would read it.</summary>
    private static async Task<IReadOnlyList<TableEntity>> RawListAsync(TableClient raw, string filter)
    {
        await foreach (var page in raw.QueryAsync<TableEntity>(filter, maxPerPage: PageSize).AsPages(pageSizeHint: PageSize))
        {
            return page.Values;
        }

        return [];
    }

    /// <summary>Kind filtered by the server, text matched in memory; one more than a page tells whether another page exists, as the API does.</summary>
    private static async Task<List<TableEntity>> RawSearchAsync(TableClient raw, string filter)
    {
        var matches = new List<TableEntity>(PageSize + 1);
        await foreach (var entity in raw.QueryAsync<TableEntity>(filter, maxPerPage: 1000))
        {
            if ((entity.GetString("FullName") ?? string.Empty).Contains(SearchText, StringComparison.OrdinalIgnoreCase)
                || (entity.GetString("Organisation") ?? string.Empty).Contains(SearchText, StringComparison.OrdinalIgnoreCase))
            {
                matches.Add(entity);
                if (matches.Count > PageSize)
                {
                    break;
                }
            }
        }

        return matches.Take(PageSize).ToList();
    }

    private static async Task<int> ApiItemCountAsync(HttpClient api, string url)
    {
        using var response = await api.GetAsync(url);
        await BenchDirectory.EnsureOkAsync(response);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["items"]!.AsArray().Count;
    }

    /// <summary>Runs <paramref name="count"/> operations on <paramref name="clients"/> concurrent clients, timing each one.</summary>
    private static async Task<Run> MeasureAsync(CpuMeter? cpu, Func<int, Task> operation, int count, int clients)
    {
        var latencies = new long[count];
        var next = -1;
        var cpuBefore = cpu?.Read();
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            for (var op = Interlocked.Increment(ref next); op < count; op = Interlocked.Increment(ref next))
            {
                var start = Stopwatch.GetTimestamp();
                await operation(op);
                latencies[op] = Stopwatch.GetTimestamp() - start;
            }
        })));
        var elapsed = wall.Elapsed;
        var used = cpuBefore is null ? default : (cpu!.Read() - cpuBefore.Value) / count;
        Array.Sort(latencies);
        var milliseconds = latencies.Select(Milliseconds).ToList();
        return new Run(Stats.Percentile(milliseconds, 0.50), Stats.Percentile(milliseconds, 0.99), count / elapsed.TotalSeconds, used);
    }

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>One operation of the benchmark: each side prepares a run (untimed) and returns what one request does.</summary>
    private sealed record Operation(string Name, int Count, Func<Task<Func<int, Task>>> Api, Func<Task<Func<int, Task>>> Raw);

    private sealed record Run(double P50, double P99, double Throughput, Cpu Cpu)
    {
        public static Run Median(List<Run> runs) => new(
            Stats.Median(runs.Select(r => r.P50)), Stats.Median(runs.Select(r => r.P99)), Stats.Median(runs.Select(r => r.Throughput)),
            new Cpu(Stats.Median(runs.Select(r => r.Cpu.Client)), Stats.Median(runs.Select(r => r.Cpu.Runner)), Stats.Median(runs.Select(r => r.Cpu.Azurite))));
    }

    private sealed record Row(string Name, int Count, int Clients, Run Api, Run Raw);

}

/// <summary>The figures at 8 concurrent clients, by operation: API and raw p50 (ms) and API operations per second.</summary>
public sealed record DirectoryFigures(int Pocs, IReadOnlyDictionary<string, (double ApiP50, double RawP50, double ApiOpsPerSecond)> At8Clients);
