using PocDirectory.Functions.Api;

namespace PocDirectory.UnitTests.Api;

public sealed class ValidationTests
{
    [Theory]
    [InlineData("FullName", "fullName")]
    [InlineData("Phones[0].Number", "phones[0].number")]
    [InlineData("Availability.Days", "availability.days")]
    [InlineData("Emails[3]", "emails[3]")]
    public void ClientFieldName_PropertyPath_IsCamelCasedPerSegment(string property, string expected)
        => Assert.Equal(expected, Validation.ClientFieldName(property));

    [Theory]
    [InlineData(null, "$")]
    [InlineData("$", "$")]
    [InlineData("$.kind", "kind")]
    [InlineData("$.phones[0].type", "phones[0].type")]
    public void FieldOf_JsonPath_IsClientFieldName(string? path, string expected)
        => Assert.Equal(expected, ApiHandler.FieldOf(path));
}
