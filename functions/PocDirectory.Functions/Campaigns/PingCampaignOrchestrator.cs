using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace PocDirectory.Functions.Campaigns;

/// <summary>What the orchestration needs to know; everything else it reads through activities.</summary>
public sealed record PingCampaignInput(
    string CampaignId,
    double WindowSeconds,
    IReadOnlyList<double> ReminderOffsetsSeconds,
    bool Escalate,
    int MaxParallelBatches,
    int SendAttempts,
    double FirstRetrySeconds);

public sealed record SnapshotInput(string CampaignId, DateTimeOffset Deadline);

public sealed record SendBatchInput(string CampaignId, int Step, int Batch, DateTimeOffset Deadline);

/// <summary>
/// What one send activity did. <paramref name="Deferred"/> POCs are left for the next activity because the shared pace
/// had no slot for them within this one's time budget; <paramref name="ResumeAt"/> is when a slot may be free again.
/// </summary>
public sealed record BatchOutcome(int Sent, int Undeliverable, int Skipped, int Deferred = 0, DateTimeOffset? ResumeAt = null);

/// <summary>What one escalation activity did; as with sends, <paramref name="Remaining"/> participants wait for the next one.</summary>
public sealed record EscalationOutcome(int Notified, int Remaining, DateTimeOffset? ResumeAt);

public sealed record CompileInput(string CampaignId, bool Cancelled);

public sealed record StepFailure(string CampaignId, string Step, string Reason);

public sealed record CampaignSummary(string CampaignId, int InScope, int Acknowledged, int NoResponse, int Undeliverable, int Cancelled);

/// <summary>
/// One ping campaign. The campaign's state lives in Table Storage; this orchestration holds only time: it snapshots the
/// POCs in scope, sends each step in bounded batches, sleeps on durable timers until each reminder and the deadline
/// (woken early by one signal when everyone has answered or the campaign is cancelled), escalates, and compiles the report.
/// History stays small: a handful of activities per step and batch, no event or sub-orchestration per POC.
/// Every step ends: each activity has a retry policy, and a step that still fails marks the campaign Failed and waits
/// for the Secretariat to retry it, close the campaign or cancel it (decision 0015).
/// </summary>
public static class PingCampaignOrchestrator
{
    public const string Name = "PingCampaign";

    /// <summary>The one external event; its value is one of the signals below.</summary>
    public const string SignalEvent = "CampaignSignal";

    /// <summary>From the acknowledgement route: nobody is left to answer.</summary>
    public const string AllAcknowledged = "AllAcknowledged";

    public const string Cancel = "Cancel";

    /// <summary>From the Secretariat, for a failed campaign: run the failed step again.</summary>
    public const string Retry = "Retry";

    /// <summary>From the Secretariat, for a failed campaign: skip what is left and compile the report from what happened.</summary>
    public const string Close = "Close";

    /// <summary>How often the Secretariat may have a failed step run again; each round waits for their decision.</summary>
    private const int MaxFailedRounds = 20;

    [Function(Name)]
    public static Task<CampaignSummary> Run([OrchestrationTrigger] TaskOrchestrationContext context, PingCampaignInput input)
        => RunAsync(context, input);

    public static async Task<CampaignSummary> RunAsync(TaskOrchestrationContext context, PingCampaignInput input)
    {
        var log = context.CreateReplaySafeLogger(Name);
        var signal = await DeliverAsync(context, input, log);

        // The report step reads the stored cancel flag too: a cancel whose signal never arrived still counts.
        CampaignSummary summary = null!;
        await StepAsync(context, input, CampaignSteps.Report, canStop: false, async () => summary = await context.CallActivityAsync<CampaignSummary>(
            PingCampaignActivities.CompileReport, new CompileInput(input.CampaignId, signal == Cancel), Retries(input)));
        log.LogInformation("Campaign {CampaignId} finished: {Acknowledged} of {InScope} acknowledged", input.CampaignId, summary.Acknowledged, summary.InScope);
        return summary;
    }

    /// <summary>
    /// Everything before the report; returns the signal that ended it early (AllAcknowledged, Cancel, or Close after a
    /// failed step), or null when it ran to the deadline.
    /// </summary>
    private static async Task<string?> DeliverAsync(TaskOrchestrationContext context, PingCampaignInput input, ILogger log)
    {
        var start = context.CurrentUtcDateTime;
        var deadline = start.AddSeconds(input.WindowSeconds);
        var batches = 0;
        if (await StepAsync(context, input, CampaignSteps.Snapshot, canStop: true, async () => batches = await context.CallActivityAsync<int>(
                PingCampaignActivities.Snapshot, new SnapshotInput(input.CampaignId, deadline), Retries(input))) is { } stopped)
        {
            return stopped;
        }

        log.LogInformation("Campaign {CampaignId} started with {Batches} batches", input.CampaignId, batches);
        string? signal = null;
        if (batches > 0)
        {
            signal = await SendStepAsync(context, input, batches, CampaignSteps.Ping, deadline);
            for (var i = 0; i < input.ReminderOffsetsSeconds.Count && signal is null; i++)
            {
                signal = await WaitUntilAsync(context, start.AddSeconds(input.ReminderOffsetsSeconds[i]))
                    ?? await SendStepAsync(context, input, batches, i + 1, deadline);
            }

            signal ??= await WaitUntilAsync(context, deadline);
        }

        if (input.Escalate && signal is null)
        {
            signal = await StepAsync(context, input, CampaignSteps.Escalation, canStop: true, () => EscalateAsync(context, input));
        }

        return signal;
    }

