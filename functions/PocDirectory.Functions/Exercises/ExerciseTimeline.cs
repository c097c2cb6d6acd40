using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace PocDirectory.Functions.Exercises;

/// <summary>The offsets of an exercise's injects, in seconds from the start, in order.</summary>
public sealed record ExerciseTimelineInput(string ExerciseId, IReadOnlyList<double> OffsetsSeconds);

/// <summary>Starts inject <paramref name="Number"/>'s delivery; <paramref name="DueAt"/> is when the timeline meant it to go.</summary>
public sealed record StartInjectInput(string ExerciseId, int Number, DateTimeOffset DueAt);

/// <summary>
/// The exercise's timeline: holds only time. At each inject's offset from the start (plus the time spent paused) it starts
/// that inject's delivery on the core, through an activity; a Pause holds the clock until Resume, so the remaining
/// injects move by the pause; End stops it. After the last inject it waits for End (an instance waiting for an event
/// costs nothing), so a late Pause or End finds it. Injects' own deadlines, reminders and answers are their deliveries'.
/// </summary>
public static class ExerciseTimeline
{
    public const string Name = "ExerciseTimeline";

    public const string ControlEvent = "ExerciseControl";

    public const string Pause = "Pause";

    public const string Resume = "Resume";

    public const string End = "End";

    public const string StartInject = "ExerciseStartInject";

    private const int MaxControlRounds = 1000;

    public static string InstanceId(string exerciseId) => $"exercisetimeline-{exerciseId}";

    [Function(Name)]
    public static Task<int> Run([OrchestrationTrigger] TaskOrchestrationContext context, ExerciseTimelineInput input)
        => RunAsync(context, input);

    /// <summary>Returns how many injects it started.</summary>
    public static async Task<int> RunAsync(TaskOrchestrationContext context, ExerciseTimelineInput input)
    {
        var log = context.CreateReplaySafeLogger(Name);
        var start = context.CurrentUtcDateTime;
        var paused = TimeSpan.Zero;
        var retries = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2, TimeSpan.FromMinutes(1)));
        for (var i = 0; i < input.OffsetsSeconds.Count; i++)
        {
            var due = start;

            // Bounded: each round is a Pause and its Resume; a timeline paused this often is not an exercise anyone runs.
            for (var round = 0; round < MaxControlRounds; round++)
            {
                due = start.AddSeconds(input.OffsetsSeconds[i]) + paused;
                var signal = await WaitUntilAsync(context, due);
                if (signal is null)
                {
                    break;
                }

                if (signal == End)
                {
                    return i;
                }

                if (signal == Pause)
                {
                    var pausedAt = context.CurrentUtcDateTime;
                    var next = await context.WaitForExternalEvent<string>(ControlEvent);
                    for (var again = 0; next == Pause && again < MaxControlRounds; again++)
                    {
                        next = await context.WaitForExternalEvent<string>(ControlEvent);
                    }

                    if (next == End)
                    {
                        return i;
                    }

                    paused += context.CurrentUtcDateTime - pausedAt;
                }
            }

            await context.CallActivityAsync<bool>(StartInject, new StartInjectInput(input.ExerciseId, i + 1, new DateTimeOffset(due, TimeSpan.Zero)), retries);
            log.LogInformation("Exercise {Exercise}: inject {Number} started", input.ExerciseId, i + 1);
        }

        for (var round = 0; round < MaxControlRounds && await context.WaitForExternalEvent<string>(ControlEvent) != End; round++)
        {
        }

        return input.OffsetsSeconds.Count;
    }

    /// <summary>Sleeps until <paramref name="until"/> or a control event; returns the event, or null when the time came.</summary>
    private static async Task<string?> WaitUntilAsync(TaskOrchestrationContext context, DateTime until)
    {
        // A timer can fire up to a second early on the Azure Storage provider: the replayed clock says whether to sleep on.
        while (context.CurrentUtcDateTime < until)
        {
            using var cancel = new CancellationTokenSource();
            var signal = context.WaitForExternalEvent<string>(ControlEvent, cancel.Token);
            var timer = context.CreateTimer(until, cancel.Token);
            var first = await Task.WhenAny(signal, timer);

            // Cancel the loser synchronously, or an open timer keeps the instance running.
            cancel.Cancel();
            if (first == signal && await signal is Pause or End)
            {
                return await signal;
            }
        }

        return null;
    }
}

/// <summary>The timeline's one I/O step.</summary>
public sealed class ExerciseActivities(ExerciseService exercises)
{
    [Function(ExerciseTimeline.StartInject)]
    public Task<bool> ExerciseStartInject([ActivityTrigger] StartInjectInput input, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken)
        => exercises.StartInjectAsync(input, durable, cancellationToken);
}
