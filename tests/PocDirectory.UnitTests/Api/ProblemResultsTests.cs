using System.Text.Json;
using Azure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using PocDirectory.Functions.Api;

namespace PocDirectory.UnitTests.Api;

public sealed class ProblemResultsTests
{
    public static TheoryData<Exception, int> Map => new()
    {
        { RequestValidationException.For("fullName", "Required."), 400 },
        { new UnauthenticatedException("no token"), 401 },
        { new ForbiddenException("no"), 403 },
        { new NotFoundException("gone"), 404 },
        { new ConflictException("dup"), 409 },
        { new GoneException("expired"), 410 },
        { new PreconditionFailedException("stale"), 412 },
        { new PayloadTooLargeException("big"), 413 },
        { new UnsupportedMediaTypeException("xml"), 415 },
        { new UnprocessableContentException("key reused"), 422 },
        { new PreconditionRequiredException("if-match"), 428 },
        { new TooManyRequestsException("slow down", TimeSpan.FromSeconds(2)), 429 },
        { new ServiceBusyException("contention", TimeSpan.FromSeconds(2)), 503 },
        { new RequestFailedException(412, "condition not met"), 412 },
        { new RequestFailedException(0, "connection refused"), 503 },
        { new RequestFailedException(503, "server busy"), 503 },
        { new RequestFailedException(400, "bad if-match", "InvalidInput", null), 400 },
        { new RequestFailedException(400, "too long", "PropertyValueTooLarge", null), 400 },
        { new RequestFailedException(413, "entity too large", "EntityTooLarge", null), 400 },
        { new RequestFailedException(409, "exists", "EntityAlreadyExists", null), 409 },
        { new RequestFailedException(404, "table missing", "TableNotFound", null), 500 },
        { new AggregateException(new RequestFailedException(0, "refused"), new RequestFailedException(0, "refused")), 503 },
        { new AggregateException(new RequestFailedException(0, "refused"), new InvalidOperationException("bug")), 500 },
        { new AggregateException(new TaskCanceledException("storage timeout"), new TaskCanceledException("storage timeout")), 503 },
        { new InvalidOperationException("bug"), 500 },
    };

    [Theory]
    [MemberData(nameof(Map))]
    public async Task From_Exception_WritesProblemJsonWithStatus(Exception exception, int status)
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        context.Request.Path = "/api/pocs";

        var result = ProblemResults.From(exception, context.Request);
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new ActionDescriptor()));

        Assert.Equal(status, context.Response.StatusCode);
        Assert.StartsWith("application/problem+json", context.Response.ContentType);
        context.Response.Body.Position = 0;
        using var body = JsonDocument.Parse(context.Response.Body);
        Assert.Equal(status, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("/api/pocs", body.RootElement.GetProperty("instance").GetString());
        Assert.Equal("no-store", context.Response.Headers.CacheControl.ToString());
    }

    /// <summary>An outage may strike after a change was saved: the answer must not promise that nothing was.</summary>
    [Fact]
    public void From_StorageUnavailable_SaysAChangeMayHaveBeenSaved_AndHowToRetrySafely()
    {
        var result = ProblemResults.From(new RequestFailedException(0, "connection refused"), new DefaultHttpContext().Request);

        var detail = ((ProblemDetails)result.Body!).Detail!;
        Assert.DoesNotContain("Nothing was changed", detail, StringComparison.Ordinal);
        Assert.Contains("may or may not have been saved", detail, StringComparison.Ordinal);
        Assert.Contains("Idempotency-Key", detail, StringComparison.Ordinal);
    }

    [Fact]
    public void From_UnexpectedException_DoesNotLeakItsMessage()
    {
        var result = ProblemResults.From(new InvalidOperationException("secret connection string"), new DefaultHttpContext().Request);

        Assert.DoesNotContain("secret", JsonSerializer.Serialize(result.Body, ApiJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void From_Validation_ListsErrorsByField()
    {
        var errors = new Dictionary<string, string[]> { ["phones[0].number"] = ["Bad."], ["kind"] = ["Required."] };

        var json = JsonSerializer.Serialize(ProblemResults.From(new RequestValidationException(errors), new DefaultHttpContext().Request).Body, ApiJson.Options);

        using var body = JsonDocument.Parse(json);
        Assert.Equal("Bad.", body.RootElement.GetProperty("errors").GetProperty("phones[0].number")[0].GetString());
    }

    [Fact]
    public void From_TooManyRequests_SetsRetryAfterInWholeSeconds()
    {
        var result = ProblemResults.From(new TooManyRequestsException("slow", TimeSpan.FromMilliseconds(1500)), new DefaultHttpContext().Request);

        Assert.Equal("2", result.Headers["Retry-After"]);
    }

    [Fact]
    public void From_ServiceBusy_Is503WithRetryAfterAndTheMessage()
    {
        var result = ProblemResults.From(new ServiceBusyException("Try again in a moment.", TimeSpan.FromSeconds(2)), new DefaultHttpContext().Request);

        Assert.Equal(503, result.Status);
        Assert.Equal("2", result.Headers["Retry-After"]);
    }
}
