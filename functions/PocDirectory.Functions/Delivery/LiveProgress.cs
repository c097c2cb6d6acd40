using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Delivery;

/// <summary>
/// A delivery's live counts as the Secretariat's pages poll them (decision 0045). Counting reads every recipient row, a
/// page per thousand, and each open page asks every two seconds: for a large delivery the polling, not the sending, became
/// the load that grew with its size. A delivery of more than <see cref="DeliveryOptions.FreshProgressUpTo"/> recipients
/// shows counts up to one second old per whole 2,000 recipients, from one second to <see cref="LongestAge"/>, so the rows
/// read per second stay the same whatever its size, and every page open on it shares one count. A change of the delivery's state (its
/// close) always counts afresh: the final counts are never an earlier moment's.
/// </summary>
public sealed class LiveProgress(DeliveryStore recipients, IOptions<DeliveryOptions> options, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan LongestAge = TimeSpan.FromSeconds(10);

    private const int RecipientsPerSecondOfAge = 2_000;

    // Bounded by entry count: one small entry per large delivery someone is watching.
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 1_000, Clock = new CacheClock(time) });

    /// <summary>The counts of <paramref name="delivery"/> in <paramref name="state"/>, read afresh or shared as above.</summary>
    public async Task<DeliveryProgress> ReadAsync(DeliveryRef delivery, string state, CancellationToken cancellationToken)
    {
        var key = $"{delivery.InstanceId}|{state}";
        if (_recent.TryGetValue(key, out DeliveryProgress? shared) && shared is not null)
        {
            return shared;
        }

        var progress = await recipients.ProgressAsync(delivery, cancellationToken);
        if (AgeFor(progress.InScope, options.Value.FreshProgressUpTo) is { } age)
        {
            _recent.Set(key, progress, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = age });
        }

        return progress;
    }

    /// <summary>How old the counts of a delivery this large may be; null when they are always read afresh.</summary>
    internal static TimeSpan? AgeFor(int inScope, int freshUpTo)
        => inScope <= freshUpTo ? null : TimeSpan.FromSeconds(Math.Clamp(inScope / RecipientsPerSecondOfAge, 1, (int)LongestAge.TotalSeconds));

    public void Dispose() => _recent.Dispose();
}
