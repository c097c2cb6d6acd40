using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace PocDirectory.LocalHost;

/// <summary>Serves each HTTP-triggered function on the route and methods its metadata declares.</summary>
public static class HttpTriggerHost
{
    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        foreach (var function in catalog.Functions.Where(f => f.Trigger == TriggerKind.Http))
        {
            var pattern = "/" + string.Join('/', new[] { catalog.RoutePrefix, function.Route }.Where(p => !string.IsNullOrEmpty(p)));
            var methods = function.HttpMethods.Select(m => m.ToUpperInvariant()).ToArray();
            endpoints.MapMethods(pattern, methods, context => InvokeAsync(function, context)).WithDisplayName(function.Name);
        }
    }

    private static async Task InvokeAsync(FunctionDefinition function, HttpContext context)
    {
        var services = context.RequestServices;
        var target = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Method.DeclaringType!);
        var arguments = function.Method.GetParameters().Select(p => Bind(p, context, function)).ToArray();
        var result = await FunctionResults.AwaitAsync(function.Method.Invoke(target, BindingFlags.DoNotWrapExceptions, null, arguments, null));
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                throw new NotSupportedException($"Function {function.Name} returned {result.GetType().Name}; the local runner serves IActionResult.");
        }
    }

    private static object? Bind(ParameterInfo parameter, HttpContext context, FunctionDefinition function)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        if (parameter.ParameterType == typeof(DurableTaskClient) || parameter.GetCustomAttribute<DurableClientAttribute>() is not null)
        {
            return context.RequestServices.GetRequiredService<DurableTaskClient>();
        }

        if (context.Request.RouteValues.TryGetValue(parameter.Name!, out var value))
        {
            return Convert.ChangeType(value, parameter.ParameterType, System.Globalization.CultureInfo.InvariantCulture);
        }

        throw new NotSupportedException($"Function {function.Name}: the local runner cannot bind parameter '{parameter.Name}' of type {parameter.ParameterType.Name}.");
    }
}

internal static class FunctionResults
{
    /// <summary>T for a method returning Task&lt;T&gt;, ValueTask&lt;T&gt; or T; object for Task and void.</summary>
    public static Type ValueTypeOf(MethodInfo method)
    {
        var type = method.ReturnType;
        if (type == typeof(Task) || type == typeof(ValueTask) || type == typeof(void))
        {
            return typeof(object);
        }

        return type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>))
            ? type.GetGenericArguments()[0]
            : type;
    }

    /// <summary>Awaits a Task, Task&lt;T&gt; or ValueTask&lt;T&gt; returned by reflection and gives back its value (null for a plain Task).</summary>
    public static async Task<object?> AwaitAsync(object? returned)
    {
        switch (returned)
        {
            case Task task:
                await task;
                var type = task.GetType();
                return type.IsGenericType && type.GetGenericArguments()[0].Name != "VoidTaskResult"
                    ? type.GetProperty(nameof(Task<object>.Result))!.GetValue(task)
                    : null;
            case ValueTask valueTask:
                await valueTask;
                return null;
            case not null when returned.GetType().IsGenericType && returned.GetType().GetGenericTypeDefinition() == typeof(ValueTask<>):
                var asTask = (Task)returned.GetType().GetMethod(nameof(ValueTask<object>.AsTask))!.Invoke(returned, null)!;
                return await AwaitAsync(asTask);
            default:
                return returned;
        }
    }
}
