using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Api;

/// <summary>
/// What every HTTP function runs through: authenticate the caller, read and parse the body, and turn any failure
/// into ProblemDetails. It is plain code the functions call, so the Functions host and the local runner behave alike.
/// </summary>
public sealed class ApiHandler(CallerResolver callers, RequestRateLimiter limiter, IdempotencyStore idempotency, AuditLog audit, ILogger<ApiHandler> logger)
{
    /// <summary>Bodies larger than this are refused before parsing; the largest legitimate body (a POC with a PGP key) is far smaller.</summary>
    public const int MaxBodyBytes = 256 * 1024;

    public Task<IActionResult> RunAsync(HttpRequest request, Func<Caller, Task<ApiResult>> handler)
        => GuardSignedInAsync(request, handler);

    public Task<IActionResult> RunAsync<TBody>(HttpRequest request, Func<Caller, TBody, Task<ApiResult>> handler)
        where TBody : class
        => GuardSignedInAsync(request, async caller =>
        {
            // Authenticated first so an anonymous caller learns nothing from body validation.
            var body = await ReadBodyAsync<TBody>(request);
            return await handler(caller, body);
        });

    /// <summary>
    /// A create: as <see cref="RunAsync{TBody}"/>, and with an Idempotency-Key header the same request from the same
    /// caller is carried out once within 24 hours and answered the same each time (decision 0017). The answer of a
    /// create whose try died after the save is rebuilt from what was saved: <paramref name="successStatus"/>, Location
    /// the route plus the new entity's id, and the entity's representation as its audit entry recorded it.
    /// With <paramref name="replayAs"/> a replayed 201 instead carries the created entity as the caller may see it now
    /// (read from its Location): for a create whose answer depends on who asks and what is still kept (confidential
    /// content that is erased after a retention period, or a caller who has since lost the right to read it).
    /// </summary>
    public Task<IActionResult> RunCreateAsync<TBody>(
        HttpRequest request, Func<Caller, TBody, Task<ApiResult>> handler, int successStatus = StatusCodes.Status201Created, Func<Caller, string, Task<object>>? replayAs = null)
        where TBody : class
        => GuardSignedInAsync(request, async caller =>
        {
            var key = IdempotencyKey.From(request);
            using var bytes = await ReadBytesAsync(request);
            var body = await ParseAsync<TBody>(bytes, request);
            if (key is null)
            {
                return await handler(caller, body);
            }

            var path = request.Path.Value ?? string.Empty;
            var fingerprint = IdempotencyStore.Fingerprint(request.Method, path, bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
            Func<StoredResponse, Task<ApiResult>>? replay = replayAs is null ? null : async earlier =>
                earlier.Status == StatusCodes.Status201Created && earlier.Headers.TryGetValue("Location", out var location)
                    ? ApiResult.Created(location, await replayAs(caller, location))
                    : earlier.ToResult();
            return await idempotency.RunAsync(caller, key, fingerprint, successStatus, path.TrimEnd('/'), () => handler(caller, body), request.HttpContext.RequestAborted, replay);
        });

    /// <summary>
    /// A multipart/form-data request (a form with a file): as <see cref="RunAsync{TBody}"/>, with the whole body bounded
    /// by <paramref name="maxBytes"/> (a larger one is 413 before anything is stored) instead of <see cref="MaxBodyBytes"/>.
    /// </summary>
    public Task<IActionResult> RunFormAsync(HttpRequest request, long maxBytes, Func<Caller, IFormCollection, Task<ApiResult>> handler)
        => GuardSignedInAsync(request, async caller =>
        {
            var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
            if (!string.Equals(mediaType, "multipart/form-data", StringComparison.OrdinalIgnoreCase))
            {
                throw new UnsupportedMediaTypeException("Send the form as multipart/form-data.");
            }

            if (request.ContentLength > maxBytes)
            {
                throw new PayloadTooLargeException($"The request body is larger than {maxBytes} bytes.");
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(
                    new Microsoft.AspNetCore.Http.Features.FormOptions { MultipartBodyLengthLimit = maxBytes, ValueLengthLimit = MaxBodyBytes },
                    request.HttpContext.RequestAborted);
            }
            catch (InvalidDataException e) when (e.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
            {
                throw new PayloadTooLargeException($"The request body is larger than {maxBytes} bytes.");
            }
            catch (InvalidDataException)
            {
                throw RequestValidationException.For("$", "The body is not a valid multipart/form-data form.");
            }

            return await handler(caller, form);
        });

    /// <summary>A public route; <paramref name="link"/> is the signed link token it acts on, which has a rate budget of its own.</summary>
    public Task<IActionResult> RunAnonymousAsync(HttpRequest request, Func<Task<ApiResult>> handler, string? link = null)
        => GuardAsync(request, () =>
        {
            limiter.Check(request, null, link);
            return handler();
        });

    public Task<IActionResult> RunAnonymousAsync<TBody>(HttpRequest request, Func<TBody, Task<ApiResult>> handler)
        where TBody : class
        => GuardAsync(request, async () =>
        {
            limiter.Check(request, null);
            return await handler(await ReadBodyAsync<TBody>(request));
        });

    /// <summary>
    /// Authenticates, then runs the handler. A write the caller may not make is audited (who, what, why) before the
    /// 403 goes back: a user whose role was revoked or whose record was retired leaves a trace when they try.
    /// </summary>
    private Task<IActionResult> GuardSignedInAsync(HttpRequest request, Func<Caller, Task<ApiResult>> handler)
        => GuardAsync(request, async () =>
        {
            var caller = await callers.ResolveAsync(request, request.HttpContext.RequestAborted);
            limiter.Check(request, caller);
            try
            {
                return await handler(caller);
            }
            catch (ForbiddenException refused) when (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
            {
                await audit.RecordEventAsync(caller, "Request.Refused", "Request", $"{request.Method} {RedactedPath(request)}",
                    new { caller.Subject, Reason = refused.Message }, request.HttpContext.RequestAborted);
                throw;
            }
        });

    private async Task<IActionResult> GuardAsync(HttpRequest request, Func<Task<ApiResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var result = ProblemResults.From(exception, request);
            if (result.Status >= StatusCodes.Status500InternalServerError)
            {
                // The exception message of a storage or SDK failure names no personal data; request bodies are never logged.
                logger.LogError(exception, "{Method} {Path} failed with {Status}", request.Method, RedactedPath(request), result.Status);
            }
            else if (exception is Azure.RequestFailedException { Status: not StatusCodes.Status412PreconditionFailed })
            {
                // A storage refusal answered as the caller's error; one that is not the caller's fault is a bug to see.
                logger.LogWarning(exception, "{Method} {Path}: storage refused the request, answered {Status}", request.Method, RedactedPath(request), result.Status);
            }

            return result;
        }
    }

    /// <summary>The path with long segments (acknowledgement tokens) cut, so a log never holds a usable link.</summary>
    private static string RedactedPath(HttpRequest request)
        => string.Join('/', (request.Path.Value ?? string.Empty).Split('/').Select(s => s.Length > 40 ? s[..8] + "…" : s));

    internal static async Task<TBody> ReadBodyAsync<TBody>(HttpRequest request)
        where TBody : class
    {
        using var bytes = await ReadBytesAsync(request);
        return await ParseAsync<TBody>(bytes, request);
    }

    private static async Task<MemoryStream> ReadBytesAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new PayloadTooLargeException($"The request body is larger than {MaxBodyBytes} bytes.");
        }

        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (!string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedMediaTypeException("Send the body as JSON with Content-Type: application/json.");
        }

        var buffer = new MemoryStream();
        await CopyBoundedAsync(request.Body, buffer, request.HttpContext.RequestAborted);
        if (buffer.Length == 0)
        {
            throw RequestValidationException.For("$", "A JSON body is required.");
        }

        return buffer;
    }

