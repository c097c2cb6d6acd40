using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Security;

/// <summary>A development sign-in: the address to sign in as, and a display name short enough for a token claim.</summary>
public sealed class DevTokenRequestValidator : AbstractValidator<DevTokenRequest>
{
    public const int MaxNameLength = 200;

    public DevTokenRequestValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        const string email = "Required: the email address to sign in as.";
        RuleFor(x => x.Email).NotEmpty().WithMessage(email).Must(PocInputValidator.BeEmailAddress).WithMessage(email).Documented(format: "email");
        RuleFor(x => x.Name).MaximumLength(MaxNameLength).WithMessage($"At most {MaxNameLength} characters.");
    }
}
