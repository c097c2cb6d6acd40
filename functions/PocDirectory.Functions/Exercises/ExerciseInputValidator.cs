using System.Xml;
using FluentValidation;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Participants;

namespace PocDirectory.Functions.Exercises;

public sealed class ExerciseInputValidator : AbstractValidator<ExerciseInput>
{
    public const int MaxNameLength = 200;
    public const int MaxControllers = 20;
    public const int MaxOptions = 10;

    public ExerciseInputValidator(IOptions<ExerciseOptions> options)
    {
        var limits = options.Value;
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.Name).NotEmpty().WithMessage("Required: the exercise's name.").MaximumLength(MaxNameLength);
        RuleFor(x => x.Description).MaximumLength(limits.MaximumMessageLength);
        RuleFor(x => x.Players).NotNull().WithMessage("Required: who plays (participants and/or regions).")
            .Must(p => (p!.Participants?.Count ?? 0) + (p.Regions?.Count ?? 0) > 0).WithMessage("Name at least one participant or region: an exercise never plays the whole directory by default.");
        RuleFor(x => x.Players!).SetValidator(new PlayerScopeValidator()).When(x => x.Players is not null);
        RuleFor(x => x.Controllers).Must(c => c is null || c.Count <= MaxControllers).WithMessage($"At most {MaxControllers} controllers.").Documented(maxItems: MaxControllers);
        RuleForEach(x => x.Controllers).NotEmpty().EmailAddress().WithMessage("Not an email address.").MaximumLength(254);
        RuleFor(x => x.Injects).NotEmpty().WithMessage("Required: at least one inject.")
            .Must(i => i!.Count <= limits.MaximumInjects).WithMessage($"At most {limits.MaximumInjects} injects.").Documented(maxItems: limits.MaximumInjects)
            .Must(InOrder).When(x => x.Injects is not null && x.Injects.All(i => CampaignInputValidator.TryParseDuration(i?.At, out _)))
            .WithMessage("Injects must be in the order of their offsets (at).");
        // The OpenAPI schema reads the rules without an instance (x is null then): the player checks need none to be described.
        RuleForEach(x => x.Injects).NotNull().SetValidator(x => new InjectInputValidator(x?.Players, limits));
    }

    public static TimeSpan Duration(string? value) => CampaignInputValidator.TryParseDuration(value, out var duration) ? duration : TimeSpan.Zero;

    private static bool InOrder(IReadOnlyList<InjectInput>? injects)
        => injects!.Select(i => Duration(i.At)).Zip(injects!.Select(i => Duration(i.At)).Skip(1)).All(p => p.First <= p.Second);
}

public sealed class PlayerScopeValidator : AbstractValidator<PlayerScope>
{
    public PlayerScopeValidator()
    {
        RuleFor(x => x.Participants).Must(p => p is null || p.Count <= 200).WithMessage("At most 200 participants.");
        RuleForEach(x => x.Participants).Must(c => c is not null && ParticipantStore.IsWellFormedCode(c)).WithMessage("Not a participant code, e.g. ISL.");
    }
}

