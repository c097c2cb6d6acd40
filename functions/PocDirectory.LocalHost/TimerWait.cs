namespace PocDirectory.LocalHost;

/// <summary>
/// How long the timer host sleeps before an occurrence. Its own file so the unit tests can compile it in without
/// referencing the runner (whose appsettings and host files would leak into their output).
/// </summary>
internal static class TimerWait
{
    /// <summary>
    /// Never negative (on a busy machine the occurrence can pass between computing it and sleeping; a negative delay
    /// made Task.Delay throw and stopped the runner) and at most a day (Task.Delay refuses more than ~49 days, which a
    /// yearly schedule exceeds for most of the year).
    /// </summary>
    public static TimeSpan Step(DateTime next, DateTime now)
    {
        var wait = next - now;
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : wait;
    }
}
