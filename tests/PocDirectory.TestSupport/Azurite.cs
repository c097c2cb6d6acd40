using System.Net.Sockets;

namespace PocDirectory.TestSupport;

/// <summary>A real Azurite on free loopback ports with in-memory storage, started for a test run.</summary>
public sealed class Azurite : IAsyncDisposable
{
    private readonly string? _location;
    private ChildProcess? _process;

    private Azurite(string? location) => _location = location;

    public int BlobPort { get; private set; } = FreePorts.Next();

    public int QueuePort { get; private set; } = FreePorts.Next();

    public int TablePort { get; private set; } = FreePorts.Next();

    /// <summary>Azurite's published development account; not a secret.</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>Starts Azurite in memory, or with <paramref name="persistent"/> on disk so data survives <see cref="Stop"/>.</summary>
    public static async Task<Azurite> StartAsync(bool persistent = false)
    {
        var azurite = new Azurite(persistent ? Directory.CreateTempSubdirectory("azurite-").FullName : null);
        try
        {
            // Another process may bind a port between our check and Azurite's bind; nobody holds the connection string
            // yet, so a first start that lost a port simply tries fresh ones.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await azurite.StartProcessAsync();
                    return azurite;
                }
                catch (ExitedAtStartException) when (attempt < 3)
                {
                    (azurite.BlobPort, azurite.QueuePort, azurite.TablePort) = (FreePorts.Next(), FreePorts.Next(), FreePorts.Next());
                }
            }
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stops it, as an outage would. In memory, data is lost; on disk, it is shut down cleanly so its data is there at
    /// the next start (Azurite writes its table store lazily, and a killed emulator would lose what a real outage keeps).
    /// </summary>
    public void Stop()
    {
        if (_location is not null)
        {
            _process?.Terminate(TimeSpan.FromSeconds(20));
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task StartProcessAsync()
    {
        if (!File.Exists(RepoPaths.Azurite))
        {
            throw new InvalidOperationException($"{RepoPaths.Azurite} is missing: run `npm ci` at the repository root (./test.sh does).");
        }

        _process = new ChildProcess(RepoPaths.Azurite,
            [
                "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                .. (_location is null ? new[] { "--inMemoryPersistence" } : new[] { "--location", _location }),
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ],
            new Dictionary<string, string?>());
        var process = _process;
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(process.HasExited || (Listening(BlobPort) && Listening(QueuePort) && Listening(TablePort))),
                TimeSpan.FromSeconds(120), () => "Azurite did not start: " + process.Tail());
            if (process.HasExited)
            {
                // Almost always EADDRINUSE; its output may not all be read yet, so the exit itself is the signal.
                throw new ExitedAtStartException(process.Tail());
            }
        }
        catch (Exception)
        {
            // Nobody will dispose an emulator that failed to start; left running, it would outlive the test run.
            _process.Dispose();
            _process = null;
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        if (_location is not null)
        {
            Directory.Delete(_location, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private sealed class ExitedAtStartException(string output) : Exception("Azurite exited at start: " + output);

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
