using Ical.Net;
using PocDirectory.Functions.Meetings;

namespace PocDirectory.UnitTests.Meetings;

public sealed class MeetingCalendarTests
{
    private static readonly DateTimeOffset _stamp = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Request_parses_back_with_uid_sequence_zone_organizer_and_attendee()
    {
        var meeting = Meeting(sequence: 0);

        var text = MeetingCalendar.Write(meeting, MeetingCalendar.Request, "directory@poc.example", "POC Directory", "ana@cert.example", "Ana Perez", _stamp);

        var calendar = Calendar.Load(text)!;
        Assert.Equal("REQUEST", calendar.Method);
        var ev = Assert.Single(calendar.Events);
        Assert.Equal("m1@pocdirectory.un.org", ev.Uid);
        Assert.Equal(0, ev.Sequence);
        Assert.Equal("America/New_York", ev.DtStart!.TzId);
        Assert.Equal(new DateTime(2027, 5, 10, 14, 0, 0, DateTimeKind.Utc), ev.DtStart.AsUtc);
        Assert.Equal(new DateTime(2027, 5, 10, 17, 0, 0, DateTimeKind.Utc), ev.DtEnd!.AsUtc);
        Assert.Equal("mailto:directory@poc.example", ev.Organizer!.Value!.ToString());
        var attendee = Assert.Single(ev.Attendees);
        Assert.Equal("mailto:ana@cert.example", attendee.Value!.ToString());
        Assert.True(attendee.Rsvp);
        Assert.Equal("United Nations Headquarters, New York", ev.Location);
        Assert.Contains("TZID=America/New_York:20270510T100000", text.Replace("\r\n ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("BEGIN:VTIMEZONE", text, StringComparison.Ordinal);
        Assert.Single(calendar.TimeZones);
    }

    [Fact]
    public void Template_built_once_stamps_each_attendee_alone_escaped_and_folded()
    {
        var template = MeetingCalendar.Template(Meeting(sequence: 1), MeetingCalendar.Request, "directory@poc.example", "POC Directory", _stamp);
        var longName = "Perez, Ana; Head of the National Computer Emergency Response Team of the Republic";

        var first = template.For("ana@cert.example", longName);
        var second = template.For("li@cert.example", "Li Wei");
        var organizers = template.For(null, null);

        var ev = Assert.Single(Calendar.Load(first)!.Events);
        var attendee = Assert.Single(ev.Attendees);
        Assert.Equal("mailto:ana@cert.example", attendee.Value!.ToString());
        Assert.Equal(longName, attendee.CommonName);
        Assert.True(attendee.Rsvp);
        Assert.Equal(1, ev.Sequence);
        Assert.Equal("mailto:li@cert.example", Assert.Single(Assert.Single(Calendar.Load(second)!.Events).Attendees).Value!.ToString());
        Assert.Empty(Assert.Single(Calendar.Load(organizers)!.Events).Attendees);
        Assert.All(first.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, $"Not folded: {line}"));

        // Everything but the attendee's line is the same text for everyone.
        var end = organizers.LastIndexOf("END:VEVENT", StringComparison.Ordinal);
        Assert.StartsWith(organizers[..end], first, StringComparison.Ordinal);
        Assert.EndsWith(organizers[end..], first, StringComparison.Ordinal);
        Assert.StartsWith("ATTENDEE", first[end..], StringComparison.Ordinal);
    }

    [Fact]
    public void Cancel_keeps_the_uid_and_carries_the_sequence_and_status()
    {
        var text = MeetingCalendar.Write(Meeting(sequence: 2), MeetingCalendar.Cancel, "directory@poc.example", "POC Directory", "ana@cert.example", null, _stamp);

        var calendar = Calendar.Load(text)!;
        Assert.Equal("CANCEL", calendar.Method);
        var ev = Assert.Single(calendar.Events);
        Assert.Equal("m1@pocdirectory.un.org", ev.Uid);
        Assert.Equal(2, ev.Sequence);
        Assert.Equal("CANCELLED", ev.Status);
    }

    [Fact]
    public void Link_when_known_is_the_url_and_in_the_description()
    {
        var meeting = Meeting(sequence: 1);
        meeting.ConnectionLink = "https://meet.example/j/123";

        var ev = Assert.Single(Calendar.Load(MeetingCalendar.Write(meeting, MeetingCalendar.Request, "d@poc.example", "D", "a@cert.example", null, _stamp))!.Events);

        Assert.Equal(new Uri("https://meet.example/j/123"), ev.Url);
        Assert.Contains("https://meet.example/j/123", ev.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachment_has_the_method_parameter_and_is_an_alternative()
    {
        var attachment = MeetingCalendar.Attachment("BEGIN:VCALENDAR", MeetingCalendar.Request);

        Assert.Equal("text/calendar; method=REQUEST; charset=utf-8", attachment.ContentType);
        Assert.True(attachment.Alternative);
    }

    internal static MeetingEntity Meeting(int sequence) => new()
    {
        PartitionKey = "m1",
        Reference = "MTG-1",
        Title = "First meeting of the POCs",
        Format = nameof(MeetingFormat.Hybrid),
        Venue = "United Nations Headquarters, New York",
        TimeZone = "America/New_York",
        Start = "2027-05-10T10:00",
        End = "2027-05-10T13:00",
        StartUtc = new DateTimeOffset(2027, 5, 10, 14, 0, 0, TimeSpan.Zero),
        EndUtc = new DateTimeOffset(2027, 5, 10, 17, 0, 0, TimeSpan.Zero),
        Agenda = """[{"index":0,"start":"10:00","end":"10:15","item":"Opening remarks","speakers":"OEWG Chair"}]""",
        Sequence = sequence,
        Status = nameof(MeetingStatus.Invited),
    };
}
