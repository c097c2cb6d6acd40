using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Campaigns;

/// <summary>
/// Settings of section "Campaigns" that are the ping campaign's own; the section also holds the delivery core's
/// (<see cref="Delivery.DeliveryOptions"/>). Limits that differ between a demo and production are settings, not constants.
/// </summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";



    /// <summary>The shortest response window a campaign may have: seconds locally and in tests, hours in Azure.</summary>
    public TimeSpan MinimumResponseWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest response window; keeps durable timers and tokens within reason.</summary>
    public TimeSpan MaximumResponseWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The shortest time between two occurrences of a recurring campaign: an hour in Azure, seconds in tests.</summary>
    public TimeSpan MinimumScheduleInterval { get; set; } = TimeSpan.FromHours(1);





    /// <summary>Where the campaign summary goes besides the Secretariat user who created the campaign (comma-separated, optional).</summary>
    public string? SummaryRecipients { get; set; }
}

public sealed class CampaignOptionsValidator : IValidateOptions<CampaignOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignOptions options)
    {
        var failures = new List<string>();
        if (options.MinimumResponseWindow <= TimeSpan.Zero || options.MinimumResponseWindow > options.MaximumResponseWindow)
        {
            failures.Add("Campaigns:MinimumResponseWindow must be positive and not above Campaigns:MaximumResponseWindow.");
        }

        if (options.MinimumScheduleInterval <= TimeSpan.Zero)
        {
            failures.Add("Campaigns:MinimumScheduleInterval must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
