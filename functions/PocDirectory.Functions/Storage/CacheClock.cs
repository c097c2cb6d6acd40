namespace PocDirectory.Functions.Storage;

/// <summary>
/// Keeps a <see cref="Microsoft.Extensions.Caching.Memory.MemoryCache"/>'s expiry on the app's <see cref="TimeProvider"/>,
/// the one clock everything else uses (the role cache, the delivery header cache).
/// </summary>
public sealed class CacheClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
