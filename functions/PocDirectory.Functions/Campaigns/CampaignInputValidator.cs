using System.Xml;
using FluentValidation;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Participants;

namespace PocDirectory.Functions.Campaigns;

public sealed class CampaignInputValidator : AbstractValidator<CampaignInput>
{
    public const int MaxReminders = 5;

    public CampaignInputValidator(IOptions<CampaignOptions> options, TimeProvider time)
    {
        var limits = options.Value;
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.Name).NotEmpty().WithMessage("Required, e.g. \"Quarterly ping Q1 2027\".").MaximumLength(200);
        RuleFor(x => x.Subject).MaximumLength(200);
        RuleFor(x => x.Body).MaximumLength(5000);
        RuleForEach(x => x.Scope!.Participants).Must(p => p is not null && ParticipantStore.IsWellFormedCode(p))
            .When(x => x.Scope?.Participants is not null).WithMessage("Not a participant code, e.g. SGP.")
            .OverridePropertyName("scope.participants");

        RuleFor(x => x.ResponseWindow).NotEmpty().WithMessage("Required: an ISO 8601 duration, e.g. PT72H.")
            .Must(w => TryParseDuration(w, out _)).WithMessage("Not an ISO 8601 duration, e.g. PT72H or P3D.").Documented(format: "duration")
            .Must(w => Window(w) >= limits.MinimumResponseWindow && Window(w) <= limits.MaximumResponseWindow)
            .WithMessage($"Must be from {XmlConvert.ToString(limits.MinimumResponseWindow)} to {XmlConvert.ToString(limits.MaximumResponseWindow)}.");

        RuleFor(x => x.Reminders).Must(r => r is null || r.Count <= MaxReminders).WithMessage($"At most {MaxReminders} reminders.").Documented(maxItems: MaxReminders);
        RuleForEach(x => x.Reminders)
            .Must(r => TryParseDuration(r, out var offset) && offset > TimeSpan.Zero).WithMessage("Not a positive ISO 8601 duration, e.g. PT24H.")
            .Documented(format: "duration", description: "How long after the start to remind those who have not answered.")
            .Must((input, r) => !TryParseDuration(input.ResponseWindow, out var window) || Window(r) < window)
            .WithMessage("A reminder must come before the end of the response window.");
        RuleFor(x => x.Reminders)
            .Must(r => r!.Select(Window).Zip(r!.Select(Window).Skip(1)).All(p => p.First < p.Second))
            .When(x => x.Reminders is { Count: > 1 } && x.Reminders.All(r => TryParseDuration(r, out _)))
            .WithMessage("Reminders must be in increasing order.");

        RuleFor(x => x.StartAt).Must(s => s is null || s <= time.GetUtcNow().AddYears(1)).WithMessage("Must be within a year.");
    }

    public static bool TryParseDuration(string? value, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(value) || value.Length > 40 || value[0] != 'P')
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(value);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static TimeSpan Window(string? value) => TryParseDuration(value, out var duration) ? duration : TimeSpan.Zero;
}
