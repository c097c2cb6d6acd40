using System.Net.Sockets;
using Microsoft.Extensions.Options;
using MimeKit;
using PocDirectory.Functions.Email;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Email;

public sealed class SmtpEmailSenderTests : IAsyncLifetime
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    private readonly CapturingLogger<SmtpEmailSender> _logger = new();
    private TestSmtpServer _server = null!;

    public async Task InitializeAsync() => _server = await TestSmtpServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Message_arrives_with_subject_both_parts_addresses_and_message_id()
    {
        await using var sender = CreateSender(_server.Port);
        var message = Ping("ana.perez@cert.example", "Ana Pérez", "campaign-7/poc-12/ping");

        await sender.SendAsync(message, CancellationToken.None);

        var received = Assert.Single(await _server.WaitForMessagesAsync(1, _wait));
        Assert.Equal(message.Subject, received.Subject);
        Assert.Equal(message.PlainText, received.TextBody?.TrimEnd());
        Assert.Equal(message.Html, received.HtmlBody?.TrimEnd());
        Assert.Equal("multipart/alternative", received.Body?.ContentType.MimeType);

        var from = Assert.IsType<MailboxAddress>(Assert.Single(received.From));
        Assert.Equal("directory@poc.example", from.Address);
        Assert.Equal("POC Directory", from.Name);

        var to = Assert.IsType<MailboxAddress>(Assert.Single(received.To));
        Assert.Equal("ana.perez@cert.example", to.Address);
        Assert.Equal("Ana Pérez", to.Name);

        Assert.Equal(EmailMessageIds.MessageId("campaign-7/poc-12/ping"), received.MessageId);
        Assert.Matches("^[0-9a-f]{32}@pocdirectory$", received.MessageId);
        _logger.AssertNoneContain("ana.perez", "Pérez", message.Subject, "Please confirm");
    }

    [Fact]
    public async Task Message_carries_its_language_as_Content_Language()
    {
        await using var sender = CreateSender(_server.Port);
        var english = Ping("ana@cert.example", null, "campaign-7/poc-1/ping");
        var arabic = english with { Language = "ar", IdempotencyKey = "campaign-7/poc-2/ping" };

        await sender.SendAsync(english, CancellationToken.None);
        await sender.SendAsync(arabic, CancellationToken.None);

        var received = await _server.WaitForMessagesAsync(2, _wait);
        Assert.Equal(["en", "ar"], received.Select(m => m.Body?.Headers[HeaderId.ContentLanguage]));
    }

    [Fact]
    public async Task Attachments_arrive_as_named_files_and_an_alternative_joins_the_body_with_its_parameters()
    {
        await using var sender = CreateSender(_server.Port);
        var calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"u8.ToArray();
        var message = Ping("ana@cert.example", null, "meeting-1/poc-1/invite") with
        {
            Attachments =
            [
                new EmailAttachment("invite.ics", "text/calendar; method=REQUEST; charset=utf-8", calendar, Alternative: true),
                new EmailAttachment("agenda.txt", "text/plain; charset=utf-8", "Agenda"u8.ToArray()),
            ],
        };

        await sender.SendAsync(message, CancellationToken.None);

        var received = Assert.Single(await _server.WaitForMessagesAsync(1, _wait));
        var mixed = Assert.IsType<Multipart>(received.Body);
        Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(["text/plain", "text/html", "text/calendar"], alternative.Select(p => p.ContentType.MimeType));
        var inline = Assert.IsType<TextPart>(alternative[2]);
        Assert.Equal("REQUEST", inline.ContentType.Parameters["method"]);
        Assert.Equal("BEGIN:VCALENDAR\nMETHOD:REQUEST\nEND:VCALENDAR\n", inline.Text.ReplaceLineEndings("\n"));
        Assert.Null(inline.ContentDisposition);

        var files = received.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(["invite.ics", "agenda.txt"], files.Select(f => f.FileName));
        Assert.Equal("REQUEST", files[0].ContentType.Parameters["method"]);
        Assert.Equal("Agenda", Assert.IsType<TextPart>(files[1]).Text);
    }

    [Fact]
    public async Task Without_attachments_the_body_stays_multipart_alternative()
    {
        await using var sender = CreateSender(_server.Port);

        await sender.SendAsync(Ping("ana@cert.example", null, "k/plain"), CancellationToken.None);

        var received = Assert.Single(await _server.WaitForMessagesAsync(1, _wait));
        Assert.Equal("multipart/alternative", received.Body?.ContentType.MimeType);
        Assert.Empty(received.Attachments);
    }

    [Fact]
    public async Task Sends_reuse_one_connection()
    {
        await using var sender = CreateSender(_server.Port);

        await sender.SendAsync(Ping("a@cert.example", null, "k/1"), CancellationToken.None);
        await sender.SendAsync(Ping("b@cert.example", null, "k/2"), CancellationToken.None);

        Assert.Equal(2, (await _server.WaitForMessagesAsync(2, _wait)).Count);
        Assert.Equal(1, _server.SessionCount);
    }

    [Fact]
    public async Task Rejected_recipient_is_a_permanent_failure_without_the_address_in_the_message()
    {
        _server.RejectRecipient("gone@cert.example");
        await using var sender = CreateSender(_server.Port);

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("gone@cert.example", "Gone", "k/gone"), CancellationToken.None));

        Assert.True(failure.IsPermanent);
        Assert.Equal(550, failure.StatusCode);
        Assert.DoesNotContain("gone@", failure.ToString(), StringComparison.OrdinalIgnoreCase);
        _logger.AssertNoneContain("gone@");

        // The sender recovers for the next recipient.
        await sender.SendAsync(Ping("here@cert.example", null, "k/here"), CancellationToken.None);
        var received = Assert.Single(await _server.WaitForMessagesAsync(1, _wait));
        Assert.Equal("here@cert.example", Assert.IsType<MailboxAddress>(Assert.Single(received.To)).Address);
    }

    [Fact]
    public async Task Malformed_address_is_a_permanent_failure_before_any_connection()
    {
        await using var sender = CreateSender(_server.Port);

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("not-an-address", null, "k/bad"), CancellationToken.None));

        Assert.True(failure.IsPermanent);
        Assert.Equal(0, _server.SessionCount);
    }

    [Fact]
    public async Task Closed_port_is_a_transient_failure()
    {
        await using var sender = CreateSender(FreePorts.Next());

        var failure = await Assert.ThrowsAsync<EmailDeliveryException>(
            () => sender.SendAsync(Ping("a@cert.example", null, "k/closed"), CancellationToken.None));

        Assert.False(failure.IsPermanent);
        Assert.IsType<SocketException>(failure.InnerException, exactMatch: false);
    }

    [Fact]
    public async Task Connection_dropped_by_the_server_is_reopened_and_the_message_sent_once()
    {
        var port = _server.Port;
        await using var sender = CreateSender(port);
        await sender.SendAsync(Ping("a@cert.example", null, "k/before"), CancellationToken.None);
        await _server.WaitForMessagesAsync(1, _wait);

        // Stopping the server closes the sender's idle connection; a new server then takes the same port.
        await _server.DisposeAsync();
        _server = await TestSmtpServer.StartAsync(port);

        await sender.SendAsync(Ping("b@cert.example", null, "k/after"), CancellationToken.None);

        var received = Assert.Single(await _server.WaitForMessagesAsync(1, _wait));
        Assert.Equal(EmailMessageIds.MessageId("k/after"), received.MessageId);
        Assert.Equal(1, _server.SessionCount);
        Assert.Contains(_logger.Entries, entry => entry.Contains("reconnecting", StringComparison.OrdinalIgnoreCase));
    }

    private SmtpEmailSender CreateSender(int port) =>
        new(
            Options.Create(new EmailOptions
            {
                Provider = EmailProvider.Smtp,
                SenderAddress = "directory@poc.example",
                SenderName = "POC Directory",
                Smtp = new SmtpEmailOptions { Host = "127.0.0.1", Port = port },
            }),
            _logger);

    private static EmailMessage Ping(string to, string? toName, string key) =>
        new(to, toName, "Communication check 7", "Please confirm this check.", "<p>Please confirm this check.</p>", key);
}
