using System.Net;
using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Exercises;

/// <summary>One inject to one address of one player (or controller, in a dry run), with the personal link.</summary>
public sealed record InjectEmailModel(
    string ExerciseId, string Reference, string ExerciseName, Inject Inject, bool DryRun, string DeliveryId, string RecipientName, string Email, string TimeZone,
    Uri Link, DateTimeOffset Deadline, int Step, string Language = MessageTexts.Fallback);

/// <summary>Writes exercise messages through the shared template, and marks every exercise message in one place (<see cref="Mark"/>).</summary>
public static class ExerciseEmails
{
    public static EmailMessage Inject(InjectEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var i = m.Inject;
        var t = MessageTexts.For(m.Language);
        var subject = t.Format(m.DryRun ? "exercise.dryRunSubject" : "exercise.subject", m.ExerciseName, i.Title);
        var template = EmailTemplate.Create(subject, m.Reference, t).Greeting(m.RecipientName).Paragraph(t["exercise.notReal"]);
        if (m.DryRun)
        {
            template.Paragraph(t["exercise.dryRunNote"]);
        }

        template.Fact(t["exercise.label.exercise"], m.ExerciseName).Fact(t["exercise.label.inject"], $"{i.Number}: {i.Title}")
            .Paragraphs(i.Message)
            .Paragraph(i.Expects switch
            {
                InjectExpects.Acknowledge => t["exercise.expects.acknowledge"],
                InjectExpects.Reply => t["exercise.expects.reply"],
                _ => t.Format("exercise.expects.contact", i.ContactParticipant, m.ExerciseId),
            });
        if (i.Expects == InjectExpects.Reply && i.Options.Count > 0)
        {
            template.Paragraph(t.Format("exercise.expects.choice", string.Join(", ", i.Options)));
        }

        var message = template.Link(t["exercise.link"], m.Link).Time(t["exercise.label.respondBy"], m.Deadline, m.TimeZone).Reference()
            .Footer(t["exercise.footer"]).Build(m.Email, m.RecipientName, $"exercise-{m.DeliveryId}/{m.Email.ToLowerInvariant()}/{m.Step}");
        return Mark(message);
    }

    /// <summary>
    /// The exercise markers, for every message of the feature (injects, and communications marked as exercise):
    /// "[EXERCISE]" before the subject, and the marker line first and last in both the text and the HTML.
    /// </summary>
    public static EmailMessage Mark(EmailMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Subject.StartsWith(ExerciseTexts.SubjectPrefix, StringComparison.Ordinal))
        {
            return message;
        }

        var line = $"<p style=\"font-weight: bold; letter-spacing: 0.1em;\">{WebUtility.HtmlEncode(ExerciseTexts.Marker)}</p>\n";
        var html = message.Html;
        var bodyOpen = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var bodyStart = bodyOpen < 0 ? 0 : html.IndexOf('>', bodyOpen) + 1;
        html = html.Insert(bodyStart, "\n" + line);
        var bodyEnd = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        html = bodyEnd < 0 ? html + line : html.Insert(bodyEnd, line);
        return message with
        {
            Subject = $"{ExerciseTexts.SubjectPrefix} {message.Subject}",
            PlainText = $"{ExerciseTexts.Marker}\n\n{message.PlainText.Trim()}\n\n{ExerciseTexts.Marker}\n",
            Html = html,
        };
    }
}
