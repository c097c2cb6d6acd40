using System.Collections.Concurrent;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using PocDirectory.Functions.Delivery;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Delivery;

/// <summary>
/// The delivery orchestrator (every feature's, campaigns first) on the Durable Task SDK's in-process test host: real durable timers, events and
/// retries, with its activities replaced by recorders (their I/O is tested elsewhere). Durations come in the input, in
/// seconds; the timers really wait, so the window is short where the test waits it out and long where it must not.
/// </summary>
public sealed class DeliveryOrchestratorTests : IAsyncLifetime
{
    private const int Batches = 3;
    private readonly ConcurrentQueue<Call> _calls = new();
    private readonly ConcurrentDictionary<int, int> _failingBatchAttempts = new();
    private DurableTaskTestHost _host = null!;
    private int _failingBatch = -1;
    private int _escalationFailuresLeft;
    private double? _holdReminderSeconds;
    private readonly ConcurrentDictionary<int, int> _heldBatches = new();

    private sealed record Call(string Activity, object? Input, DateTimeOffset At);

    public async Task InitializeAsync() => _host = await DurableTestHosts.StartAsync(Register);

    private void Register(DurableTaskRegistry registry)
    {
        registry.AddOrchestratorFunc<DeliveryInput, DeliverySummary>(DeliveryOrchestrator.Name, (context, input) => DeliveryOrchestrator.RunAsync(context, input));
        registry.AddActivityFunc<SnapshotInput, int>(DeliveryActivities.Snapshot, (_, input) => Record(DeliveryActivities.Snapshot, input, Batches));
        registry.AddActivityFunc<SendBatchInput, BatchOutcome>(DeliveryActivities.SendBatch, (_, input) =>
        {
            if (input.Batch == _failingBatch)
            {
                _failingBatchAttempts.AddOrUpdate(input.Step, 1, (_, n) => n + 1);
                throw new InvalidOperationException("the email provider is down");
            }

            // Business hours: the first reminder to each batch is held once, until a window opens shortly after.
            if (_holdReminderSeconds is { } hold && input.Step == 1 && _heldBatches.TryAdd(input.Batch, 1))
            {
                return Record(DeliveryActivities.SendBatch, input, new BatchOutcome(5, 0, 0, Held: 5, HeldUntil: DateTimeOffset.UtcNow.AddSeconds(hold + input.Batch * 0.1)));
            }

            return Record(DeliveryActivities.SendBatch, input, new BatchOutcome(10, 0, 0));
        });
        registry.AddActivityFunc<SendBatchInput, int>(DeliveryActivities.GiveUpBatch, (_, input) => Record(DeliveryActivities.GiveUpBatch, input, 10));
        registry.AddActivityFunc<EscalateInput, EscalationOutcome>(DeliveryActivities.Escalate, (_, id) => Interlocked.Decrement(ref _escalationFailuresLeft) >= 0
            ? throw new InvalidOperationException("the email provider is down")
            : Record(DeliveryActivities.Escalate, id, new EscalationOutcome(1, 0, null)));
        registry.AddActivityFunc<StepFailure, bool>(DeliveryActivities.RecordFailure, (_, failure) => Record(DeliveryActivities.RecordFailure, failure, true));
        registry.AddActivityFunc<DeliveryRef, bool>(DeliveryActivities.Resume, (_, id) => Record(DeliveryActivities.Resume, id, true));
        registry.AddActivityFunc<CloseInput, DeliverySummary>(DeliveryActivities.Close,
            (_, input) => Record(DeliveryActivities.Close, input, new DeliverySummary(input.Delivery.Id, 30, 0, 30, 0, 0)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task NobodyAnswers_EveryReminderGoesToEveryBatchAfterItsOffset_ThenEscalatesAndReports()
    {
        var input = Input(windowSeconds: 5, reminders: [1.5, 3], escalate: true);

        var result = await RunToCompletionAsync(input, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var sends = Sends();
        Assert.Equal(3 * Batches, sends.Count);
        foreach (var step in new[] { 0, 1, 2 })
        {
            Assert.Equal(Enumerable.Range(0, Batches), sends.Where(s => s.Input.Step == step).Select(s => s.Input.Batch).Order());
        }

        // Each reminder leaves after its durable timer: never before the campaign's start plus its offset.
        var start = sends.Single(s => s.Input is { Step: 0, Batch: 0 }).Input.Deadline.AddSeconds(-input.WindowSeconds);
        Assert.All(sends.Where(s => s.Input.Step == 1), s => Assert.True(s.At >= start.AddSeconds(1.5), $"reminder 1 at {s.At:O}, start {start:O}"));
        Assert.All(sends.Where(s => s.Input.Step == 2), s => Assert.True(s.At >= start.AddSeconds(3), $"reminder 2 at {s.At:O}, start {start:O}"));
        Assert.True(Single(DeliveryActivities.Close).At >= start.AddSeconds(input.WindowSeconds), "the report was compiled before the deadline");
        Assert.Equal(new EscalateInput(input.Delivery, 0), Single(DeliveryActivities.Escalate).Input);
        Assert.Equal(new CloseInput(input.Delivery, Cancelled: false), Single(DeliveryActivities.Close).Input);
        Assert.Equal(DeliveryActivities.Close, _calls.Last().Activity);
    }

    [Fact]
    public async Task ReminderHeldForBusinessHours_IsSentAgainWhenTheFirstWindowOpens_BeforeTheDeadline_AndNothingElseWaits()
    {
        _holdReminderSeconds = 1.5;
        var input = Input(windowSeconds: 8, reminders: [1], escalate: true);

        var result = await RunToCompletionAsync(input, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var reminders = Sends().Where(s => s.Input.Step == 1).ToList();
        var firstRound = reminders.Take(Batches).ToList();
        var again = reminders.Skip(Batches).ToList();
        Assert.Equal(Enumerable.Range(0, Batches), firstRound.Select(s => s.Input.Batch).Order());

        // One more round of the same step, to every batch, no earlier than the earliest window (batch 0's).
        Assert.Equal(Enumerable.Range(0, Batches), again.Select(s => s.Input.Batch).Order());
        var earliestWindow = firstRound.Min(s => s.At).AddSeconds(1.5);
        Assert.All(again, s => Assert.True(s.At >= earliestWindow.AddSeconds(-0.2), $"sent again at {s.At:O}, window {earliestWindow:O}"));
        Assert.True(again.Max(s => s.At) < Single(DeliveryActivities.Escalate).At, "the held reminder waited past the escalation at the deadline");
        Assert.Equal(DeliveryActivities.Close, _calls.Last().Activity);
    }

    [Fact]
    public async Task ReminderHeldPastTheDeadline_IsNotSentAgain()
    {
        _holdReminderSeconds = 30;
        var input = Input(windowSeconds: 3, reminders: [1], escalate: false);

        var result = await RunToCompletionAsync(input, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(Batches, Sends().Count(s => s.Input.Step == 1));
        Assert.True(Single(DeliveryActivities.Close).At < Sends().Min(s => s.At).AddSeconds(25), "the delivery waited for a window after its deadline");
    }

    [Fact]
    public async Task EscalationLevels_RunAtTheirOffsets_BetweenTheReminders_ThenItCloses()
    {
        // A communication's chain: a reminder, the first level, another reminder, the second level, all before the deadline.
        var input = Input(windowSeconds: 6, reminders: [1, 3], escalate: false) with { EscalationOffsetsSeconds = [2, 4] };

        var result = await RunToCompletionAsync(input, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var order = _calls.Where(c => c.Activity is DeliveryActivities.SendBatch or DeliveryActivities.Escalate)
            .Select(c => c.Input is EscalateInput e ? $"level {e.Level}" : $"step {((SendBatchInput)c.Input!).Step}")
            .Distinct().ToList();
        Assert.Equal(["step 0", "step 1", "level 0", "step 2", "level 1"], order);
        var escalations = _calls.Where(c => c.Activity == DeliveryActivities.Escalate).ToList();
        Assert.True(escalations[1].At - escalations[0].At >= TimeSpan.FromSeconds(1.5), "the second level did not wait for its offset");
        Assert.Equal(DeliveryActivities.Close, _calls.Last().Activity);
    }

    [Theory]
    [InlineData(DeliveryOrchestrator.AllAcknowledged, false)]
    [InlineData(DeliveryOrchestrator.Cancel, true)]
    public async Task Signal_WhileWaitingForTheFirstReminder_EndsAtOnce_WithoutRemindersOrEscalation(string signal, bool cancelled)
    {
        // An hour-long window: finishing within the test's minute is only possible through the signal.
        var input = Input(windowSeconds: 3600, reminders: [1800], escalate: true);
        var id = await _host.Client.ScheduleNewOrchestrationInstanceAsync(DeliveryOrchestrator.Name, input);
        await Wait.UntilAsync(() => Task.FromResult(Sends().Count == Batches), TimeSpan.FromSeconds(30), () => $"{Sends().Count} of {Batches} first pings sent");

        await _host.Client.RaiseEventAsync(id, DeliveryOrchestrator.SignalEvent, signal);
        var result = await WaitForCompletionAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(input.Delivery.Id, result.ReadOutputAs<DeliverySummary>()!.Id);
        Assert.All(Sends(), s => Assert.Equal(0, s.Input.Step));
        Assert.DoesNotContain(_calls, c => c.Activity == DeliveryActivities.Escalate);
        Assert.Equal(new CloseInput(input.Delivery, cancelled), Single(DeliveryActivities.Close).Input);
    }

    [Fact]
    public async Task NotBefore_TheSnapshotWaitsOnADurableTimer_AndTheWindowCountsFromThen()
    {
        var startedAt = DateTimeOffset.UtcNow;
        var input = Input(windowSeconds: 2, reminders: [1], escalate: false) with { NotBefore = startedAt.AddSeconds(3) };

        var result = await RunToCompletionAsync(input, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var snapshot = Single(DeliveryActivities.Snapshot);
        Assert.True(snapshot.At >= input.NotBefore!.Value, $"snapshot at {snapshot.At:O}, not before {input.NotBefore:O}");

        // The deadline is the window after the delayed start, not after the orchestration began.
        var deadline = ((SnapshotInput)snapshot.Input!).Deadline;
        Assert.True(deadline >= input.NotBefore.Value.AddSeconds(input.WindowSeconds), $"deadline {deadline:O}");
        Assert.Equal([0, 1], Sends().Select(s => s.Input.Step).Distinct().Order());
        Assert.Equal(DeliveryActivities.Close, _calls.Last().Activity);
    }

    [Fact]
    public async Task NotBefore_CancelledWhileWaiting_ClosesAsCancelled_WithoutASnapshotOrASend()
    {
        // An hour away: finishing within the test's minute is only possible through the cancel.
        var input = Input(windowSeconds: 60, reminders: [], escalate: false) with { NotBefore = DateTimeOffset.UtcNow.AddHours(1) };
        var id = await _host.Client.ScheduleNewOrchestrationInstanceAsync(DeliveryOrchestrator.Name, input);
        await _host.Client.WaitForInstanceStartAsync(id);

        await _host.Client.RaiseEventAsync(id, DeliveryOrchestrator.SignalEvent, DeliveryOrchestrator.Cancel);
        var result = await WaitForCompletionAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.DoesNotContain(_calls, c => c.Activity is DeliveryActivities.Snapshot or DeliveryActivities.SendBatch);
        Assert.Equal(new CloseInput(input.Delivery, Cancelled: true), Single(DeliveryActivities.Close).Input);
    }

    [Fact]
    public async Task BatchFailingEveryAttempt_IsRetriedAsConfigured_ThenGivenUp_WhileTheOthersAreSent()
    {
        _failingBatch = 1;
        var input = Input(windowSeconds: 2, reminders: [], escalate: false) with { SendAttempts = 3, FirstRetrySeconds = 0.1 };

        var result = await RunToCompletionAsync(input, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(3, _failingBatchAttempts[0]);
        Assert.Equal([0, 2], Sends().Select(s => s.Input.Batch).Order());
        var givenUp = Assert.Single(_calls, c => c.Activity == DeliveryActivities.GiveUpBatch);
        Assert.Equal(1, ((SendBatchInput)givenUp.Input!).Batch);
        Assert.DoesNotContain(_calls, c => c.Activity == DeliveryActivities.Escalate);
    }

    [Theory]
    [InlineData(DeliveryOrchestrator.Retry)]
    [InlineData(DeliveryOrchestrator.Close)]
    public async Task EscalationFailingEveryAttempt_MarksTheDeliveryFailed_AndWaitsForTheSecretariatsDecision(string decision)
    {
        // Two attempts per step: the first round of escalation fails for good, a retried round succeeds.
        _escalationFailuresLeft = 2;
        var input = Input(windowSeconds: 1, reminders: [], escalate: true);
        var id = await _host.Client.ScheduleNewOrchestrationInstanceAsync(DeliveryOrchestrator.Name, input);
        await Wait.UntilAsync(() => Task.FromResult(_calls.Any(c => c.Activity == DeliveryActivities.RecordFailure)), TimeSpan.FromSeconds(30),
            () => "the failed escalation was never recorded");

        // Failed, it waits for a person: no report until the decision arrives.
        var failure = (StepFailure)Single(DeliveryActivities.RecordFailure).Input!;
        Assert.Equal((input.Delivery, "Escalation"), (failure.Delivery, failure.Step));
        Assert.Contains("the email provider is down", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await _host.Client.GetInstanceAsync(id))!.RuntimeStatus);
        Assert.DoesNotContain(_calls, c => c.Activity == DeliveryActivities.Close);

        await _host.Client.RaiseEventAsync(id, DeliveryOrchestrator.SignalEvent, decision);
        var result = await WaitForCompletionAsync(id, TimeSpan.FromSeconds(60));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var retried = decision == DeliveryOrchestrator.Retry;
        Assert.Equal(retried, _calls.Any(c => c.Activity == DeliveryActivities.Resume));
        Assert.Equal(retried, _calls.Any(c => c.Activity == DeliveryActivities.Escalate));
        Assert.Equal(new CloseInput(input.Delivery, Cancelled: false), Single(DeliveryActivities.Close).Input);
    }

    private static DeliveryInput Input(double windowSeconds, double[] reminders, bool escalate)
        => new(new DeliveryRef("campaign", Guid.NewGuid().ToString("N")[..8]), "Ping", windowSeconds, reminders, escalate ? [windowSeconds] : [],
            MaxParallelBatches: 2, SendAttempts: 2, FirstRetrySeconds: 0.1);

    private T Record<T>(string activity, object? input, T result)
    {
        _calls.Enqueue(new Call(activity, input, DateTimeOffset.UtcNow));
        return result;
    }

    private List<(SendBatchInput Input, DateTimeOffset At)> Sends()
        => [.. _calls.Where(c => c.Activity == DeliveryActivities.SendBatch).Select(c => ((SendBatchInput)c.Input!, c.At))];

    private Call Single(string activity) => Assert.Single(_calls, c => c.Activity == activity);

    private async Task<OrchestrationMetadata> RunToCompletionAsync(DeliveryInput input, TimeSpan timeout)
        => await WaitForCompletionAsync(await _host.Client.ScheduleNewOrchestrationInstanceAsync(DeliveryOrchestrator.Name, input), timeout);

    private async Task<OrchestrationMetadata> WaitForCompletionAsync(string id, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        return await _host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancel.Token);
    }
}
