using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Meetings;

/// <summary>One message of a meeting's delivery to one address: an invitation (step 0) or reminder (step n), update, cancellation, link notice.</summary>
/// <param name="DeliveryId">The delivery ("{meetingId}-invite-1"), part of the idempotency key.</param>
/// <param name="TimeZone">The recipient's own IANA time zone.</param>
/// <param name="Calendar">The iCalendar text for this recipient, attached as the iMIP part.</param>
/// <param name="Language">The recipient's message language (<see cref="MessageTexts.Choose"/>).</param>
/// <param name="Answer">The recipient's registration, for the link notice and the reminder.</param>
public sealed record MeetingEmailModel(
    MeetingEntity Meeting, MeetingMessage Kind, string DeliveryId, string Name, string Email, string TimeZone, Uri RegistrationLink, int Step, string? Changes, string Calendar,
    string Language = MessageTexts.Fallback, Attendance? Answer = null);

/// <summary>The confirmation of an answer.</summary>
public sealed record RegistrationConfirmationModel(
    MeetingEntity Meeting, string Name, string Email, Attendance Attendance, DateTimeOffset AnsweredAt, string Language = MessageTexts.Fallback);

/// <summary>
/// Meeting messages in the recipient's language on the one layout (<see cref="EmailTemplate"/>): the words are the
/// "meeting.*" keys of Email/Texts/{language}.json. The title, venue, agenda and the organiser's description of a
/// change are sent as written.
/// </summary>
public static class MeetingEmails
{
    public static EmailMessage Message(MeetingEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var t = MessageTexts.For(m.Language);
        var meeting = m.Meeting;
        var (subject, opening) = m.Kind switch
        {
            MeetingMessage.Invite when m.Step > 0 => (t.Format("meeting.reminder.subject", meeting.Title), t["meeting.reminder.opening"]),
            MeetingMessage.Invite => (t.Format("meeting.invite.subject", meeting.Title), t["meeting.invite.opening"]),
            MeetingMessage.Update => (t.Format("meeting.update.subject", meeting.Title), m.Changes ?? t["meeting.update.opening"]),
            MeetingMessage.Cancel => (t.Format("meeting.cancel.subject", meeting.Title), t["meeting.cancel.opening"]),
            MeetingMessage.Reminder => (t.Format("meeting.registrantReminder.subject", meeting.Title),
                m.Answer == Attendance.Online ? t["meeting.registrantReminder.online"] : t["meeting.registrantReminder.inPerson"]),
            MeetingMessage.Link when m.Answer == Attendance.InPerson => (t.Format("meeting.link.subject", meeting.Title), t["meeting.link.fallback"]),
            _ => (t.Format("meeting.link.subject", meeting.Title), t["meeting.link.opening"]),
        };

        var email = EmailTemplate.Create(subject, meeting.Reference, t)
            .Greeting(m.Name)
            .Paragraph(opening)
            .Fact(t["meeting.label.meeting"], meeting.Title)
            .Fact(t["meeting.label.format"], meeting.FormatValue switch
            {
                MeetingFormat.InPerson => t["meeting.format.inPerson"],
                MeetingFormat.Virtual => t["meeting.format.virtual"],
                _ => t["meeting.format.hybrid"],
            });
        if (meeting.Venue is not null)
        {
            email.Fact(t["meeting.label.venue"], meeting.Venue);
        }

        email.Fact(t["meeting.label.time"], t.Format("meeting.timeRange", Local(meeting.StartUtc, meeting.TimeZone, t), Local(meeting.EndUtc, meeting.TimeZone, t, timeOnly: true), meeting.TimeZone))
            .Fact(t["meeting.label.timeUtc"], t.Format(
                "meeting.timeRangeUtc",
                meeting.StartUtc.UtcDateTime.ToString(t["format.meetingUtc"], t.Culture),
                meeting.EndUtc.UtcDateTime.ToString(t["format.clock"], t.Culture)));
        if (!string.Equals(m.TimeZone, meeting.TimeZone, StringComparison.Ordinal) && MeetingTimes.TryZone(m.TimeZone, out _))
        {
            email.Fact(t["meeting.label.yourTime"], t.Format("meeting.timeRange", Local(meeting.StartUtc, m.TimeZone, t), Local(meeting.EndUtc, m.TimeZone, t, timeOnly: true), m.TimeZone));
        }

        if (meeting.ConnectionLink is not null)
        {
            email.Fact(t["meeting.label.connectionLink"], meeting.ConnectionLink);
        }
        else if (meeting.FormatValue != MeetingFormat.InPerson && m.Kind != MeetingMessage.Cancel)
        {
            email.Fact(t["meeting.label.connectionLink"], t["meeting.connectionLater"]);
        }

        if (m.Kind != MeetingMessage.Cancel)
        {
            foreach (var item in meeting.AgendaValue)
            {
                email.Fact($"{item.Start}-{item.End}", string.IsNullOrWhiteSpace(item.Speakers) ? item.Item : $"{item.Item} ({item.Speakers})");
            }

            if (m.Kind == MeetingMessage.Reminder)
            {
                email.Link(t["meeting.yourRegistration"], m.RegistrationLink).Paragraph(t["meeting.changeAnswer"]);
            }
            else
            {
                email.Link(t["meeting.register"], m.RegistrationLink)
                    .Paragraph(t.Format("meeting.registerBy", Local(meeting.ClosesAt, meeting.TimeZone, t), meeting.TimeZone));
            }
        }

        var key = MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{m.RegistrationLink.AbsoluteUri}");
        var method = m.Kind == MeetingMessage.Cancel ? MeetingCalendar.Cancel : MeetingCalendar.Request;
        return email.Reference().Footer(t["meeting.footer"]).Build(m.Email, m.Name, $"meeting/{m.DeliveryId}/r/{key}/step/{m.Step}")
            with { Attachments = [MeetingCalendar.Attachment(m.Calendar, method)] };
    }

