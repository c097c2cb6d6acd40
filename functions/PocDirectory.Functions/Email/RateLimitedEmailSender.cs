using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Email;

/// <summary>
/// Spaces sends evenly at <see cref="EmailOptions.MaxPerMinute"/> by making callers wait for their slot; nothing is dropped.
/// Even spacing rather than bursts keeps every rolling minute under the provider's quota, whatever window it counts in.
/// </summary>
public sealed class RateLimitedEmailSender : IEmailSender
{
    private readonly IEmailSender _inner;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _interval;
    private readonly Lock _slotLock = new();
    private DateTimeOffset _nextSlot = DateTimeOffset.MinValue;

    public RateLimitedEmailSender(IEmailSender inner, IOptions<EmailOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);

        _inner = inner;
        _timeProvider = timeProvider;
        var maxPerMinute = options.Value.MaxPerMinute;
        _interval = maxPerMinute > 0 ? TimeSpan.FromMinutes(1) / maxPerMinute : TimeSpan.Zero;
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        if (_interval > TimeSpan.Zero)
        {
            var wait = ReserveSlot();
            if (wait > TimeSpan.Zero)
            {
                // A caller cancelled while waiting leaves its slot unused: slightly slower, never over the limit.
                await Task.Delay(wait, _timeProvider, cancellationToken);
            }
        }

        await _inner.SendAsync(message, cancellationToken);
    }

    /// <summary>Reserves the next free slot in arrival order and returns how long to wait for it.</summary>
    private TimeSpan ReserveSlot()
    {
        lock (_slotLock)
        {
            var now = _timeProvider.GetUtcNow();
            var slot = _nextSlot > now ? _nextSlot : now;
            _nextSlot = slot + _interval;
            return slot - now;
        }
    }
}
