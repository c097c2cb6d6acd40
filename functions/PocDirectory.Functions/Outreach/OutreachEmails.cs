using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Outreach;

/// <summary>One outreach letter (step 0) or reminder (step n) to one address of a participant's mission contact or focal point.</summary>
/// <param name="Language">The recipient's message language: the mission contact's, else English (<see cref="MessageTexts.Choose"/>).</param>
public sealed record OutreachEmailModel(
    string OutreachId, string Reference, string? CustomSubject, string? CustomBody, string ParticipantName, Missing Missing,
    string? RecipientName, string Email, int Step, Uri AcknowledgeLink, Uri Portal, string Language = MessageTexts.Fallback);

public static class OutreachEmails
{
    public static EmailMessage Letter(OutreachEmailModel m)
    {
        var t = MessageTexts.For(m.Language);
        var subject = string.IsNullOrWhiteSpace(m.CustomSubject) ? t["outreach.subject"] : m.CustomSubject.Trim();
        var email = EmailTemplate.Create(m.Step > 0 ? t.Format("outreach.reminder.subject", m.Step, subject) : subject, m.Reference, t)
            .Greeting(m.RecipientName);
        if (m.Step > 0)
        {
            email.Paragraph(t["outreach.reminder.text"], lead: t.Format("outreach.reminder.lead", m.Step));
        }

        // The Secretariat's own subject and body are sent as written; the fixed parts around them are translated.
        if (string.IsNullOrWhiteSpace(m.CustomBody))
        {
            email.Paragraph(t["outreach.introduction"]);
        }
        else
        {
            email.Paragraphs(m.CustomBody);
        }

        // What is missing and how to nominate are always said, whatever the Secretariat wrote above.
        var key = MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{m.AcknowledgeLink.AbsoluteUri}");
        return email
            .Paragraph(t.Format(OutreachTexts.MissingKey(m.Missing), m.ParticipantName))
            .Paragraph(t.Format("outreach.howToNominate", m.ParticipantName))
            .Link(t["outreach.portal"], m.Portal)
            .Link(t["outreach.acknowledge"], m.AcknowledgeLink)
            .Reference()
            .Footer(t.Format("outreach.footer", m.ParticipantName))
            .Build(m.Email, m.RecipientName, $"outreach/{m.OutreachId}/r/{key}/step/{m.Step}");
    }
}
