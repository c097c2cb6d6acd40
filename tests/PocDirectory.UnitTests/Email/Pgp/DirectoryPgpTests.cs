using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Email.Pgp;
using PocDirectory.Functions.Pocs;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Email.Pgp;

public sealed class DirectoryPgpTests
{
    private static readonly Lazy<TestPgpKey> DirectoryKey = new(() => TestPgpKeys.Generate("Directory <pgp@poc.example>"));
    private static readonly Lazy<TestPgpKey> RecipientKey = new(() => TestPgpKeys.Generate("CERT <cert@cert.example>", DateTimeOffset.UtcNow.AddDays(-1), TimeSpan.FromDays(10)));

    [Fact]
    public void SignAndEncrypt_gives_rfc3156_pgp_mime_that_the_recipient_decrypts_and_that_verifies_against_the_published_key()
    {
        var pgp = Create(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var entity = new BodyBuilder { TextBody = "Acknowledge: https://pocs.example/ack/abc", HtmlBody = "<p>Acknowledge</p>" }.ToMessageBody();

        var encrypted = pgp.SignAndEncrypt(entity, RecipientKey.Value.PublicKey);

        Assert.Equal("multipart/encrypted", encrypted.ContentType.MimeType);
        Assert.Equal("application/pgp-encrypted", encrypted!.ContentType.Parameters["protocol"]);
        Assert.Equal(2, encrypted.Count);
        Assert.Equal("application/pgp-encrypted", encrypted[0].ContentType.MimeType);
        Assert.Contains("Version: 1", ((MimePart)encrypted[0]).Content!.Open().ReadAll(), StringComparison.Ordinal);
        var armoured = ((MimePart)encrypted[1]).Content!.Open().ReadAll();
        Assert.StartsWith("-----BEGIN PGP MESSAGE-----", armoured, StringComparison.Ordinal);
        Assert.DoesNotContain("pocs.example", armoured, StringComparison.Ordinal);

        var decrypted = TestPgpKeys.Decrypt(armoured, RecipientKey.Value.SecretKey, pgp.PublicKey);
        Assert.True(decrypted.SignatureVerified);
        var inner = (Multipart)MimeEntity.Load(new MemoryStream(decrypted.Content));
        Assert.Contains("https://pocs.example/ack/abc", inner.OfType<TextPart>().Single(p => p.IsPlain).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_does_not_verify_against_another_key()
    {
        var pgp = Create(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var armoured = pgp.SignAndEncrypt(Encoding.UTF8.GetBytes("text"), RecipientKey.Value.PublicKey);

        Assert.False(TestPgpKeys.Decrypt(armoured, RecipientKey.Value.SecretKey, RecipientKey.Value.PublicKey).SignatureVerified);
    }

    [Fact]
    public void Published_key_is_public_only_and_its_fingerprint_is_the_primary_keys()
    {
        var pgp = Create(new FakeTimeProvider(DateTimeOffset.UtcNow));

        Assert.StartsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----", pgp.PublicKey, StringComparison.Ordinal);
        Assert.Equal(TestPgpKeys.Fingerprint(DirectoryKey.Value.PublicKey), pgp.Fingerprint);
        Assert.Equal(TestPgpKeys.Fingerprint(pgp.PublicKey), pgp.Fingerprint);
        Assert.Equal(40, pgp.Fingerprint.Length);
        Assert.Equal(49, pgp.FingerprintForPeople.Length);
    }

    [Fact]
    public void Expired_recipient_key_cannot_be_encrypted_to()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var pgp = Create(clock);
        Assert.True(pgp.CanEncryptTo(RecipientKey.Value.PublicKey));

        clock.Advance(TimeSpan.FromDays(10));

        Assert.False(pgp.CanEncryptTo(RecipientKey.Value.PublicKey));
        Assert.Throws<InvalidOperationException>(() => pgp.SignAndEncrypt([1, 2, 3], RecipientKey.Value.PublicKey));
        Assert.False(pgp.CanEncryptTo("not a key"));
        Assert.False(pgp.CanEncryptTo(null));
    }

    [Theory]
    [InlineData(null, null, "None")]
    [InlineData("key", null, "Valid")]
    [InlineData("key", 31.0, "Valid")]
    [InlineData("key", 30.0, "ExpiringSoon")]
    [InlineData("key", 0.5, "ExpiringSoon")]
    [InlineData("key", 0.0, "Expired")]
    [InlineData("key", -3.0, "Expired")]
    public void Key_status_follows_the_expiry_and_the_clock(string? key, double? expiresInDays, string expected)
    {
        var now = new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

        var status = PgpKeyStatuses.Of(key is not null, expiresInDays is { } days ? now.AddDays(days) : null, now);

        Assert.Equal(expected, status.ToString());
    }

    [Fact]
    public void Options_name_the_missing_setting_and_refuse_a_key_that_is_not_a_secret_key()
    {
        var validator = new PgpOptionsValidator();

        var missing = validator.Validate(null, new PgpOptions { PublicKeyUrl = "https://pocs.example/api/pgp-key" });
        var publicOnly = validator.Validate(null, new PgpOptions { SigningKey = DirectoryKey.Value.PublicKey, PublicKeyUrl = "https://pocs.example/api/pgp-key" });
        var garbage = validator.Validate(null, new PgpOptions { SigningKey = "hello", PublicKeyUrl = "https://pocs.example/api/pgp-key" });
        var good = validator.Validate(null, new PgpOptions { SigningKey = DirectoryKey.Value.SecretKey, PublicKeyUrl = "https://pocs.example/api/pgp-key" });

        Assert.Contains("Pgp:SigningKey", missing.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Pgp:SigningKeyFile", missing.FailureMessage, StringComparison.Ordinal);
        Assert.True(publicOnly.Failed);
        Assert.True(garbage.Failed);
        Assert.True(good.Succeeded);
    }

    [Fact]
    public void Key_file_is_created_once_when_allowed_and_kept_afterwards()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pgp-{Guid.NewGuid():N}", "signing-key.asc");
        try
        {
            var options = new PgpOptions { SigningKeyFile = path, CreateIfMissing = true, PublicKeyUrl = "http://localhost:7071/api/pgp-key" };
            var first = new DirectoryPgp(Options.Create(options), TimeProvider.System);
            var second = new DirectoryPgp(Options.Create(options), TimeProvider.System);

            Assert.Contains("BEGIN PGP PRIVATE KEY BLOCK", File.ReadAllText(path), StringComparison.Ordinal);
            Assert.Equal(first.Fingerprint, second.Fingerprint);
            Assert.True(new PgpOptionsValidator().Validate(null, options).Succeeded);
            Assert.True(new PgpOptionsValidator().Validate(null, new PgpOptions { SigningKeyFile = path + ".missing", PublicKeyUrl = options.PublicKeyUrl }).Failed);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public async Task Footer_names_the_key_in_the_messages_language_inside_the_html_body()
    {
        var pgp = Create(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var inner = new CapturingSender();
        var message = new EmailMessage("a@cert.example", null, "s", "Bonjour\n", "<html><body><p>Bonjour</p></body></html>", "k/1") { Language = "fr" };

        await new PgpFooterEmailSender(inner, pgp, pgp.PublicKeyUrl).SendAsync(message, CancellationToken.None);

        var sent = Assert.Single(inner.Sent);
        Assert.Contains("La clé OpenPGP du répertoire est " + pgp.FingerprintForPeople, sent.PlainText, StringComparison.Ordinal);
        Assert.Contains("https://pocs.example/api/pgp-key", sent.PlainText, StringComparison.Ordinal);
        Assert.Matches("<p[^>]*>La clé OpenPGP[^<]*</p>\n</body>", System.Net.WebUtility.HtmlDecode(sent.Html));
    }

    [Fact]
    public async Task Inline_sender_for_acs_sends_a_notice_and_the_signed_encrypted_text_and_no_attachment()
    {
        var pgp = Create(new FakeTimeProvider(DateTimeOffset.UtcNow));
        var inner = new CapturingSender();
        var sender = new PgpInlineEmailSender(inner, pgp);
        var keyed = new EmailMessage("a@cert.example", null, "s", "Follow https://pocs.example/rsvp/abc\n", "<p>x</p>", "k/2")
        {
            RecipientKey = RecipientKey.Value.PublicKey,
            Attachments = [new EmailAttachment("invite.ics", "text/calendar; method=REQUEST", new byte[] { 1 })],
        };

        await sender.SendAsync(keyed, CancellationToken.None);
        await sender.SendAsync(keyed with { RecipientKey = null, IdempotencyKey = "k/3" }, CancellationToken.None);

        var encrypted = inner.Sent[0];
        Assert.Null(encrypted.RecipientKey);
        Assert.Empty(encrypted.Attachments);
        Assert.DoesNotContain("pocs.example", encrypted.PlainText + encrypted.Html, StringComparison.Ordinal);
        var armoured = encrypted.PlainText[encrypted.PlainText.IndexOf("-----BEGIN PGP MESSAGE-----", StringComparison.Ordinal)..];
        var decrypted = TestPgpKeys.Decrypt(armoured, RecipientKey.Value.SecretKey, pgp.PublicKey);
        Assert.True(decrypted.SignatureVerified);
        Assert.Equal(keyed.PlainText, Encoding.UTF8.GetString(decrypted.Content));
        Assert.Same(keyed.Attachments, inner.Sent[1].Attachments);
    }

    private static DirectoryPgp Create(TimeProvider time)
        => new(Options.Create(new PgpOptions { SigningKey = DirectoryKey.Value.SecretKey, PublicKeyUrl = "https://pocs.example/api/pgp-key" }), time);

    private sealed class CapturingSender : IEmailSender
    {
        public List<EmailMessage> Sent { get; } = [];

        public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
        {
            Sent.Add(message);
            return Task.CompletedTask;
        }
    }
}

internal static class StreamText
{
    public static string ReadAll(this Stream stream)
    {
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return reader.ReadToEnd();
    }
}
