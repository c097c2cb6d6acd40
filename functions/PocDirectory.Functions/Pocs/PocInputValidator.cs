using System.Globalization;
using System.Net.Mail;
using FluentValidation;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.Pocs;

/// <summary>The rules a POC must meet before it is stored. Checks that need storage (does the participant exist) are the service's.</summary>
public sealed class PocInputValidator : AbstractValidator<PocInput>
{
    public const int MaxTextLength = 200;
    public const int MaxEmails = 5;
    public const int MaxPhones = 6;
    public const int MaxLanguages = 10;

    /// <summary>A Table Storage string holds at most 32K characters; real armoured keys are a few thousand.</summary>
    public const int MaxPgpKeyLength = 30_000;

    public PocInputValidator(TimeProvider time)
    {
        // Later checks of a field assume the earlier ones passed (a list is there before its size is checked).
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(x => x.Participant).NotEmpty().WithMessage("Required: the participant's code, e.g. SGP.");
        RuleFor(x => x.Kind).NotNull().WithMessage("Required: Diplomatic or Technical.");
        RuleFor(x => x.Rank).NotNull().WithMessage("Required: Primary or Alternate.");
        RuleFor(x => x.FullName).NotEmpty().WithMessage("Required.").MaximumLength(MaxTextLength);
        RuleFor(x => x.Position).MaximumLength(MaxTextLength);
        RuleFor(x => x.Organisation).NotEmpty().WithMessage("Required.").MaximumLength(MaxTextLength);

        RuleFor(x => x.Emails).NotEmpty().WithMessage("At least one email address is required.")
            .Must(e => e!.Count <= MaxEmails).WithMessage($"At most {MaxEmails} email addresses.").Documented(maxItems: MaxEmails)
            .Must(e => e!.Where(a => a is not null).Select(a => a!.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).Count() == e!.Count)
            .WithMessage("Each email address may appear once.");
        RuleForEach(x => x.Emails).Must(BeEmailAddress).WithMessage("Not a valid email address, e.g. name@mfa.gov.sg.").Documented(format: "email");

        RuleFor(x => x.Phones).Must(p => p is null || p.Count <= MaxPhones).WithMessage($"At most {MaxPhones} phone numbers.").Documented(maxItems: MaxPhones);
        RuleForEach(x => x.Phones).NotNull().WithMessage("A phone needs a number and a type.").DependentRules(() =>
        {
            RuleForEach(x => x.Phones).ChildRules(phone =>
            {
                phone.RuleFor(p => p!.Number).Custom((number, context) =>
                {
                    if (!PhoneNumberRules.TryValidateE164(number, out var error))
                    {
                        context.AddFailure(error!);
                    }
                }).Documented(pattern: PhoneNumberRules.E164Shape, description: "E.164: + and the country code, then the number; checked with libphonenumber.");
                phone.RuleFor(p => p!.Type).NotNull().WithMessage("Required: Office, Mobile or DutyLine.");
            });
        });

        RuleFor(x => x.Languages).NotEmpty().WithMessage("At least one operational language is required, e.g. [\"en\"].")
            .Must(l => l!.Count <= MaxLanguages).WithMessage($"At most {MaxLanguages} languages.").Documented(maxItems: MaxLanguages);
        RuleForEach(x => x.Languages).Custom((tag, context) =>
        {
            if (!LanguageTags.TryNormalise(tag, out _, out var error))
            {
                context.AddFailure(error!);
            }
        }).Documented(description: "A BCP 47 language tag, e.g. en, fr or zh-Hant.");

        RuleFor(x => x.TimeZone).NotEmpty().WithMessage("Required: an IANA time zone, e.g. Asia/Singapore.")
            .Must(BeIanaTimeZone).WithMessage("Not a known IANA time zone, e.g. Europe/Vienna or America/New_York.")
            .Documented(description: "An IANA time zone id, e.g. Asia/Singapore.");

        RuleFor(x => x.Availability).NotNull().WithMessage("Required: {\"type\": \"TwentyFourSeven\"} or business hours.")
            .SetValidator(new AvailabilityValidator()!);

        RuleFor(x => x.PgpPublicKey).Custom((key, context) =>
        {
            if (string.IsNullOrEmpty(key))
            {
                return;
            }

            if (key.Length > MaxPgpKeyLength)
            {
                context.AddFailure($"The key is longer than {MaxPgpKeyLength} characters.");
            }
            else if (!PgpPublicKey.TryParse(key, time.GetUtcNow(), out _, out var error))
            {
                context.AddFailure(error!);
            }
        }).Documented(description: $"An ASCII-armoured OpenPGP public key (at most {MaxPgpKeyLength} characters), not expired; its fingerprint is stored.");
    }

    internal static bool BeEmailAddress(string? address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Length > 254)
        {
            return false;
        }

        var trimmed = address.Trim();

        // MailAddress also accepts display names and comments; the stored value must be the bare address with a dotted domain.
        return MailAddress.TryCreate(trimmed, out var parsed)
            && parsed.Address == trimmed
            && string.IsNullOrEmpty(parsed.DisplayName)
            && parsed.Host.Contains('.', StringComparison.Ordinal)
            && !parsed.Host.EndsWith('.')
            && !trimmed.Any(char.IsWhiteSpace);
    }

    internal static bool BeIanaTimeZone(string? id)
        => id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId;

    private sealed class AvailabilityValidator : AbstractValidator<AvailabilityInput>
    {
        private const string TimePattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$";

        public AvailabilityValidator()
        {
            RuleLevelCascadeMode = CascadeMode.Stop;
            RuleFor(a => a.Type).NotNull().WithMessage("Required: TwentyFourSeven or BusinessHours.");
            When(a => a.Type == AvailabilityType.BusinessHours, () =>
            {
                RuleFor(a => a.Days).NotEmpty().WithMessage("Business hours need at least one day, e.g. [\"Monday\"].")
                    .Must(d => d!.Distinct().Count() == d!.Count).WithMessage("Each day may appear once.");
                RuleFor(a => a.Start).Must(BeTime).WithMessage("Required: a time as HH:mm, e.g. 09:00.").Documented(pattern: TimePattern);
                RuleFor(a => a.End).Must(BeTime).WithMessage("Required: a time as HH:mm, e.g. 17:30.").Documented(pattern: TimePattern)
                    .Must((a, end) => !BeTime(a.Start) || ParseTime(a.Start!) < ParseTime(end!)).When(a => BeTime(a.End))
                    .WithMessage("The end must be after the start.");
            });
            When(a => a.Type == AvailabilityType.TwentyFourSeven, () =>
            {
                RuleFor(a => a.Days).Empty().WithMessage("Leave days out for TwentyFourSeven.");
                RuleFor(a => a.Start).Empty().WithMessage("Leave start out for TwentyFourSeven.");
                RuleFor(a => a.End).Empty().WithMessage("Leave end out for TwentyFourSeven.");
            });
        }

        private static bool BeTime(string? value)
            => value is not null && TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

        private static TimeOnly ParseTime(string value) => TimeOnly.ParseExact(value, "HH:mm", CultureInfo.InvariantCulture);
    }
}
