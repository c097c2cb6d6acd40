using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Reconfirmation;

/// <param name="Language">The POC's message language, chosen at snapshot (<see cref="MessageTexts.Choose"/>).</param>
public sealed record ReconfirmationEmailModel(
    string RoundId, string Reference, string PocName, string Email, string TimeZone, DateTimeOffset LastConfirmedAt, int Step, Uri ConfirmLink, Uri UpdateLink, DateTimeOffset Deadline,
    string Language = MessageTexts.Fallback);

/// <summary>To a focal point, who has no language on file: English unless given.</summary>
public sealed record OverdueEmailModel(string RoundId, string Reference, string Email, string ParticipantName, IReadOnlyList<string> PocNames, string Language = MessageTexts.Fallback);

public static class ReconfirmationEmails
{
    public static EmailMessage Request(ReconfirmationEmailModel m)
    {
        var t = MessageTexts.For(m.Language);
        var subject = m.Step > 0 ? t.Format("reconfirmation.reminder.subject", m.Step, t["reconfirmation.subject"]) : t["reconfirmation.subject"];
        var email = EmailTemplate.Create(subject, m.Reference, t).Greeting(m.PocName);
        if (m.Step > 0)
        {
            email.Paragraph(t["reconfirmation.reminder.text"], lead: t.Format("reconfirmation.reminder.lead", m.Step));
        }

        var key = MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{m.ConfirmLink.AbsoluteUri}");
        return email
            .Paragraph(t.Format("reconfirmation.intro", EmailFormat.FormatUtc(m.LastConfirmedAt, t.Layout)))
            .Link(t["reconfirmation.confirm"], m.ConfirmLink)
            .Link(t["reconfirmation.update"], m.UpdateLink)
            .Time(t["reconfirmation.deadline"], m.Deadline, m.TimeZone)
            .Reference()
            .Footer(t["reconfirmation.footer"])
            .Build(m.Email, m.PocName, $"reconfirmation/{m.RoundId}/poc/{key}/step/{m.Step}");
    }

    public static EmailMessage Overdue(OverdueEmailModel m)
    {
        var t = MessageTexts.For(m.Language);
        return EmailTemplate.Create(t.Format("reconfirmation.overdue.subject", m.ParticipantName), m.Reference, t)
            .Greeting(null)
            .Paragraph(t.Format("reconfirmation.overdue.text", m.ParticipantName))
            .Bullets(m.PocNames)
            .Reference()
            .Footer(t.Format("reconfirmation.overdue.footer", m.ParticipantName))
            .Build(m.Email, null, $"reconfirmation/{m.RoundId}/overdue/{MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{m.ParticipantName}")}");
    }
}
