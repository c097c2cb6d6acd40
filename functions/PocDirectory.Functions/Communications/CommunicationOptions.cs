using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Communications;

/// <summary>Settings of section "Communications": hours in Azure, seconds locally and in tests.</summary>
public sealed class CommunicationOptions
{
    public const string Section = "Communications";

    /// <summary>How soon the receiving participant should acknowledge an Urgent communication; each escalation step waits this long.</summary>
    public TimeSpan UrgentAcknowledgementTarget { get; set; } = TimeSpan.FromHours(2);

    public TimeSpan PriorityAcknowledgementTarget { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan RoutineAcknowledgementTarget { get; set; } = TimeSpan.FromHours(72);

    /// <summary>The earliest respond-by a sender may ask for.</summary>
    public TimeSpan MinimumRespondBy { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The latest respond-by a sender may ask for.</summary>
    public TimeSpan MaximumRespondBy { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The longest body of a communication or reply, in characters.</summary>
    public int MaximumBodyLength { get; set; } = 20_000;

    /// <summary>How long subject, body and replies are kept after the communication was sent; then they are erased, the metadata stays.</summary>
    public TimeSpan ContentRetention { get; set; } = TimeSpan.FromDays(365);

    public TimeSpan TargetFor(Urgency urgency) => urgency switch
    {
        Urgency.Urgent => UrgentAcknowledgementTarget,
        Urgency.Priority => PriorityAcknowledgementTarget,
        _ => RoutineAcknowledgementTarget,
    };
}

public sealed class CommunicationOptionsValidator : IValidateOptions<CommunicationOptions>
{
    public ValidateOptionsResult Validate(string? name, CommunicationOptions options)
    {
        var failures = new List<string>();
        if (Enum.GetValues<Urgency>().Any(u => options.TargetFor(u) <= TimeSpan.Zero))
        {
            failures.Add("Communications: every acknowledgement target must be positive.");
        }

        if (options.MinimumRespondBy <= TimeSpan.Zero || options.MinimumRespondBy > options.MaximumRespondBy)
        {
            failures.Add("Communications:MinimumRespondBy must be positive and not above Communications:MaximumRespondBy.");
        }

        if (options.MaximumBodyLength is < 100 or > 100_000)
        {
            failures.Add("Communications:MaximumBodyLength must be from 100 to 100000.");
        }

        if (options.ContentRetention <= TimeSpan.Zero)
        {
            failures.Add("Communications:ContentRetention must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
