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

public sealed record BatchOutcome(int Sent, int Undeliverable, int Skipped);

public sealed record CompileInput(string CampaignId, bool Cancelled);

public sealed record CampaignSummary(string CampaignId, int InScope, int Acknowledged, int NoResponse, int Undeliverable, int Cancelled);

/// <summary>
/// One ping campaign. The campaign's state lives in Table Storage; this orchestration holds only time: it snapshots the
/// POCs in scope, sends each step in bounded batches, sleeps on durable timers until each reminder and the deadline
/// (woken early by one signal when everyone has answered or the campaign is cancelled), escalates, and compiles the report.
/// History stays small: a handful of activities per step and batch, no event or sub-orchestration per POC.
/// </summary>
public static class PingCampaignOrchestrator
{
    public const string Name = "PingCampaign";

    /// <summary>The one external event: <see cref="AllAcknowledged"/> from the acknowledgement route, or <see cref="Cancel"/>.</summary>
    public const string SignalEvent = "CampaignSignal";

    public const string AllAcknowledged = "AllAcknowledged";

    public const string Cancel = "Cancel";

    [Function(Name)]
    public static Task<CampaignSummary> Run([OrchestrationTrigger] TaskOrchestrationContext context, PingCampaignInput input)
        => RunAsync(context, input);

    public static async Task<CampaignSummary> RunAsync(TaskOrchestrationContext context, PingCampaignInput input)
    {
        var log = context.CreateReplaySafeLogger(Name);
        var start = context.CurrentUtcDateTime;
        var deadline = start.AddSeconds(input.WindowSeconds);
        var batches = await context.CallActivityAsync<int>(PingCampaignActivities.Snapshot, new SnapshotInput(input.CampaignId, deadline));
        log.LogInformation("Campaign {CampaignId} started with {Batches} batches", input.CampaignId, batches);

        string? signal = null;
        if (batches > 0)
        {
            await SendStepAsync(context, input, batches, CampaignSteps.Ping, deadline);
            for (var i = 0; i < input.ReminderOffsetsSeconds.Count && signal is null; i++)
            {
                signal = await WaitUntilAsync(context, start.AddSeconds(input.ReminderOffsetsSeconds[i]));
                if (signal is null)
                {
                    await SendStepAsync(context, input, batches, i + 1, deadline);
                }
            }

            signal ??= await WaitUntilAsync(context, deadline);
        }

        var cancelled = signal == Cancel;
        if (input.Escalate && signal is null)
        {
            await context.CallActivityAsync<int>(PingCampaignActivities.Escalate, input.CampaignId);
        }

        var summary = await context.CallActivityAsync<CampaignSummary>(PingCampaignActivities.CompileReport, new CompileInput(input.CampaignId, cancelled));
        log.LogInformation("Campaign {CampaignId} finished: {Acknowledged} of {InScope} acknowledged", input.CampaignId, summary.Acknowledged, summary.InScope);
        return summary;
    }

    /// <summary>Sends one step to every batch, a bounded number of batches at a time.</summary>
    private static async Task SendStepAsync(TaskOrchestrationContext context, PingCampaignInput input, int batches, int step, DateTime deadline)
    {
        var retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: input.SendAttempts, firstRetryInterval: TimeSpan.FromSeconds(input.FirstRetrySeconds), backoffCoefficient: 2));
        for (var first = 0; first < batches; first += input.MaxParallelBatches)
        {
            var sends = Enumerable.Range(first, Math.Min(input.MaxParallelBatches, batches - first))
                .Select(batch => SendBatchAsync(context, new SendBatchInput(input.CampaignId, step, batch, deadline), retry));
            await Task.WhenAll(sends);
        }
    }

    private static async Task SendBatchAsync(TaskOrchestrationContext context, SendBatchInput batch, TaskOptions retry)
    {
        try
        {
            await context.CallActivityAsync<BatchOutcome>(PingCampaignActivities.SendBatch, batch, retry);
        }
        catch (TaskFailedException)
        {
            // Transient failures outlasted every retry: whoever in the batch is still unsent counts as undeliverable.
            await context.CallActivityAsync<int>(PingCampaignActivities.GiveUpBatch, batch);
        }
    }

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
            if (first == signal)
            {
                return await signal;
            }
        }

        return null;
    }
}
