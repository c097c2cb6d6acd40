using System.Diagnostics;
using System.Reflection;

namespace PocDirectory.InfraTests;

/// <summary>Runs the Bicep CLI restored from NuGet (see the csproj); offline, no Azure CLI needed.</summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string InfraDirectory => Path.Combine(RepoRoot, "infra");

    public static string MainTemplate => Path.Combine(InfraDirectory, "main.bicep");

    public static string Executable { get; } = Metadata("BicepCliPath");

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Every non-empty line the CLI printed, both streams.</summary>
        public IReadOnlyList<string> Lines =>
            (StandardOutput + "\n" + StandardError).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).ToList();
    }

    public static async Task<Result> RunAsync(params string[] arguments)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"The Bicep CLI is not at {Executable}: restore this project (it downloads Azure.Bicep.CommandLine.linux-x64).");
        }

        EnsureExecutable(Executable);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = InfraDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry or update checks; the CLI also works without a network.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    private static void EnsureExecutable(string path)
    {
        // NuGet extraction keeps the mode on Linux today; set it anyway so a different extractor cannot break the tests.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }
        }
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing (set in the csproj).");
}
