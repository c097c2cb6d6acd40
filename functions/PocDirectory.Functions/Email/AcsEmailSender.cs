using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Email;

/// <summary>
/// Sends through the Azure Communication Services Email REST API (2023-03-31), written on Azure.Core's pipeline
/// because the Azure.Communication.Email package is not available here.
/// </summary>
public sealed partial class AcsEmailSender : IEmailSender
{
    internal const string ApiVersion = "2023-03-31";

    /// <summary>The double slash is intended: it is the form the official SDKs request.</summary>
    internal const string TokenScope = "https://communication.azure.com//.default";

    // Used when ACS does not say when to poll again.
    private static readonly TimeSpan _defaultPollDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan _maxBackoff = TimeSpan.FromSeconds(30);

    // Codes ACS uses when the address itself is refused; anything naming a recipient is treated the same way.
    private static readonly string[] _recipientErrorCodes = ["InvalidEmailAddress", "EmailDroppedAllRecipientsSuppressed"];

    private readonly HttpPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly string _senderAddress;
    private readonly AcsEmailOptions _acs;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<AcsEmailSender> _logger;

    /// <param name="credential">Used when no access key is configured; defaults to <see cref="DefaultAzureCredential"/>.</param>
    /// <param name="transport">Replaces the HTTP transport, for tests.</param>
    public AcsEmailSender(
        IOptions<EmailOptions> options,
        ILogger<AcsEmailSender> logger,
        TimeProvider? timeProvider = null,
        TokenCredential? credential = null,
        HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);

        var email = options.Value;
        _acs = email.Acs;
        _endpoint = _acs.Endpoint ?? throw new InvalidOperationException("Email:Acs:Endpoint is required when Email:Provider is Acs.");
        _senderAddress = email.SenderAddress;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger;

        var clientOptions = new AcsClientOptions();

        // Retries are done in SendWithRetriesAsync: Azure.Core's policy honours Retry-After but cannot bound the
        // total wait or hand the server's delay back to the caller when it is too long to wait out.
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        HttpPipelinePolicy authentication = string.IsNullOrWhiteSpace(_acs.AccessKey)
            ? new BearerTokenAuthenticationPolicy(credential ?? new DefaultAzureCredential(), TokenScope)
            : new AcsHmacAuthenticationPolicy(_acs.AccessKey, _timeProvider);

        _pipeline = HttpPipelineBuilder.Build(clientOptions, [], [authentication], new ResponseClassifier());
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrWhiteSpace(message.IdempotencyKey);

        var operationId = EmailMessageIds.OperationId(message.IdempotencyKey).ToString("D");
        var body = BuildSendBody(message);
        var sendUri = new Uri(_endpoint, $"/emails:send?api-version={ApiVersion}");

        using var accepted = await SendWithRetriesAsync(
            () => CreateMessage(RequestMethod.Post, sendUri, body, operationId),
            _acs.MaxRetryWait,
            cancellationToken);

        var response = accepted.Response;
        if (response.Status is < 200 or > 299)
        {
            throw SendRejected(response, message.IdempotencyKey);
        }

        var operation = ReadOperation(response, operationId);
        LogAccepted(_logger, message.IdempotencyKey, operation.Id, response.Status);

