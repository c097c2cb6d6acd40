using System.Diagnostics;
using PocDirectory.Demo;

// Fills a running local directory with the demo's sample data through its API (./run.sh --demo runs it).
//   --api URL           the runner (default http://127.0.0.1:7071/)
//   --mail URL          smtp4dev, whose messages hold the links POCs follow (default http://127.0.0.1:5080/)
//   --ping-window ISO   the demo campaign's response window (default PT2M: room to answer 214 pings read through smtp4dev)
// A rerun on a filled directory makes nothing and says so.
string Option(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

var clock = Stopwatch.StartNew();
using var api = new DemoApi(new Uri(Option("--api", "http://127.0.0.1:7071/")));
using var mailbox = new Smtp4devMailbox(new Uri(Option("--mail", "http://127.0.0.1:5080/")));
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
try
{
    var summary = await new DemoSeeder(api, mailbox, new DemoSettings(Option("--ping-window", DemoSettings.DefaultPingWindow)), m => Console.WriteLine($"demo: {m}"))
        .RunAsync(cancel.Token);
    Console.WriteLine(summary.NothingChanged
        ? $"demo: the directory already holds the demo data; nothing changed ({clock.Elapsed.TotalSeconds:F1} s)"
        : $"demo: {summary}");
    return 0;
}
catch (Exception e) when (e is DemoApiException or TimeoutException or HttpRequestException)
{
    Console.Error.WriteLine($"demo: stopped: {e.Message}");
    return 1;
}
