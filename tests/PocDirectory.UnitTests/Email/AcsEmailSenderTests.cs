using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Email;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Email;

public sealed class AcsEmailSenderTests : IAsyncLifetime
{
    private const string SendTarget = "/emails:send?api-version=2023-03-31";

    private static readonly string _accessKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    private readonly CapturingLogger<AcsEmailSender> _logger = new();
    private FakeAcsServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeAcsServer.StartAsync(_accessKey);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Signed_send_is_accepted_then_polled_until_succeeded()
    {
        var sender = CreateSender();
        var message = Ping("ana.perez@cert.example", "Ana Pérez", "campaign-7/poc-12/ping");

        await sender.SendAsync(message, CancellationToken.None);

        var requests = _server.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, request => Assert.True(request.Authenticated));

        var send = requests[0];
        Assert.Equal("POST", send.Method);
        Assert.Equal(SendTarget, send.Target);
        Assert.Equal(EmailMessageIds.OperationId(message.IdempotencyKey).ToString(), send.OperationId);

        var body = send.Body!.Value;
        Assert.Equal("directory@poc.example", body.GetProperty("senderAddress").GetString());
        var to = Assert.Single(body.GetProperty("recipients").GetProperty("to").EnumerateArray());
        Assert.Equal("ana.perez@cert.example", to.GetProperty("address").GetString());
        Assert.Equal("Ana Pérez", to.GetProperty("displayName").GetString());
        var content = body.GetProperty("content");
        Assert.Equal(message.Subject, content.GetProperty("subject").GetString());
        Assert.Equal(message.PlainText, content.GetProperty("plainText").GetString());
        Assert.Equal(message.Html, content.GetProperty("html").GetString());
        Assert.True(body.GetProperty("userEngagementTrackingDisabled").GetBoolean());

        var poll = requests[1];
        Assert.Equal("GET", poll.Method);
        Assert.Equal($"/emails/operations/{send.OperationId}?api-version=2023-03-31", poll.Target);

