using System.Net;

namespace PocDirectory.Functions.Email.Pgp;

/// <summary>
/// Adds to every message, in its language, the directory's key fingerprint and where the key is published, so a
/// recipient can check the signature of encrypted messages against a key it got by another way than the message.
/// It sits inside <see cref="PacedEmailSender"/>, around the provider: it paces nothing and sends nothing itself.
/// </summary>
public sealed class PgpFooterEmailSender(IEmailSender inner, DirectoryPgp pgp, Uri publicKeyUrl) : IEmailSender
{
    public Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var texts = MessageTexts.For(message.Language);
        var footer = texts.Format("pgp.footer", pgp.FingerprintForPeople, publicKeyUrl.AbsoluteUri);
        var line = texts.RightToLeft ? "\u200F" + footer : footer;
        var paragraph = "<p style=\"color: #4a4a4a; font-size: 12px;\">" + WebUtility.HtmlEncode(footer) + "</p>\n";
        var lines = message.PlainText.TrimEnd('\n').Split('\n');

        // A message framed by one line first and last (exercise traffic: "EXERCISE EXERCISE EXERCISE") keeps its frame
        // outermost: the footer goes just inside the closing line, in the text and in the HTML's last paragraph.
        var framed = lines.Length > 2 && lines[0].Length > 0 && string.Equals(lines[0], lines[^1], StringComparison.Ordinal);
        var text = framed
            ? string.Join('\n', lines[..^1]).TrimEnd('\n') + "\n\n" + line + "\n\n" + lines[^1] + "\n"
            : message.PlainText.TrimEnd('\n') + "\n\n" + line + "\n";
        var end = message.Html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        var at = end < 0 ? message.Html.Length : framed && message.Html.LastIndexOf("<p", end, StringComparison.OrdinalIgnoreCase) is var last and >= 0 ? last : end;
        return inner.SendAsync(message with { PlainText = text, Html = message.Html.Insert(at, paragraph) }, cancellationToken);
    }
}
