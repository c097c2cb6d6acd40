using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Delivery;

public sealed class BusinessHoursTests
{
    private static readonly Availability _weekdays = new(AvailabilityType.BusinessHours,
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], "09:00", "17:00");

    // Friday 3 December 2027, 20:00 in Singapore (UTC+8): after hours, before a weekend.
    private static readonly DateTimeOffset _fridayEvening = new(2027, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset _farDeadline = _fridayEvening.AddDays(10);

    [Fact]
    public void After_hours_on_a_Friday_waits_for_Monday_morning_in_the_recipients_zone()
        => Assert.Equal(new DateTimeOffset(2027, 12, 6, 1, 0, 0, TimeSpan.Zero), BusinessHours.SendAt(_weekdays, "Asia/Singapore", _fridayEvening, _farDeadline));

    [Fact]
    public void Inside_a_window_goes_at_once()
    {
        var tuesdayNoon = new DateTimeOffset(2027, 12, 7, 4, 0, 0, TimeSpan.Zero);
        Assert.Equal(tuesdayNoon, BusinessHours.SendAt(_weekdays, "Asia/Singapore", tuesdayNoon, _farDeadline));
    }

    [Fact]
    public void Before_the_window_opens_waits_for_it_the_same_day()
    {
        var tuesdayDawn = new DateTimeOffset(2027, 12, 6, 22, 0, 0, TimeSpan.Zero); // 06:00 Tuesday in Singapore
        Assert.Equal(new DateTimeOffset(2027, 12, 7, 1, 0, 0, TimeSpan.Zero), BusinessHours.SendAt(_weekdays, "Asia/Singapore", tuesdayDawn, _farDeadline));
    }

    [Fact]
    public void A_window_that_opens_after_the_deadline_means_at_once()
        => Assert.Equal(_fridayEvening, BusinessHours.SendAt(_weekdays, "Asia/Singapore", _fridayEvening, _fridayEvening.AddHours(12)));

    [Fact]
    public void Around_the_clock_unknown_zone_or_no_hours_go_at_once()
    {
        Assert.Equal(_fridayEvening, BusinessHours.SendAt(new Availability(AvailabilityType.TwentyFourSeven), "Asia/Singapore", _fridayEvening, _farDeadline));
        Assert.Equal(_fridayEvening, BusinessHours.SendAt(_weekdays, "Mars/Olympus", _fridayEvening, _farDeadline));
        Assert.Equal(_fridayEvening, BusinessHours.SendAt(null, "Asia/Singapore", _fridayEvening, _farDeadline));
    }

    [Fact]
    public void A_window_start_skipped_by_a_clock_change_opens_when_the_clock_reaches_it()
    {
        // 29 March 2026: Berlin jumps from 02:00 to 03:00; a Sunday 02:30 start opens at 03:00 local (01:00 UTC).
        var sunday = new Availability(AvailabilityType.BusinessHours, [DayOfWeek.Sunday], "02:30", "05:00");
        var saturdayNight = new DateTimeOffset(2026, 3, 28, 22, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), BusinessHours.SendAt(sunday, "Europe/Berlin", saturdayNight, saturdayNight.AddDays(3)));
    }

    [Fact]
    public void A_reminder_to_a_business_hours_POC_is_held_to_its_window_and_a_24_7_POCs_is_not()
    {
        var header = new DeliveryHeader("Check", "PING-1", DeliveryState.Running, _farDeadline, false);
        var businessHours = Row(_weekdays);
        var aroundTheClock = Row(new Availability(AvailabilityType.TwentyFourSeven));

        Assert.Equal(new DateTimeOffset(2027, 12, 6, 1, 0, 0, TimeSpan.Zero), BusinessHours.HoldUntil(businessHours, 1, header, _fridayEvening, _farDeadline));
        Assert.Null(BusinessHours.HoldUntil(aroundTheClock, 1, header, _fridayEvening, _farDeadline));
    }

    [Fact]
    public void The_first_message_and_an_urgent_delivery_are_never_held()
    {
        var header = new DeliveryHeader("Check", "PING-1", DeliveryState.Running, _farDeadline, false);
        var row = Row(_weekdays);

        Assert.Null(BusinessHours.HoldUntil(row, 0, header, _fridayEvening, _farDeadline));
        Assert.Null(BusinessHours.HoldUntil(row, 1, header with { AtOnce = true }, _fridayEvening, _farDeadline));
    }

    private static RecipientEntity Row(Availability availability) => RecipientEntity.Snapshot("c1", new Poc(
        "P1", "NOR", PocKind.Technical, PocRank.Primary, "Kari", null, "CERT", ["kari@cert.example"], [], ["en"], "Asia/Singapore", availability,
        null, null, null, PocStatus.Active, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, DateTimeOffset.UnixEpoch, null, null), null, 0);
}