        await WaitForCompletionAsync(message.IdempotencyKey, operation, RetryAfterOf(response), cancellationToken);
    }

    private async Task WaitForCompletionAsync(
        string idempotencyKey,
        OperationState operation,
        TimeSpan? retryAfter,
        CancellationToken cancellationToken)
    {
        var deadline = _timeProvider.GetUtcNow() + _acs.OperationTimeout;
        var pollUri = new Uri(_endpoint, $"/emails/operations/{Uri.EscapeDataString(operation.Id)}?api-version={ApiVersion}");

        while (!operation.IsTerminal)
        {
            var delay = retryAfter ?? _defaultPollDelay;
            var remaining = deadline - _timeProvider.GetUtcNow();
            if (delay > remaining)
            {
                // Safe to retry later: the same idempotency key gives the same Operation-Id, so ACS will not send twice.
                throw new EmailDeliveryException(
                    $"ACS operation {operation.Id} for message {idempotencyKey} was still {operation.Status} after {_acs.OperationTimeout}.",
                    isPermanent: false);
            }

            await Task.Delay(delay, _timeProvider, cancellationToken);

            var budget = remaining - delay < _acs.MaxRetryWait ? remaining - delay : _acs.MaxRetryWait;
            using var poll = await SendWithRetriesAsync(
                () => CreateMessage(RequestMethod.Get, pollUri, body: null, operationId: null),
                budget,
                cancellationToken);

            if (poll.Response.Status != 200)
            {
                throw PollRejected(poll.Response, operation.Id);
            }

            operation = ReadOperation(poll.Response, operation.Id);
            retryAfter = RetryAfterOf(poll.Response);
        }

        if (string.Equals(operation.Status, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            LogSucceeded(_logger, idempotencyKey, operation.Id);
            return;
        }

        LogOperationEnded(_logger, idempotencyKey, operation.Id, operation.Status, operation.ErrorCode);
        var failed = string.Equals(operation.Status, "Failed", StringComparison.OrdinalIgnoreCase);
        throw new EmailDeliveryException(
            $"ACS operation {operation.Id} for message {idempotencyKey} ended {operation.Status}" +
            (operation.ErrorCode is null ? "." : $" with error code {operation.ErrorCode}."),
            isPermanent: failed);
    }

    /// <summary>
    /// Sends a request, retrying throttling (honouring Retry-After), server errors and network failures within
    /// <see cref="AcsEmailOptions.MaxRetries"/> and <paramref name="waitBudget"/>. Returns the first answer that is
    /// not worth retrying; the caller owns (and disposes) the returned message.
    /// </summary>
    private async Task<HttpMessage> SendWithRetriesAsync(
        Func<HttpMessage> createMessage,
        TimeSpan waitBudget,
        CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        for (var attempt = 0; ; attempt++)
        {
            var message = createMessage();
            TimeSpan delay;
            try
            {
                await _pipeline.SendAsync(message, cancellationToken);
            }
            catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
            {
                message.Dispose();
                delay = Backoff(attempt);
                if (attempt >= _acs.MaxRetries || waited + delay > waitBudget)
                {
                    throw new EmailDeliveryException(
                        "Could not reach Azure Communication Services.", isPermanent: false, innerException: ex);
                }

                LogRetrying(_logger, 0, (long)delay.TotalMilliseconds, attempt + 1);
                await Task.Delay(delay, _timeProvider, cancellationToken);
                waited += delay;
                continue;
            }

            var status = message.Response.Status;
            if (!IsRetriable(status))
            {
                return message;
            }

            var serverDelay = RetryAfterOf(message.Response);
            message.Dispose();
            delay = serverDelay ?? Backoff(attempt);
            if (attempt >= _acs.MaxRetries || waited + delay > waitBudget)
            {
                throw new EmailDeliveryException(
                    status == 429
                        ? "Azure Communication Services is throttling sends (429); the retry budget is used up."
                        : $"Azure Communication Services answered {status}; the retry budget is used up.",
                    isPermanent: false,
                    statusCode: status,
                    retryAfter: serverDelay);
            }

            LogRetrying(_logger, status, (long)delay.TotalMilliseconds, attempt + 1);
            await Task.Delay(delay, _timeProvider, cancellationToken);
            waited += delay;
        }
    }

    private HttpMessage CreateMessage(RequestMethod method, Uri uri, byte[]? body, string? operationId)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.SetValue("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.SetValue("Content-Type", "application/json");
            request.Content = RequestContent.Create(body);
        }

        if (operationId is not null)
        {
            request.Headers.SetValue("Operation-Id", operationId);
        }

        return message;
    }

    private byte[] BuildSendBody(EmailMessage message)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("senderAddress", _senderAddress);
            json.WriteStartObject("recipients");
            json.WriteStartArray("to");
            json.WriteStartObject();
            json.WriteString("address", message.To);
            if (!string.IsNullOrWhiteSpace(message.ToName))
            {
                json.WriteString("displayName", message.ToName);
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("content");
            json.WriteString("subject", message.Subject);
            json.WriteString("plainText", message.PlainText);
            json.WriteString("html", message.Html);
            json.WriteEndObject();
            if (message.Attachments.Count > 0)
            {
                // ACS has no alternative parts: a calendar rendering goes as an attachment with its full media type.
                json.WriteStartArray("attachments");
                foreach (var attachment in message.Attachments)
                {
                    json.WriteStartObject();
                    json.WriteString("name", attachment.Name);
                    json.WriteString("contentType", attachment.ContentType);
                    json.WriteString("contentInBase64", Convert.ToBase64String(attachment.Content.Span));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            // The payload's custom headers carry the message's language (RFC 3282), as SMTP sends it; that ACS passes
            // Content-Language through unchanged is not yet checked against the live service (decision 0035).
            json.WriteStartObject("headers");
            json.WriteString("Content-Language", message.Language);
            json.WriteEndObject();

            // Tracking pixels and rewritten links would tell a third party who read a confidential ping.
            json.WriteBoolean("userEngagementTrackingDisabled", true);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static EmailDeliveryException SendRejected(Response response, string idempotencyKey)
    {
        var status = response.Status;
        var error = ReadError(response);
        var code = error.Code is null ? string.Empty : $", error code {error.Code}";

        return status switch
        {
            400 or 422 when error.ConcernsRecipient => new EmailDeliveryException(
                $"ACS rejected the recipient of message {idempotencyKey} ({status}{code}).", isPermanent: true, statusCode: status),
            401 or 403 => new EmailDeliveryException(
                $"ACS refused the credentials ({status}{code}); check Email:Acs:AccessKey or the identity's role on the resource.",
                isPermanent: false,
                statusCode: status),
            404 => new EmailDeliveryException(
                $"ACS answered 404{code}; check Email:Acs:Endpoint.", isPermanent: false, statusCode: status),
            _ => new EmailDeliveryException(
                $"ACS rejected message {idempotencyKey} ({status}{code}).", isPermanent: false, statusCode: status),
        };
    }

    private static EmailDeliveryException PollRejected(Response response, string operationId)
    {
        var error = ReadError(response);
        var code = error.Code is null ? string.Empty : $", error code {error.Code}";
        return new EmailDeliveryException(
            $"Polling ACS operation {operationId} failed ({response.Status}{code}).", isPermanent: false, statusCode: response.Status);
    }

    private static OperationState ReadOperation(Response response, string fallbackId)
    {
        string? id = null;
        string? status = null;
        string? errorCode = null;
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                id = StringProperty(root, "id");
                status = StringProperty(root, "status");
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    errorCode = StringProperty(error, "code");
                }
            }
        }
        catch (JsonException)
        {
            // An unreadable body leaves the status unknown, which keeps polling until the deadline.
        }

        return new OperationState(string.IsNullOrEmpty(id) ? fallbackId : id, status ?? "Unknown", errorCode);
    }

    private static (string? Code, bool ConcernsRecipient) ReadError(Response response)
    {
        try
        {
            using var document = JsonDocument.Parse(response.Content.ToMemory());
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("error", out var error) ||
                error.ValueKind != JsonValueKind.Object)
            {
                return (null, false);
            }

            var code = StringProperty(error, "code");
            var concernsRecipient = ConcernsRecipient(error);
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    concernsRecipient |= detail.ValueKind == JsonValueKind.Object && ConcernsRecipient(detail);
                }
            }

            return (code, concernsRecipient);
        }
        catch (JsonException)
        {
            return (null, false);
        }
    }

    private static bool ConcernsRecipient(JsonElement error)
    {
        var code = StringProperty(error, "code");
        var target = StringProperty(error, "target");
        return (code is not null &&
                (_recipientErrorCodes.Contains(code, StringComparer.OrdinalIgnoreCase) ||
                 code.Contains("recipient", StringComparison.OrdinalIgnoreCase))) ||
               (target is not null && target.Contains("recipient", StringComparison.OrdinalIgnoreCase));
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private TimeSpan? RetryAfterOf(Response response)
    {
        response.Headers.TryGetValue("retry-after-ms", out var retryAfterMs);
        if (retryAfterMs is null)
        {
            response.Headers.TryGetValue("x-ms-retry-after-ms", out retryAfterMs);
        }

        response.Headers.TryGetValue("Retry-After", out var retryAfter);
        return ParseRetryAfter(retryAfterMs, retryAfter, _timeProvider.GetUtcNow());
    }

    /// <summary>Reads Azure's millisecond headers first, then Retry-After as seconds or an HTTP date.</summary>
    internal static TimeSpan? ParseRetryAfter(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (long.TryParse(retryAfterMs, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (string.IsNullOrWhiteSpace(retryAfter))
        {
            return null;
        }

        retryAfter = retryAfter.Trim();
        if (long.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(retryAfter, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var delay = date - now;
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }

        return null;
    }

    private static TimeSpan Backoff(int attempt)
    {
        var delay = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(attempt, 10)));
        return delay < _maxBackoff ? delay : _maxBackoff;
    }

    private static bool IsRetriable(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    private static bool IsTransportFailure(Exception exception, CancellationToken cancellationToken) =>
        exception switch
        {
            RequestFailedException { Status: 0 } => true,
            HttpRequestException or IOException => true,

            // Azure.Core reports its network timeout as a cancellation the caller did not ask for.
            OperationCanceledException => !cancellationToken.IsCancellationRequested,
            _ => false,
        };

    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug, Message = "ACS accepted message {IdempotencyKey} as operation {OperationId} ({StatusCode})")]
    private static partial void LogAccepted(ILogger logger, string idempotencyKey, string operationId, int statusCode);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "ACS sent message {IdempotencyKey} (operation {OperationId})")]
    private static partial void LogSucceeded(ILogger logger, string idempotencyKey, string operationId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "ACS operation {OperationId} for message {IdempotencyKey} ended {Status} (error code {ErrorCode})")]
    private static partial void LogOperationEnded(ILogger logger, string idempotencyKey, string operationId, string status, string? errorCode);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "ACS answered {StatusCode}; retry {Attempt} in {DelayMilliseconds} ms")]
    private static partial void LogRetrying(ILogger logger, int statusCode, long delayMilliseconds, int attempt);

    private sealed record OperationState(string Id, string Status, string? ErrorCode)
    {
        public bool IsTerminal =>
            Status.Equals("Succeeded", StringComparison.OrdinalIgnoreCase) ||
            Status.Equals("Failed", StringComparison.OrdinalIgnoreCase) ||
            Status.Equals("Canceled", StringComparison.OrdinalIgnoreCase);
    }

    private sealed class AcsClientOptions : ClientOptions
    {
    }
}
