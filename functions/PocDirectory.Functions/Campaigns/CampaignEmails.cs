using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Campaigns;

/// <summary>A ping (step 0) or reminder (step n) to one address of one POC.</summary>
/// <param name="Reference">The short human reference of the campaign, e.g. "PING-2026-11-28-7K3M".</param>
/// <param name="TimeZone">The POC's IANA time zone id, e.g. "Asia/Singapore".</param>
/// <param name="Step">0 for the ping, n for reminder n.</param>
/// <param name="CustomSubject">The Secretariat's subject, replacing the default one.</param>
/// <param name="CustomBody">The Secretariat's text, replacing the default first paragraph.</param>
public sealed record PingEmailModel(
    string CampaignId,
    string CampaignName,
    string Reference,
    string PocName,
    string Email,
    string TimeZone,
    DateTimeOffset Deadline,
    string AcknowledgeUrl,
    int Step,
    string? CustomSubject,
    string? CustomBody);

/// <summary>Tells a participant's contact which of its POCs have not acknowledged a campaign.</summary>
public sealed record EscalationEmailModel(
    string CampaignId,
    string CampaignName,
    string Reference,
    string RecipientName,
    string Email,
    string ParticipantName,
    IReadOnlyList<string> UnansweredPocNames,
    DateTimeOffset Deadline);

/// <summary>The outcome of a campaign, for the Secretariat.</summary>
public sealed record SummaryEmailModel(
    string CampaignId,
    string CampaignName,
    string Reference,
    string Email,
    int InScope,
    int Acknowledged,
    int NoResponse,
    int Undeliverable,
    string ReportUrl);

/// <summary>
/// Writes the emails of a campaign as plain text and HTML. Both are rendered from one list of blocks, and the HTML
/// renderer encodes every piece of text it writes, so no value can reach the HTML unencoded.
/// </summary>
public static class CampaignEmails
{
    private const string DirectoryShortName = "Global POC Directory";

    private const string AboutDirectory =
        "The Global Intergovernmental Points of Contact Directory on ICT security is a confidential United Nations "
        + "directory through which States reach each other's points of contact on ICT security. Only its participants "
        + "and the UN Secretariat can see it.";

    /// <summary>The ping or reminder for one address of one POC.</summary>
    /// <remarks>
    /// The idempotency key is "campaign/{CampaignId}/poc/{key}/step/{Step}", the key being a hash of the address and the
    /// acknowledgement link. The link names the POC (its token is a deterministic MAC over campaign and POC), so a
    /// retried send repeats the key and the provider drops it, while one POC's several addresses, and two POCs that
    /// share a mailbox, each still get their own message.
    /// </remarks>
    /// <exception cref="ArgumentException">The acknowledgement URL is not an absolute https or http URL, or a required value is missing.</exception>
    public static EmailMessage Ping(PingEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.CampaignId, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Reference, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Email, nameof(m));
        ArgumentOutOfRangeException.ThrowIfNegative(m.Step, nameof(m));
        var link = RequireWebUrl(m.AcknowledgeUrl, "AcknowledgeUrl", nameof(m));

        var subject = string.IsNullOrWhiteSpace(m.CustomSubject)
            ? $"{DirectoryShortName} communication check: please acknowledge ({m.Reference})"
            : WithReference(m.CustomSubject, m.Reference);
        if (m.Step > 0)
        {
            subject = $"Reminder {m.Step}: {subject}";
        }

        var blocks = new List<Block> { new Paragraph($"Dear {NameOrColleague(m.PocName)},") };
        if (m.Step > 0)
        {
            blocks.Add(new Paragraph("we have not yet received your acknowledgement of this communication check.", Lead: $"Reminder {m.Step}:"));
        }

        // The Secretariat's text replaces only the opening; the link, deadline and reference below are always sent,
        // so a custom body can never produce a message the POC cannot act on.
        var custom = Paragraphs(m.CustomBody);
        blocks.AddRange(custom.Count > 0
            ? custom
            : [new Paragraph(
                $"The UN Secretariat is checking that the points of contact in the {DirectoryShortName} can be reached "
                + $"(\"{m.CampaignName}\"). Please confirm that you received this message by acknowledging it before the deadline.")]);

        blocks.Add(new Link($"Acknowledge this message (reference {m.Reference})", link));

        var facts = new List<KeyValuePair<string, string>> { new("Deadline", FormatUtc(m.Deadline)) };
        if (FormatLocal(m.Deadline, m.TimeZone) is { } local)
        {
            facts.Add(new("Deadline in your time zone", local));
        }

