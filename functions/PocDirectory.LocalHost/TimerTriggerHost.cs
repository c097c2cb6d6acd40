using System.Reflection;
using System.Text.RegularExpressions;
using Cronos;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace PocDirectory.LocalHost;

/// <summary>
/// Fires each timer-triggered function on the schedule its metadata declares: six-field NCRONTAB (with seconds), the
/// %Setting% form resolved from configuration as the Functions host does.
/// </summary>
public sealed partial class TimerTriggerHost(FunctionCatalog catalog, IServiceProvider services, IConfiguration configuration, TimeProvider time, ILogger<TimerTriggerHost> logger)
    : BackgroundService
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _scheduled = new();

    /// <summary>The timer functions this host has actually scheduled, with the NCRONTAB expression each runs on.</summary>
    public IReadOnlyDictionary<string, string> Scheduled => _scheduled;

    /// <summary>
    /// Every schedule is resolved before any runs, so a setting that is not set stops the runner at its start with the
    /// setting's name; resolved inside each loop, it would only fault that loop's task and the timer would never fire.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timers = catalog.Functions.Where(f => f.Trigger == TriggerKind.Timer)
            .Select(f => (Function: f, Schedule: ResolveSchedule(f.Schedule!, configuration)))
            .ToList();
        return Task.WhenAll(timers.Select(t => RunScheduleAsync(t.Function, t.Schedule, stoppingToken)));
    }

    private static string ResolveSchedule(string schedule, IConfiguration configuration)
        => SettingReference().Replace(schedule, m => configuration[m.Groups[1].Value]
            ?? throw new InvalidOperationException($"The timer schedule refers to the setting {m.Groups[1].Value}, which is not set."));

    private async Task RunScheduleAsync(FunctionDefinition function, string resolved, CancellationToken stoppingToken)
    {
        var schedule = CronExpression.Parse(resolved, CronFormat.IncludeSeconds);
        _scheduled[function.Name] = resolved;
        var last = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = schedule.GetNextOccurrence(time.GetUtcNow().UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            await Task.Delay(TimerWait.Step(next.Value, time.GetUtcNow().UtcDateTime), time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (time.GetUtcNow().UtcDateTime < next.Value)
            {
                // A long wait is taken a day at a time; the occurrence is recomputed and still ahead.
                continue;
            }

            try
            {
                await InvokeAsync(function, new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = last.UtcDateTime, Next = next.Value } }, stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // As in the Functions host, a failed run is logged and the schedule goes on.
                logger.LogError(e, "Timer function {Function} failed", function.Name);
            }

            last = time.GetUtcNow();
        }
    }

    private async Task InvokeAsync(FunctionDefinition function, TimerInfo timer, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
        var arguments = function.Method.GetParameters().Select(p =>
            p.ParameterType == typeof(TimerInfo) ? timer :
            p.ParameterType == typeof(DurableTaskClient) ? scope.ServiceProvider.GetRequiredService<DurableTaskClient>() :
            p.ParameterType == typeof(CancellationToken) ? (object)cancellationToken :
            throw new NotSupportedException($"Timer function {function.Name}: the local runner cannot bind '{p.Name}'.")).ToArray();
        await FunctionResults.AwaitAsync(function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null));
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}
