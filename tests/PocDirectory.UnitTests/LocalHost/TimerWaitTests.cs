using PocDirectory.LocalHost;

namespace PocDirectory.UnitTests.LocalHost;

public sealed class TimerWaitTests
{
    private static readonly DateTime Now = new(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void OccurrenceAlreadyPassed_WaitsNotAtAll_InsteadOfANegativeDelay()
        => Assert.Equal(TimeSpan.Zero, TimerWait.Step(Now.AddMilliseconds(-3), Now));

    [Fact]
    public void NearOccurrence_WaitsExactlyUntilIt()
        => Assert.Equal(TimeSpan.FromSeconds(2), TimerWait.Step(Now.AddSeconds(2), Now));

    [Fact]
    public async Task YearlyOccurrence_IsWaitedForADayAtATime_WhichTaskDelayAccepts()
    {
        var occurrence = new DateTime(2027, 11, 1, 0, 0, 0, DateTimeKind.Utc);

        var step = TimerWait.Step(occurrence, Now);

        Assert.Equal(TimeSpan.FromDays(1), step);

        // The whole wait (338 days) is more than Task.Delay takes (about 49.7 days): it throws at once, as the runner did.
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = Task.Delay(occurrence - Now, CancellationToken.None); });

        // The step is accepted; the day-long delay is cancelled so that it does not outlive the test.
        using var cancel = new CancellationTokenSource();
        var delay = Task.Delay(step, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => delay);
    }
}
