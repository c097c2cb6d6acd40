using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace PocDirectory.Functions.Api;

/// <summary>
/// A JSON (or text) response written straight to the HTTP response with <see cref="ApiJson.Options"/>,
/// so both the Functions host and the local runner produce the same bytes without relying on MVC formatters.
/// </summary>
public sealed class ApiResult : IActionResult
{
    private readonly object? _body;
    private readonly string? _text;
    private byte[]? _bytes;

    private ApiResult(int status, object? body, string? text, string contentType)
    {
        Status = status;
        _body = body;
        _text = text;
        ContentType = contentType;
    }

    public int Status { get; }

    public string ContentType { get; }

    public object? Body => _body;

    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public static ApiResult Ok(object body) => new(StatusCodes.Status200OK, body, null, "application/json; charset=utf-8");

    public static ApiResult Created(string location, object body)
        => new ApiResult(StatusCodes.Status201Created, body, null, "application/json; charset=utf-8").WithHeader("Location", location);

    public static ApiResult Accepted(string location, object body)
        => new ApiResult(StatusCodes.Status202Accepted, body, null, "application/json; charset=utf-8").WithHeader("Location", location);

    /// <summary>Any status with JSON already written (or no body): a stored answer replayed byte for byte.</summary>
    public static ApiResult Json(int status, string? json) => new(status, null, json, "application/json; charset=utf-8");

    public static ApiResult NoContent() => new(StatusCodes.Status204NoContent, null, null, "application/json; charset=utf-8");

    public static ApiResult Text(string text, string contentType) => new(StatusCodes.Status200OK, null, text, contentType);

    /// <summary>A file (a scanned document) sent as it is stored.</summary>
    public static ApiResult File(byte[] bytes, string contentType) => new(StatusCodes.Status200OK, null, null, contentType) { _bytes = bytes };

    public static ApiResult Problem(int status, object problem) => new(status, problem, null, "application/problem+json; charset=utf-8");

    public ApiResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public ApiResult WithETag(string etag) => WithHeader("ETag", etag);

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        // Responses may hold confidential directory data: never let a shared cache keep them.
        response.Headers.CacheControl = "no-store";
        if (_bytes is not null)
        {
            response.ContentType = ContentType;
            response.ContentLength = _bytes.Length;
            await response.Body.WriteAsync(_bytes, context.HttpContext.RequestAborted);
            return;
        }

        if (_body is null && _text is null)
        {
            return;
        }

        response.ContentType = ContentType;
        if (_text is not null)
        {
            await response.WriteAsync(_text, context.HttpContext.RequestAborted);
            return;
        }

        await JsonSerializer.SerializeAsync(response.Body, _body, _body!.GetType(), ApiJson.Options, context.HttpContext.RequestAborted);
    }
}
