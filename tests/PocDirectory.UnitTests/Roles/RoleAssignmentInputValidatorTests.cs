using PocDirectory.Functions.Roles;
using PocDirectory.UnitTests.TestData;

namespace PocDirectory.UnitTests.Roles;

public sealed class RoleAssignmentInputValidatorTests
{
    private static readonly RoleAssignmentInputValidator Validator = new();

    private static readonly RoleAssignmentInput FocalPoint = new("focal@mfa.gov.sg", Role.FocalPoint, "SGP", null);

    public static TheoryData<RoleAssignmentInput> ValidInputs => new()
    {
        FocalPoint,
        new RoleAssignmentInput("secretariat@un.org", Role.Secretariat, null, null),
        new RoleAssignmentInput(" Ada@CSA.gov.sg ", Role.Poc, null, "SGP-01JD"),
        RoleAssignmentInput.Example,
    };

    public static TheoryData<string, RoleAssignmentInput, string, string> BadInputs => new()
    {
        { "email missing", FocalPoint with { Email = null }, "email", "Required: the user's sign-in email address." },
        { "email blank", FocalPoint with { Email = "  " }, "email", "Required: the user's sign-in email address." },
        { "email not an address", FocalPoint with { Email = "focal" }, "email", "Required: the user's sign-in email address." },
        { "email with display name", FocalPoint with { Email = "Focal <focal@mfa.gov.sg>" }, "email", "Required: the user's sign-in email address." },
        { "email over 254", FocalPoint with { Email = new string('a', 250) + "@x.org" }, "email", "Required: the user's sign-in email address." },
        { "role missing", FocalPoint with { Role = null, Participant = null }, "role", "Required: Secretariat, FocalPoint or Poc." },
        { "focal point without participant", FocalPoint with { Participant = null }, "participant", "A focal point needs the participant's code." },
        { "focal point with empty participant", FocalPoint with { Participant = "" }, "participant", "A focal point needs the participant's code." },
        { "secretariat naming a participant", FocalPoint with { Role = Role.Secretariat }, "participant", "Only a FocalPoint assignment names a participant." },
        { "poc without pocId", new RoleAssignmentInput("a@x.org", Role.Poc, null, null), "pocId", "A POC role needs the id of the POC record." },
        { "poc with empty pocId", new RoleAssignmentInput("a@x.org", Role.Poc, null, ""), "pocId", "A POC role needs the id of the POC record." },
        { "focal point naming a POC", FocalPoint with { PocId = "SGP-01JD" }, "pocId", "Only a Poc assignment names a POC." },
        { "secretariat naming a POC", new RoleAssignmentInput("a@x.org", Role.Secretariat, null, "SGP-01JD"), "pocId", "Only a Poc assignment names a POC." },
    };

    [Theory]
    [MemberData(nameof(ValidInputs))]
    public void Validate_WellFormedAssignment_Passes(RoleAssignmentInput input) => ValidationAssert.Valid(Validator, input);

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Validate_BadField_NamesThatFieldWithItsMessage(string name, RoleAssignmentInput input, string field, string message)
    {
        Assert.NotEmpty(name);
        ValidationAssert.OnlyFieldFails(Validator, input, field, message);
    }

    [Fact]
    public void Validate_NoRoleButParticipantAndPoc_NamesAllThree()
    {
        var errors = ValidationAssert.Errors(Validator, new RoleAssignmentInput("a@x.org", null, "SGP", "SGP-01JD"));

        Assert.Equal(["participant", "pocId", "role"], errors.Keys.Order(StringComparer.Ordinal));
    }
}
