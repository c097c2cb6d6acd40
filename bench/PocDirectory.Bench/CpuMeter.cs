using System.Globalization;

namespace PocDirectory.Bench;

/// <summary>CPU time in ms (per operation once divided) of this process (the clients), the runner and Azurite.</summary>
public readonly record struct Cpu(double Client, double Runner, double Azurite)
{
    public double Total => Client + Runner + Azurite;

    public static Cpu operator -(Cpu a, Cpu b) => new(a.Client - b.Client, a.Runner - b.Runner, a.Azurite - b.Azurite);

    public static Cpu operator /(Cpu a, int n) => new(a.Client / n, a.Runner / n, a.Azurite / n);
}

/// <summary>
/// Reads the CPU time each process has used from /proc (Linux only), so a run can say how much work an operation
/// costs in each process: on a small machine the clients, the runner and Azurite share the same cores.
/// </summary>
public sealed class CpuMeter(int runner, int azurite)
{
    public static CpuMeter? Find(int runner)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid) && Stat(pid)?[1] == self
                    && File.ReadAllText(Path.Combine(dir, "cmdline")).Contains("azurite", StringComparison.Ordinal))
                {
                    return new CpuMeter(runner, pid);
                }
            }
            catch (IOException)
            {
                // A process that ended while the list was read.
            }
        }

        return null;
    }

    public Cpu Read() => new(Milliseconds(Environment.ProcessId), Milliseconds(runner), Milliseconds(azurite));

    /// <summary>utime + stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).</summary>
    private static double Milliseconds(int pid)
        => Stat(pid) is { } fields ? (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0 : 0;

    /// <summary>The fields of /proc/{pid}/stat after the command name: [0] state, [1] ppid, ... [11] utime, [12] stime.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }
}
