using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace PocDirectory.Functions.Delivery;

/// <summary>What the orchestration needs to know; everything else it reads through activities.</summary>
/// <param name="FirstStepName">What a failure of step 0 is called ("Ping").</param>
/// <param name="ReminderOffsetsSeconds">When each reminder goes to those who have not answered, from the start.</param>
/// <param name="EscalationOffsetsSeconds">When each escalation level runs, from the start (a campaign's one level is at its deadline).</param>
/// <param name="NotBefore">
/// A delivery started now that begins later (a meeting's reminder days before it): the orchestration sleeps on a
/// durable timer until then, and only then snapshots; the window and offsets count from that moment. A cancel before
/// it ends the delivery with nobody sent anything. Null: at once.
/// </param>
public sealed record DeliveryInput(
    DeliveryRef Delivery,
    string FirstStepName,
    double WindowSeconds,
    IReadOnlyList<double> ReminderOffsetsSeconds,
    IReadOnlyList<double> EscalationOffsetsSeconds,
    int MaxParallelBatches,
    int SendAttempts,
    double FirstRetrySeconds,
    DateTimeOffset? NotBefore = null);

/// <summary>
/// One delivery of any feature (a ping campaign, a communication...). Its state lives in Table Storage; this
/// orchestration holds only time: it snapshots the recipients in scope, sends each step in bounded batches, sleeps on durable timers until each reminder and the deadline
/// (woken early by one signal when everyone has answered or the delivery is cancelled), escalates, and closes it (the feature's report).
/// History stays small: a handful of activities per step and batch, no event or sub-orchestration per recipient.
/// Every step ends: each activity has a retry policy, and a step that still fails marks the delivery Failed and waits
/// for the Secretariat to retry it, close it or cancel it (decision 0015).
/// </summary>
public static class DeliveryOrchestrator
{
    public const string Name = "Delivery";

    /// <summary>The one external event; its value is one of the signals below.</summary>
    public const string SignalEvent = "DeliverySignal";

    /// <summary>From an answer: nobody is left to answer.</summary>
    public const string AllAcknowledged = "AllAcknowledged";

    public const string Cancel = "Cancel";

    /// <summary>From the Secretariat, for a failed delivery: run the failed step again.</summary>
    public const string Retry = "Retry";

    /// <summary>From the Secretariat, for a failed delivery: skip what is left and close it with what happened.</summary>
    public const string Close = "Close";

    /// <summary>How often the Secretariat may have a failed step run again; each round waits for their decision.</summary>
    private const int MaxFailedRounds = 20;

    [Function(Name)]
    public static Task<DeliverySummary> Run([OrchestrationTrigger] TaskOrchestrationContext context, DeliveryInput input)
        => RunAsync(context, input);

    public static async Task<DeliverySummary> RunAsync(TaskOrchestrationContext context, DeliveryInput input)
    {
        var log = context.CreateReplaySafeLogger(Name);
        var signal = await DeliverAsync(context, input, log);

        // The closing step reads the stored cancel flag too: a cancel whose signal never arrived still counts.
        DeliverySummary summary = null!;
        await StepAsync(context, input, DeliverySteps.Report, canStop: false, async () => summary = await context.CallActivityAsync<DeliverySummary>(
            DeliveryActivities.Close, new CloseInput(input.Delivery, signal == Cancel), Retries(input)));
        log.LogInformation("Delivery {Delivery} finished: {Acknowledged} of {InScope} acknowledged", input.Delivery.InstanceId, summary.Acknowledged, summary.InScope);
        return summary;
    }

