using System.Globalization;
using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Meetings;

/// <summary>Local times of a meeting: parsed from the API's text and converted with its zone's rules.</summary>
public static class MeetingTimes
{
    private static readonly string[] _dateTimeFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    public static bool TryLocal(string? value, out DateTime local)
        => DateTime.TryParseExact(value, _dateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local);

    public static bool TryTime(string? value, out TimeOnly time)
        => TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    public static bool TryZone(string? id, out TimeZoneInfo zone)
    {
        zone = TimeZoneInfo.Utc;
        return PocInputValidator.BeIanaTimeZone(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id!, out zone!);
    }

    /// <summary>A local time of the zone as an instant; a time skipped by a clock change is not a time of that zone.</summary>
    public static bool TryUtc(string? value, string? zoneId, out DateTimeOffset utc)
    {
        utc = default;
        if (!TryLocal(value, out var local) || !TryZone(zoneId, out var zone) || zone.IsInvalidTime(local))
        {
            return false;
        }

        utc = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
        return true;
    }

    public static DateTimeOffset Utc(string value, string zoneId) => TryUtc(value, zoneId, out var utc) ? utc : throw new FormatException($"Not a local time of {zoneId}.");

    /// <summary>An agenda time as a local date-time: on the start's day, or the next one for a meeting that runs past midnight.</summary>
    public static DateTime AgendaLocal(DateTime meetingStart, TimeOnly time)
    {
        var at = meetingStart.Date + time.ToTimeSpan();
        return at < meetingStart ? at.AddDays(1) : at;
    }

    /// <summary>Minutes as the API writes them ("2027-05-10T10:00"); seconds only when the input had them, never dropped.</summary>
    public static string Format(DateTime local)
        => local.ToString(local.Second == 0 ? "yyyy-MM-dd'T'HH:mm" : "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}

public sealed class MeetingInputValidator : AbstractValidator<MeetingInput>
{
    public const int MaxAgendaItems = 50;

    public const int MaxReminders = 5;

    private static readonly TimeSpan _maxLength = TimeSpan.FromHours(24);

    public MeetingInputValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.Title).NotEmpty().WithMessage("Required, e.g. \"First meeting of the POCs\".").MaximumLength(200);
        RuleFor(x => x.Format).NotNull().WithMessage("Required: InPerson, Virtual or Hybrid.");
        RuleFor(x => x.Venue).NotEmpty().When(x => x.Format is MeetingFormat.InPerson or MeetingFormat.Hybrid)
            .WithMessage("Required for an in-person or hybrid meeting.").MaximumLength(300);
        RuleFor(x => x.TimeZone).NotEmpty().WithMessage("Required: an IANA time zone, e.g. America/New_York.")
            .Must(z => MeetingTimes.TryZone(z, out _)).WithMessage("Not a known IANA time zone, e.g. America/New_York or Europe/Vienna.");
        RuleFor(x => x.Start).NotEmpty().WithMessage("Required: a local time, e.g. 2027-05-10T10:00.")
            .Must(s => MeetingTimes.TryLocal(s, out _)).WithMessage("Not a local time, e.g. 2027-05-10T10:00.")
            .Must((x, s) => !MeetingTimes.TryZone(x.TimeZone, out _) || MeetingTimes.TryUtc(s, x.TimeZone, out _))
            .WithMessage("This local time does not exist in the meeting's time zone (a clock change skips it).");
        RuleFor(x => x.End).NotEmpty().WithMessage("Required: a local time, e.g. 2027-05-10T13:00.")
            .Must(s => MeetingTimes.TryLocal(s, out _)).WithMessage("Not a local time, e.g. 2027-05-10T13:00.")
            .Must((x, e) => !Both(x, out var start, out var end) || end > start).WithMessage("The meeting must end after it starts.")
            .Must((x, e) => !Both(x, out var start, out var end) || end - start <= _maxLength).WithMessage("A meeting lasts at most 24 hours.");
        RuleFor(x => x.ConnectionLink).MaximumLength(2000)
            .Must(l => l is null || (Uri.TryCreate(l, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps))
            .WithMessage("Must be an https link.");
        RuleForEach(x => x.Invitees!.Participants).Must(p => p is not null && ParticipantStore.IsWellFormedCode(p))
            .When(x => x.Invitees?.Participants is not null).WithMessage("Not a participant code, e.g. SGP.")
            .OverridePropertyName("invitees.participants");

        RuleFor(x => x.Agenda).Must(a => a is null || a.Count <= MaxAgendaItems).WithMessage($"At most {MaxAgendaItems} agenda items.").Documented(maxItems: MaxAgendaItems);
        RuleForEach(x => x.Agenda).ChildRules(item =>
        {
            item.RuleFor(i => i).NotNull().WithMessage("An agenda item is an object with start, end and item.");
            item.RuleFor(i => i!.Start).Must(t => MeetingTimes.TryTime(t, out _)).When(i => i is not null).WithMessage("Not a local time of day, e.g. 10:15.");
            item.RuleFor(i => i!.End).Must(t => MeetingTimes.TryTime(t, out _)).When(i => i is not null).WithMessage("Not a local time of day, e.g. 10:45.");
            item.RuleFor(i => i!.Item).NotEmpty().When(i => i is not null).WithMessage("Required: what the item is.").MaximumLength(500);
            item.RuleFor(i => i!.Speakers).MaximumLength(300).When(i => i is not null);
        }).Must((x, item) => item is null || !Both(x, out var start, out var end) || Inside(item, start, end))
            .WithMessage("The item must lie inside the meeting, and end after it starts.");
        RuleFor(x => x.Agenda).Must(NotOverlap!).When(x => x.Agenda is { Count: > 1 } && Both(x, out _, out _) && x.Agenda.All(i => i is not null))
            .WithMessage("Agenda items must not overlap.");

        RuleFor(x => x.RegistrationDeadline)
            .Must(d => MeetingTimes.TryLocal(d, out _)).When(x => x.RegistrationDeadline is not null).WithMessage("Not a local time, e.g. 2027-05-03T17:00.")
            .Must((x, d) => !MeetingTimes.TryLocal(x.Start, out var start) || !MeetingTimes.TryLocal(d, out var deadline) || deadline < start)
            .When(x => x.RegistrationDeadline is not null).WithMessage("The registration deadline must be before the meeting starts.");

        RuleFor(x => x.Reminders).Must(r => r is null || r.Count <= MaxReminders).WithMessage($"At most {MaxReminders} reminders.").Documented(maxItems: MaxReminders);
        RuleForEach(x => x.Reminders)
            .Must(r => CampaignInputValidator.TryParseDuration(r, out var offset) && offset > TimeSpan.Zero)
            .WithMessage("Not a positive ISO 8601 duration, e.g. P7D.")
            .Documented(format: "duration", description: "How long before the start to remind invitees.");
    }

    private static bool Both(MeetingInput x, out DateTime start, out DateTime end)
    {
        end = default;
        return MeetingTimes.TryLocal(x.Start, out start) & MeetingTimes.TryLocal(x.End, out end);
    }

    private static bool Inside(AgendaItemInput item, DateTime start, DateTime end)
    {
        if (!MeetingTimes.TryTime(item.Start, out var from) || !MeetingTimes.TryTime(item.End, out var to))
        {
            return true; // reported on the item's own field
        }

        var itemStart = MeetingTimes.AgendaLocal(start, from);
        var itemEnd = MeetingTimes.AgendaLocal(start, to);
        return itemEnd > itemStart && itemStart >= start && itemEnd <= end;
    }

    private static bool NotOverlap(MeetingInput x, IReadOnlyList<AgendaItemInput> agenda)
    {
        MeetingTimes.TryLocal(x.Start, out var start);
        var spans = new List<(DateTime From, DateTime To)>();
        foreach (var item in agenda)
        {
            if (!MeetingTimes.TryTime(item.Start, out var from) || !MeetingTimes.TryTime(item.End, out var to))
            {
                return true;
            }

            spans.Add((MeetingTimes.AgendaLocal(start, from), MeetingTimes.AgendaLocal(start, to)));
        }

        var ordered = spans.OrderBy(s => s.From).ToList();
        return ordered.Zip(ordered.Skip(1)).All(p => p.Second.From >= p.First.To);
    }
}

public sealed class RegistrationInputValidator : AbstractValidator<RegistrationInput>
{
    public RegistrationInputValidator()
    {
        RuleFor(x => x.Attendance).NotNull().WithMessage("Required: InPerson, Online or Declined.");
        RuleFor(x => x.DelegationSize).InclusiveBetween(1, 50);
        RuleFor(x => x.AgendaItem).InclusiveBetween(0, MeetingInputValidator.MaxAgendaItems - 1);
        RuleFor(x => x.Note).MaximumLength(1000);
    }
}

public sealed class MeetingCopyInputValidator : AbstractValidator<MeetingCopyInput>
{
    public MeetingCopyInputValidator()
        => RuleFor(x => x.Start).NotEmpty().WithMessage("Required: the new local start, e.g. 2027-11-10T10:00.")
            .Must(s => MeetingTimes.TryLocal(s, out _)).WithMessage("Not a local time, e.g. 2027-11-10T10:00.");
}

public sealed class AttendanceInputValidator : AbstractValidator<AttendanceInput>
{
    public const int MaxAttendees = 5000;

