namespace PocDirectory.Functions.OpenApi;

/// <summary>
/// Describes an HTTP function for the OpenAPI document. Route, methods and path parameters come from its trigger, the
/// request schema from the body type and its validator, and the usual problem answers from what the declared inputs
/// imply (<see cref="OpenApiDocument"/>), so only what none of those say is written here.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ApiDocAttribute(string summary) : Attribute
{
    public string Summary { get; } = summary;

    /// <summary>The JSON body the function reads, if any; an <see cref="IApiExample{TSelf}"/> body gives the document its example.</summary>
    public Type? Request { get; init; }

    /// <summary>The JSON body of a successful answer, if any.</summary>
    public Type? Response { get; init; }

    /// <summary>The successful answer may also be CSV (chosen with a format query parameter).</summary>
    public bool Csv { get; init; }

    /// <summary>The successful answer is text of this media type ("text/calendar"), not JSON.</summary>
    public string? TextContentType { get; init; }

    /// <summary>The successful answer is a file of this media type ("application/pdf").</summary>
    public string? BinaryContentType { get; init; }

    /// <summary>
    /// The <see cref="Request"/> fields come as multipart/form-data, with an optional file in the part of this name,
    /// instead of a JSON body.
    /// </summary>
    public string? Form { get; init; }

    /// <summary>The list is paged: the pageSize and continuationToken query parameters.</summary>
    public bool Paged { get; init; }

    /// <summary>Anonymous callers may use the function (health, acknowledgements, local dev tokens).</summary>
    public bool Anonymous { get; init; }

    /// <summary>The function requires an If-Match header with the ETag the caller read.</summary>
    public bool IfMatch { get; init; }

    /// <summary>A successful answer carries the record's version in an ETag header.</summary>
    public bool ETag { get; init; }

    /// <summary>The function is a create that honours an Idempotency-Key header (decision 0017).</summary>
    public bool Idempotent { get; init; }

    public int SuccessStatus { get; init; } = 200;
}

/// <summary>A query parameter and its type: an enum lists its values, int and DateTimeOffset become integer and date-time.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiQueryAttribute(string name, Type type) : Attribute
{
    public string Name { get; } = name;

    public Type Type { get; } = type;

    public string? Description { get; init; }

    /// <summary>The allowed values of a string parameter, when they are not an enum.</summary>
    public string[]? Values { get; init; }

    public int Minimum { get; init; } = int.MinValue;

    public int Maximum { get; init; } = int.MaxValue;
}

/// <summary>A request header the function reads (If-Match has its own flag on <see cref="ApiDocAttribute"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiHeaderAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public bool Required { get; init; }

    public int MaxLength { get; init; } = 512;
}

/// <summary>
/// A problem answer the function can give beyond those every function of its kind gives (401, 403, 404 on a path
/// parameter, 400 on input, 412/428 with If-Match, 429, 500, 503); <see cref="Body"/> replaces ProblemDetails.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiProblemAttribute(int status, string description) : Attribute
{
    public int Status { get; } = status;

    public string Description { get; } = description;

    public Type? Body { get; init; }
}

/// <summary>The feature a class of functions belongs to: one OpenAPI tag per feature.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ApiTagAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}
