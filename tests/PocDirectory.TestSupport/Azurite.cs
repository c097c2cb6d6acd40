using System.Net.Sockets;

namespace PocDirectory.TestSupport;

/// <summary>A real Azurite on free loopback ports with in-memory storage, started for a test run.</summary>
public sealed class Azurite : IAsyncDisposable
{
    private ChildProcess? _process;

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

    public static async Task<Azurite> StartAsync()
    {
        var azurite = new Azurite();
        await azurite.StartProcessAsync();
        return azurite;
    }

    /// <summary>Stops it (its in-memory data is lost), as an outage would.</summary>
    public void Stop() => _process?.Dispose();

    public async Task StartProcessAsync()
    {
        if (!File.Exists(RepoPaths.Azurite))
        {
            throw new InvalidOperationException($"{RepoPaths.Azurite} is missing: run `npm ci` at the repository root (./test.sh does).");
        }

        _process = new ChildProcess(RepoPaths.Azurite,
            [
                "--silent", "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ],
            new Dictionary<string, string?>());
        await Wait.UntilAsync(() => Task.FromResult(Listening(BlobPort) && Listening(QueuePort) && Listening(TablePort)),
            TimeSpan.FromSeconds(60), () => "Azurite did not start: " + _process.Tail());
    }

    public ValueTask DisposeAsync()
    {
        Stop();
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
