using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Delivery;

/// <summary>
/// Settings of the delivery core, read from section "Campaigns": campaigns were its first feature, and every
/// deployment already sets these there (Campaigns__AcknowledgementKey, Campaigns__PublicBaseUrl...).
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Campaigns";

    /// <summary>Base64 key (at least 32 bytes) that signs the links of every message. In Azure it comes from Key Vault.</summary>
    public string AcknowledgementKey { get; set; } = string.Empty;

    /// <summary>Where the portal is served; every link of a message points under it (see <see cref="PortalLinks"/>).</summary>
    public string PublicBaseUrl { get; set; } = string.Empty;

    /// <summary>Recipients per send activity: large enough to amortise an activity, small enough to retry cheaply.</summary>
    public int SendBatchSize { get; set; } = 50;

    /// <summary>How many send activities of one delivery run at once; with the shared pace this bounds the load on the provider.</summary>
    public int MaxParallelBatches { get; set; } = 4;

    /// <summary>Attempts per activity before a step counts as failed (or a batch's unsent recipients as undeliverable).</summary>
    public int SendAttempts { get; set; } = 4;

    /// <summary>The first retry waits this long; each later one twice as long.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Deliveries up to this many recipients show counts read afresh on every ask; larger ones share a recent count (<see cref="LiveProgress"/>).</summary>
    public int FreshProgressUpTo { get; set; } = 2_000;
}

public sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        var failures = new List<string>();
        try
        {
            DeliveryLinks.KeyFromSetting(options.AcknowledgementKey);
        }
        catch (InvalidOperationException e)
        {
            failures.Add(e.Message);
        }

        if (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            failures.Add("Campaigns:PublicBaseUrl is required: the absolute URL of the portal, e.g. https://pocs.example.org.");
        }

        if (options.MaxParallelBatches is < 1 or > 64 || options.SendAttempts is < 1 or > 10 || options.FirstRetryDelay <= TimeSpan.Zero)
        {
            failures.Add("Campaigns:MaxParallelBatches (1-64), Campaigns:SendAttempts (1-10) and Campaigns:FirstRetryDelay (> 0) must be in range.");
        }

        if (options.FreshProgressUpTo < 0)
        {
            failures.Add("Campaigns:FreshProgressUpTo must be 0 or more.");
        }

        if (options.SendBatchSize is < 1 or > 500)
        {
            failures.Add("Campaigns:SendBatchSize must be from 1 to 500.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
