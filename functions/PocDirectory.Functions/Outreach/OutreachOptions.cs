using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Outreach;

/// <summary>Settings of section "Outreach": days in Azure, seconds locally and in tests.</summary>
public sealed class OutreachOptions
{
    public const string Section = "Outreach";

    /// <summary>The earliest a reminder may come after the letter.</summary>
    public TimeSpan MinimumReminder { get; set; } = TimeSpan.FromDays(1);

    public TimeSpan MaximumReminder { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How long after the last reminder (or the letter, without reminders) the outreach closes; its links work as long, and 90 days more.</summary>
    public TimeSpan CloseAfterLastReminder { get; set; } = TimeSpan.FromDays(14);
}

public sealed class OutreachOptionsValidator : IValidateOptions<OutreachOptions>
{
    public ValidateOptionsResult Validate(string? name, OutreachOptions options)
        => options.MinimumReminder > TimeSpan.Zero && options.MinimumReminder <= options.MaximumReminder && options.CloseAfterLastReminder > TimeSpan.Zero
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Outreach: MinimumReminder must be positive and not above MaximumReminder; CloseAfterLastReminder must be positive.");
}