    /// <summary>
    /// Everything before the report; returns the signal that ended it early (AllAcknowledged, Cancel, or Close after a
    /// failed step), or null when it ran to the deadline.
    /// </summary>
    private static async Task<string?> DeliverAsync(TaskOrchestrationContext context, DeliveryInput input, ILogger log)
    {
        if (input.NotBefore is { } notBefore)
        {
            // Nobody has a row yet, so nobody can answer; only a cancel ends the wait early.
            string? early;
            while ((early = await WaitUntilAsync(context, notBefore.UtcDateTime)) is AllAcknowledged)
            {
            }

            if (early == Cancel)
            {
                return Cancel;
            }
        }

        var start = context.CurrentUtcDateTime;
        var deadline = start.AddSeconds(input.WindowSeconds);
        var batches = 0;
        if (await StepAsync(context, input, DeliverySteps.Snapshot, canStop: true, async () => batches = await context.CallActivityAsync<int>(
                DeliveryActivities.Snapshot, new SnapshotInput(input.Delivery, deadline), Retries(input))) is { } stopped)
        {
            return stopped;
        }

        log.LogInformation("Delivery {Delivery} started with {Batches} batches", input.Delivery.InstanceId, batches);
        string? signal = null;
        if (batches > 0)
        {
            var held = new List<(DateTime At, int Reminder, int Level)>();
            signal = await SendStepAsync(context, input, batches, DeliverySteps.First, deadline, held);

            // Reminders and escalation levels in time order; at the same time, the reminder first. A reminder some
            // recipients' business hours held comes back, as the same step, when the first of their windows opens.
            var timeline = input.ReminderOffsetsSeconds.Select((at, i) => (At: start.AddSeconds(at), Reminder: i + 1, Level: -1))
                .Concat(input.EscalationOffsetsSeconds.Select((at, i) => (At: start.AddSeconds(at), Reminder: 0, Level: i)))
                .OrderBy(s => s.At).ThenBy(s => s.Level >= 0).ToList();
            while (signal is null && timeline.Count > 0)
            {
                var step = timeline[0];
                timeline.RemoveAt(0);

                // A later reminder goes to everyone an earlier held one has not reached: that one is not sent again.
                timeline.RemoveAll(s => s.Level < 0 && step.Level < 0 && s.Reminder < step.Reminder);
                signal = await WaitUntilAsync(context, step.At)
                    ?? (step.Level < 0
                        ? await SendStepAsync(context, input, batches, step.Reminder, deadline, held)
                        : await StepAsync(context, input, DeliverySteps.EscalationName(step.Level), canStop: true, () => EscalateAsync(context, input, step.Level)));
                foreach (var again in held.Where(h => h.At < deadline))
                {
                    var at = timeline.FindIndex(s => s.At > again.At);
                    timeline.Insert(at < 0 ? timeline.Count : at, again);
                }

                held.Clear();
            }

            signal ??= await WaitUntilAsync(context, deadline);
        }

        return signal;
    }

    /// <summary>
    /// Sends one step to every batch, a bounded number of batches at a time; when business hours held some of its
    /// messages, adds the step again to <paramref name="held"/> at the first window's opening.
    /// </summary>
    private static Task<string?> SendStepAsync(
        TaskOrchestrationContext context, DeliveryInput input, int batches, int step, DateTime deadline, List<(DateTime At, int Reminder, int Level)> held)
        => StepAsync(context, input, DeliverySteps.Name(step, input.FirstStepName), canStop: true, async () =>
        {
            DateTime? heldUntil = null;
            for (var first = 0; first < batches; first += input.MaxParallelBatches)
            {
                var sends = Enumerable.Range(first, Math.Min(input.MaxParallelBatches, batches - first))
                    .Select(batch => SendBatchAsync(context, input, new SendBatchInput(input.Delivery, step, batch, deadline)));
                foreach (var until in await Task.WhenAll(sends))
                {
                    heldUntil = until is { } u && (heldUntil is null || u.UtcDateTime < heldUntil) ? u.UtcDateTime : heldUntil;
                }
            }

            if (heldUntil is { } at)
            {
                held.Add((at, step, -1));
            }
        });

    /// <summary>
    /// Sends one batch, in as many activities as the shared pace needs (each ends within its time budget). When the
    /// pace gave no slot at all, the next activity waits on a durable timer for one, instead of asking again at once.
    /// </summary>
    /// <returns>When the first of the batch's messages held for business hours may go; null when none is held.</returns>
    private static async Task<DateTimeOffset?> SendBatchAsync(TaskOrchestrationContext context, DeliveryInput input, SendBatchInput batch)
    {
        DateTimeOffset? heldUntil = null;
        try
        {
            var outcome = await context.CallActivityAsync<BatchOutcome>(DeliveryActivities.SendBatch, batch, Retries(input));
            heldUntil = outcome.HeldUntil;
            while (outcome.Deferred > 0 && context.CurrentUtcDateTime < batch.Deadline.UtcDateTime)
            {
                if (outcome.Sent == 0 && outcome.ResumeAt is { } resume && resume.UtcDateTime > context.CurrentUtcDateTime)
                {
                    await context.CreateTimer(resume.UtcDateTime < batch.Deadline.UtcDateTime ? resume.UtcDateTime : batch.Deadline.UtcDateTime, CancellationToken.None);
                }

                outcome = await context.CallActivityAsync<BatchOutcome>(DeliveryActivities.SendBatch, batch, Retries(input));
                heldUntil = Earlier(heldUntil, outcome.HeldUntil);
            }

            if (outcome.Deferred == 0)
            {
                return heldUntil;
            }
        }
        catch (TaskFailedException)
        {
            // Transient failures outlasted every retry: fall through.
        }

        // Whoever in the batch never got the message (the mail system stayed out of reach, or the pace left no slot before
        // the deadline) counts as undeliverable, with the reason.
        await context.CallActivityAsync<int>(DeliveryActivities.GiveUpBatch, batch, Retries(input));
        return heldUntil;
    }