    private static async Task<TBody> ParseAsync<TBody>(MemoryStream buffer, HttpRequest request)
        where TBody : class
    {
        buffer.Position = 0;
        try
        {
            return await JsonSerializer.DeserializeAsync<TBody>(buffer, ApiJson.Options, request.HttpContext.RequestAborted)
                ?? throw RequestValidationException.For("$", "A JSON object is required, not null.");
        }
        catch (JsonException e) when (IsWrongType(e))
        {
            throw RequestValidationException.For(FieldOf(e.Path),
                e.Path is null or "$" ? "The body must be a JSON object." : "The value has the wrong type or is not one of the allowed values.");
        }
        catch (JsonException e)
        {
            throw RequestValidationException.For("$", $"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}).");
        }
    }

    private static async Task CopyBoundedAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (target.Length + read > MaxBodyBytes)
            {
                throw new PayloadTooLargeException($"The request body is larger than {MaxBodyBytes} bytes.");
            }

            await target.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }
    }

    /// <summary>Turns System.Text.Json's "$.phones[0].type" into the field name clients see, "phones[0].type".</summary>
    internal static string FieldOf(string? jsonPath)
        => string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "$" : jsonPath.TrimStart('$').TrimStart('.');

    /// <summary>System.Text.Json reports a value of the wrong type this way; anything else is broken syntax.</summary>
    private static bool IsWrongType(JsonException e)
        => e.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal);
}
