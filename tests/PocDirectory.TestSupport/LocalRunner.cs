using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace PocDirectory.TestSupport;

/// <summary>The local runner as users run it: a separate process serving real HTTP on loopback.</summary>
public sealed class LocalRunner : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private readonly List<string> _previousOutput = [];
    private ChildProcess _process;

    private LocalRunner(Dictionary<string, string?> environment, int port, ChildProcess process)
    {
        _environment = environment;
        Port = port;
        _process = process;
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>An anonymous client; use <see cref="ClientFor"/> for a signed-in one.</summary>
    public HttpClient Http { get; }

    public ChildProcess Process => _process;

    /// <summary>A setting the runner was started with, by configuration key ("Auth:DevSigningKey"), e.g. to forge tokens with its own key.</summary>
    public string? Setting(string key) => _environment.GetValueOrDefault(key.Replace(":", "__", StringComparison.Ordinal));

    /// <summary>A fresh random key per run: tokens minted by one test run are worthless in any other.</summary>
    public static string NewDevSigningKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Starts the runner with settings given as configuration keys ("Auth:Audience"), passed as environment variables.</summary>
    public static async Task<LocalRunner> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        environment["DOTNET_ENVIRONMENT"] = "Testing";
        environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        var port = FreePorts.Next();

        // Acknowledgement links point at the runner itself unless a test says otherwise.
        environment.TryAdd("Campaigns__PublicBaseUrl", $"http://127.0.0.1:{port}");
        var runner = new LocalRunner(environment, port, Launch(environment, port));
        await runner.WaitUntilHealthyAsync();
        return runner;
    }

    /// <summary>SIGKILL, then the same runner again on the same port and storage.</summary>
    public async Task RestartAsync()
    {
        _process.Kill();
        _previousOutput.AddRange(_process.Output);
        _process.Dispose();
        _process = Launch(_environment, Port);
        await WaitUntilHealthyAsync();
    }

    public void Kill() => _process.Kill();

    public async Task<string> TokenForAsync(string email, string? name = null)
    {
        using var response = await Http.PostAsJsonAsync("api/dev/token", new { email, name });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<TokenResponse>();
        return body!.Token;
    }

    public async Task<HttpClient> ClientForAsync(string email)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenForAsync(email));
        return client;
    }

    /// <summary>A client of its own (no connection shared with other tests) whose answers are counted in the <see cref="FaultLedger"/>.</summary>
    public HttpClient CountedClient(string? token = null)
    {
        var client = new HttpClient(FaultLedger.Counting(new SocketsHttpHandler())) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Dispose();
        Http.Dispose();

        // Kept for diagnosing a failed run (CI uploads nothing, but the log is there to read on the machine).
        var logs = Path.Combine(RepoPaths.Root, "TestResults", "logs");
        Directory.CreateDirectory(logs);
        await File.WriteAllLinesAsync(Path.Combine(logs, $"runner-{Port}.log"), _previousOutput.Concat(_process.Output));
    }

    private static ChildProcess Launch(IReadOnlyDictionary<string, string?> environment, int port)
    {
        if (!File.Exists(RepoPaths.LocalHostDll))
        {
            throw new InvalidOperationException($"{RepoPaths.LocalHostDll} is missing: build the solution first (./test.sh does).");
        }

        return new ChildProcess("dotnet", [RepoPaths.LocalHostDll, "--urls", $"http://127.0.0.1:{port}"], environment,
            Path.GetDirectoryName(RepoPaths.LocalHostDll));
    }

    private async Task WaitUntilHealthyAsync()
    {
        await Wait.UntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The local runner exited: " + _process.Tail());
            }

            using var response = await Http.GetAsync("api/health");
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(90), () => "The local runner did not become healthy: " + _process.Tail());
    }

    private sealed record TokenResponse(string Token);
}
