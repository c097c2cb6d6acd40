namespace PocDirectory.Functions.OpenApi;

/// <summary>Describes an HTTP function for the OpenAPI document; route and methods come from its trigger, so they are not repeated here.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiDocAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    /// <summary>The JSON body the function reads, if any.</summary>
    public Type? Request { get; init; }

    /// <summary>The JSON body of a successful answer, if any.</summary>
    public Type? Response { get; init; }

    /// <summary>Query parameters, comma-separated.</summary>
    public string? Query { get; init; }

    /// <summary>Anonymous callers may use the function (health, acknowledgements, local dev tokens).</summary>
    public bool Anonymous { get; init; }

    /// <summary>The function requires an If-Match header.</summary>
    public bool IfMatch { get; init; }

    /// <summary>The function is a create that honours an Idempotency-Key header (decision 0017).</summary>
    public bool Idempotent { get; init; }

    public int SuccessStatus { get; init; } = 200;
}