    private static DateTimeOffset? Earlier(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    /// <summary>Escalates in as many activities as the shared pace needs, like a send batch.</summary>
    private static async Task EscalateAsync(TaskOrchestrationContext context, DeliveryInput input, int level)
    {
        var escalation = new EscalateInput(input.Delivery, level);
        var outcome = await context.CallActivityAsync<EscalationOutcome>(DeliveryActivities.Escalate, escalation, Retries(input));
        while (outcome.Remaining > 0)
        {
            if (outcome.Notified == 0 && outcome.ResumeAt is { } resume && resume.UtcDateTime > context.CurrentUtcDateTime)
            {
                await context.CreateTimer(resume.UtcDateTime, CancellationToken.None);
            }

            outcome = await context.CallActivityAsync<EscalationOutcome>(DeliveryActivities.Escalate, escalation, Retries(input));
        }
    }

    /// <summary>
    /// Runs one step; returns null when it is done, or Close or Cancel when it failed and the Secretariat stopped the
    /// delivery. When it fails after its retries the delivery is marked Failed (step and reason) and the step waits for
    /// a decision: Retry runs it again; Close or Cancel stop the delivery (so does everyone having answered meanwhile),
    /// or, for a step that cannot be skipped (<paramref name="canStop"/> false: the report must be compiled whatever
    /// they chose), run it again too.
    /// </summary>
    private static async Task<string?> StepAsync(TaskOrchestrationContext context, DeliveryInput input, string step, bool canStop, Func<Task> run)
    {
        for (var round = 1; round < MaxFailedRounds; round++)
        {
            try
            {
                await run();
                return null;
            }
            catch (TaskFailedException e)
            {
                await context.CallActivityAsync<bool>(DeliveryActivities.RecordFailure,
                    new StepFailure(input.Delivery, step, Reason(e)), Retries(input, attempts: 10));

                // No timer: a failed delivery waits for a person, and an instance waiting for an event costs nothing.
                var decision = await context.WaitForExternalEvent<string>(SignalEvent);
                if (decision != Retry && canStop)
                {
                    return decision == Cancel ? Cancel : Close;
                }

                await context.CallActivityAsync<bool>(DeliveryActivities.Resume, input.Delivery, Retries(input, attempts: 10));
            }
        }

        // A step retried this often is not going to work: the orchestration fails, and the delivery stays Failed.
        await run();
        return null;
    }

    /// <summary>What the Secretariat sees; the error type and first line, never an inner exception's data.</summary>
    private static string Reason(TaskFailedException e)
    {
        var details = e.FailureDetails;
        var message = details.ErrorMessage.Split('\n', 2)[0].Trim();
        var reason = $"{details.ErrorType.Split('.')[^1]}: {message}";
        return reason.Length <= 300 ? reason : reason[..300];
    }

    /// <summary>Every activity retries with the delivery's backoff; a step counts as failed only after the last attempt.</summary>
    private static TaskOptions Retries(DeliveryInput input, int? attempts = null) => TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: attempts ?? input.SendAttempts,
        firstRetryInterval: TimeSpan.FromSeconds(input.FirstRetrySeconds),
        backoffCoefficient: 2,
        maxRetryInterval: TimeSpan.FromMinutes(5)));

    /// <summary>Sleeps until <paramref name="until"/>, or less if a signal arrives; returns the signal, or null when the time came.</summary>
    private static async Task<string?> WaitUntilAsync(TaskOrchestrationContext context, DateTime until)
    {
        // The Azure Storage provider can fire a timer up to a second early (queue visibility is in whole seconds);
        // the orchestration's replayed clock tells, deterministically, whether to sleep the rest.
        while (context.CurrentUtcDateTime < until)
        {
            using var cancel = new CancellationTokenSource();
            var signal = context.WaitForExternalEvent<string>(SignalEvent, cancel.Token);
            var timer = context.CreateTimer(until, cancel.Token);
            var first = await Task.WhenAny(signal, timer);

            // The loser must be cancelled, or an open timer keeps the instance running until it fires. Synchronously:
            // CancelAsync would finish on another thread, outside the orchestration's single-threaded replay.
            cancel.Cancel();

            // A Retry or Close left over from a failure that has been dealt with means nothing now.
            if (first == signal && await signal is AllAcknowledged or Cancel)
            {
                return await signal;
            }
        }

        return null;
    }
}