    /// <summary>Sends one step to every batch, a bounded number of batches at a time.</summary>
    private static Task<string?> SendStepAsync(TaskOrchestrationContext context, PingCampaignInput input, int batches, int step, DateTime deadline)
        => StepAsync(context, input, CampaignSteps.Name(step), canStop: true, async () =>
        {
            for (var first = 0; first < batches; first += input.MaxParallelBatches)
            {
                var sends = Enumerable.Range(first, Math.Min(input.MaxParallelBatches, batches - first))
                    .Select(batch => SendBatchAsync(context, input, new SendBatchInput(input.CampaignId, step, batch, deadline)));
                await Task.WhenAll(sends);
            }
        });

    /// <summary>
    /// Sends one batch, in as many activities as the shared pace needs (each ends within its time budget). When the
    /// pace gave no slot at all, the next activity waits on a durable timer for one, instead of asking again at once.
    /// </summary>
    private static async Task SendBatchAsync(TaskOrchestrationContext context, PingCampaignInput input, SendBatchInput batch)
    {
        try
        {
            var outcome = await context.CallActivityAsync<BatchOutcome>(PingCampaignActivities.SendBatch, batch, Retries(input));
            while (outcome.Deferred > 0 && context.CurrentUtcDateTime < batch.Deadline.UtcDateTime)
            {
                if (outcome.Sent == 0 && outcome.ResumeAt is { } resume && resume.UtcDateTime > context.CurrentUtcDateTime)
                {
                    await context.CreateTimer(resume.UtcDateTime < batch.Deadline.UtcDateTime ? resume.UtcDateTime : batch.Deadline.UtcDateTime, CancellationToken.None);
                }

                outcome = await context.CallActivityAsync<BatchOutcome>(PingCampaignActivities.SendBatch, batch, Retries(input));
            }

            if (outcome.Deferred == 0)
            {
                return;
            }
        }
        catch (TaskFailedException)
        {
            // Transient failures outlasted every retry: fall through.
        }

        // Whoever in the batch never got the ping (the mail system stayed out of reach, or the pace left no slot before the
        // deadline) counts as undeliverable, with the reason.
        await context.CallActivityAsync<int>(PingCampaignActivities.GiveUpBatch, batch, Retries(input));
    }

    /// <summary>Escalates in as many activities as the shared pace needs, like a send batch.</summary>
    private static async Task EscalateAsync(TaskOrchestrationContext context, PingCampaignInput input)
    {
        var outcome = await context.CallActivityAsync<EscalationOutcome>(PingCampaignActivities.Escalate, input.CampaignId, Retries(input));
        while (outcome.Remaining > 0)
        {
            if (outcome.Notified == 0 && outcome.ResumeAt is { } resume && resume.UtcDateTime > context.CurrentUtcDateTime)
            {
                await context.CreateTimer(resume.UtcDateTime, CancellationToken.None);
            }

            outcome = await context.CallActivityAsync<EscalationOutcome>(PingCampaignActivities.Escalate, input.CampaignId, Retries(input));
        }
    }

    /// <summary>
    /// Runs one step; returns null when it is done, or Close or Cancel when it failed and the Secretariat stopped the
    /// campaign. When it fails after its retries the campaign is marked Failed (step and reason) and the step waits for
    /// a decision: Retry runs it again; Close or Cancel stop the campaign (so does everyone having answered meanwhile),
    /// or, for a step that cannot be skipped (<paramref name="canStop"/> false: the report must be compiled whatever
    /// they chose), run it again too.
    /// </summary>
    private static async Task<string?> StepAsync(TaskOrchestrationContext context, PingCampaignInput input, string step, bool canStop, Func<Task> run)
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
                await context.CallActivityAsync<bool>(PingCampaignActivities.RecordFailure,
                    new StepFailure(input.CampaignId, step, Reason(e)), Retries(input, attempts: 10));

                // No timer: a failed campaign waits for a person, and an instance waiting for an event costs nothing.
                var decision = await context.WaitForExternalEvent<string>(SignalEvent);
                if (decision != Retry && canStop)
                {
                    return decision == Cancel ? Cancel : Close;
                }

                await context.CallActivityAsync<bool>(PingCampaignActivities.ResumeAfterFailure, input.CampaignId, Retries(input, attempts: 10));
            }
        }

        // A step retried this often is not going to work: the orchestration fails, and the campaign stays Failed.
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

    /// <summary>Every activity retries with the campaign's backoff; a step counts as failed only after the last attempt.</summary>
    private static TaskOptions Retries(PingCampaignInput input, int? attempts = null) => TaskOptions.FromRetryPolicy(new RetryPolicy(
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