public sealed class InjectInputValidator : AbstractValidator<InjectInput>
{
    public InjectInputValidator(PlayerScope? players, ExerciseOptions limits)
    {
        RuleLevelCascadeMode = CascadeMode.Stop;
        var named = players?.Participants?.Select(p => p.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

        // Named participants are checked against the players here; against regions (the participant's region) by the service.
        bool IsPlayer(string? code) => code is not null && ParticipantStore.IsWellFormedCode(code)
            && (named?.Contains(code.ToUpperInvariant()) == true || (players?.Regions?.Count ?? 0) > 0);

        RuleFor(x => x.At).NotEmpty().WithMessage("Required: the offset from the start, an ISO 8601 duration such as PT0S or PT30M.")
            .Must(a => CampaignInputValidator.TryParseDuration(a, out var at) && at >= TimeSpan.Zero).WithMessage("Not a non-negative ISO 8601 duration, e.g. PT30M.").Documented(format: "duration")
            .Must(a => ExerciseInputValidator.Duration(a) <= ExerciseOptions.MaximumOffset).WithMessage("An inject comes at most 30 days (P30D) after the start.");
        RuleFor(x => x.Title).NotEmpty().WithMessage("Required: the inject's title.").MaximumLength(ExerciseInputValidator.MaxNameLength);
        RuleFor(x => x.Message).NotEmpty().WithMessage("Required: the inject's text.").MaximumLength(limits.MaximumMessageLength);
        RuleFor(x => x.Expects).NotNull().WithMessage("Required: Acknowledge, Reply or ContactParticipant.");
        RuleFor(x => x.RespondWithin).NotEmpty().WithMessage("Required: an ISO 8601 duration, e.g. PT30M.")
            .Must(r => CampaignInputValidator.TryParseDuration(r, out _)).WithMessage("Not an ISO 8601 duration, e.g. PT30M.").Documented(format: "duration")
            .Must(r => ExerciseInputValidator.Duration(r) >= limits.MinimumRespondWithin && ExerciseInputValidator.Duration(r) <= limits.MaximumRespondWithin)
            .WithMessage($"Must be from {XmlConvert.ToString(limits.MinimumRespondWithin)} to {XmlConvert.ToString(limits.MaximumRespondWithin)}.");
        RuleFor(x => x.ContactParticipant).NotEmpty().When(x => x.Expects == InjectExpects.ContactParticipant)
            .WithMessage("Required for ContactParticipant: the participant the players must reach.")
            .Must(IsPlayer).When(x => x.Expects == InjectExpects.ContactParticipant).WithMessage("Must be a participant playing in the exercise.");
        RuleFor(x => x.ContactParticipant).Null().When(x => x.Expects != InjectExpects.ContactParticipant).WithMessage("Only a ContactParticipant inject names a participant to reach.");
        RuleFor(x => x.To).NotNull().WithMessage("Required: AllPlayers or Participants.");
        RuleFor(x => x.Participants).NotEmpty().When(x => x.To == InjectTo.Participants).WithMessage("Required with to: Participants: the participants to send it to.");
        RuleFor(x => x.Participants).Empty().When(x => x.To == InjectTo.AllPlayers).WithMessage("Only to: Participants names participants.");
        RuleForEach(x => x.Participants).Must(IsPlayer).WithMessage("Must be a participant playing in the exercise.");
        RuleFor(x => x.Options).Must(o => o is null || o.Count <= ExerciseInputValidator.MaxOptions).WithMessage($"At most {ExerciseInputValidator.MaxOptions} options.")
            .Must(o => o is null || o.Count == 0).When(x => x.Expects != InjectExpects.Reply).WithMessage("Only a Reply inject offers options.");
        RuleForEach(x => x.Options).NotEmpty().MaximumLength(100);
    }
}

public sealed class ExerciseResponseInputValidator : AbstractValidator<ExerciseResponseInput>
{
    public const int MaxTextLength = 4_000;

    public ExerciseResponseInputValidator()
    {
        RuleFor(x => x.Response).NotNull().WithMessage("Required: Acknowledge or Reply.");
        RuleFor(x => x.Text).NotEmpty().When(x => x.Response == ExerciseResponseKind.Reply).WithMessage("Required for a Reply: its text.").MaximumLength(MaxTextLength);
        RuleFor(x => x.Text).Null().When(x => x.Response == ExerciseResponseKind.Acknowledge).WithMessage("An acknowledgement has no text; send a Reply.");
        RuleFor(x => x.Choice).MaximumLength(100);
    }
}

public sealed class ObservationInputValidator : AbstractValidator<ObservationInput>
{
    public ObservationInputValidator(IOptions<ExerciseOptions> options)
    {
        RuleFor(x => x.Participant).NotEmpty().WithMessage("Required: the participant observed, e.g. ISL.")
            .Must(c => ParticipantStore.IsWellFormedCode(c!)).WithMessage("Not a participant code, e.g. ISL.").Documented(pattern: ParticipantStore.CodePattern);
        RuleFor(x => x.Text).NotEmpty().WithMessage("Required: the observation.").MaximumLength(options.Value.MaximumMessageLength);
    }
}
