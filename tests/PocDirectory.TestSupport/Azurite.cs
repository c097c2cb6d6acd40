using System.Net.Sockets;

namespace PocDirectory.TestSupport;

/// <summary>A real Azurite on free loopback ports with in-memory storage, started for a test run.</summary>
public sealed class Azurite : IAsyncDisposable
{
    private readonly string? _location;
    private ChildProcess? _process;

    private Azurite(string? location) => _location = location;

    public int BlobPort { get; } = FreePorts.Next();

    public int QueuePort { get; } = FreePorts.Next();

    public int TablePort { get; } = FreePorts.Next();

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
            await azurite.StartProcessAsync();
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }

        return azurite;
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
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(Listening(BlobPort) && Listening(QueuePort) && Listening(TablePort)),
                TimeSpan.FromSeconds(60), () => "Azurite did not start: " + _process.Tail());
        }
        catch (TimeoutException)
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
