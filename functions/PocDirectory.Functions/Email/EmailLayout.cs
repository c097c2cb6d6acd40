using System.Net;
using System.Text;

namespace PocDirectory.Functions.Email;

/// <summary>
/// The one layout of the directory's messages: plain text, and HTML that encodes every piece of text it writes, so no
/// value can reach the HTML unencoded.
/// </summary>
internal static class EmailLayout
{
    private const string SmallPrint = "<p style=\"color: #4a4a4a; font-size: 14px;\">";

    /// <summary>U+200F: a right-to-left line starts with it, so plain-text clients align and order it as Arabic.</summary>
    private const char RightToLeftMark = '\u200F';

    public static string RenderText(IReadOnlyList<EmailBlock> blocks) => RenderText(blocks, EmailLayoutTexts.English);

    public static string RenderText(IReadOnlyList<EmailBlock> blocks, EmailLayoutTexts texts)
    {
        var text = RenderTextLines(blocks);
        if (!texts.RightToLeft)
        {
            return text;
        }

        // Addresses stay as they are, so a client still recognises and opens them.
        var lines = text.Split('\n').Select(l => l.Length == 0 || l.StartsWith("http", StringComparison.Ordinal) ? l : RightToLeftMark + l);
        return string.Join('\n', lines);
    }

    private static string RenderTextLines(IReadOnlyList<EmailBlock> blocks)
    {
        var text = new StringBuilder();
        foreach (var block in blocks)
        {
            if (text.Length > 0)
            {
                text.Append('\n');
            }

            switch (block)
            {
                case EmailBlock.Paragraph p:
                    text.Append(p.Lead is null ? p.Text : p.Lead + " " + p.Text).Append('\n');
                    break;
                case EmailBlock.Note n:
                    text.Append(n.Text).Append('\n');
                    break;
                case EmailBlock.Facts f:
                    foreach (var (label, value) in f.Items)
                    {
                        text.Append(label).Append(": ").Append(value).Append('\n');
                    }

                    break;
                case EmailBlock.Bullets b:
                    foreach (var item in b.Items)
                    {
                        text.Append("- ").Append(item).Append('\n');
                    }

                    break;
                case EmailBlock.Link a:
                    text.Append(a.Label).Append(":\n").Append(a.Url.AbsoluteUri).Append('\n');
                    break;
                default:
                    throw new InvalidOperationException($"Unknown block {block.GetType().Name}.");
            }
        }

        return text.ToString();
    }

    public static string RenderHtml(string subject, IReadOnlyList<EmailBlock> blocks, EmailLayoutTexts texts)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(Encode(texts.Language)).Append(texts.RightToLeft ? "\" dir=\"rtl" : string.Empty).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a;\">\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case EmailBlock.Paragraph p:
                    html.Append("<p>");
                    if (p.Lead is not null)
                    {
                        html.Append("<strong>").Append(Encode(p.Lead)).Append("</strong> ");
                    }

                    html.Append(Encode(p.Text)).Append("</p>\n");
                    break;
                case EmailBlock.Note n:
                    html.Append(SmallPrint).Append(Encode(n.Text)).Append("</p>\n");
                    break;
                case EmailBlock.Facts f:
                    html.Append("<p>");
                    for (var i = 0; i < f.Items.Count; i++)
                    {
                        html.Append(i > 0 ? "<br>\n" : string.Empty)
                            .Append("<strong>").Append(Encode(f.Items[i].Key)).Append(":</strong> ").Append(Encode(f.Items[i].Value));
                    }

                    html.Append("</p>\n");
                    break;
                case EmailBlock.Bullets b:
                    html.Append("<ul>\n");
                    foreach (var item in b.Items)
                    {
                        html.Append("<li>").Append(Encode(item)).Append("</li>\n");
                    }

                    html.Append("</ul>\n");
                    break;
                case EmailBlock.Link a:
                    var url = Encode(a.Url.AbsoluteUri);
                    html.Append("<p><a href=\"").Append(url).Append("\" style=\"font-weight: bold;\">").Append(Encode(a.Label)).Append("</a></p>\n")
                        .Append(SmallPrint).Append(Encode(texts.CopyLink)).Append("<br>\n")
                        .Append(url).Append("</p>\n");
                    break;
                default:
                    throw new InvalidOperationException($"Unknown block {block.GetType().Name}.");
            }
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>\n", StringComparison.Ordinal);
}
