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
public sealed record CommunicationEmailModel(
    CommunicationTemplate Template, string RecipientName, string Email, string TimeZone, string AcknowledgeUrl, int Step, string Language = MessageTexts.Fallback);

/// <summary>An escalation step to someone of the receiving participant who was not reached yet (the other kind of POC, a focal point).</summary>
public sealed record CommunicationEscalationEmailModel(
    CommunicationTemplate Template, string RecipientName, string Email, string ToName, int Step, string ThreadUrl, string Language = MessageTexts.Fallback);

/// <summary>Tells the sender's side that the receiving participant has not acknowledged and what was done about it.</summary>
public sealed record SenderNoticeEmailModel(
    string CommunicationId, string Reference, string RecipientName, string Email, string ToName, int Step, string StepName, string ThreadUrl, string Language = MessageTexts.Fallback);

/// <summary>A reply, to the other side's POCs who were on the communication.</summary>
public sealed record ReplyEmailModel(
    string CommunicationId, string Reference, string ReplyId, string RecipientName, string Email, string FromName, string Body, bool Closes, string ThreadUrl,
    string Language = MessageTexts.Fallback);

/// <summary>
/// The messages of communications in the recipient's language on the one layout (<see cref="EmailTemplate"/>): the
/// words are the "communication.*" keys of Email/Texts/{language}.json; the subject and body the sender wrote, and
/// replies, are sent as written.
/// </summary>
public static class CommunicationEmails
{
    public static EmailMessage Communication(CommunicationEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var t = m.Template;
        var texts = MessageTexts.For(m.Language);
        var link = EmailFormat.RequireWebUrl(m.AcknowledgeUrl, "AcknowledgeUrl", nameof(m));
        var subject = texts.Format("communication.subject", Urgency(t.Urgency, texts), Label(t.Type, texts), t.FromName, t.Subject, t.Reference);
        if (m.Step > 0)
        {
            subject = texts.Format("communication.reminder.subject", m.Step, subject);
        }

        var email = EmailTemplate.Create(subject, t.Reference, texts).Greeting(m.RecipientName);
        if (m.Step > 0)
        {
            email.Paragraph(texts.Format("communication.reminder.text", m.Step));
        }

        return Fields(email, t, m.TimeZone, texts)
            .Paragraphs(t.Body)
            .Link(texts["communication.acknowledge"], link)
            .Paragraph(texts["communication.acknowledge.note"])
            .Footer(texts["communication.footer"])
            .Build(m.Email, m.RecipientName, $"communication/{t.CommunicationId}/to/{MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{m.AcknowledgeUrl}")}/step/{m.Step}");
    }

    public static EmailMessage Escalation(CommunicationEscalationEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var t = m.Template;
        var texts = MessageTexts.For(m.Language);
        var subject = texts.Format("communication.escalation.subject", Urgency(t.Urgency, texts), Label(t.Type, texts), t.FromName, m.ToName, t.Reference);
        var email = EmailTemplate.Create(subject, t.Reference, texts)
            .Greeting(m.RecipientName)
            .Paragraph(texts.Format("communication.escalation.intro", m.ToName));
        return Fields(email, t, null, texts)
            .Paragraphs(t.Body)
            .Link(texts["communication.escalation.link"], EmailFormat.RequireWebUrl(m.ThreadUrl, "ThreadUrl", nameof(m)))
            .Footer(texts.Format("communication.escalation.footer", m.ToName))
            .Build(m.Email, m.RecipientName, $"communication/{t.CommunicationId}/escalation/{m.Step}/{MessageKeys.Hash(MessageKeys.Address(m.Email))}");
    }

    public static EmailMessage SenderNotice(SenderNoticeEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var texts = MessageTexts.For(m.Language);
        return EmailTemplate.Create(texts.Format("communication.senderNotice.subject", m.ToName, m.Reference, m.Step), m.Reference, texts)
            .Greeting(m.RecipientName)
            .Paragraph(texts.Format("communication.senderNotice.text", m.ToName, m.Reference, m.Step, m.StepName))
            .Reference()
            .Link(texts["communication.senderNotice.link"], EmailFormat.RequireWebUrl(m.ThreadUrl, "ThreadUrl", nameof(m)))
            .Footer(texts["communication.senderNotice.footer"])
            .Build(m.Email, m.RecipientName, $"communication/{m.CommunicationId}/sender-notice/{m.Step}/{MessageKeys.Hash(MessageKeys.Address(m.Email))}");
    }

    public static EmailMessage Reply(ReplyEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var texts = MessageTexts.For(m.Language);
        var subject = texts.Format(m.Closes ? "communication.closed.subject" : "communication.reply.subject", m.FromName, m.Reference);
        return EmailTemplate.Create(subject, m.Reference, texts)
            .Greeting(m.RecipientName)
            .Paragraph(texts.Format(m.Closes ? "communication.closed.text" : "communication.reply.text", m.FromName, m.Reference))
            .Paragraphs(m.Body)
            .Link(texts["communication.reply.link"], EmailFormat.RequireWebUrl(m.ThreadUrl, "ThreadUrl", nameof(m)))
            .Footer(texts["communication.reply.footer"])
            .Build(m.Email, m.RecipientName, $"communication/{m.CommunicationId}/reply/{m.ReplyId}/{MessageKeys.Hash(MessageKeys.Address(m.Email))}");
    }

    /// <summary>The template fields, always in this order.</summary>
    private static EmailTemplate Fields(EmailTemplate email, CommunicationTemplate t, string? timeZone, MessageTexts texts)
    {
        var contacts = string.Join(", ", new[] { t.Sender.Email }.Concat(t.Sender.Phones));
        return email
            .Fact(texts["communication.label.type"], Label(t.Type, texts))
            .Fact(texts["communication.label.urgency"], Urgency(t.Urgency, texts))
            .Reference()
            .Time(texts["communication.label.respondBy"], t.RespondBy, timeZone)
            .Fact(texts["communication.label.from"], t.FromName)
            .Fact(texts["communication.label.sender"], string.IsNullOrWhiteSpace(t.Sender.Name) ? contacts : $"{t.Sender.Name} ({contacts})")
            .Fact(texts["communication.label.subject"], t.Subject);
    }

    /// <summary>The type's name in English, for receipts and logs.</summary>
    public static string Label(CommunicationType type) => Label(type, MessageTexts.English);

    public static string Label(CommunicationType type, MessageTexts texts) => texts[$"communication.type.{type}"];

    private static string Urgency(Urgency urgency, MessageTexts texts) => texts[$"communication.urgency.{urgency}"];

    public static string FormatUtc(DateTimeOffset at) => EmailFormat.FormatUtc(at);
}
