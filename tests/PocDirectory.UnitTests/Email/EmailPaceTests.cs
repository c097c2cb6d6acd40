using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using PocDirectory.Functions.Email;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Email;

/// <summary>The shared pace on a real Azurite: several senders (instances, campaigns) share one row and one quota.</summary>
public sealed class EmailPaceTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 6, 10, 9, 0, 0, TimeSpan.Zero));
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task Two_instances_sending_two_campaigns_together_at_60_a_minute_never_exceed_60_in_any_minute_and_drop_nothing()
    {
        // Two instances (each its own client and pace object, as two processes would have), each sending two campaigns
        // of 75 messages with four batches at once: 300 messages, all taking slots at the same moment.
        var instances = new[] { Pace(maxPerMinute: 60), Pace(maxPerMinute: 60) };
        var slots = new ConcurrentBag<DateTimeOffset>();
        await Task.WhenAll(instances.SelectMany(pace => Enumerable.Range(0, 2 * 4).Select(async _ =>
        {
            for (var i = 0; i < 75 * 2 / 8 + 1 && slots.Count < 300; i++)
            {
                slots.Add(await pace.ReserveAsync(sendBy: null, CancellationToken.None));
            }
        })));

        var ordered = slots.Order().ToList();
        Assert.True(ordered.Count >= 300, $"Only {ordered.Count} slots were given");
        Assert.Equal(ordered.Count, ordered.Distinct().Count());
        var maxInAnyMinute = ordered.Select((slot, i) => ordered.Skip(i).TakeWhile(s => s < slot.AddMinutes(1)).Count()).Max();
        Assert.True(maxInAnyMinute <= 60, $"{maxInAnyMinute} slots in one minute");
        Assert.All(ordered.Zip(ordered.Skip(1)), pair => Assert.Equal(instances[0].Interval, pair.Second - pair.First));
    }

    [Fact]
    public async Task At_a_fast_pace_one_write_takes_a_seconds_slots_and_instances_still_never_share_one()
    {
        // 2,400 a minute: slots 27 ms apart, 36 per write. Two instances each take 100.
        var instances = new[] { Pace(maxPerMinute: 2400), Pace(maxPerMinute: 2400) };
        var slots = (await Task.WhenAll(instances.Select(async pace =>
        {
            var mine = new List<DateTimeOffset>();
            for (var i = 0; i < 100; i++)
            {
                mine.Add(await pace.ReserveAsync(sendBy: null, CancellationToken.None));
            }

            return mine;
        }))).SelectMany(s => s).Order().ToList();

        Assert.Equal(200, slots.Distinct().Count());
        Assert.All(slots.Zip(slots.Skip(1)), pair => Assert.True(pair.Second - pair.First >= instances[0].Interval, $"{pair.First:O} and {pair.Second:O}"));
    }

    [Fact]
    public async Task A_slot_later_than_send_by_is_not_taken_and_the_next_caller_gets_it()
    {
        var pace = Pace(maxPerMinute: 2);
        var start = _time.GetUtcNow();
        Assert.Equal(start, await pace.ReserveAsync(start.AddSeconds(40), CancellationToken.None));
        Assert.Equal(start.AddSeconds(32.5), await pace.ReserveAsync(start.AddSeconds(40), CancellationToken.None));

        var deferred = await Assert.ThrowsAsync<EmailPaceDeferredException>(() => pace.ReserveAsync(start.AddSeconds(40), CancellationToken.None));
        Assert.Equal(start.AddSeconds(65), deferred.NextSlot);

        // The refused slot stayed free: another instance takes it.
        Assert.Equal(start.AddSeconds(65), await Pace(maxPerMinute: 2).ReserveAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task A_paced_sender_waits_for_its_slot_on_the_apps_clock()
    {
        var inner = new RecordingSender(_time);
        var sender = new PacedEmailSender(inner, Pace(maxPerMinute: 60), _time);
        var start = _time.GetUtcNow();

        await sender.SendAsync(Message(1), CancellationToken.None);
        var second = sender.SendAsync(Message(2), CancellationToken.None);
        var row = new TableServiceClient(_azurite.ConnectionString).GetTableClient(EmailPace.TableName);
        await Wait.UntilAsync(async () => (await row.GetEntityAsync<TableEntity>("pace", "email")).Value.GetDateTimeOffset("NextSlot") == start.AddMilliseconds(2168),
            TimeSpan.FromSeconds(10), () => "The second send took no slot");

        // Its slot is taken; it now waits for the clock, not for storage.
        Assert.False(second.IsCompleted);
        Assert.Single(inner.SentAt);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(84));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([start, start.AddMilliseconds(1084)], inner.SentAt);
    }

    private EmailPace Pace(int maxPerMinute = 0, int maxPerHour = 0)
        => new(new TableServiceClient(_azurite.ConnectionString), Options.Create(new EmailOptions { MaxPerMinute = maxPerMinute, MaxPerHour = maxPerHour }), _time);

    private static EmailMessage Message(int i) => new($"poc{i}@cert.example", null, "Ping", "text", "<p>text</p>", $"test/{i}");

    private sealed class RecordingSender(TimeProvider time) : IEmailSender
    {
        public ConcurrentQueue<DateTimeOffset> SentAt { get; } = new();

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            SentAt.Enqueue(time.GetUtcNow());
            return Task.CompletedTask;
        }
    }
}
