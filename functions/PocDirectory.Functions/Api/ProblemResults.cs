using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace PocDirectory.Functions.Api;

/// <summary>The single map from a failure to an RFC 9457 ProblemDetails response.</summary>
public static class ProblemResults
{
    public static ApiResult From(Exception exception, HttpRequest request) => exception switch
    {
        RequestValidationException e => Validation(e.Errors, request),
        UnauthenticatedException e => Problem(StatusCodes.Status401Unauthorized, "Unauthorized", e.Message, request)
            .WithHeader("WWW-Authenticate", "Bearer"),
        ForbiddenException e => Problem(StatusCodes.Status403Forbidden, "Forbidden", e.Message, request),
        NotFoundException e => Problem(StatusCodes.Status404NotFound, "Not Found", e.Message, request),
        ConflictException e => Problem(StatusCodes.Status409Conflict, "Conflict", e.Message, request),
        PayloadTooLargeException e => Problem(StatusCodes.Status413PayloadTooLarge, "Content Too Large", e.Message, request),
        UnsupportedMediaTypeException e => Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", e.Message, request),
        UnprocessableContentException e => Problem(StatusCodes.Status422UnprocessableEntity, "Unprocessable Content", e.Message, request),
        GoneException e => Problem(StatusCodes.Status410Gone, "Gone", e.Message, request),
        PreconditionFailedException e => Problem(StatusCodes.Status412PreconditionFailed, "Precondition Failed", e.Message, request),
        PreconditionRequiredException e => Problem(StatusCodes.Status428PreconditionRequired, "Precondition Required", e.Message, request),
        TooManyRequestsException e => Problem(StatusCodes.Status429TooManyRequests, "Too Many Requests", e.Message, request)
            .WithHeader("Retry-After", Seconds(e.RetryAfter)),
        ServiceBusyException e => Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable", e.Message, request)
            .WithHeader("Retry-After", Seconds(e.RetryAfter)),
        RequestFailedException { Status: StatusCodes.Status412PreconditionFailed } => Problem(
            StatusCodes.Status412PreconditionFailed, "Precondition Failed", StaleVersion, request),
        RequestFailedException e when IsStorageUnavailable(e) => Unavailable(request),

        // Storage refuses what it cannot hold (a key or value too long, characters a key may not carry, a tag it did not
        // make) before changing anything: the request's fault, not the server's. The error code names no data.
        RequestFailedException { Status: StatusCodes.Status400BadRequest or StatusCodes.Status413PayloadTooLarge } e => Problem(
            StatusCodes.Status400BadRequest, "Bad Request",
            $"The directory's storage refused a value of this request ({e.ErrorCode ?? "no reason given"}). Nothing was changed; check the lengths and characters of what you sent.",
            request),
        RequestFailedException { Status: StatusCodes.Status409Conflict } => Problem(
            StatusCodes.Status409Conflict, "Conflict", "The record was created or changed by someone else at the same moment. Nothing was changed; reload it and try again.", request),

        // Azure.Core gathers the failures of its retries (refused connections, 5xx, timeouts) into one AggregateException.
        AggregateException e when e.InnerExceptions.All(i => i is RequestFailedException r && IsStorageUnavailable(r) || i is OperationCanceledException)
            => Unavailable(request),
        OperationCanceledException when !request.HttpContext.RequestAborted.IsCancellationRequested => Unavailable(request),
        _ => Problem(StatusCodes.Status500InternalServerError, "Internal Server Error",
            "The request failed unexpectedly. It has been logged; quote the trace id when reporting it.", request),
    };

    public const string StaleVersion = "The record was changed by someone else since you read it. Reload it and apply your change again.";

    private static string Seconds(TimeSpan delay) => ((int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsStorageUnavailable(RequestFailedException e) => e.Status is 0 or >= 500;

    private static ApiResult Unavailable(HttpRequest request)
        => Problem(StatusCodes.Status503ServiceUnavailable, "Service Unavailable",
                "The directory's storage cannot be reached right now; try again shortly. A change you sent may or may not have been saved: "
                + "repeat a create with the same Idempotency-Key header (it is then carried out once), and reload anything else before changing it again.", request)
            .WithHeader("Retry-After", "5");

    private static ApiResult Validation(IReadOnlyDictionary<string, string[]> errors, HttpRequest request)
    {
        var problem = new ValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value))
        {
            Type = TypeFor(StatusCodes.Status400BadRequest),
            Title = "One or more fields are invalid.",
            Status = StatusCodes.Status400BadRequest,
            Detail = string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
            Instance = request.Path,
        };
        AddTraceId(problem, request);
        return ApiResult.Problem(StatusCodes.Status400BadRequest, problem);
    }

    public static ApiResult Problem(int status, string title, string detail, HttpRequest request)
    {
        var problem = new ProblemDetails
        {
            Type = TypeFor(status),
            Title = title,
            Status = status,
            Detail = detail,
            Instance = request.Path,
        };
        AddTraceId(problem, request);
        return ApiResult.Problem(status, problem);
    }

    private static void AddTraceId(ProblemDetails problem, HttpRequest request)
        => problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? request.HttpContext.TraceIdentifier;

    private static string TypeFor(int status) => status switch
    {
        400 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
        401 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.2",
        403 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.4",
        404 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.5",
        409 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10",
        410 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.11",
        412 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.13",
        413 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
        415 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16",
        422 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.21",
        428 => "https://www.rfc-editor.org/rfc/rfc6585#section-3",
        429 => "https://www.rfc-editor.org/rfc/rfc6585#section-4",
        503 => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4",
        _ => "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1",
    };
}
