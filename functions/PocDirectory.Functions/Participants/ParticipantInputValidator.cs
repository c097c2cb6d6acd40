using FluentValidation;

namespace PocDirectory.Functions.Participants;

/// <summary>A new participant: States are reference data, so only regional organisations are added.</summary>
public sealed class ParticipantInputValidator : AbstractValidator<ParticipantInput>
{
    public const int MaxNameLength = 200;

    public ParticipantInputValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        const string code = "Required: 2 to 10 letters or digits, e.g. OSCE.";
        RuleFor(x => x.Code).NotEmpty().WithMessage(code).Matches(ParticipantStore.CodePattern).WithMessage(code);
        var name = $"Required, at most {MaxNameLength} characters.";
        RuleFor(x => x.Name).NotEmpty().WithMessage(name).MaximumLength(MaxNameLength).WithMessage(name);
        const string type = "Only RegionalOrganisation participants can be added; States are reference data.";
        RuleFor(x => x.Type).NotNull().WithMessage(type).Equal(ParticipantType.RegionalOrganisation).WithMessage(type);
    }
}

public sealed class EncryptionInputValidator : AbstractValidator<EncryptionInput>
{
    public EncryptionInputValidator()
    {
        RuleFor(x => x.RequireEncryption).NotNull().WithMessage("Required: true or false.");
    }
}
