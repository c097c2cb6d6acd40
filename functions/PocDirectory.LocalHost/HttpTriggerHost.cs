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
            endpoints.MapMethods(pattern, methods, context => InvokeAsync(function, context)).WithDisplayName(function.Name).WithMetadata(function);
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
