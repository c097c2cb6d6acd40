using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;

namespace PocDirectory.TestSupport;

/// <summary>The Durable Task SDK's in-process test host on a port that is free.</summary>
public static class DurableTestHosts
{
    /// <summary>
    /// Left to itself the host takes a random port from 30000-40000 without asking whether it is free, and the other
    /// test projects' servers hold ports in that range meanwhile: ask the OS for a free one, and take another if it was
    /// taken in between.
    /// </summary>
    public static async Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> register)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(register, new DurableTaskTestHostOptions { Port = FreePorts.Next() });
            }
            catch (IOException) when (attempt < 5)
            {
            }
        }
    }
}
