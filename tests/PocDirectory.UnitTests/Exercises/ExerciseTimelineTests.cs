using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using PocDirectory.Functions.Exercises;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Exercises;

/// <summary>
/// The exercise timeline on the Durable Task SDK's in-process test host: real durable timers and events, its one activity
/// replaced by a recorder. Offsets are seconds; the timers really wait, so assertions allow for a loaded machine
/// (never earlier than scheduled; late by at most <see cref="Tolerance"/>).
/// </summary>
public sealed class ExerciseTimelineTests : IAsyncLifetime
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(6);
    private readonly ConcurrentQueue<(StartInjectInput Input, DateTimeOffset At)> _started = new();
    private DurableTaskTestHost _host = null!;

    public async Task InitializeAsync() => _host = await DurableTestHosts.StartAsync(registry =>
    {
        registry.AddOrchestratorFunc<ExerciseTimelineInput, int>(ExerciseTimeline.Name, (context, input) => ExerciseTimeline.RunAsync(context, input));
        registry.AddActivityFunc<StartInjectInput, bool>(ExerciseTimeline.StartInject, (_, input) =>
        {
            _started.Enqueue((input, DateTimeOffset.UtcNow));
            return true;
        });
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Run_StartsEachInjectAtItsOffset_InOrder_ThenWaitsForEnd()
    {
        var id = NewId();
        var before = DateTimeOffset.UtcNow;
        await _host.Client.ScheduleNewOrchestrationInstanceAsync(ExerciseTimeline.Name, new ExerciseTimelineInput(id, [0, 1.5, 3]), new StartOrchestrationOptions(ExerciseTimeline.InstanceId(id)));

        await Wait.UntilAsync(() => Task.FromResult(_started.Count >= 3), TimeSpan.FromSeconds(60), () => $"{_started.Count} of 3 injects started");
        var started = _started.ToList();
        Assert.Equal([1, 2, 3], started.Select(s => s.Input.Number));
        var first = started[0].Input.DueAt;
        Assert.Equal([0, 1.5, 3], started.Select(s => (s.Input.DueAt - first).TotalSeconds));
        Assert.All(started, s => Assert.InRange(s.At, s.Input.DueAt.AddMilliseconds(-50), s.Input.DueAt + Tolerance));
        Assert.InRange(first, before.AddSeconds(-1), before + Tolerance);

        // After the last inject it stays until a controller ends it.
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await _host.Client.GetInstanceAsync(ExerciseTimeline.InstanceId(id)))!.RuntimeStatus);
        await _host.Client.RaiseEventAsync(ExerciseTimeline.InstanceId(id), ExerciseTimeline.ControlEvent, ExerciseTimeline.End);
        var done = await WaitAsync(id);
        Assert.Equal(3, done.ReadOutputAs<int>());
    }

    private const int Gap = 10;

    [Fact]
    public async Task PauseThenResume_MovesTheRemainingInjectsByThePause()
    {
        var id = NewId();
        await _host.Client.ScheduleNewOrchestrationInstanceAsync(ExerciseTimeline.Name, new ExerciseTimelineInput(id, [0, Gap]), new StartOrchestrationOptions(ExerciseTimeline.InstanceId(id)));
        await Wait.UntilAsync(() => Task.FromResult(_started.Count >= 1), TimeSpan.FromSeconds(60), () => "the first inject did not start");
        var first = _started.Single();

        await _host.Client.RaiseEventAsync(ExerciseTimeline.InstanceId(id), ExerciseTimeline.ControlEvent, ExerciseTimeline.Pause);
        var pausedAt = DateTimeOffset.UtcNow;

        // Held past the second inject's offset: nothing goes out while paused. Only waiting shows that nothing happens;
        // the gap is wide enough that the pause arrives before the offset even on a loaded machine.
        await Task.Delay(TimeSpan.FromSeconds(Gap + 2));
        Assert.Single(_started);
        await _host.Client.RaiseEventAsync(ExerciseTimeline.InstanceId(id), ExerciseTimeline.ControlEvent, ExerciseTimeline.Resume);
        var resumedAt = DateTimeOffset.UtcNow;

        await Wait.UntilAsync(() => Task.FromResult(_started.Count >= 2), TimeSpan.FromSeconds(60), () => "the second inject did not start after the resume");
        var second = _started.Last();
        var shift = second.Input.DueAt - first.Input.DueAt - TimeSpan.FromSeconds(Gap);

        // The remaining offset moved by how long it stayed paused (as the orchestration's clock saw the events arrive).
        Assert.InRange(shift, resumedAt - pausedAt - TimeSpan.FromSeconds(2), resumedAt - pausedAt + Tolerance);
        Assert.True(second.At >= second.Input.DueAt.AddMilliseconds(-50));
        await _host.Client.RaiseEventAsync(ExerciseTimeline.InstanceId(id), ExerciseTimeline.ControlEvent, ExerciseTimeline.End);
        await WaitAsync(id);
    }

    [Fact]
    public async Task End_BeforeTheNextOffset_StartsNothingMore()
    {
        var id = NewId();
        await _host.Client.ScheduleNewOrchestrationInstanceAsync(ExerciseTimeline.Name, new ExerciseTimelineInput(id, [0, 3600]), new StartOrchestrationOptions(ExerciseTimeline.InstanceId(id)));
        await Wait.UntilAsync(() => Task.FromResult(_started.Count >= 1), TimeSpan.FromSeconds(60), () => "the first inject did not start");

        await _host.Client.RaiseEventAsync(ExerciseTimeline.InstanceId(id), ExerciseTimeline.ControlEvent, ExerciseTimeline.End);
        var done = await WaitAsync(id);

        Assert.Equal(1, done.ReadOutputAs<int>());
        Assert.Single(_started);
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private async Task<OrchestrationMetadata> WaitAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await _host.Client.WaitForInstanceCompletionAsync(ExerciseTimeline.InstanceId(id), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done;
    }
}
