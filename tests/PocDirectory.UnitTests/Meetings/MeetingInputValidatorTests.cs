using PocDirectory.Functions.Meetings;

namespace PocDirectory.UnitTests.Meetings;

public sealed class MeetingInputValidatorTests
{
    private readonly MeetingInputValidator _validator = new();

    [Fact]
    public void Example_is_valid() => Assert.True(_validator.Validate(MeetingInput.Example).IsValid);

    [Theory]
    [InlineData("09:45", "10:15")]
    [InlineData("12:45", "13:15")]
    [InlineData("10:30", "10:20")]
    public void Agenda_item_outside_the_meeting_or_ending_before_it_starts_is_refused(string start, string end)
        => AssertRefused(MeetingInput.Example with { Agenda = [new AgendaItemInput(start, end, "Item", null)] }, "Agenda[0]");

    [Fact]
    public void Overlapping_agenda_items_are_refused()
        => AssertRefused(MeetingInput.Example with { Agenda = [new AgendaItemInput("10:00", "10:30", "A", null), new AgendaItemInput("10:15", "10:45", "B", null)] }, "Agenda");

    [Fact]
    public void End_before_start_is_refused() => AssertRefused(MeetingInput.Example with { End = "2027-05-10T09:00" }, "End");

    [Fact]
    public void Unknown_time_zone_is_refused() => AssertRefused(MeetingInput.Example with { TimeZone = "Mars/Olympus" }, "TimeZone");

    [Fact]
    public void Registration_deadline_after_the_start_is_refused()
        => AssertRefused(MeetingInput.Example with { RegistrationDeadline = "2027-05-10T11:00" }, "RegistrationDeadline");

    [Fact]
    public void Local_time_converts_with_the_zones_rules()
    {
        Assert.True(MeetingTimes.TryUtc("2027-05-10T10:00", "America/New_York", out var summer));
        Assert.Equal(new DateTimeOffset(2027, 5, 10, 14, 0, 0, TimeSpan.Zero), summer);
        Assert.True(MeetingTimes.TryUtc("2027-01-10T10:00", "America/New_York", out var winter));
        Assert.Equal(new DateTimeOffset(2027, 1, 10, 15, 0, 0, TimeSpan.Zero), winter);
        Assert.Equal("22:00 on Monday 10 May 2027", MeetingEmails.Local(summer, "Asia/Singapore"));
    }

    private void AssertRefused(MeetingInput input, string property)
    {
        var result = _validator.Validate(input);
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.PropertyName.StartsWith(property, StringComparison.Ordinal));
    }
}
