using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Email;

namespace PocDirectory.UnitTests.Email;

public sealed class RateLimitedEmailSenderTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 6, 10, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Sends_are_spaced_evenly_at_the_configured_rate_and_none_is_dropped()
    {
        var inner = new RecordingSender(_time);
        var sender = new RateLimitedEmailSender(inner, Options(maxPerMinute: 2), _time);
        var start = _time.GetUtcNow();

        var sends = Enumerable.Range(1, 3).Select(i => sender.SendAsync(Message(i), CancellationToken.None)).ToList();

        // The first goes at once; the others wait for slots 30 s apart and nothing moves until the clock does.
        Assert.Equal(start, (await inner.NextAsync()).At);
        Assert.False(sends[1].IsCompleted);
        Assert.False(sends[2].IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(sends[1].IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(start.AddSeconds(30), (await inner.NextAsync()).At);
        Assert.False(sends[2].IsCompleted);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(start.AddSeconds(60), (await inner.NextAsync()).At);

        await Task.WhenAll(sends).WaitAsync(_wait);
        Assert.Equal(3, inner.Count);
    }

    [Fact]
    public async Task A_sender_idle_for_longer_than_the_interval_sends_at_once()
    {
        var inner = new RecordingSender(_time);
        var sender = new RateLimitedEmailSender(inner, Options(maxPerMinute: 6), _time);

        await sender.SendAsync(Message(1), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(5));
        var second = sender.SendAsync(Message(2), CancellationToken.None);

        // Completed without the clock moving: no wait was scheduled.
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(2, inner.Count);
    }

    [Fact]
    public async Task Zero_means_unlimited()
    {
        var inner = new RecordingSender(_time);
        var sender = new RateLimitedEmailSender(inner, Options(maxPerMinute: 0), _time);

        var sends = Enumerable.Range(1, 50).Select(i => sender.SendAsync(Message(i), CancellationToken.None)).ToList();

        // Completed without the clock moving: no wait was scheduled.
        Assert.All(sends, send => Assert.True(send.IsCompletedSuccessfully));
        Assert.Equal(50, inner.Count);
    }

    [Fact]
    public async Task Cancelling_a_waiting_send_stops_it_before_the_provider()
    {
        var inner = new RecordingSender(_time);
        var sender = new RateLimitedEmailSender(inner, Options(maxPerMinute: 1), _time);
        await sender.SendAsync(Message(1), CancellationToken.None);
        using var cancellation = new CancellationTokenSource();

        var waiting = sender.SendAsync(Message(2), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(_wait));
        Assert.Equal(1, inner.Count);
    }

    private static IOptions<EmailOptions> Options(int maxPerMinute) =>
        Microsoft.Extensions.Options.Options.Create(new EmailOptions { MaxPerMinute = maxPerMinute });

    private static EmailMessage Message(int i) => new($"poc{i}@cert.example", null, "s", "t", "<p>t</p>", $"k/{i}");

    private sealed class RecordingSender(TimeProvider time) : IEmailSender
    {
        private readonly Channel<(EmailMessage Message, DateTimeOffset At)> _sent = Channel.CreateUnbounded<(EmailMessage, DateTimeOffset)>();
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            _sent.Writer.TryWrite((message, time.GetUtcNow()));
            return Task.CompletedTask;
        }

        public async Task<(EmailMessage Message, DateTimeOffset At)> NextAsync() =>
            await _sent.Reader.ReadAsync().AsTask().WaitAsync(_wait);
    }
}
