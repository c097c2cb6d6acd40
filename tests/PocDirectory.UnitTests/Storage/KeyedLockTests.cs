using PocDirectory.Functions.Storage;

namespace PocDirectory.UnitTests.Storage;

public sealed class KeyedLockTests
{
    [Fact]
    public async Task SameKey_SecondWaitsUntilFirstIsReleased()
    {
        var locks = new KeyedLock();
        var first = await locks.AcquireAsync("A", CancellationToken.None);

        var second = locks.AcquireAsync("A", CancellationToken.None);
        Assert.False(second.IsCompleted);

        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task DifferentKeys_DoNotWaitForEachOther()
    {
        var locks = new KeyedLock();
        using var a = await locks.AcquireAsync("A", CancellationToken.None);

        var b = locks.AcquireAsync("B", CancellationToken.None);

        Assert.True(b.IsCompletedSuccessfully);
        (await b).Dispose();
    }

    [Fact]
    public async Task CancelledWaiter_LeavesTheLockUsable_AndDoubleDisposeReleasesOnce()
    {
        var locks = new KeyedLock();
        var held = await locks.AcquireAsync("A", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = locks.AcquireAsync("A", cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        held.Dispose();
        held.Dispose();
        var again = await locks.AcquireAsync("A", CancellationToken.None);

        // Had the second Dispose released the gate again, a third holder would get in while "again" holds it.
        var third = locks.AcquireAsync("A", CancellationToken.None);
        Assert.False(third.IsCompleted);
        again.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task ManyWriters_OnOneKey_NeverOverlap()
    {
        var locks = new KeyedLock();
        var inside = 0;
        var maxInside = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (_, ct) =>
        {
            using var turn = await locks.AcquireAsync("participant", ct);
            var now = Interlocked.Increment(ref inside);
            InterlockedMax(ref maxInside, now);
            await Task.Yield();
            Interlocked.Decrement(ref inside);
        });

        Assert.Equal(1, maxInside);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
