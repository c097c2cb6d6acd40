using PocDirectory.Bench;

// Benchmarks of the running system. Each prints its figures next to a baseline measured in the same run.
//   dotnet run -c Release --project bench/PocDirectory.Bench -- campaign [pocs] [AzureStorage|InMemory]
var mode = args.FirstOrDefault() ?? "campaign";
switch (mode)
{
    case "campaign":
        var pocs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000;
        var backend = args.Length > 2 ? args[2] : "AzureStorage";
        await CampaignBenchmark.RunAsync(pocs, backend);
        break;
    case "directory":
        await DirectoryBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1000);
        break;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{mode}'. Known: campaign.");
        return 2;
}

return 0;
