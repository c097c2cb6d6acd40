using System.Net;
using System.Net.Sockets;

namespace PocDirectory.TestSupport;

/// <summary>
/// HTTP clients whose connections come from chosen loopback addresses (127.0.0.2, 127.0.0.3, ...), so a server that
/// limits per client address sees many clients, as it would on the internet. Linux routes all of 127.0.0.0/8 to lo.
/// </summary>
public static class LoopbackClients
{
    /// <summary>The n-th source address, n from 0 to 252: 127.0.0.2 upwards (127.0.0.1 is what every other test uses).</summary>
    public static IPAddress Address(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 252);
        return new IPAddress([127, 0, 0, (byte)(n + 2)]);
    }

    /// <summary>A client to <paramref name="baseAddress"/> whose every connection is bound to <paramref name="source"/>; answers counted in <see cref="FaultLedger"/>.</summary>
    public static HttpClient From(IPAddress source, Uri baseAddress, int maxConnections = 16, TimeSpan? timeout = null)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(FaultLedger.Counting(handler)) { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
    }
}
