using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace PocDirectory.LocalHost;

/// <summary>
/// Runs an orchestrator function on the Durable Task worker. The function is the Functions app's own
/// <c>Run([OrchestrationTrigger] TaskOrchestrationContext, TInput)</c>; the worker has already turned the input into TInput.
/// </summary>
public sealed class FunctionOrchestrator(FunctionDefinition function) : ITaskOrchestrator
{
    private readonly ParameterInfo[] _parameters = function.Method.GetParameters();

    public Type InputType => _parameters.FirstOrDefault(p => p.ParameterType != typeof(TaskOrchestrationContext))?.ParameterType ?? typeof(object);

    public Type OutputType => FunctionResults.ValueTypeOf(function.Method);

    public Task<object?> RunAsync(TaskOrchestrationContext context, object? input)
    {
        // No ConfigureAwait(false) anywhere on this path: orchestrator code must resume on the orchestration's own context.
        var arguments = _parameters.Select(p => p.ParameterType == typeof(TaskOrchestrationContext) ? context : input).ToArray();
        return FunctionResults.AwaitAsync(function.Method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null));
    }
}

/// <summary>Runs an activity function: its class is created per call from the work item's DI scope, as the worker does.</summary>
public sealed class FunctionActivity(FunctionDefinition function, IServiceProvider services) : ITaskActivity
{
    private readonly ParameterInfo[] _parameters = function.Method.GetParameters();

    public Type InputType => InputParameter?.ParameterType ?? typeof(object);

    public Type OutputType => FunctionResults.ValueTypeOf(function.Method);

    private ParameterInfo? InputParameter => _parameters.FirstOrDefault(p => p.GetCustomAttribute<ActivityTriggerAttribute>() is not null);

    public Task<object?> RunAsync(TaskActivityContext context, object? input)
    {
        var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Method.DeclaringType!);
        var arguments = _parameters.Select(p =>
            p == InputParameter ? input :
            p.ParameterType == typeof(CancellationToken) ? CancellationToken.None :
            p.ParameterType == typeof(TaskActivityContext) ? context :
            // [DurableClient] on an activity: an activity that starts another orchestration (an exercise's inject delivery).
            p.ParameterType == typeof(DurableTaskClient) ? services.GetRequiredService<DurableTaskClient>() :
            throw new NotSupportedException($"Activity {function.Name}: the local runner cannot bind '{p.Name}'.")).ToArray();
        return FunctionResults.AwaitAsync(function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null));
    }
}
