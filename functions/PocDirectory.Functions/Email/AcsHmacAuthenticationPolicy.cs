using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace PocDirectory.Functions.Email;

/// <summary>
/// Signs each request with an ACS access key (HMAC-SHA256 over method, path and query, date, host and body hash).
/// Registered per retry so that every attempt gets a fresh x-ms-date: ACS rejects requests whose date is too old.
/// </summary>
public sealed class AcsHmacAuthenticationPolicy : HttpPipelinePolicy
{
    private const string SignedHeaders = "x-ms-date;host;x-ms-content-sha256";

    private readonly byte[] _key;
    private readonly TimeProvider _timeProvider;

    public AcsHmacAuthenticationPolicy(string accessKey, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKey);
        _key = Convert.FromBase64String(accessKey);
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Sign(message, ReadContent(message.Request.Content, async: false, message.CancellationToken).GetAwaiter().GetResult());
        ProcessNext(message, pipeline);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        ArgumentNullException.ThrowIfNull(message);
        Sign(message, await ReadContent(message.Request.Content, async: true, message.CancellationToken));
        await ProcessNextAsync(message, pipeline);
    }

    private void Sign(HttpMessage message, byte[] content)
    {
        var uri = message.Request.Uri.ToUri();
        var date = _timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        var contentHash = Convert.ToBase64String(SHA256.HashData(content));

        // Authority carries the port only when it is not the scheme's default, which is what the service signs.
        var stringToSign = string.Create(
            CultureInfo.InvariantCulture,
            $"{message.Request.Method.Method}\n{uri.PathAndQuery}\n{date};{uri.Authority};{contentHash}");
        var signature = Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(stringToSign)));

        var headers = message.Request.Headers;
        headers.SetValue("x-ms-date", date);
        headers.SetValue("x-ms-content-sha256", contentHash);
        headers.SetValue("Authorization", $"HMAC-SHA256 SignedHeaders={SignedHeaders}&Signature={signature}");
    }

    private static async ValueTask<byte[]> ReadContent(RequestContent? content, bool async, CancellationToken cancellationToken)
    {
        if (content is null)
        {
            return [];
        }

        // The hash must cover exactly the bytes that go on the wire, whatever kind of RequestContent was set.
        using var buffer = new MemoryStream();
        if (async)
        {
            await content.WriteToAsync(buffer, cancellationToken);
        }
        else
        {
            content.WriteTo(buffer, cancellationToken);
        }

        return buffer.ToArray();
    }
}
