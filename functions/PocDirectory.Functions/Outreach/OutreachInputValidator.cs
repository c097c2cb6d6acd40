using System.Xml;
using FluentValidation;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Participants;

namespace PocDirectory.Functions.Outreach;

public sealed class OutreachInputValidator : AbstractValidator<OutreachInput>
{
    public const int MaxReminders = 5;

    public OutreachInputValidator(IOptions<OutreachOptions> options)
    {
        var limits = options.Value;
        RuleLevelCascadeMode = CascadeMode.Stop;
        RuleFor(x => x.Scope).NotNull().WithMessage("Required: {\"nominationStatus\": [\"None\"], \"regions\": []}.");
        RuleFor(x => x.Scope!.NominationStatus).Must(s => s is null || !s.Contains(NominationStatus.Both)).When(x => x.Scope is not null)
            .WithMessage("A participant that nominated both kinds of POC lacks nothing: choose None, DiplomaticOnly or TechnicalOnly.")
            .OverridePropertyName("scope.nominationStatus");
        RuleForEach(x => x.Scope!.Participants).Must(p => p is not null && ParticipantStore.IsWellFormedCode(p))
            .When(x => x.Scope?.Participants is not null).WithMessage("Not a participant code, e.g. SGP.")
            .OverridePropertyName("scope.participants");
        RuleFor(x => x.Subject).MaximumLength(200);
        RuleFor(x => x.Body).MaximumLength(5000);
        RuleFor(x => x.Reminders).Must(r => r is null || r.Count <= MaxReminders).WithMessage($"At most {MaxReminders} reminders.").Documented(maxItems: MaxReminders);
        RuleForEach(x => x.Reminders)
            .Must(r => CampaignInputValidator.TryParseDuration(r, out _)).WithMessage("Not an ISO 8601 duration, e.g. P14D.")
            .Documented(format: "duration", description: "How long after the letter to remind the participants that still lack what was missing.")
            .Must(r => Offset(r) >= limits.MinimumReminder && Offset(r) <= limits.MaximumReminder)
            .WithMessage($"Must be from {XmlConvert.ToString(limits.MinimumReminder)} to {XmlConvert.ToString(limits.MaximumReminder)}.");
        RuleFor(x => x.Reminders)
            .Must(r => r!.Select(Offset).Zip(r!.Select(Offset).Skip(1)).All(p => p.First < p.Second))
            .When(x => x.Reminders is { Count: > 1 } && x.Reminders.All(r => CampaignInputValidator.TryParseDuration(r, out _)))
            .WithMessage("Reminders must be in increasing order.");
    }

    public static TimeSpan Offset(string? reminder) => CampaignInputValidator.TryParseDuration(reminder, out var offset) ? offset : TimeSpan.Zero;
}
