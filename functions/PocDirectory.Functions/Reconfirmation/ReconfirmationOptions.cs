using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Reconfirmation;

/// <summary>Settings of section "Directory": how often a POC re-confirms its details (Trusted Introducer asks every 4 months).</summary>
public sealed class ReconfirmationOptions
{
    public const string Section = "Directory";

    /// <summary>A POC whose lastConfirmedAt is older than this is asked to confirm: 120 days in Azure, minutes locally.</summary>
    public TimeSpan ReconfirmEvery { get; set; } = TimeSpan.FromDays(120);

    /// <summary>How long after the message the reminder goes; as long again after it, the POC is Overdue and its focal points are told.</summary>
    public TimeSpan ReconfirmGrace { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the timer (every 30 seconds) actually looks for stale POCs; a look reads every POC row.</summary>
    public TimeSpan ReconfirmCheckEvery { get; set; } = TimeSpan.FromHours(1);
}

public sealed class ReconfirmationOptionsValidator : IValidateOptions<ReconfirmationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconfirmationOptions options)
        => options.ReconfirmEvery > TimeSpan.Zero && options.ReconfirmGrace > TimeSpan.Zero && options.ReconfirmCheckEvery > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Directory:ReconfirmEvery, Directory:ReconfirmGrace and Directory:ReconfirmCheckEvery must be positive.");
}
