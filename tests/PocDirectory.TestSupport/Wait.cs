namespace PocDirectory.TestSupport;

/// <summary>Waits for a condition instead of sleeping for a guessed time.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describeFailure)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = TimeSpan.FromMilliseconds(20);
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
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }
}