        facts.Add(new("Reference", m.Reference));
        blocks.Add(new Facts(facts));
        blocks.Add(new Paragraph("Acknowledging through the link is all that is needed; no reply email is needed."));
        blocks.Add(new Note(
            $"{AboutDirectory} You receive this message because you are listed in it as a point of contact. Please do not "
            + "forward it: anyone with the link can acknowledge on your behalf."));

        var pocKey = ShortHash($"{Address(m.Email)}\n{link.AbsoluteUri}");
        return Build(m.Email, m.PocName, subject, blocks, $"campaign/{m.CampaignId}/poc/{pocKey}/step/{m.Step}");
    }

    /// <summary>
    /// Sent at the deadline to a participant's contacts: which of its POCs did not acknowledge, so someone can reach
    /// them through national channels.
    /// </summary>
    public static EmailMessage Escalation(EscalationEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.CampaignId, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Reference, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Email, nameof(m));
        ArgumentNullException.ThrowIfNull(m.UnansweredPocNames, nameof(m));

        var subject = $"{DirectoryShortName}: points of contact of {m.ParticipantName} did not acknowledge ({m.Reference})";
        Block[] blocks =
        [
            new Paragraph($"Dear {NameOrColleague(m.RecipientName)},"),
            new Paragraph(
                $"The following points of contact of {m.ParticipantName} did not acknowledge the communication check "
                + $"\"{m.CampaignName}\" of the {DirectoryShortName} by its deadline:"),
            new Bullets(m.UnansweredPocNames),
            new Facts([new("Deadline", FormatUtc(m.Deadline)), new("Reference", m.Reference)]),
            new Paragraph(
                "Please check with them through your national channels that they can still be reached and, if their "
                + "details have changed, update them in the directory. No reply email is needed."),
            new Note($"{AboutDirectory} You receive this message as a contact of {m.ParticipantName} in the directory."),
        ];

        // One escalation per recipient and participant per campaign: a retry is dropped, a person who looks after
        // two participants still gets both.
        var key = $"campaign/{m.CampaignId}/escalation/{ShortHash($"{m.ParticipantName.Trim()}\n{Address(m.Email)}")}";
        return Build(m.Email, m.RecipientName, subject, blocks, key);
    }

    /// <summary>The outcome of a campaign, for the Secretariat.</summary>
    /// <exception cref="ArgumentException">The report URL is not an absolute https or http URL, or a required value is missing.</exception>
    public static EmailMessage Summary(SummaryEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.CampaignId, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Reference, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Email, nameof(m));
        var report = RequireWebUrl(m.ReportUrl, "ReportUrl", nameof(m));

        // Rounded down, so a summary never reports a better response rate than was reached.
        var rate = m.InScope > 0 ? $" ({m.Acknowledged * 100 / m.InScope}%)" : string.Empty;
        var subject = $"{DirectoryShortName}: results of {m.CampaignName} ({m.Reference})";
        Block[] blocks =
        [
            new Paragraph($"The communication check \"{m.CampaignName}\" has finished."),
            new Facts(
            [
                new("Reference", m.Reference),
                new("In scope", Count(m.InScope)),
                new("Acknowledged", Count(m.Acknowledged) + rate),
                new("No response", Count(m.NoResponse)),
                new("Undeliverable", Count(m.Undeliverable)),
            ]),
            new Link($"Open the full report for {m.Reference}", report),
            new Note($"{AboutDirectory} This summary describes contacts in the directory; please treat it as confidential."),
        ];

        return Build(m.Email, null, subject, blocks, $"campaign/{m.CampaignId}/summary/{ShortHash(Address(m.Email))}");
    }

    /// <summary>"10 June 2024 14:00 UTC".</summary>
    internal static string FormatUtc(DateTimeOffset at)
        => at.UtcDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>
    /// "10 June 2024 22:00 (Asia/Singapore, UTC+08:00)", or null when the zone is unknown here: the UTC line is always
    /// shown, and a second line claiming the POC lives in UTC would be wrong.
    /// </summary>
    internal static string? FormatLocal(DateTimeOffset at, string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return null;
        }

        var id = timeZoneId.Trim();
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var clock = local.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture);
        return $"{clock} ({id}, UTC{sign}{offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture)})";
    }

    private static EmailMessage Build(string email, string? name, string subject, IReadOnlyList<Block> blocks, string idempotencyKey)
    {
        var singleLineSubject = SingleLine(subject);
        var toName = string.IsNullOrWhiteSpace(name) ? null : SingleLine(name);
        return new EmailMessage(email.Trim(), toName, singleLineSubject, RenderText(blocks), RenderHtml(singleLineSubject, blocks), idempotencyKey);
    }

    private static Uri RequireWebUrl(string? url, string what, string paramName)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"{what} must be an absolute https or http URL.", paramName);
        }

        return uri;
    }

    private static string WithReference(string subject, string reference)
        => subject.Contains(reference, StringComparison.OrdinalIgnoreCase) ? subject : $"{subject.Trim()} ({reference})";

    private static string NameOrColleague(string? name) => string.IsNullOrWhiteSpace(name) ? "colleague" : name.Trim();

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Tells recipients apart in idempotency keys. The keys are logged, so they carry a hash rather than an address;
    /// 64 bits keep the tens of thousands of messages of one campaign apart.
    /// </summary>
    private static string ShortHash(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    // Case and surrounding spaces do not make another mailbox in practice, so they must not make another message.
    private static string Address(string email) => email.Trim().ToLowerInvariant();

    // Headers may not hold line breaks; a pasted subject or a name with a newline would otherwise break or inject them.
    private static string SingleLine(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Blank lines separate paragraphs; single line breaks are kept within one.</summary>
    private static List<Block> Paragraphs(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        var paragraphs = new List<Block>();
        var current = new List<string>();
        foreach (var line in lines.Append(string.Empty))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                current.Add(line.TrimEnd());
            }
            else if (current.Count > 0)
            {
                paragraphs.Add(new Paragraph(string.Join('\n', current)));
                current.Clear();
            }
        }

        return paragraphs;
    }

    private static string RenderText(IReadOnlyList<Block> blocks)
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
                case Paragraph p:
                    text.Append(p.Lead is null ? p.Text : p.Lead + " " + p.Text).Append('\n');
                    break;
                case Note n:
                    text.Append(n.Text).Append('\n');
                    break;
                case Facts f:
                    foreach (var (label, value) in f.Items)
                    {
                        text.Append(label).Append(": ").Append(value).Append('\n');
                    }

                    break;
                case Bullets b:
                    foreach (var item in b.Items)
                    {
                        text.Append("- ").Append(item).Append('\n');
                    }

                    break;
                case Link a:
                    text.Append(a.Label).Append(":\n").Append(a.Url.AbsoluteUri).Append('\n');
                    break;
                default:
                    throw new InvalidOperationException($"Unknown block {block.GetType().Name}.");
            }
        }

        return text.ToString();
    }

    private static string RenderHtml(string subject, IReadOnlyList<Block> blocks)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a;\">\n");
        foreach (var block in blocks)
        {
            switch (block)
            {
                case Paragraph p:
                    html.Append("<p>");
                    if (p.Lead is not null)
                    {
                        html.Append("<strong>").Append(Encode(p.Lead)).Append("</strong> ");
                    }

                    html.Append(Encode(p.Text)).Append("</p>\n");
                    break;
                case Note n:
                    html.Append("<p style=\"color: #4a4a4a; font-size: 14px;\">").Append(Encode(n.Text)).Append("</p>\n");
                    break;
                case Facts f:
                    html.Append("<p>");
                    for (var i = 0; i < f.Items.Count; i++)
                    {
                        html.Append(i > 0 ? "<br>\n" : string.Empty)
                            .Append("<strong>").Append(Encode(f.Items[i].Key)).Append(":</strong> ").Append(Encode(f.Items[i].Value));
                    }

                    html.Append("</p>\n");
                    break;
                case Bullets b:
                    html.Append("<ul>\n");
                    foreach (var item in b.Items)
                    {
                        html.Append("<li>").Append(Encode(item)).Append("</li>\n");
                    }

                    html.Append("</ul>\n");
                    break;
                case Link a:
                    var url = Encode(a.Url.AbsoluteUri);
                    html.Append("<p><a href=\"").Append(url).Append("\" style=\"font-weight: bold;\">").Append(Encode(a.Label)).Append("</a></p>\n")
                        .Append("<p style=\"color: #4a4a4a; font-size: 14px;\">If the link does not open, copy this address into your browser:<br>\n")
                        .Append(url).Append("</p>\n");
                    break;
                default:
                    throw new InvalidOperationException($"Unknown block {block.GetType().Name}.");
            }
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>\n", StringComparison.Ordinal);

    private abstract record Block;

    private sealed record Paragraph(string Text, string? Lead = null) : Block;

    /// <summary>Small print: why the recipient gets the message.</summary>
    private sealed record Note(string Text) : Block;

    private sealed record Facts(IReadOnlyList<KeyValuePair<string, string>> Items) : Block;

    private sealed record Bullets(IReadOnlyList<string> Items) : Block;

    /// <summary>The one thing to click, with its address spelled out for clients that drop links.</summary>
    private sealed record Link(string Label, Uri Url) : Block;
}
