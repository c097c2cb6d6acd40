using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Meetings;

/// <summary>One message of a meeting's delivery to one address: an invitation (step 0) or reminder (step n), update, cancellation, link notice.</summary>
/// <param name="DeliveryId">The delivery ("{meetingId}-invite-1"), part of the idempotency key.</param>
/// <param name="TimeZone">The recipient's own IANA time zone.</param>
/// <param name="Calendar">The iCalendar text for this recipient, attached as the iMIP part.</param>
public sealed record MeetingEmailModel(
    MeetingEntity Meeting, MeetingMessage Kind, string DeliveryId, string Name, string Email, string TimeZone, Uri RegistrationLink, int Step, string? Changes, string Calendar);

/// <summary>The confirmation of an answer.</summary>
public sealed record RegistrationConfirmationModel(MeetingEntity Meeting, string Name, string Email, Attendance Attendance, DateTimeOffset AnsweredAt);

/// <summary>
/// The texts of meeting messages, as plain text and HTML from one list of lines (the HTML encodes every value). Kept
/// minimal so they can move onto the shared layout in Email/ when it lands.
/// </summary>
public static class MeetingEmails
{
    public static EmailMessage Message(MeetingEmailModel m)
    {
        var meeting = m.Meeting;
        var (subject, opening) = m.Kind switch
        {
            MeetingMessage.Invite when m.Step > 0 => ($"Reminder: please register for {meeting.Title}", "You have not registered yet for this meeting. Please register through the link below."),
            MeetingMessage.Invite => ($"Invitation: {meeting.Title}", "You are invited to this meeting of the points of contact of the Global POC Directory."),
            MeetingMessage.Update => ($"Updated: {meeting.Title}", m.Changes ?? "The meeting has changed."),
            MeetingMessage.Cancel => ($"Cancelled: {meeting.Title}", "This meeting has been cancelled. The entry is removed from your calendar."),
            _ => ($"Connection link: {meeting.Title}", "The connection link for this meeting is now available."),
        };

        var lines = new List<(string? Label, string Text)>
        {
            (null, $"Dear {(string.IsNullOrWhiteSpace(m.Name) ? "colleague" : m.Name)},"),
            (null, opening),
            ("Meeting", meeting.Title),
            ("Format", meeting.FormatValue switch { MeetingFormat.InPerson => "In person", MeetingFormat.Virtual => "Virtual", _ => "Hybrid (in person and online)" }),
        };
        if (meeting.Venue is not null)
        {
            lines.Add(("Venue", meeting.Venue));
        }

        lines.Add(("Time", $"{Local(meeting.StartUtc, meeting.TimeZone)} to {Local(meeting.EndUtc, meeting.TimeZone, timeOnly: true)} ({meeting.TimeZone})"));
        lines.Add(("Time in UTC", $"{meeting.StartUtc.UtcDateTime.ToString("HH:mm 'on' d MMMM yyyy", CultureInfo.InvariantCulture)} to {meeting.EndUtc.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)} UTC"));
        if (!string.Equals(m.TimeZone, meeting.TimeZone, StringComparison.Ordinal) && MeetingTimes.TryZone(m.TimeZone, out _))
        {
            lines.Add(("Your time", $"{Local(meeting.StartUtc, m.TimeZone)} to {Local(meeting.EndUtc, m.TimeZone, timeOnly: true)} ({m.TimeZone})"));
        }

        if (meeting.ConnectionLink is not null)
        {
            lines.Add(("Connection link", meeting.ConnectionLink));
        }
        else if (meeting.FormatValue != MeetingFormat.InPerson && m.Kind != MeetingMessage.Cancel)
        {
            lines.Add(("Connection link", "It will be conveyed in due course."));
        }

        if (m.Kind != MeetingMessage.Cancel)
        {
            foreach (var item in meeting.AgendaValue)
            {
                lines.Add(($"{item.Start}-{item.End}", string.IsNullOrWhiteSpace(item.Speakers) ? item.Item : $"{item.Item} ({item.Speakers})"));
            }

            lines.Add(("Register", m.RegistrationLink.AbsoluteUri));
            lines.Add((null, $"Please register (in person, online, or decline) by {Local(meeting.ClosesAt, meeting.TimeZone)} ({meeting.TimeZone}). You can change your answer until then."));
        }

        var key = Hash($"{m.Email.Trim().ToLowerInvariant()}\n{m.RegistrationLink.AbsoluteUri}");
        var method = m.Kind == MeetingMessage.Cancel ? MeetingCalendar.Cancel : MeetingCalendar.Request;
        return Build(m.Email, m.Name, $"{subject} ({meeting.Reference})", lines, $"meeting/{m.DeliveryId}/r/{key}/step/{m.Step}")
            with { Attachments = [MeetingCalendar.Attachment(m.Calendar, method)] };
    }

    public static EmailMessage Confirmation(RegistrationConfirmationModel m)
    {
        var answer = m.Attendance switch
        {
            Attendance.InPerson => "You are registered to attend in person.",
            Attendance.Online => "You are registered to attend online; the connection link is sent to you when it is available.",
            _ => "You have declined this meeting.",
        };
        var lines = new List<(string? Label, string Text)>
        {
            (null, $"Dear {(string.IsNullOrWhiteSpace(m.Name) ? "colleague" : m.Name)},"),
            (null, answer),
            ("Meeting", m.Meeting.Title),
            ("Time", $"{Local(m.Meeting.StartUtc, m.Meeting.TimeZone)} ({m.Meeting.TimeZone})"),
            (null, "You can change your answer through the link of the invitation until registration closes."),
        };
        var key = Hash($"{m.Email.Trim().ToLowerInvariant()}\n{m.AnsweredAt.ToUnixTimeMilliseconds()}");
        return Build(m.Email, m.Name, $"Registration received: {m.Meeting.Title} ({m.Meeting.Reference})", lines, $"meeting/{m.Meeting.Id}/confirmation/{key}");
    }

    /// <summary>"10:00 on Monday 10 May 2027" in the zone; the time only with <paramref name="timeOnly"/>.</summary>
    public static string Local(DateTimeOffset at, string zoneId, bool timeOnly = false)
    {
        var local = MeetingTimes.TryZone(zoneId, out var zone) ? TimeZoneInfo.ConvertTimeFromUtc(at.UtcDateTime, zone) : at.UtcDateTime;
        return local.ToString(timeOnly ? "HH:mm" : "HH:mm 'on' dddd d MMMM yyyy", CultureInfo.InvariantCulture);
    }

    private static EmailMessage Build(string email, string? name, string subject, IReadOnlyList<(string? Label, string Text)> lines, string idempotencyKey)
    {
        var text = string.Join("\n\n", lines.Select(l => l.Label is null ? l.Text : $"{l.Label}: {l.Text}"));
        var html = new StringBuilder("<!DOCTYPE html><html><body>");
        foreach (var (label, value) in lines)
        {
            html.Append("<p>");
            if (label is not null)
            {
                html.Append("<strong>").Append(WebUtility.HtmlEncode(label)).Append(":</strong> ");
            }

            html.Append(WebUtility.HtmlEncode(value)).Append("</p>");
        }

        html.Append("</body></html>");
        return new EmailMessage(email, name, subject, text, html.ToString(), idempotencyKey);
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)).AsSpan(0, 8));
}
