using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Api;

/// <summary>Settings of section "RateLimits": requests that change something, per caller per minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Anonymous writes (acknowledgement links) per client address. A ministry behind one address may hold many POCs.</summary>
    public int AnonymousPerMinute { get; set; } = 120;

    /// <summary>Writes per signed-in user; a focal point entering a dozen POCs stays far below.</summary>
    public int WritesPerMinute { get; set; } = 300;
}

/// <summary>
/// Per-caller token buckets for requests that change state (reads are not limited). Per process: with several
/// instances in Azure each holds its own buckets, so the effective limit scales with the instance count.
/// </summary>
public sealed class RequestRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public RequestRateLimiter(IOptions<RateLimitOptions> options)
    {
        var limits = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ =>
        {
            var perMinute = key.StartsWith("anonymous:", StringComparison.Ordinal) ? limits.AnonymousPerMinute : limits.WritesPerMinute;
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

    /// <summary>Throws <see cref="TooManyRequestsException"/> when a state-changing request exceeds the caller's budget.</summary>
    public void Check(HttpRequest request, Caller? caller)
    {
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            return;
        }

        var key = caller is null ? "anonymous:" + ClientAddress(request) : "user:" + caller.Email;
        using var lease = _limiter.AttemptAcquire(key);
        if (!lease.IsAcquired)
        {
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
            throw new TooManyRequestsException("Too many requests from this caller; wait and try again.", retryAfter);
        }
    }

    public void Dispose() => _limiter.Dispose();

    private static string ClientAddress(HttpRequest request)
        => (request.HttpContext.Connection.RemoteIpAddress ?? IPAddress.None).ToString();
}
