using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using PocDirectory.Functions.Email.Pgp;

namespace PocDirectory.Functions.Email;

/// <summary>
/// Sends through an SMTP server with MailKit (smtp4dev locally, the in-process server in tests). One connection is
/// kept open and shared under a lock, because SMTP handshakes dominate the cost of a campaign's many small messages.
/// </summary>
public sealed partial class SmtpEmailSender : IEmailSender, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan _commandTimeout = TimeSpan.FromSeconds(30);

    private readonly EmailOptions _options;
    private readonly ILogger<SmtpEmailSender> _logger;
    private readonly DirectoryPgp? _pgp;
    private readonly SemaphoreSlim _connectionLock = new(1, 1);
    private TrackingSmtpClient? _client;
    private bool _disposed;

    public SmtpEmailSender(IOptions<EmailOptions> options, ILogger<SmtpEmailSender> logger, DirectoryPgp? pgp = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options.Value;
        _logger = logger;
        _pgp = pgp;
    }

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var mime = BuildMessage(message);
        if (message.RecipientKey is { } key)
        {
            Encrypt(mime, key, message.Language);
        }

        await _connectionLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            await SendOnSharedConnectionAsync(mime, message.IdempotencyKey, cancellationToken);
        }
        finally
        {
            _connectionLock.Release();
        }

        LogSent(_logger, message.IdempotencyKey);
    }

    private async Task SendOnSharedConnectionAsync(MimeMessage mime, string idempotencyKey, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var reused = _client is { IsConnected: true };
            try
            {
                var client = await ConnectedClientAsync(cancellationToken);
                client.SenderAccepted = false;
                await client.SendAsync(mime, cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A server that closed an idle connection is only noticed on the next command. If the server had not
                // yet answered MAIL FROM, nothing was accepted, so one retry on a new connection cannot duplicate the message.
                var staleConnection = reused && attempt == 0 && IsConnectionFailure(ex) && _client?.SenderAccepted == false;
                await DiscardClientAsync();
                if (staleConnection)
                {
                    LogReconnecting(_logger, idempotencyKey);
                    continue;
                }

                throw Map(ex);
            }
            catch (OperationCanceledException)
            {
                // The conversation stopped at an unknown point; a fresh connection is the only safe state.
                await DiscardClientAsync();
                throw;
            }
        }
    }

    private async Task<TrackingSmtpClient> ConnectedClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true })
        {
            return _client;
        }

        await DiscardClientAsync();
        var smtp = _options.Smtp;
        var host = smtp.Host ?? throw new InvalidOperationException("Email:Smtp:Host is required when Email:Provider is Smtp.");
        var client = new TrackingSmtpClient { Timeout = (int)_commandTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(
                host,
                smtp.Port,
                smtp.UseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None,
                cancellationToken);

            if (!string.IsNullOrEmpty(smtp.UserName))
            {
                await client.AuthenticateAsync(smtp.UserName, smtp.Password ?? string.Empty, cancellationToken);
            }
        }
        catch
        {
            client.Dispose();
            throw;
        }

        _client = client;
        return client;
    }

    private MimeMessage BuildMessage(EmailMessage message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message.IdempotencyKey);
        if (!MailboxAddress.TryParse(message.To, out var to) || !to.Address.Contains('@', StringComparison.Ordinal))
        {
            throw new EmailDeliveryException("The recipient address is not a valid email address.", isPermanent: true);
        }

        if (!string.IsNullOrWhiteSpace(message.ToName))
        {
            to.Name = message.ToName;
        }

        var mime = new MimeMessage
        {
            Subject = message.Subject,
            MessageId = EmailMessageIds.MessageId(message.IdempotencyKey),
        };
        mime.From.Add(new MailboxAddress(_options.SenderName, _options.SenderAddress));
        mime.To.Add(to);

        // Text first, HTML second: multipart/alternative lists the preferred rendering last.
        var body = new BodyBuilder { TextBody = message.PlainText, HtmlBody = message.Html }.ToMessageBody();

        // Content-Language (RFC 3282) is a header of the top-level entity, so it goes on the body, which MimeKit writes
        // as the message's own header; on the message itself MimeKit would move it away when the body is set.
        body.Headers.Replace(HeaderId.ContentLanguage, message.Language);
        if (message.Attachments.Count == 0)
        {
            mime.Body = body;
            return mime;
        }

        // An alternative rendering (an iMIP calendar part) joins the alternatives, after HTML: calendar clients read it
        // there. Every attachment also goes as a named file after the body, the first child of multipart/mixed, which
        // is the only one some clients render.
        if (message.Attachments.Any(a => a.Alternative))
        {
            var alternatives = body as MultipartAlternative ?? new MultipartAlternative { body };
            foreach (var attachment in message.Attachments.Where(a => a.Alternative))
            {
                alternatives.Add(Part(attachment, named: false));
            }

            alternatives.Headers.Replace(HeaderId.ContentLanguage, message.Language);
            body = alternatives;
        }

        var mixed = new Multipart("mixed") { body };
        mixed.Headers.Replace(HeaderId.ContentLanguage, message.Language);
        foreach (var attachment in message.Attachments)
        {
            mixed.Add(Part(attachment, named: true));
        }

        mime.Body = mixed;
        return mime;
    }

    /// <summary>
    /// RFC 3156: the whole body (text, HTML, attachments, so the link too) becomes the encrypted part. A key that cannot
    /// encrypt any more (it expired since the delivery looked it up) fails the message rather than send it in the clear.
    /// </summary>
    private void Encrypt(MimeMessage mime, string key, string language)
    {
        if (_pgp is null || !_pgp.CanEncryptTo(key))
        {
            throw new EmailDeliveryException("The recipient's OpenPGP key cannot encrypt (expired or revoked); the message was not sent in the clear.", isPermanent: true);
        }

        var encrypted = _pgp.SignAndEncrypt(mime.Body ?? throw new InvalidOperationException("The message has no body."), key);
        encrypted.Headers.Replace(HeaderId.ContentLanguage, language);
        mime.Body = encrypted;
    }

    /// <summary>A named file, or (unnamed) a rendering of the message itself, so clients do not list it twice.</summary>
    private static MimePart Part(EmailAttachment attachment, bool named) => new(ContentType.Parse(attachment.ContentType))
    {
        Content = new MimeContent(new MemoryStream(attachment.Content.ToArray(), writable: false)),
        ContentDisposition = named ? new ContentDisposition(ContentDisposition.Attachment) { FileName = attachment.Name } : null,
        ContentTransferEncoding = ContentEncoding.Base64,
    };

    private static EmailDeliveryException Map(Exception exception)
    {
        switch (exception)
        {
            case EmailDeliveryException delivery:
                return delivery;

            // The server's reply text often quotes the address, so the MailKit exception is not attached.
            case SmtpCommandException command:
                var code = (int)command.StatusCode;
                var permanent = code >= 500 &&
                    command.ErrorCode is SmtpErrorCode.RecipientNotAccepted or SmtpErrorCode.MessageNotAccepted;
                var what = command.ErrorCode switch
                {
                    SmtpErrorCode.RecipientNotAccepted => "rejected the recipient",
                    SmtpErrorCode.SenderNotAccepted => "rejected the sender address (check Email:SenderAddress)",
                    SmtpErrorCode.MessageNotAccepted => "refused the message",
                    _ => "answered with an unexpected reply",
                };
                return new EmailDeliveryException($"The SMTP server {what} ({code}).", permanent, code);

            case AuthenticationException:
                return new EmailDeliveryException(
                    "SMTP authentication failed; check Email:Smtp:UserName and Email:Smtp:Password.", isPermanent: false);

            case SslHandshakeException:
                return new EmailDeliveryException(
                    "The TLS handshake with the SMTP server failed.", isPermanent: false, innerException: exception);

            default:
                return IsConnectionFailure(exception) || exception is TimeoutException or OperationCanceledException
                    ? new EmailDeliveryException("Could not talk to the SMTP server.", isPermanent: false, innerException: exception)
                    : new EmailDeliveryException("Sending through SMTP failed.", isPermanent: false, innerException: exception);
        }
    }

    private static bool IsConnectionFailure(Exception exception) =>
        exception is IOException or SocketException or SmtpProtocolException or ServiceNotConnectedException;

    private async Task DiscardClientAsync()
    {
        var client = _client;
        _client = null;
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                using var quitTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(quit: true, quitTimeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or OperationCanceledException or ServiceNotConnectedException)
        {
            // The connection is being thrown away; a failed QUIT changes nothing.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connectionLock.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            await DiscardClientAsync();
        }
        finally
        {
            _connectionLock.Release();
        }
    }

    public void Dispose()
    {
        _connectionLock.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _client?.Dispose();
            _client = null;
        }
        finally
        {
            _connectionLock.Release();
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "SMTP server accepted message {IdempotencyKey}")]
    private static partial void LogSent(ILogger logger, string idempotencyKey);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "SMTP connection was closed by the server; reconnecting to send message {IdempotencyKey}")]
    private static partial void LogReconnecting(ILogger logger, string idempotencyKey);

    /// <summary>Records whether the server answered MAIL FROM, which tells a dead connection from a half-sent message.</summary>
    private sealed class TrackingSmtpClient : SmtpClient
    {
        public bool SenderAccepted { get; set; }

        protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            SenderAccepted = true;
            base.OnSenderAccepted(message, mailbox, response);
        }
    }
}
