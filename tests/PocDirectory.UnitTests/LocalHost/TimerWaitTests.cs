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
    public void YearlyOccurrence_IsWaitedForADayAtATime_WhichTaskDelayAccepts()
    {
        var step = TimerWait.Step(new DateTime(2027, 11, 1, 0, 0, 0, DateTimeKind.Utc), Now);

        Assert.Equal(TimeSpan.FromDays(1), step);
        var delay = Task.Delay(step, CancellationToken.None);
        Assert.False(delay.IsFaulted);
    }
}
