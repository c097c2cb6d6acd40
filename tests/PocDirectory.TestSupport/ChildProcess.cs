using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PocDirectory.TestSupport;

/// <summary>A process started by a test, with its output kept for assertions and diagnostics, killed with its children on dispose.</summary>
public sealed class ChildProcess : IDisposable
{
    // A test host or benchmark stopped with Ctrl+C or SIGTERM never reaches its disposals; without this, Azurite and
    // runners it started would live on as orphans holding ports and CPU. The handlers stay registered for the process's
    // life (static fields are initialised together, on the first child's registration in _live).
    private static readonly ConcurrentDictionary<ChildProcess, byte> _live = new();
    private static readonly PosixSignalRegistration[] _onStop =
    [
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => KillAll()),
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => KillAll()),
    ];

    private static void KillAll()
    {
        foreach (var child in _live.Keys)
        {
            child.Kill();
        }
    }

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private bool _disposed;

    public ChildProcess(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _live[this] = 0;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far.</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    public string Tail(int lines = 40) => string.Join(Environment.NewLine, _output.TakeLast(lines));

    /// <summary>SIGKILL: the process gets no chance to clean up, as in a crash.</summary>
    public void Kill()
    {
        if (_disposed)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, then waits for the process to exit (a clean shutdown that lets it flush its data).</summary>
    public void Terminate(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        Signal("-TERM");

        if (!_process.WaitForExit(timeout))
        {
            Kill();
        }
    }

    /// <summary>
    /// SIGSTOP: the process halts wherever it is, so a test can look at storage as a crash at that moment would leave it,
    /// then <see cref="Kill"/> it there or <see cref="Resume"/> it.
    /// </summary>
    public void Pause() => Signal("-STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("-CONT");

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public void Dispose()
    {
        Kill();
        _live.TryRemove(this, out _);
        _process.Dispose();
        _disposed = true;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 20_000 && _output.TryDequeue(out _))
        {
        }
    }
}
