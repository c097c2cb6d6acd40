using PocDirectory.Functions.Security;
using PocDirectory.UnitTests.TestData;

namespace PocDirectory.UnitTests.Security;

public sealed class DevTokenRequestValidatorTests
{
    private static readonly DevTokenRequestValidator Validator = new();

    [Theory]
    [InlineData("secretariat@example.org", null)]
    [InlineData(" secretariat@example.org ", "Secretariat (local)")]
    [InlineData("a@example.org", "")]
    public void Validate_AddressAndOptionalName_Passes(string email, string? name)
        => ValidationAssert.Valid(Validator, new DevTokenRequest(email, name));

    [Fact]
    public void Validate_Example_Passes() => ValidationAssert.Valid(Validator, DevTokenRequest.Example);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("secretariat")]
    [InlineData("a@localhost")]
    [InlineData("Sec <secretariat@example.org>")]
    public void Validate_NoAddress_NamesEmail(string? email)
        => ValidationAssert.OnlyFieldFails(Validator, new DevTokenRequest(email, null), "email", "Required: the email address to sign in as.");

    [Fact]
    public void Validate_NameLongerThanTheLimit_NamesName()
    {
        ValidationAssert.Valid(Validator, new DevTokenRequest("a@example.org", new string('n', DevTokenRequestValidator.MaxNameLength)));
        ValidationAssert.OnlyFieldFails(
            Validator, new DevTokenRequest("a@example.org", new string('n', DevTokenRequestValidator.MaxNameLength + 1)), "name", "At most 200 characters.");
    }
}
