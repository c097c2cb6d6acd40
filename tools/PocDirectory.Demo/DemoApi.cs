using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.Demo;

/// <summary>The API as the demo calls it: signed-in clients, JSON in and out, a failure that says which call failed.</summary>
public sealed class DemoApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _anonymous = new(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
    private readonly Dictionary<string, HttpClient> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _usersLock = new(1, 1);

    public Uri BaseAddress => baseAddress;

    /// <summary>The client for links a POC follows without signing in.</summary>
    public HttpClient Anonymous => _anonymous;

    /// <summary>A client signed in as <paramref name="email"/> with a development token (run.sh's runner offers the route).</summary>
    public async Task<HttpClient> AsAsync(string email, CancellationToken cancellationToken)
    {
        await _usersLock.WaitAsync(cancellationToken);
        try
        {
            if (_users.TryGetValue(email, out var existing))
            {
                return existing;
            }

            var token = (await SendAsync(_anonymous, HttpMethod.Post, "api/dev/token", new { email }, cancellationToken))!["token"]!.GetValue<string>();
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 32 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            _users[email] = client;
            return client;
        }
        finally
        {
            _usersLock.Release();
        }
    }

    public static Task<JsonNode?> GetAsync(HttpClient client, string path, CancellationToken cancellationToken)
        => SendAsync(client, HttpMethod.Get, path, null, cancellationToken);

    public static Task<JsonNode?> PostAsync(HttpClient client, string path, object? body, CancellationToken cancellationToken)
        => SendAsync(client, HttpMethod.Post, path, body, cancellationToken);

    /// <summary>Every item of a paged list, following continuation tokens.</summary>
    public static async Task<List<JsonObject>> ListAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var items = new List<JsonObject>();
        string? continuation = null;
        do
        {
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            var page = await GetAsync(client, continuation is null ? path : $"{path}{separator}continuationToken={Uri.EscapeDataString(continuation)}", cancellationToken);
            items.AddRange(page!["items"]!.AsArray().Select(i => i!.AsObject()));
            continuation = page["continuationToken"]?.GetValue<string>();
        }
        while (continuation is not null);
        return items;
    }

    /// <summary>Sends; waits out a 429 (the runner's write limit) as Retry-After says; throws on anything else but success.</summary>
    public static async Task<JsonNode?> SendAsync(HttpClient client, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 10)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2), cancellationToken);
                continue;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new DemoApiException(method, path, response.StatusCode, text);
            }

            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
    }

    public void Dispose()
    {
        _anonymous.Dispose();
        foreach (var client in _users.Values)
        {
            client.Dispose();
        }

        _usersLock.Dispose();
    }
}

/// <summary>A call the demo made that the API refused: the method, path, status and ProblemDetails, so a stopped demo says why.</summary>
public sealed class DemoApiException(HttpMethod method, string path, HttpStatusCode status, string body)
    : Exception($"{method} {path} answered {(int)status}: {body}")
{
    public HttpStatusCode Status { get; } = status;
}
