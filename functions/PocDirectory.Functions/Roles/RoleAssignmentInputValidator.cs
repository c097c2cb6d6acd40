using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Roles;

/// <summary>
/// The shape of a role assignment: a sign-in address, a role, and the participant or POC record that role, and only
/// that role, names. Whether that participant or POC exists is the service's check (it needs storage).
/// </summary>
public sealed class RoleAssignmentInputValidator : AbstractValidator<RoleAssignmentInput>
{
    public RoleAssignmentInputValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        const string email = "Required: the user's sign-in email address.";
        RuleFor(x => x.Email).NotEmpty().WithMessage(email).Must(PocInputValidator.BeEmailAddress).WithMessage(email).Documented(format: "email");
        RuleFor(x => x.Role).NotNull().WithMessage("Required: Secretariat, FocalPoint or Poc.");

        RuleFor(x => x.Participant).NotEmpty().When(x => x.Role == Role.FocalPoint).WithMessage("A focal point needs the participant's code.");
        RuleFor(x => x.Participant).Null().When(x => x.Role != Role.FocalPoint).WithMessage("Only a FocalPoint assignment names a participant.");

        RuleFor(x => x.PocId).NotEmpty().When(x => x.Role == Role.Poc).WithMessage("A POC role needs the id of the POC record.");
        RuleFor(x => x.PocId).Null().When(x => x.Role != Role.Poc).WithMessage("Only a Poc assignment names a POC.");
    }
}
