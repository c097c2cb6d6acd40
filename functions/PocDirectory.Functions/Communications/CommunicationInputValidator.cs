using System.Xml;
using FluentValidation;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Participants;

namespace PocDirectory.Functions.Communications;

public sealed class CommunicationInputValidator : AbstractValidator<CommunicationInput>
{
    public const int MaxSubjectLength = 200;

    public CommunicationInputValidator(IOptions<CommunicationOptions> options)
    {
        var limits = options.Value;
        RuleLevelCascadeMode = CascadeMode.Stop;

        RuleFor(x => x.To).NotEmpty().WithMessage("Required: the code of the receiving participant, e.g. NOR.")
            .Must(c => ParticipantStore.IsWellFormedCode(c!)).WithMessage("Not a participant code, e.g. NOR.").Documented(pattern: ParticipantStore.CodePattern);
        RuleFor(x => x.From).Must(c => c is null || ParticipantStore.IsWellFormedCode(c)).WithMessage("Not a participant code, e.g. ISL.")
            .Documented(pattern: ParticipantStore.CodePattern, description: "The sending participant, needed only when the caller belongs to more than one.");
        RuleFor(x => x.Kinds).Must(k => k is null || k.Count <= 2).WithMessage("At most the two kinds, Diplomatic and Technical.").Documented(maxItems: 2);
        RuleFor(x => x.Type).NotNull().WithMessage("Required: RequestForInformation, RequestForAssistance, IncidentNotification or FollowUp.");
        RuleFor(x => x.Urgency).NotNull().WithMessage("Required: Routine, Priority or Urgent.");
        RuleFor(x => x.Subject).NotEmpty().WithMessage("Required: a short subject.").MaximumLength(MaxSubjectLength);
        RuleFor(x => x.Body).NotEmpty().WithMessage("Required: the text of the communication.").MaximumLength(limits.MaximumBodyLength);
        RuleFor(x => x.RespondBy).NotEmpty().WithMessage("Required: an ISO 8601 duration from now, e.g. PT24H.")
            .Must(r => CampaignInputValidator.TryParseDuration(r, out _)).WithMessage("Not an ISO 8601 duration, e.g. PT24H or P3D.").Documented(format: "duration")
            .Must(r => Duration(r) >= limits.MinimumRespondBy && Duration(r) <= limits.MaximumRespondBy)
            .WithMessage($"Must be from {XmlConvert.ToString(limits.MinimumRespondBy)} to {XmlConvert.ToString(limits.MaximumRespondBy)}.");
        RuleFor(x => x.ExerciseId).MaximumLength(32).Matches("^[A-Za-z0-9]+$").When(x => x.ExerciseId is not null).WithMessage("Not an exercise id.");
        RuleFor(x => x.InReplyTo).MaximumLength(64).Matches("^[A-Za-z0-9]+$").When(x => x.InReplyTo is not null).WithMessage("Not a communication id.");
    }

    public static TimeSpan Duration(string? value) => CampaignInputValidator.TryParseDuration(value, out var duration) ? duration : TimeSpan.Zero;
}

public sealed class ReplyInputValidator : AbstractValidator<ReplyInput>
{
    public ReplyInputValidator(IOptions<CommunicationOptions> options)
    {
        RuleFor(x => x.Body).NotEmpty().WithMessage("Required: the text of the reply.").MaximumLength(options.Value.MaximumBodyLength);
    }
}
