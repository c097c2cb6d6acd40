using PocDirectory.Functions.Participants;
using PocDirectory.UnitTests.TestData;

namespace PocDirectory.UnitTests.Participants;

public sealed class ParticipantInputValidatorTests
{
    private const string CodeMessage = "Required: 2 to 10 letters or digits, e.g. OSCE.";
    private const string NameMessage = "Required, at most 200 characters.";
    private const string TypeMessage = "Only RegionalOrganisation participants can be added; States are reference data.";

    private static readonly ParticipantInputValidator Validator = new();

    private static readonly ParticipantInput Valid = new("OSCE", "Organization for Security and Co-operation in Europe", ParticipantType.RegionalOrganisation);

    public static TheoryData<string, ParticipantInput, string, string> BadInputs => new()
    {
        { "code missing", Valid with { Code = null }, "code", CodeMessage },
        { "code one letter", Valid with { Code = "O" }, "code", CodeMessage },
        { "code eleven letters", Valid with { Code = "ABCDEFGHIJK" }, "code", CodeMessage },
        { "code with a space", Valid with { Code = "no spaces!" }, "code", CodeMessage },
        { "name missing", Valid with { Name = null }, "name", NameMessage },
        { "name blank", Valid with { Name = "   " }, "name", NameMessage },
        { "name too long", Valid with { Name = new string('n', ParticipantInputValidator.MaxNameLength + 1) }, "name", NameMessage },
        { "type missing", Valid with { Type = null }, "type", TypeMessage },
        { "type State", Valid with { Type = ParticipantType.MemberState }, "type", TypeMessage },
    };

    [Fact]
    public void Validate_RegionalOrganisation_Passes()
    {
        ValidationAssert.Valid(Validator, Valid);
        ValidationAssert.Valid(Validator, ParticipantInput.Example);
        ValidationAssert.Valid(Validator, Valid with { Name = new string('n', ParticipantInputValidator.MaxNameLength) });
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Validate_BadField_NamesThatFieldWithItsMessage(string name, ParticipantInput input, string field, string message)
    {
        Assert.NotEmpty(name);
        ValidationAssert.OnlyFieldFails(Validator, input, field, message);
    }
}
