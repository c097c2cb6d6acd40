using PocDirectory.Functions.Email;
using PocDirectory.Functions.Meetings;

namespace PocDirectory.UnitTests.Meetings;

public sealed class MeetingEmailsTests
{
    private static readonly Uri _link = new("https://poc.example/rsvp/token123");

    [Fact]
    public void Invitation_states_the_time_in_the_meetings_zone_in_utc_and_in_the_recipients_zone_with_agenda_link_and_calendar()
    {
        var meeting = MeetingCalendarTests.Meeting(sequence: 0);

        var message = MeetingEmails.Message(new MeetingEmailModel(meeting, MeetingMessage.Invite, "m1-invite-1", "Ana", "ana@cert.example", "Asia/Singapore", _link, 0, null, "BEGIN:VCALENDAR"));

        Assert.StartsWith("Invitation: First meeting of the POCs", message.Subject, StringComparison.Ordinal);
        Assert.Contains("10:00 on Monday 10 May 2027 to 13:00 (America/New_York)", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("14:00 on 10 May 2027 to 17:00 UTC", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("Your time: 22:00 on Monday 10 May 2027 to 01:00 (Asia/Singapore)", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("10:00-10:15: Opening remarks (OEWG Chair)", message.PlainText, StringComparison.Ordinal);
        Assert.Contains(_link.AbsoluteUri, message.PlainText, StringComparison.Ordinal);
        Assert.Contains("conveyed in due course", message.PlainText, StringComparison.Ordinal);
        var calendar = Assert.Single(message.Attachments);
        Assert.Equal("text/calendar; method=REQUEST; charset=utf-8", calendar.ContentType);
    }

    [Theory]
    [InlineData(Attendance.Online, "registered to attend online")]
    [InlineData(Attendance.InPerson, "registered to attend in person")]
    public void Reminder_to_a_registrant_says_how_they_registered_and_offers_the_link_to_change_it(Attendance answer, string sentence)
    {
        var meeting = MeetingCalendarTests.Meeting(sequence: 0);
        meeting.ConnectionLink = "https://meet.example/j/9";

        var message = MeetingEmails.Message(new MeetingEmailModel(meeting, MeetingMessage.Reminder, "m1-reminder-1", "Ana", "ana@cert.example", "UTC", _link, 0, null, "X", Answer: answer));

        Assert.StartsWith("Reminder of the meeting: First meeting of the POCs", message.Subject, StringComparison.Ordinal);
        Assert.Contains(sentence, message.PlainText, StringComparison.Ordinal);
        Assert.Matches($@"Your registration:\s+{System.Text.RegularExpressions.Regex.Escape(_link.AbsoluteUri)}", message.PlainText);
        Assert.Contains("https://meet.example/j/9", message.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Please register", message.PlainText, StringComparison.Ordinal);
        Assert.StartsWith("meeting/m1-reminder-1/", message.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_notice_to_an_in_person_registrant_is_the_fallback_for_following_online()
    {
        var meeting = MeetingCalendarTests.Meeting(sequence: 2);
        meeting.ConnectionLink = "https://meet.example/j/9";

        var inPerson = MeetingEmails.Message(new MeetingEmailModel(meeting, MeetingMessage.Link, "m1-link-2", "Ana", "ana@cert.example", "UTC", _link, 0, null, "X", Answer: Attendance.InPerson));
        var online = MeetingEmails.Message(new MeetingEmailModel(meeting, MeetingMessage.Link, "m1-link-2", "Li", "li@cert.example", "UTC", _link, 0, null, "X", Answer: Attendance.Online));

        Assert.Contains(MessageTexts.English["meeting.link.fallback"], inPerson.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain(MessageTexts.English["meeting.link.fallback"], online.PlainText, StringComparison.Ordinal);
        Assert.All([inPerson, online], m => Assert.Contains("https://meet.example/j/9", m.PlainText, StringComparison.Ordinal));
    }

    [Fact]
    public void Html_encodes_every_value()
    {
        var meeting = MeetingCalendarTests.Meeting(sequence: 0);
        meeting.Title = "<script>alert(1)</script>";

        var message = MeetingEmails.Message(new MeetingEmailModel(meeting, MeetingMessage.Invite, "m1-invite-1", "Ana", "ana@cert.example", "UTC", _link, 0, null, "X"));

        Assert.DoesNotContain("<script>", message.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", message.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Cancellation_carries_method_cancel_and_no_registration_link()
    {
        var message = MeetingEmails.Message(new MeetingEmailModel(
            MeetingCalendarTests.Meeting(sequence: 3), MeetingMessage.Cancel, "m1-cancel-3", "Ana", "ana@cert.example", "UTC", _link, 0, null, "X"));

        Assert.StartsWith("Cancelled:", message.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(_link.AbsoluteUri, message.PlainText, StringComparison.Ordinal);
        Assert.Equal("text/calendar; method=CANCEL; charset=utf-8", Assert.Single(message.Attachments).ContentType);
    }

    [Fact]
    public void Same_message_again_has_the_same_idempotency_key_and_another_step_a_different_one()
    {
        var meeting = MeetingCalendarTests.Meeting(sequence: 0);
        MeetingEmailModel Model(int step) => new(meeting, MeetingMessage.Invite, "m1-invite-1", "Ana", "ana@cert.example", "UTC", _link, step, null, "X");

        Assert.Equal(MeetingEmails.Message(Model(0)).IdempotencyKey, MeetingEmails.Message(Model(0)).IdempotencyKey);
        Assert.NotEqual(MeetingEmails.Message(Model(0)).IdempotencyKey, MeetingEmails.Message(Model(1)).IdempotencyKey);
    }
}
