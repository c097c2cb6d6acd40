namespace PocDirectory.TestSupport;

/// <summary>Waits for a condition instead of sleeping for a guessed time.</summary>
public static class Wait
{
    /// <summary>
    /// Polls <paramref name="condition"/> with a back-off up to <paramref name="maxInterval"/> (250 ms unless told):
    /// a short one for moments that last little (a crash test aiming at a step of about a second).
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describeFailure, TimeSpan? maxInterval = null)
    {
        var cap = (maxInterval ?? TimeSpan.FromMilliseconds(250)).TotalMilliseconds;
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(Math.Min(20, cap));
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && DateTime.UtcNow < deadline)
            {
                // The thing waited for may throw until it is ready (a refused connection, say).
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(describeFailure());
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, cap));
        }
    }
}
