namespace PocDirectory.Functions.Api;

/// <summary>Failures the API reports to callers. <see cref="ProblemResults"/> is the one place that turns them into ProblemDetails.</summary>
public abstract class ApiException(string message) : Exception(message);

/// <summary>The request is malformed or breaks a rule; <see cref="Errors"/> names each field (JSON path style, camelCase).</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : ApiException("One or more fields are invalid.")
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message)
        => new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed class UnauthenticatedException(string message) : ApiException(message);

public sealed class ForbiddenException(string message) : ApiException(message);

public sealed class NotFoundException(string message) : ApiException(message);

public sealed class ConflictException(string message) : ApiException(message);

/// <summary>The caller's If-Match no longer matches the stored version.</summary>
public sealed class PreconditionFailedException(string message) : ApiException(message);

/// <summary>An update arrived without If-Match, so it could silently overwrite someone else's change.</summary>
public sealed class PreconditionRequiredException(string message) : ApiException(message);

/// <summary>The request is well-formed but cannot be carried out as sent, e.g. an Idempotency-Key reused for another request.</summary>
public sealed class UnprocessableContentException(string message) : ApiException(message);

public sealed class GoneException(string message) : ApiException(message);

public sealed class TooManyRequestsException(string message, TimeSpan retryAfter) : ApiException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>The request could not be served now for a reason that passes (contention, not an outage); 503 with Retry-After.</summary>
public sealed class ServiceBusyException(string message, TimeSpan retryAfter) : ApiException(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

public sealed class PayloadTooLargeException(string message) : ApiException(message);

public sealed class UnsupportedMediaTypeException(string message) : ApiException(message);
