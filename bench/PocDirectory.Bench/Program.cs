using System.Globalization;
using PocDirectory.Bench;

// Benchmarks of the running system. Each prints its figures next to a baseline measured in the same run.
//   all                                   everything below, then a table and how each figure grows from 1,000 to 10,000 POCs
//   directory [pocs]                      API vs raw TableClient, 1/8/32 clients
//   campaign [pocs] [AzureStorage|InMemory] [--set Key=Value ...]
//   communication [sends] [AzureStorage|InMemory]  POST /api/communications to the first message at SMTP, vs a plain send loop
//   meeting [pocs] [AzureStorage|InMemory]     invite to the last invitation accepted by SMTP vs a plain send loop
//   calls [n]                             Table Storage calls per GET / PUT / acknowledgement (runner telemetry); PUT vs a bare replace
//   exercise [injects] [AzureStorage|InMemory]  inject delivery offset against schedule vs a plain timer loop
//   pgp [pocs] [AzureStorage|InMemory]         the same campaign to POCs without and with an OpenPGP key: extra time per encrypted message
var mode = args.FirstOrDefault() ?? "all";
var numbers = args.Skip(1).Where(a => int.TryParse(a, CultureInfo.InvariantCulture, out _)).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
var overrides = args.SkipWhile(a => a != "--set").Skip(1).Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
switch (mode)
{
    case "all":
        await AllBenchmarks.RunAsync();
        break;
    case "campaign":
        var backend = args.Skip(1).FirstOrDefault(a => a is "AzureStorage" or "InMemory") ?? "AzureStorage";
        await CampaignBenchmark.RunAsync(numbers.FirstOrDefault(1000), backend, overrides);
        break;
    case "communication":
        await CommunicationBenchmark.RunAsync(numbers.FirstOrDefault(200), args.Skip(1).FirstOrDefault(a => a is "AzureStorage" or "InMemory") ?? "AzureStorage");
        break;
    case "meeting":
        await MeetingBenchmark.RunAsync(numbers.FirstOrDefault(1000), args.Skip(1).FirstOrDefault(a => a is "AzureStorage" or "InMemory") ?? "AzureStorage");
        break;
    case "calls":
        await CallsBenchmark.RunAsync(numbers.FirstOrDefault(200));
        break;
    case "exercise":
        await ExerciseBenchmark.RunAsync(numbers.FirstOrDefault(50), args.Skip(1).FirstOrDefault(a => a is "AzureStorage" or "InMemory") ?? "AzureStorage");
        break;
    case "pgp":
        await PgpBenchmark.RunAsync(numbers.FirstOrDefault(200), args.Skip(1).FirstOrDefault(a => a is "AzureStorage" or "InMemory") ?? "AzureStorage");
        break;
    case "directory":
        await DirectoryBenchmark.RunAsync(numbers.FirstOrDefault(1000));
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{mode}'. Known: all, directory, campaign, communication, meeting, calls, exercise, pgp.");
        return 2;
}

return 0;
