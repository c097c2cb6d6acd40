using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PocDirectory.UnitTests.Email;

/// <summary>
/// A stand-in for the ACS Email REST API on a loopback port. It checks authentication the way the service defines
/// it, recomputing the HMAC from the raw request (answering 401 on mismatch), records every request, and answers
/// from scripted replies, falling back to "202 Running" for sends and "200 Succeeded" for polls.
/// </summary>
public sealed class FakeAcsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly byte[]? _key;
    private readonly string? _bearerToken;
    private readonly Lock _lock = new();
    private readonly Queue<CannedReply> _sendReplies = new();
    private readonly Queue<CannedReply> _pollReplies = new();
    private readonly List<RecordedRequest> _requests = [];

    private FakeAcsServer(WebApplication app, byte[]? key, string? bearerToken)
    {
        _app = app;
        _key = key;
        _bearerToken = bearerToken;
    }

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Plain HTTP, requests must be HMAC-signed with <paramref name="accessKey"/>.</summary>
    public static Task<FakeAcsServer> StartAsync(string accessKey) =>
        StartCoreAsync(Convert.FromBase64String(accessKey), bearerToken: null, certificate: null);

    /// <summary>HTTPS (Azure.Core sends bearer tokens only over TLS), requests must carry <paramref name="bearerToken"/>.</summary>
    public static Task<FakeAcsServer> StartWithBearerAsync(string bearerToken, X509Certificate2 certificate) =>
        StartCoreAsync(key: null, bearerToken, certificate);

    /// <summary>Scripts the next answer to POST /emails:send. "{id}" in the body is replaced by the request's Operation-Id.</summary>
    public void EnqueueSendReply(int status, string? json = null, params (string Name, string Value)[] headers)
    {
        lock (_lock)
        {
            _sendReplies.Enqueue(new CannedReply(status, json, headers));
        }
    }

    /// <summary>Scripts the next answer to GET /emails/operations/{id}. "{id}" in the body is replaced by the id polled.</summary>
    public void EnqueuePollReply(int status, string? json = null, params (string Name, string Value)[] headers)
    {
        lock (_lock)
        {
            _pollReplies.Enqueue(new CannedReply(status, json, headers));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task<FakeAcsServer> StartCoreAsync(byte[]? key, string? bearerToken, X509Certificate2? certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));

        var app = builder.Build();
        var server = new FakeAcsServer(app, key, bearerToken);
        app.Run(server.HandleAsync);
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.Endpoint = new Uri(address);
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var receivedAt = Stopwatch.GetElapsedTime(0);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();

        var rawTarget = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var authenticated = _key is not null ? HmacIsValid(context, rawTarget, body) : BearerIsValid(context);
        var operationIdHeader = context.Request.Headers["Operation-Id"].ToString();
        var recorded = new RecordedRequest(
            context.Request.Method,
            rawTarget,
            receivedAt,
            string.IsNullOrEmpty(operationIdHeader) ? null : operationIdHeader,
            body.Length == 0 ? null : JsonDocument.Parse(body).RootElement.Clone(),
            authenticated);

        CannedReply reply;
        lock (_lock)
        {
            _requests.Add(recorded);
            var path = context.Request.Path.Value ?? string.Empty;
            if (!authenticated)
            {
                reply = new CannedReply(401, """{"error":{"code":"Denied","message":"Denied by the resource provider."}}""", []);
            }
            else if (HttpMethods.IsPost(context.Request.Method) && path == "/emails:send")
            {
                reply = _sendReplies.TryDequeue(out var next)
                    ? next with { Json = next.Json?.Replace("{id}", recorded.OperationId, StringComparison.Ordinal) }
                    : new CannedReply(202, $$"""{"id":"{{recorded.OperationId}}","status":"Running"}""", [("Retry-After", "0")]);
            }
            else if (HttpMethods.IsGet(context.Request.Method) && path.StartsWith("/emails/operations/", StringComparison.Ordinal))
            {
                var id = Uri.UnescapeDataString(path["/emails/operations/".Length..]);
                reply = _pollReplies.TryDequeue(out var next)
                    ? next with { Json = next.Json?.Replace("{id}", id, StringComparison.Ordinal) }
                    : new CannedReply(200, $$"""{"id":"{{id}}","status":"Succeeded"}""", []);
            }
            else
            {
                reply = new CannedReply(404, null, []);
            }
        }

        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (reply.Json is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Json);
        }
    }

    /// <summary>
    /// The service's definition, computed here without the production code: Base64(HMAC-SHA256(key, VERB\nPATH?QUERY\nDATE;HOST;HASH))
    /// over the request as it arrived (raw target and Host header), with the body hash checked against the body.
    /// </summary>
    private bool HmacIsValid(HttpContext context, string rawTarget, byte[] body)
    {
        const string Prefix = "HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=";
        var headers = context.Request.Headers;
        var authorization = headers.Authorization.ToString();
        var date = headers["x-ms-date"].ToString();
        var contentHash = headers["x-ms-content-sha256"].ToString();

        if (!authorization.StartsWith(Prefix, StringComparison.Ordinal) ||
            contentHash != Convert.ToBase64String(SHA256.HashData(body)) ||
            !DateTimeOffset.TryParseExact(date, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sentAt) ||
            (DateTimeOffset.UtcNow - sentAt).Duration() > TimeSpan.FromMinutes(5))
        {
            return false;
        }

        var stringToSign = $"{context.Request.Method}\n{rawTarget}\n{date};{headers.Host};{contentHash}";
        var expected = Convert.ToBase64String(HMACSHA256.HashData(_key!, Encoding.ASCII.GetBytes(stringToSign)));
        return CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected),
            Encoding.ASCII.GetBytes(authorization[Prefix.Length..]));
    }

    private bool BearerIsValid(HttpContext context) =>
        context.Request.IsHttps && context.Request.Headers.Authorization.ToString() == $"Bearer {_bearerToken}";

    private sealed record CannedReply(int Status, string? Json, (string Name, string Value)[] Headers);
}

/// <param name="ReceivedAt">Monotonic time since an arbitrary origin, to measure waits between requests.</param>
public sealed record RecordedRequest(
    string Method,
    string Target,
    TimeSpan ReceivedAt,
    string? OperationId,
    JsonElement? Body,
    bool Authenticated);
