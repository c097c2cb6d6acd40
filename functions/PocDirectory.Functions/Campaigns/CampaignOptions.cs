using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Settings of section "Campaigns". Limits that differ between a demo and production are settings, not constants.</summary>
public sealed class CampaignOptions
{
    public const string Section = "Campaigns";

    /// <summary>Base64 key (at least 32 bytes) that signs acknowledgement links. In Azure it comes from Key Vault.</summary>
    public string AcknowledgementKey { get; set; } = string.Empty;

    /// <summary>Where the portal is served; acknowledgement links point to {PublicBaseUrl}/ack/{token}.</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    /// <summary>The shortest response window a campaign may have: seconds locally and in tests, hours in Azure.</summary>
    public TimeSpan MinimumResponseWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest response window; keeps durable timers and tokens within reason.</summary>
    public TimeSpan MaximumResponseWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The shortest time between two occurrences of a recurring campaign: an hour in Azure, seconds in tests.</summary>
    public TimeSpan MinimumScheduleInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>POCs per send activity: large enough to amortise an activity, small enough to retry cheaply.</summary>
    public int SendBatchSize { get; set; } = 50;

    /// <summary>How many send activities run at once; with the send rate limit this bounds the load on the email provider.</summary>
    public int MaxParallelBatches { get; set; } = 4;

    /// <summary>Attempts per send activity before the unsent POCs of the batch count as undeliverable.</summary>
    public int SendAttempts { get; set; } = 4;

    /// <summary>The first retry waits this long; each later one twice as long.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where the campaign summary goes besides the Secretariat user who created the campaign (comma-separated, optional).</summary>
    public string? SummaryRecipients { get; set; }
}

public sealed class CampaignOptionsValidator : IValidateOptions<CampaignOptions>
{
    public ValidateOptionsResult Validate(string? name, CampaignOptions options)
    {
        var failures = new List<string>();
        try
        {
            AcknowledgementTokens.KeyFromSetting(options.AcknowledgementKey);
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            failures.Add("Campaigns:PublicBaseUrl is required: the absolute URL of the portal, e.g. https://pocs.example.org.");
        }

        if (options.MinimumResponseWindow <= TimeSpan.Zero || options.MinimumResponseWindow > options.MaximumResponseWindow)
        {
            failures.Add("Campaigns:MinimumResponseWindow must be positive and not above Campaigns:MaximumResponseWindow.");
        }

        if (options.MaxParallelBatches is < 1 or > 64 || options.SendAttempts is < 1 or > 10 || options.FirstRetryDelay <= TimeSpan.Zero)
        {
            failures.Add("Campaigns:MaxParallelBatches (1-64), Campaigns:SendAttempts (1-10) and Campaigns:FirstRetryDelay (> 0) must be in range.");
        }

        if (options.MinimumScheduleInterval <= TimeSpan.Zero)
        {
            failures.Add("Campaigns:MinimumScheduleInterval must be positive.");
        }

        if (options.SendBatchSize is < 1 or > 500)
        {
            failures.Add("Campaigns:SendBatchSize must be from 1 to 500.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