        _logger.AssertNoneContain("ana.perez", "Pérez", message.Subject, "Please confirm");
    }

    [Fact]
    public async Task Attachments_are_sent_with_name_full_content_type_and_base64_content()
    {
        var sender = CreateSender();
        var calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"u8.ToArray();
        var message = Ping("ana@cert.example", null, "meeting-1/poc-1/invite") with
        {
            Attachments = [new EmailAttachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", calendar, Alternative: true)],
        };

        await sender.SendAsync(message, CancellationToken.None);

        var body = _server.Requests[0].Body!.Value;
        var attachment = Assert.Single(body.GetProperty("attachments").EnumerateArray());
        Assert.Equal("invite.ics", attachment.GetProperty("name").GetString());
        Assert.Equal("text/calendar; method=REQUEST; charset=utf-8", attachment.GetProperty("contentType").GetString());
        Assert.Equal(calendar, Convert.FromBase64String(attachment.GetProperty("contentInBase64").GetString()!));
    }

    [Fact]
    public async Task The_messages_language_is_sent_as_its_Content_Language_header()
    {
        var sender = CreateSender();

        await sender.SendAsync(Ping("ana@cert.example", null, "k/ar") with { Language = "ar" }, CancellationToken.None);
        await sender.SendAsync(Ping("ana@cert.example", null, "k/en"), CancellationToken.None);

        var sends = _server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal("ar", sends[0].Body!.Value.GetProperty("headers").GetProperty("Content-Language").GetString());
        Assert.Equal("en", sends[1].Body!.Value.GetProperty("headers").GetProperty("Content-Language").GetString());
    }

    [Fact]
    public async Task Without_attachments_no_attachments_property_is_sent()
    {
        var sender = CreateSender();

        await sender.SendAsync(Ping("ana@cert.example", null, "k/plain"), CancellationToken.None);

        Assert.False(_server.Requests[0].Body!.Value.TryGetProperty("attachments", out _));
    }

    [Fact]
    public async Task Wrong_access_key_gets_401_reported_as_a_credentials_problem()
    {
        var sender = CreateSender(accessKey: Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/1"), CancellationToken.None));

        Assert.Equal(401, failure.StatusCode);
        Assert.False(failure.IsPermanent);
        Assert.Contains("credentials", failure.Message, StringComparison.Ordinal);
        var request = Assert.Single(_server.Requests);
        Assert.False(request.Authenticated);
    }

    [Fact]
    public async Task Throttled_send_waits_for_retry_after_and_retries_with_the_same_operation_id()
    {
        _server.EnqueueSendReply(429, """{"error":{"code":"TooManyRequests"}}""", ("Retry-After", "1"));
        var sender = CreateSender();
        var message = Ping("a@cert.example", null, "campaign-7/poc-3/ping");

        await sender.SendAsync(message, CancellationToken.None);

        var requests = _server.Requests;
        Assert.Equal(["POST", "POST", "GET"], requests.Select(r => r.Method));
        Assert.Equal(requests[0].OperationId, requests[1].OperationId);
        Assert.Equal(EmailMessageIds.OperationId(message.IdempotencyKey).ToString(), requests[1].OperationId);

        // Lower bound only: the retry must not come before the second the server asked for.
        Assert.True(
            requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950),
            $"retried after {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Polling_waits_for_the_retry_after_of_the_accepted_answer()
    {
        _server.EnqueueSendReply(202, """{"id":"{id}","status":"NotStarted"}""", ("Retry-After", "1"));
        var sender = CreateSender();

        await sender.SendAsync(Ping("a@cert.example", null, "k/poll"), CancellationToken.None);

        var requests = _server.Requests;
        Assert.Equal(["POST", "GET"], requests.Select(r => r.Method));
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(950));
    }

    [Fact]
    public async Task Same_idempotency_key_gives_the_same_operation_id_and_another_key_a_different_one()
    {
        var sender = CreateSender();

        await sender.SendAsync(Ping("a@cert.example", null, "campaign-7/poc-12/ping"), CancellationToken.None);
        await sender.SendAsync(Ping("a@cert.example", null, "campaign-7/poc-12/ping"), CancellationToken.None);
        await sender.SendAsync(Ping("a@cert.example", null, "campaign-7/poc-12/reminder-1"), CancellationToken.None);

        var ids = _server.Requests.Where(r => r.Method == "POST").Select(r => r.OperationId).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(ids[0], ids[1]);
        Assert.NotEqual(ids[0], ids[2]);
        Assert.All(ids, id => Assert.True(Guid.TryParseExact(id, "D", out _)));
    }

    [Fact]
    public async Task Failed_operation_is_a_permanent_failure_without_personal_data()
    {
        _server.EnqueuePollReply(
            200,
            """{"id":"{id}","status":"Failed","error":{"code":"EmailDeliveryFailed","message":"Delivery to gone@cert.example failed."}}""");
        var sender = CreateSender();

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("gone@cert.example", "Gone Person", "k/failed"), CancellationToken.None));

        Assert.True(failure.IsPermanent);
        Assert.Contains("EmailDeliveryFailed", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gone@", failure.ToString(), StringComparison.OrdinalIgnoreCase);
        _logger.AssertNoneContain("gone@", "Gone Person");
    }

    [Fact]
    public async Task Canceled_operation_is_a_transient_failure()
    {
        _server.EnqueuePollReply(200, """{"id":"{id}","status":"Canceled"}""");
        var sender = CreateSender();

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/canceled"), CancellationToken.None));

        Assert.False(failure.IsPermanent);
    }

    [Fact]
    public async Task Invalid_recipient_400_is_permanent_and_not_retried()
    {
        _server.EnqueueSendReply(400, """{"error":{"code":"InvalidEmailAddress","message":"Invalid email address format.","target":"recipients.to[0].address"}}""");
        var sender = CreateSender();

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@@cert.example", null, "k/invalid"), CancellationToken.None));

        Assert.True(failure.IsPermanent);
        Assert.Equal(400, failure.StatusCode);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Other_400_is_not_blamed_on_the_recipient()
    {
        _server.EnqueueSendReply(400, """{"error":{"code":"DomainNotLinked","message":"The sender domain has not been linked."}}""");
        var sender = CreateSender();

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/domain"), CancellationToken.None));

        Assert.False(failure.IsPermanent);
        Assert.Contains("DomainNotLinked", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_errors_are_retried_a_bounded_number_of_times_then_transient()
    {
        for (var i = 0; i < 3; i++)
        {
            _server.EnqueueSendReply(503, null, ("Retry-After", "0"));
        }

        var sender = CreateSender(configure: acs => acs.MaxRetries = 2);

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/503"), CancellationToken.None));

        Assert.False(failure.IsPermanent);
        Assert.Equal(503, failure.StatusCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Retry_after_beyond_the_wait_budget_fails_at_once_and_reports_the_delay()
    {
        _server.EnqueueSendReply(429, null, ("Retry-After", "120"));
        var sender = CreateSender(configure: acs => acs.MaxRetryWait = TimeSpan.FromSeconds(10));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/429"), CancellationToken.None));

        Assert.False(failure.IsPermanent);
        Assert.Equal(429, failure.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), failure.RetryAfter);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Operation_still_running_after_the_timeout_is_transient()
    {
        for (var i = 0; i < 20; i++)
        {
            _server.EnqueuePollReply(200, """{"id":"{id}","status":"Running"}""", ("retry-after-ms", "100"));
        }

        _server.EnqueueSendReply(202, """{"id":"{id}","status":"Running"}""", ("retry-after-ms", "100"));
        var sender = CreateSender(configure: acs => acs.OperationTimeout = TimeSpan.FromMilliseconds(350));

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/slow"), CancellationToken.None));

        Assert.False(failure.IsPermanent);
        Assert.Contains("still Running", failure.Message, StringComparison.Ordinal);
        Assert.InRange(_server.Requests.Count(r => r.Method == "GET"), 1, 4);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_transient()
    {
        var sender = CreateSender(endpoint: new Uri($"http://127.0.0.1:{FreePorts.Next()}"), configure: acs => acs.MaxRetries = 0);

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/down"), CancellationToken.None));

        Assert.False(failure.IsPermanent);
        Assert.Null(failure.StatusCode);
    }

    [Fact]
    public async Task Without_an_access_key_a_bearer_token_for_the_communication_scope_is_sent()
    {
        using var certificate = CreateLoopbackCertificate();
        await using var server = await FakeAcsServer.StartWithBearerAsync("token-123", certificate);
        var credential = new RecordingCredential("token-123");
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
        };
        using var httpClient = new HttpClient(handler);
        var sender = CreateSender(
            endpoint: server.Endpoint,
            accessKey: null,
            credential: credential,
            transport: new HttpClientTransport(httpClient));

        await sender.SendAsync(Ping("a@cert.example", null, "k/bearer"), CancellationToken.None);

        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, request => Assert.True(request.Authenticated));
        Assert.Contains(credential.Scopes, scopes => scopes.SequenceEqual(["https://communication.azure.com//.default"]));
    }

    [Theory]
    [InlineData(null, "5", 5000)]
    [InlineData("250", "5", 250)]
    [InlineData(null, " 0 ", 0)]
    [InlineData(null, "Wed, 01 Jan 2025 00:00:30 GMT", 30000)]
    [InlineData(null, "Tue, 31 Dec 2024 23:59:00 GMT", 0)]
    public void Retry_after_is_read_from_milliseconds_seconds_or_http_date(string? retryAfterMs, string retryAfter, int expectedMilliseconds)
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var delay = AcsEmailSender.ParseRetryAfter(retryAfterMs, retryAfter, now);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), delay);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3")]
    public void Unreadable_retry_after_is_ignored(string? retryAfter) =>
        Assert.Null(AcsEmailSender.ParseRetryAfter(null, retryAfter, DateTimeOffset.UnixEpoch));

    private AcsEmailSender CreateSender(
        Uri? endpoint = null,
        string? accessKey = "",
        Action<AcsEmailOptions>? configure = null,
        TokenCredential? credential = null,
        HttpPipelineTransport? transport = null)
    {
        var acs = new AcsEmailOptions
        {
            Endpoint = endpoint ?? _server.Endpoint,
            AccessKey = accessKey == string.Empty ? _accessKey : accessKey,
        };
        configure?.Invoke(acs);
        var options = Options.Create(new EmailOptions
        {
            Provider = EmailProvider.Acs,
            SenderAddress = "directory@poc.example",
            Acs = acs,
        });
        return new AcsEmailSender(options, _logger, TimeProvider.System, credential, transport);
    }

    private static EmailMessage Ping(string to, string? toName, string key) =>
        new(to, toName, "Communication check 7", "Please confirm this check.", "<p>Please confirm this check.</p>", key);

    private static X509Certificate2 CreateLoopbackCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Reloading from PKCS#12 gives a key that TLS on Linux can use.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null);
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public ConcurrentQueue<string[]> Scopes { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Enqueue(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