    public static EmailMessage Confirmation(RegistrationConfirmationModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var t = MessageTexts.For(m.Language);
        var answer = m.Attendance switch
        {
            Attendance.InPerson => t["meeting.confirmation.inPerson"],
            Attendance.Online => t["meeting.confirmation.online"],
            _ => t["meeting.confirmation.declined"],
        };
        var key = MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{m.AnsweredAt.ToUnixTimeMilliseconds()}");
        return EmailTemplate.Create(t.Format("meeting.confirmation.subject", m.Meeting.Title), m.Meeting.Reference, t)
            .Greeting(m.Name)
            .Paragraph(answer)
            .Fact(t["meeting.label.meeting"], m.Meeting.Title)
            .Fact(t["meeting.label.time"], $"{Local(m.Meeting.StartUtc, m.Meeting.TimeZone, t)} ({m.Meeting.TimeZone})")
            .Paragraph(t["meeting.confirmation.change"])
            .Reference()
            .Footer(t["meeting.confirmation.footer"])
            .Build(m.Email, m.Name, $"meeting/{m.Meeting.Id}/confirmation/{key}");
    }

    /// <summary>"10:00 on Monday 10 May 2027" in the zone; the time only with <paramref name="timeOnly"/>.</summary>
    public static string Local(DateTimeOffset at, string zoneId, bool timeOnly = false) => Local(at, zoneId, MessageTexts.English, timeOnly);

    /// <summary>The time in the zone in the language's words ("10:00 le lundi 10 mai 2027").</summary>
    public static string Local(DateTimeOffset at, string zoneId, MessageTexts texts, bool timeOnly = false)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var local = MeetingTimes.TryZone(zoneId, out var zone) ? TimeZoneInfo.ConvertTimeFromUtc(at.UtcDateTime, zone) : at.UtcDateTime;
        return local.ToString(timeOnly ? texts["format.clock"] : texts["format.meetingTime"], texts.Culture);
    }
}
