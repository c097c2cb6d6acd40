using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Participants;

public sealed class MissionContactsInputValidator : AbstractValidator<MissionContactsInput>
{
    public const int MaxContacts = 10;
    public const int MaxTextLength = 200;

    public MissionContactsInputValidator()
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(x => x.Contacts).NotNull().WithMessage("Required: the list of contacts ([] to remove them all).")
            .Must(c => c!.Count <= MaxContacts).WithMessage($"At most {MaxContacts} contacts.").Documented(maxItems: MaxContacts)
            .Must(c => c!.Where(x => x?.Email is not null).Select(x => x!.Email!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == c!.Count(x => x?.Email is not null))
            .WithMessage("Each email address may appear once.");
        RuleForEach(x => x.Contacts).NotNull().WithMessage("A contact needs a name and an email address.").DependentRules(() =>
        {
            RuleForEach(x => x.Contacts).ChildRules(contact =>
            {
                contact.RuleFor(c => c!.Name).NotEmpty().WithMessage("Required.").MaximumLength(MaxTextLength);
                contact.RuleFor(c => c!.Email).NotEmpty().WithMessage("Required.").MaximumLength(MaxTextLength)
                    .Must(PocInputValidator.BeEmailAddress).WithMessage("Not a valid email address, e.g. cyber@mission.example.org.").Documented(format: "email");
                contact.RuleFor(c => c!.Phone).Custom((number, context) =>
                {
                    if (number is not null && !PhoneNumberRules.TryValidateE164(number, out var error))
                    {
                        context.AddFailure(error!);
                    }
                }).Documented(pattern: PhoneNumberRules.E164Shape, description: "Optional. E.164: + and the country code, then the number.");
                contact.RuleFor(c => c!.Language).Custom((tag, context) =>
                {
                    if (tag is not null && !LanguageTags.TryNormalise(tag, out _, out var error))
                    {
                        context.AddFailure(error!);
                    }
                }).Documented(description: "Optional. A BCP 47 language tag, e.g. fr: outreach letters to this contact are in it when it is one of the six UN languages, else in English.");
            });
        });
    }
}
