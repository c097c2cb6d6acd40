using Microsoft.Extensions.Caching.Memory;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Delivery;

/// <summary>
/// Delivery headers as an answer needs them (decision 0040). Every acknowledgement read its delivery's header (title,
/// reference, state, deadline): one storage call of the five. An answer takes a header at most
/// <see cref="AnswerStaleness"/> old; the delivery's own work (sends, escalations, the close) always reads afresh and
/// refreshes the copy. A stale copy cannot let a late answer in: closing resolves every pending recipient row before the
/// header changes, and an answer is a conditional write on a row that is still pending.
/// </summary>
public sealed class DeliveryHeaders(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan AnswerStaleness = TimeSpan.FromSeconds(5);

    // Bounded by entry count: one small entry per delivery answered in the last few seconds.
    private readonly MemoryCache _recent = new(new MemoryCacheOptions { SizeLimit = 10_000, Clock = new CacheClock(time) });

    /// <summary>The header, read at most <see cref="AnswerStaleness"/> ago, for an answer.</summary>
    public async Task<DeliveryHeader?> ForAnswerAsync(IDeliveryFeature feature, string id, CancellationToken cancellationToken)
        => _recent.TryGetValue(Key(feature, id), out DeliveryHeader? cached) && cached is not null
            ? cached
            : await FreshAsync(feature, id, cancellationToken);

    /// <summary>The header as stored now; kept for the answers that follow.</summary>
    public async Task<DeliveryHeader?> FreshAsync(IDeliveryFeature feature, string id, CancellationToken cancellationToken)
    {
        var header = await feature.FindAsync(id, cancellationToken);
        if (header is null)
        {
            _recent.Remove(Key(feature, id));
        }
        else
        {
            _recent.Set(Key(feature, id), header, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = AnswerStaleness });
        }

        return header;
    }

    public void Dispose() => _recent.Dispose();

    private static string Key(IDeliveryFeature feature, string id) => feature.Name + "|" + id;
}
