using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Pocs;

public sealed class PhoneNumberRulesTests
{
    private const string FormatError = "Phone numbers must be in E.164 form, e.g. +41227917000.";

    [Theory]
    [InlineData("+41227917000")]   // Switzerland, fixed line
    [InlineData("+6561234567")]    // Singapore, fixed line
    [InlineData("+14155552671")]   // United States
    [InlineData("+33142685300")]   // France
    [InlineData("+447400123456")]  // United Kingdom, mobile
    [InlineData("+81312345678")]   // Japan
    [InlineData("+390612345678")]  // Italy keeps its leading zero after the country code
    public void TryValidateE164_ValidNumber_ReturnsTrue(string number)
    {
        var ok = PhoneNumberRules.TryValidateE164(number, out var error);

        Assert.True(ok, error);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("+41 22 791 70 00")]
    [InlineData("+41 227917000")]
    [InlineData(" +41227917000")]
    [InlineData("+41-22-791-70-00")]
    [InlineData("+41 (22) 7917000")]
    public void TryValidateE164_WithSeparators_ReturnsFalseWithFormatError(string number)
    {
        var ok = PhoneNumberRules.TryValidateE164(number, out var error);

        Assert.False(ok);
        Assert.Equal(FormatError, error);
    }

    [Theory]
    [InlineData("41227917000")]
    [InlineData("0041227917000")]
    [InlineData("0227917000")]
    public void TryValidateE164_WithoutPlus_ReturnsFalseWithFormatError(string number)
    {
        var ok = PhoneNumberRules.TryValidateE164(number, out var error);

        Assert.False(ok);
        Assert.Equal(FormatError, error);
    }

    [Theory]
    [InlineData("+41CERT")]
    [InlineData("+4122791700O")]
    [InlineData("+")]
    [InlineData("++41227917000")]
    [InlineData("+４１２２７９１７０００")]
    public void TryValidateE164_NonDigits_ReturnsFalseWithFormatError(string number)
    {
        var ok = PhoneNumberRules.TryValidateE164(number, out var error);

        Assert.False(ok);
        Assert.Equal(FormatError, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryValidateE164_Missing_ReturnsFalseWithFormatError(string? number)
    {
        var ok = PhoneNumberRules.TryValidateE164(number, out var error);

        Assert.False(ok);
        Assert.Equal(FormatError, error);
    }

    [Theory]
    [InlineData("+1555")]
    [InlineData("+4122791")]
    public void TryValidateE164_TooShort_ReturnsFalseWithInvalidNumberError(string number)
    {
        var ok = PhoneNumberRules.TryValidateE164(number, out var error);

        Assert.False(ok);
        Assert.Equal($"{number} is not a valid phone number.", error);
    }

    [Fact]
    public void TryValidateE164_MoreThanFifteenDigits_ReturnsFalseWithoutEchoingNumber()
    {
        var ok = PhoneNumberRules.TryValidateE164("+4122791700012345", out var error);

        Assert.False(ok);
        Assert.Equal("Phone numbers have at most 15 digits after the +.", error);
    }

    [Theory]
    [InlineData("+41127917000")]   // Swiss numbers never start with 1 after the country code
    [InlineData("+15555551234")]   // 555 is not a North American area code
    [InlineData("+6511234567")]    // Singapore numbers do not start with 1
    [InlineData("+99912345678")]   // 999 is not an assigned country code
    [InlineData("+4122791700099")] // too long for Switzerland, though within E.164's 15 digits
    public void TryValidateE164_InvalidForRegion_ReturnsFalseWithInvalidNumberError(string number)
    {
        var ok = PhoneNumberRules.TryValidateE164(number, out var error);

        Assert.False(ok);
        Assert.Equal($"{number} is not a valid phone number.", error);
    }

    [Fact]
    public void TryValidateE164_TrunkPrefixAfterCountryCode_ReturnsFalseWithSuggestion()
    {
        var ok = PhoneNumberRules.TryValidateE164("+4402079460000", out var error);

        Assert.False(ok);
        Assert.Equal("+4402079460000 is not a valid phone number. Did you mean +442079460000?", error);
    }
}
