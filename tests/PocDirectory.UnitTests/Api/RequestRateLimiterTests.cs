using System.Net;
using Microsoft.AspNetCore.Http;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;

namespace PocDirectory.UnitTests.Api;

public sealed class RequestRateLimiterTests
{
    private static readonly DeliveryLinks Links = new(new byte[32]);

    [Theory]
    [InlineData("127.0.0.1", null, "127.0.0.1")]
    [InlineData("127.0.0.1", "203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "203.0.113.7:54321", "203.0.113.7")]
    [InlineData("127.0.0.1", "[2001:db8::1]:443", "2001:db8::1")]
    [InlineData("127.0.0.1", "198.51.100.9, 203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "198.51.100.9, 203.0.113.7, 127.0.0.1", "203.0.113.7")]
    [InlineData("127.0.0.1", "junk, 203.0.113.7", "203.0.113.7")]
    [InlineData("127.0.0.1", "203.0.113.7, junk", "127.0.0.1")]
    [InlineData("192.0.2.50", "203.0.113.7", "192.0.2.50")]
    [InlineData("::ffff:127.0.0.1", "203.0.113.7", "203.0.113.7")]
    public void ClientAddress_TrustsXForwardedForOnlyFromTrustedProxies(string remote, string? forwarded, string expected)
    {
        using var limiter = Limiter(perMinute: 10);

        Assert.Equal(expected, limiter.ClientAddress(Request(remote, forwarded)));
    }

    [Fact]
    public void Check_JunkFromTheSameProxy_NeverThrottlesAGenuineAcknowledgementLink()
    {
        using var limiter = Limiter(perMinute: 3);
        var link = Links.Create(new LinkClaim(LinkPurpose.Acknowledge, "campaign", "campaign", "SGP-1"));

        // Junk through the Static Web App's one address uses up that address's budget...
        for (var i = 0; i < 3; i++)
        {
            limiter.Check(Request("127.0.0.1", "198.51.100.1"), null, "junk-" + i);
        }

        Assert.Throws<TooManyRequestsException>(() => limiter.Check(Request("127.0.0.1", "198.51.100.1"), null, "junk"));

        // ...and a real link from the same address still has its own.
        limiter.Check(Request("127.0.0.1", "198.51.100.1"), null, link);
    }

    [Fact]
    public void Check_OneClientsJunk_DoesNotThrottleAnotherClientBehindTheSameProxy()
    {
        using var limiter = Limiter(perMinute: 2);
        limiter.Check(Request("127.0.0.1", "198.51.100.1"), null, "junk");
        limiter.Check(Request("127.0.0.1", "198.51.100.1"), null, "junk");

        Assert.Throws<TooManyRequestsException>(() => limiter.Check(Request("127.0.0.1", "198.51.100.1"), null, "junk"));
        limiter.Check(Request("127.0.0.1", "198.51.100.2"), null, "junk");
    }

    private static RequestRateLimiter Limiter(int perMinute)
        => new(Microsoft.Extensions.Options.Options.Create(new RateLimitOptions { AnonymousPerMinute = perMinute }), Links);

    private static HttpRequest Request(string remote, string? forwarded)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);
        if (forwarded is not null)
        {
            context.Request.Headers["X-Forwarded-For"] = forwarded;
        }

        return context.Request;
    }
}
