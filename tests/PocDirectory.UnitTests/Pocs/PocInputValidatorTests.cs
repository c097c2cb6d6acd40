using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Pocs;

public sealed class PocInputValidatorTests
{
    private static readonly PocInputValidator Validator = new(TimeProvider.System);

    private static PocInput Valid() => new(
        "SGP", PocKind.Technical, PocRank.Primary, "Ada Example", "Head", "SingCERT",
        ["ada@csa.gov.sg"], [new PhoneInput("+6561234567", PhoneType.DutyLine)], ["en", "zh-Hans"], "Asia/Singapore",
        new AvailabilityInput(AvailabilityType.BusinessHours, [DayOfWeek.Monday, DayOfWeek.Friday], "09:00", "18:00"), null);

    private static IReadOnlyDictionary<string, string[]> Errors(PocInput input)
        => Assert.Throws<RequestValidationException>(() => Validator.ThrowIfInvalid(input)).Errors;

    private static void AssertValid(PocInput input)
    {
        var result = Validator.Validate(input);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.PropertyName}: {e.ErrorMessage}")));
    }

    [Fact]
    public void Validate_CompleteInput_Passes() => AssertValid(Valid());

    [Fact]
    public void Validate_EverythingMissing_NamesEachRequiredField()
    {
        var errors = Errors(new PocInput(null, null, null, null, null, null, null, null, null, null, null, null));

        Assert.Equal(
            ["availability", "emails", "fullName", "kind", "languages", "organisation", "participant", "rank", "timeZone"],
            errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("ada@csa.gov.sg", true)]
    [InlineData("ada.lovelace+ping@mfa.example.org", true)]
    [InlineData("no-at-sign", false)]
    [InlineData("ada@localhost", false)]
    [InlineData("Ada <ada@csa.gov.sg>", false)]
    [InlineData("ada @csa.gov.sg", false)]
    [InlineData("", false)]
    public void BeEmailAddress_Address_IsAcceptedOnlyWhenBare(string address, bool valid)
        => Assert.Equal(valid, PocInputValidator.BeEmailAddress(address));

    [Theory]
    [InlineData("Europe/Vienna", true)]
    [InlineData("America/Argentina/Buenos_Aires", true)]
    [InlineData("UTC", true)]
    [InlineData("Central European Standard Time", false)]
    [InlineData("Europe/Atlantis", false)]
    public void BeIanaTimeZone_Id_AcceptsIanaOnly(string id, bool valid)
        => Assert.Equal(valid, PocInputValidator.BeIanaTimeZone(id));

    [Fact]
    public void Validate_BadPhone_NamesIndexedField()
    {
        var errors = Errors(Valid() with { Phones = [new PhoneInput("+6561234567", PhoneType.Office), new PhoneInput("61234567", null)] });

        Assert.Contains("phones[1].number", errors.Keys);
        Assert.Contains("phones[1].type", errors.Keys);
        Assert.DoesNotContain("phones[0].number", errors.Keys);
    }

    [Fact]
    public void Validate_TwentyFourSevenWithHours_IsRejected()
    {
        var errors = Errors(Valid() with { Availability = new AvailabilityInput(AvailabilityType.TwentyFourSeven, null, "09:00", null) });

        Assert.Contains("availability.start", errors.Keys);
    }

    [Fact]
    public void Validate_DuplicateEmailsAndDays_AreRejected()
    {
        var errors = Errors(Valid() with
        {
            Emails = ["ada@csa.gov.sg", "ADA@csa.gov.sg"],
            Availability = new AvailabilityInput(AvailabilityType.BusinessHours, [DayOfWeek.Monday, DayOfWeek.Monday], "09:00", "17:00"),
        });

        Assert.Contains("emails", errors.Keys);
        Assert.Contains("availability.days", errors.Keys);
    }

    [Fact]
    public void Validate_HtmlAndControlCharactersInNames_AreKeptAsData()
        => AssertValid(Valid() with { FullName = "<img src=x onerror=alert(1)>\u0007", Organisation = "=cmd|' /C calc'!A0" });
}
