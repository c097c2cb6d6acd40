using System.Globalization;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Delivery;

/// <summary>
/// When a message that may wait (a reminder, an escalation, a Routine communication) can go to someone with business
/// hours: at once inside a window, else at the start of the next one in the recipient's own zone, and never after the
/// deadline (a message that would arrive after it goes at once instead). The first message and urgent ones never ask.
/// Issue 19 item 4: <see cref="DeliveryWork.SendBatchAsync"/> asks <see cref="HoldUntil"/> for every reminder.
/// </summary>
public static class BusinessHours
{
    /// <summary>
    /// Until when step <paramref name="step"/> to this recipient waits, or null to send it now: the first message, an
    /// urgent delivery, a 24/7 recipient, one inside its window, and one whose next window opens after the deadline go now.
    /// </summary>
    public static DateTimeOffset? HoldUntil(RecipientEntity row, int step, DeliveryHeader header, DateTimeOffset now, DateTimeOffset deadline)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(header);
        if (step == DeliverySteps.First || header.AtOnce || row.Hours is null)
        {
            return null;
        }

        var at = SendAt(row.HoursValue, row.TimeZone, now, deadline);
        return at > now ? at : null;
    }

    /// <summary>The time the message may be sent: <paramref name="now"/> for 24/7, unknown hours or zones, inside a window, or when the window opens after <paramref name="deadline"/>.</summary>
    public static DateTimeOffset SendAt(Availability? hours, string? timeZone, DateTimeOffset now, DateTimeOffset deadline)
    {
        if (hours is not { Type: AvailabilityType.BusinessHours, Days.Count: > 0 } || !TryTime(hours.Start, out var start) || !TryTime(hours.End, out var end) || end <= start
            || string.IsNullOrWhiteSpace(timeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone.Trim(), out var zone))
        {
            return now;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var days = hours.Days.ToHashSet();
        for (var d = 0; d <= 7; d++)
        {
            var day = DateOnly.FromDateTime(local.DateTime).AddDays(d);
            if (!days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var opens = Utc(day.ToDateTime(start), zone);
            var closes = Utc(day.ToDateTime(end), zone);
            if (now >= opens && now < closes)
            {
                return now;
            }

            if (now < opens)
            {
                return opens < deadline ? opens : now;
            }
        }

        return now;
    }

    /// <summary>A local wall-clock time as UTC; a time skipped by a clock change counts from the hour after.</summary>
    private static DateTimeOffset Utc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }

    private static bool TryTime(string? value, out TimeOnly time)
        => TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
}
