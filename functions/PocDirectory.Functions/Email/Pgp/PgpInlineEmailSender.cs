using System.Net;
using System.Text;

namespace PocDirectory.Functions.Email.Pgp;

/// <summary>
/// For providers that take no MIME (the ACS Email REST API takes subject, plain text, HTML and attachments only):
/// a message with a recipient key goes as inline PGP instead of PGP/MIME (decision 0034). The visible body is a short
/// notice; the message's own text (its link included) follows as one armoured PGP MESSAGE, signed by the directory and
/// encrypted to the recipient, which OpenPGP mail clients decrypt in place. Attachments are not sent: ACS would carry
/// them in the clear, and the invitation they belong to is reachable through the encrypted link.
/// </summary>
public sealed class PgpInlineEmailSender(IEmailSender inner, DirectoryPgp pgp) : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.RecipientKey is not { } key)
        {
            return inner.SendAsync(message, cancellationToken);
        }

        if (!pgp.CanEncryptTo(key))
        {
            throw new EmailDeliveryException("The recipient's OpenPGP key cannot encrypt (expired or revoked); the message was not sent in the clear.", isPermanent: true);
        }

        var armoured = pgp.SignAndEncrypt(Encoding.UTF8.GetBytes(message.PlainText), key);
        var notice = MessageTexts.For(message.Language).Format("pgp.inlineNotice", pgp.FingerprintForPeople);
        return inner.SendAsync(message with
        {
            PlainText = notice + "\n\n" + armoured,
            Html = "<!DOCTYPE html>\n<html lang=\"" + WebUtility.HtmlEncode(message.Language) + "\">\n<body>\n<p>" + WebUtility.HtmlEncode(notice)
                + "</p>\n<pre>" + WebUtility.HtmlEncode(armoured) + "</pre>\n</body>\n</html>\n",
            Attachments = [],
            RecipientKey = null,
        }, cancellationToken);
    }
}
