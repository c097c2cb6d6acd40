using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Security;

using PocDirectory.Functions.Delivery;

namespace PocDirectory.Functions.Api;

/// <summary>Settings of section "RateLimits": requests that change something, per caller per minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Anonymous writes per client address, and per acknowledgement link. A ministry behind one address may hold many POCs.</summary>
    public int AnonymousPerMinute { get; set; } = 120;

    /// <summary>Writes per signed-in user; a focal point entering a dozen POCs stays far below.</summary>
    public int WritesPerMinute { get; set; } = 300;

    /// <summary>
    /// Addresses or CIDR ranges of the proxies whose X-Forwarded-For is believed (comma-separated). In Azure the
    /// Functions host hands every request to the worker over loopback, so loopback is the default; a client's own
    /// X-Forwarded-For is ignored unless it arrives through one of these.
    /// </summary>
    public string TrustedProxies { get; set; } = "127.0.0.1/32,::1/128";
}

/// <summary>
/// Per-caller token buckets for requests that change state (reads are not limited). A signed-in user has a bucket of
/// their own; an anonymous request that carries a genuine acknowledgement link is limited per link, so junk sent by
/// anyone (even from the same address or proxy) can never use up a real link's budget; any other anonymous request is
/// limited per original client address. Per process: with several instances each holds its own buckets.
/// </summary>
public sealed class RequestRateLimiter : IDisposable
{
    private const string Anonymous = "anonymous:";
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly IPNetwork[] _trustedProxies;
    private readonly DeliveryLinks _links;

    public RequestRateLimiter(IOptions<RateLimitOptions> options, DeliveryLinks links)
    {
        var limits = options.Value;
        _links = links;
        _trustedProxies = limits.TrustedProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(IPNetwork.Parse).ToArray();
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
        {
            var perMinute = key.StartsWith(Anonymous, StringComparison.Ordinal) ? limits.AnonymousPerMinute : limits.WritesPerMinute;
            return new TokenBucketRateLimiterOptions
            {
                TokenLimit = perMinute,
                TokensPerPeriod = Math.Max(1, perMinute / 60),
                ReplenishmentPeriod = TimeSpan.FromSeconds(Math.Max(1, 60.0 / perMinute)),
                QueueLimit = 0,
                AutoReplenishment = true,
            };
        }));
    }

    /// <summary>
    /// Throws <see cref="TooManyRequestsException"/> when a state-changing request exceeds its budget.
    /// <paramref name="link"/> is the acknowledgement token of an anonymous link route.
    /// </summary>
    public void Check(HttpRequest request, Caller? caller, string? link = null)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return;
        }

        var key = caller is not null ? "user:" + (caller.Subject ?? caller.Email)
            : _links.TryRead(link, out _) ? Anonymous + "link:" + link
            : Anonymous + ClientAddress(request);
        using var lease = _limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            throw new TooManyRequestsException("Too many requests from this caller; wait and try again.", retryAfter);
        }
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>
    /// The address of the client as the nearest untrusted hop saw it: X-Forwarded-For read from the right (each proxy
    /// appends the address it heard from), skipping trusted proxies. Anything unreadable ends the walk, so a forged
    /// entry to the left of a real one changes nothing.
    /// </summary>
    internal string ClientAddress(HttpRequest request)
    {
        var address = Normalise(request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.None);
        var hops = string.Join(',', request.Headers["X-Forwarded-For"].ToArray()).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        for (var i = hops.Length - 1; i >= 0 && IsTrusted(address); i--)
        {
            // Azure's front end writes "address:port"; an IPv6 address may come in brackets.
            if (!IPAddress.TryParse(hops[i], out var hop) && !(IPEndPoint.TryParse(hops[i], out var endPoint) && (hop = endPoint.Address) is not null))
            {
                break;
            }

            address = Normalise(hop);
        }

        return address.ToString();
    }

    private bool IsTrusted(IPAddress address) => _trustedProxies.Any(p => p.Contains(address));

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
