using System.Net;
using System.Net.Sockets;

namespace PocDirectory.TestSupport;

/// <summary>
/// Hands out loopback ports for emulators and runners started by the tests. They come from below the kernel's
/// ephemeral range: a port the kernel picked for us (bind to 0) is in that range, and between our release and the
/// child's bind, any outgoing connection on the machine may take it (CI once lost Azurite's start to EADDRINUSE so).
/// </summary>
public static class FreePorts
{
    private const int Lowest = 10_000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int EphemeralStart = ReadEphemeralStart();

    public static int Next()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 200; attempt++)
            {
                var port = Random.Shared.Next(Lowest, EphemeralStart);
                if (!HandedOut.Contains(port) && Bindable(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {Lowest} and {EphemeralStart}.");
    }

    private static bool Bindable(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Linux publishes the range; elsewhere the IANA dynamic range starts at 49152.</summary>
    private static int ReadEphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        if (File.Exists(range)
            && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0], out var start)
            && start > Lowest + 1_000)
        {
            return start;
        }

        return 49_152;
    }
}
