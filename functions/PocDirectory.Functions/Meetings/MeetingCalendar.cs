using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Meetings;

/// <summary>
/// The iCalendar entry of a meeting (RFC 5545, iTIP methods of RFC 5546): one VEVENT whose UID is the meeting's, so
/// every update and the cancellation replace the entry a calendar already holds; SEQUENCE counts the revisions.
/// </summary>
public static class MeetingCalendar
{
    public const string Request = "REQUEST";

    public const string Cancel = "CANCEL";

    /// <summary>A UID stable for the meeting and unique in the world (RFC 5545 §3.8.4.7).</summary>
    public static string Uid(string meetingId) => $"{meetingId}@pocdirectory.un.org";

    /// <summary>The calendar text for one attendee (none: the organizer's copy).</summary>
    public static string Write(MeetingEntity meeting, string method, string organizerEmail, string organizerName, string? attendeeEmail, string? attendeeName, DateTimeOffset stamp)
        => Template(meeting, method, organizerEmail, organizerName, stamp).For(attendeeEmail, attendeeName);

    /// <summary>
    /// The meeting's calendar, built and serialized once per delivery step (its VTIMEZONE from NodaTime's rules and the
    /// serialization are not repeated per recipient): every message only adds its attendee's line (decision 0023).
    /// </summary>
    public static CalendarTemplate Template(MeetingEntity meeting, string method, string organizerEmail, string organizerName, DateTimeOffset stamp)
    {
        MeetingTimes.TryLocal(meeting.Start, out var start);
        MeetingTimes.TryLocal(meeting.End, out var end);
        var calendar = new Calendar { Method = method, ProductId = "-//United Nations//Global POC Directory//EN" };

        // The rules in force from the meeting's year; historical rules would only make the entry longer.
        calendar.AddTimeZone(VTimeZone.FromDateTimeZone(meeting.TimeZone, new DateTime(start.Year, 1, 1, 0, 0, 0, DateTimeKind.Unspecified), includeHistoricalData: false));
        var description = new StringBuilder(meeting.Title).Append("\n\n");
        foreach (var item in meeting.AgendaValue)
        {
            description.Append(item.Start).Append('-').Append(item.End).Append(' ').Append(item.Item);
            if (!string.IsNullOrWhiteSpace(item.Speakers))
            {
                description.Append(" (").Append(item.Speakers).Append(')');
            }

            description.Append('\n');
        }

        if (meeting.ConnectionLink is not null)
        {
            description.Append("\nConnection link: ").Append(meeting.ConnectionLink).Append('\n');
        }

        var ev = new CalendarEvent
        {
            Uid = Uid(meeting.Id),
            Sequence = meeting.Sequence,
            Summary = meeting.Title,
            Description = description.ToString(),
            Location = meeting.Venue ?? (meeting.ConnectionLink is null ? "Online" : meeting.ConnectionLink),
            DtStart = new CalDateTime(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, meeting.TimeZone),
            DtEnd = new CalDateTime(end.Year, end.Month, end.Day, end.Hour, end.Minute, 0, meeting.TimeZone),
            DtStamp = new CalDateTime(stamp.UtcDateTime),
            Organizer = new Organizer("mailto:" + organizerEmail) { CommonName = organizerName },
            Status = method == Cancel ? "CANCELLED" : "CONFIRMED",
        };
        if (meeting.ConnectionLink is not null)
        {
            ev.Url = new Uri(meeting.ConnectionLink);
        }

        calendar.Events.Add(ev);
        var text = new CalendarSerializer().SerializeToString(calendar)!;
        var eventEnd = text.LastIndexOf("END:VEVENT", StringComparison.Ordinal);
        return new CalendarTemplate(text[..eventEnd], text[eventEnd..], method);
    }

    /// <summary>The calendar as the message's iMIP part (RFC 6047: the method parameter on the part, UTF-8).</summary>
    public static EmailAttachment Attachment(string text, string method)
        => new(method == Cancel ? "cancel.ics" : "invite.ics", $"text/calendar; method={method}; charset=utf-8", Encoding.UTF8.GetBytes(text), Alternative: true);
}

/// <summary>A meeting's serialized calendar with the place of its ATTENDEE property: one text per attendee, cheaply.</summary>
public sealed class CalendarTemplate(string head, string tail, string method)
{
    /// <summary>The calendar with this attendee (RSVP=TRUE on a request), or the organizer's copy without one.</summary>
    public string For(string? attendeeEmail, string? attendeeName)
    {
        if (attendeeEmail is null)
        {
            return head + tail;
        }

        var attendee = new Attendee("mailto:" + attendeeEmail) { Rsvp = method == MeetingCalendar.Request, Role = "REQ-PARTICIPANT", ParticipationStatus = "NEEDS-ACTION" };
        if (!string.IsNullOrWhiteSpace(attendeeName))
        {
            attendee.CommonName = attendeeName;
        }

        // Written by Ical.Net's own property serializer (escaping, parameters, folding), placed last in the VEVENT.
        return head + new PropertySerializer().SerializeToString(new CalendarProperty("ATTENDEE", attendee)) + tail;
    }
}
