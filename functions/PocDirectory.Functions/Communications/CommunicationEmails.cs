using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Communications;

/// <summary>The template fields every message of a communication states, in this order, so a reader recognises it at once.</summary>
public sealed record CommunicationTemplate(
    string CommunicationId,
    string Reference,
    CommunicationType Type,
    Urgency Urgency,
    DateTimeOffset RespondBy,
    string FromName,
    CommunicationSender Sender,
    string Subject,
    string Body);

/// <summary>The communication (step 0) or a reminder (step n) to one address of one receiving POC.</summary>
public sealed record CommunicationEmailModel(CommunicationTemplate Template, string RecipientName, string Email, string TimeZone, string AcknowledgeUrl, int Step);

/// <summary>An escalation step to someone of the receiving participant who was not reached yet (the other kind of POC, a focal point).</summary>
public sealed record CommunicationEscalationEmailModel(CommunicationTemplate Template, string RecipientName, string Email, string ToName, int Step, string ThreadUrl);

/// <summary>Tells the sender's side that the receiving participant has not acknowledged and what was done about it.</summary>
public sealed record SenderNoticeEmailModel(string CommunicationId, string Reference, string RecipientName, string Email, string ToName, int Step, string StepName, string ThreadUrl);

/// <summary>A reply, to the other side's POCs who were on the communication.</summary>
public sealed record ReplyEmailModel(string CommunicationId, string Reference, string ReplyId, string RecipientName, string Email, string FromName, string Body, bool Closes, string ThreadUrl);

/// <summary>
/// Writes the messages of communications as plain text and HTML from one list of lines; the HTML encodes every value.
/// Kept minimal so it can move onto the shared layout in Email/ when that lands.
/// </summary>
public static class CommunicationEmails
{
    private const string DirectoryShortName = "Global POC Directory";

    public static EmailMessage Communication(CommunicationEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var t = m.Template;
        var subject = $"[{t.Urgency}] {Label(t.Type)} from {t.FromName}: {t.Subject} ({t.Reference})";
        if (m.Step > 0)
        {
            subject = $"Reminder {m.Step}: {subject}";
        }

        var blocks = new List<(string? Label, string Text)> { (null, $"Dear {Name(m.RecipientName)},") };
        if (m.Step > 0)
        {
            blocks.Add((null, $"Reminder {m.Step}: nobody of your participant has acknowledged receipt of this communication yet."));
        }

        blocks.AddRange(Fields(t, m.TimeZone));
        blocks.Add((null, t.Body));
        blocks.Add(("Acknowledge receipt", m.AcknowledgeUrl));
        blocks.Add((null, "Acknowledging tells the sender that the communication arrived; reply in the directory's portal. Please do not forward this message: anyone with the link can acknowledge on your behalf."));
        return Build(m.Email, m.RecipientName, subject, blocks, $"communication/{t.CommunicationId}/to/{ShortHash($"{Address(m.Email)}\n{m.AcknowledgeUrl}")}/step/{m.Step}");
    }

    public static EmailMessage Escalation(CommunicationEscalationEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var t = m.Template;
        var subject = $"Escalated: [{t.Urgency}] {Label(t.Type)} from {t.FromName} not yet acknowledged by {m.ToName} ({t.Reference})";
        var blocks = new List<(string? Label, string Text)>
        {
            (null, $"Dear {Name(m.RecipientName)},"),
            (null, $"The points of contact of {m.ToName} it was sent to have not acknowledged this communication. Please make sure it is dealt with."),
        };
        blocks.AddRange(Fields(t, null));
        blocks.Add((null, t.Body));
        blocks.Add(("Open the communication, acknowledge and reply", m.ThreadUrl));
        return Build(m.Email, m.RecipientName, subject, blocks, $"communication/{t.CommunicationId}/escalation/{m.Step}/{ShortHash(Address(m.Email))}");
    }

    public static EmailMessage SenderNotice(SenderNoticeEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var subject = $"{DirectoryShortName}: {m.ToName} has not acknowledged {m.Reference} yet; escalation step {m.Step}";
        List<(string? Label, string Text)> blocks =
        [
            (null, $"Dear {Name(m.RecipientName)},"),
            (null, $"Nobody of {m.ToName} has acknowledged your communication {m.Reference} yet. Escalation step {m.Step}: {m.StepName}."),
            ("Reference", m.Reference),
            ("Follow the communication", m.ThreadUrl),
        ];
        return Build(m.Email, m.RecipientName, subject, blocks, $"communication/{m.CommunicationId}/sender-notice/{m.Step}/{ShortHash(Address(m.Email))}");
    }

