using System.Reflection;

namespace PocDirectory.LocalHost;

/// <summary>What the runner needs to call a function by reflection, whatever its return type.</summary>
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