    public AttendanceInputValidator()
    {
        RuleFor(x => x).Must(x => x.Attendees is { Count: > 0 } || !string.IsNullOrWhiteSpace(x.Csv))
            .WithMessage("Send attendees, a csv, or both.").OverridePropertyName("attendees");
        RuleFor(x => x.Attendees).Must(a => a is null || a.Count <= MaxAttendees).WithMessage($"At most {MaxAttendees} attendees.").Documented(maxItems: MaxAttendees);
        RuleForEach(x => x.Attendees).NotEmpty().MaximumLength(320);
        RuleFor(x => x.Csv).MaximumLength(200_000);
    }
}

public sealed class SpeakersInputValidator : AbstractValidator<SpeakersInput>
{
    public SpeakersInputValidator()
    {
        RuleFor(x => x.Items).NotNull().WithMessage("Required: for each agenda item with speakers, its speakers' invitee ids in order.")
            .Must(i => i is null || i.Count <= MeetingInputValidator.MaxAgendaItems).WithMessage($"At most {MeetingInputValidator.MaxAgendaItems} items.")
            .Documented(maxItems: MeetingInputValidator.MaxAgendaItems);
        RuleForEach(x => x.Items).ChildRules(item =>
        {
            item.RuleFor(i => i).NotNull().WithMessage("An item is an object with agendaItem and speakers.");
            item.RuleFor(i => i!.AgendaItem).NotNull().WithMessage("Required: the index of the agenda item.")
                .InclusiveBetween(0, MeetingInputValidator.MaxAgendaItems - 1).When(i => i is not null);
            item.RuleFor(i => i!.Speakers).NotNull().WithMessage("Required: the invitee ids, in order.").When(i => i is not null);
            item.RuleForEach(i => i!.Speakers).NotEmpty().MaximumLength(64).When(i => i is not null);
        });
    }
}