    public static EmailMessage Reply(ReplyEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var subject = $"{(m.Closes ? "Closed" : "Reply")}: {m.FromName} on {m.Reference}";
        List<(string? Label, string Text)> blocks =
        [
            (null, $"Dear {Name(m.RecipientName)},"),
            (null, $"{m.FromName} replied to communication {m.Reference}{(m.Closes ? " and closed it" : string.Empty)}:"),
            (null, m.Body),
            ("Open the thread", m.ThreadUrl),
        ];
        return Build(m.Email, m.RecipientName, subject, blocks, $"communication/{m.CommunicationId}/reply/{m.ReplyId}/{ShortHash(Address(m.Email))}");
    }

    /// <summary>The template fields, always in this order.</summary>
    public static IReadOnlyList<(string? Label, string Text)> Fields(CommunicationTemplate t, string? timeZone)
    {
        var fields = new List<(string? Label, string Text)>
        {
            ("Type", Label(t.Type)),
            ("Urgency", t.Urgency.ToString()),
            ("Reference", t.Reference),
            ("Respond by", FormatUtc(t.RespondBy)),
        };
        if (FormatLocal(t.RespondBy, timeZone) is { } local)
        {
            fields.Add(("Respond by in your time zone", local));
        }

        fields.Add(("From", t.FromName));
        var contacts = string.Join(", ", new[] { t.Sender.Email }.Concat(t.Sender.Phones));
        fields.Add(("Sender", string.IsNullOrWhiteSpace(t.Sender.Name) ? contacts : $"{t.Sender.Name} ({contacts})"));
        fields.Add(("Subject", t.Subject));
        return fields;
    }

    public static string Label(CommunicationType type) => type switch
    {
        CommunicationType.RequestForInformation => "Request for information",
        CommunicationType.RequestForAssistance => "Request for assistance",
        CommunicationType.IncidentNotification => "Incident notification",
        _ => "Follow-up",
    };

    public static string FormatUtc(DateTimeOffset at) => at.UtcDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture) + " UTC";

    private static string? FormatLocal(DateTimeOffset at, string? timeZoneId)
    {
        if (string.IsNullOrWhiteSpace(timeZoneId) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId.Trim(), out var zone))
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        var sign = local.Offset < TimeSpan.Zero ? "-" : "+";
        return $"{local.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} ({timeZoneId.Trim()}, UTC{sign}{local.Offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture)})";
    }

    private static EmailMessage Build(string email, string? name, string subject, IReadOnlyList<(string? Label, string Text)> blocks, string key)
    {
        var oneLine = string.Join(' ', subject.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var text = new StringBuilder();
        var html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Encode(oneLine)).Append("</title>\n</head>\n<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5;\">\n");
        foreach (var (label, value) in blocks)
        {
            text.Append(label is null ? value : $"{label}: {value}").Append('\n');
            if (label is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
            {
                html.Append("<p><a href=\"").Append(Encode(uri.AbsoluteUri)).Append("\">").Append(Encode(label)).Append("</a><br>\n").Append(Encode(uri.AbsoluteUri)).Append("</p>\n");
            }
            else
            {
                html.Append("<p>").Append(label is null ? string.Empty : $"<strong>{Encode(label)}:</strong> ").Append(Encode(value)).Append("</p>\n");
            }
        }

        return new EmailMessage(email.Trim(), string.IsNullOrWhiteSpace(name) ? null : name.Trim(), oneLine, text.ToString(), html.Append("</body>\n</html>\n").ToString(), key);
    }

    private static string Name(string? name) => string.IsNullOrWhiteSpace(name) ? "colleague" : name.Trim();

    private static string Encode(string text) => WebUtility.HtmlEncode(text).Replace("\n", "<br>\n", StringComparison.Ordinal);

    private static string Address(string email) => email.Trim().ToLowerInvariant();

    private static string ShortHash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 8));
}
