using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ical.Net;
using MimeKit;

namespace PocDirectory.IntegrationTests;

public static partial class MeetingHelpers
{
    /// <summary>The launch meeting of the seed letter (Annex A), hybrid, New York, on 9 May of next year.</summary>
    public static JsonObject LaunchMeeting(IEnumerable<string> participants, int year) => new()
    {
        ["title"] = "First meeting of the POCs",
        ["format"] = "Hybrid",
        ["venue"] = "United Nations Headquarters, New York",
        ["timeZone"] = "America/New_York",
        ["start"] = $"{year}-05-09T10:00",
        ["end"] = $"{year}-05-09T13:00",
        ["connectionLink"] = null,
        ["invitees"] = new JsonObject { ["participants"] = new JsonArray(participants.Select(p => (JsonNode)p).ToArray()), ["regions"] = new JsonArray(), ["kinds"] = new JsonArray("Diplomatic", "Technical"), ["focalPoints"] = false },
        ["agenda"] = Agenda(0),
        ["registrationDeadline"] = null,
        ["reminders"] = new JsonArray("P7D", "P1D"),
    };

    /// <summary>Annex A's nine items, moved by <paramref name="hours"/>.</summary>
    public static JsonArray Agenda(int hours)
    {
        (string, string, string, string)[] items =
        [
            ("10:00", "10:15", "Opening remarks", "USG of Disarmament Affairs (pre-recorded); OEWG Chair"),
            ("10:15", "10:45", "Launch of the Global POC Directory: live demo of the portal, Q&A", "Secretariat"),
            ("10:45", "11:00", "Preliminary findings of the initial background paper on capacities required for participation", "Secretariat"),
            ("11:00", "11:20", "Panel of States and groups of States: selecting, nominating and onboarding POCs", "States"),
            ("11:20", "11:40", "Panel of regional organisations: assisting States with POCs in regional directories", "Regional organisations"),
            ("11:40", "12:10", "Reflections from States on selecting, nominating and onboarding POCs", "POCs and delegations who wish to take the floor"),
            ("12:10", "12:40", "Reflections from States on their challenges and goals for the Global POC Directory", "POCs and delegations who wish to take the floor"),
            ("12:40", "12:50", "Briefing on the ping test", "Secretariat"),
            ("12:50", "13:00", "Way forward and closing remarks: capacity-building, simulation exercise, expansion of participation", "OEWG Chair"),
        ];
        return new JsonArray(items.Select(i => (JsonNode)new JsonObject
        {
            ["start"] = Shift(i.Item1, hours), ["end"] = Shift(i.Item2, hours), ["item"] = i.Item3, ["speakers"] = i.Item4,
        }).ToArray());
    }

    public static string RsvpLinkIn(MimeMessage message)
    {
        var match = RsvpLink().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, "No registration link in: " + message.TextBody);
        return match.Value;
    }

    /// <summary>The message's iMIP part, parsed.</summary>
    public static (string Method, Calendar Calendar) CalendarIn(MimeMessage message)
    {
        var part = message.BodyParts.OfType<TextPart>().First(p => p.ContentType.IsMimeType("text", "calendar"));
        return (part.ContentType.Parameters["method"] ?? string.Empty, Calendar.Load(part.Text)!);
    }

    private static string Shift(string time, int hours) => TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture).AddHours(hours).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"https?://[^\s/]+/rsvp/[A-Za-z0-9_\-]+")]
    private static partial Regex RsvpLink();
}
