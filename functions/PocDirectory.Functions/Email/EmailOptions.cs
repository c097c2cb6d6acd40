namespace PocDirectory.Functions.Email;

public enum EmailProvider
{
    Smtp,
    Acs,
}

/// <summary>Settings bound from the "Email" section; checked at start-up by <see cref="EmailOptionsValidator"/>.</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>Nullable so that a missing setting is reported instead of silently falling back to SMTP in Azure.</summary>
    public EmailProvider? Provider { get; set; }

    public string SenderAddress { get; set; } = string.Empty;

    /// <summary>Display name for SMTP. ACS takes the display name from the sender configured on its domain.</summary>
    public string? SenderName { get; set; }

    public SmtpEmailOptions Smtp { get; set; } = new();

    public AcsEmailOptions Acs { get; set; } = new();

    /// <summary>
    /// Sends per minute from this process; 0 means unlimited. ACS quotas are per subscription, so set this to the
    /// quota divided by the number of instances that may send at once.
    /// </summary>
    public int MaxPerMinute { get; set; }
}

public sealed class SmtpEmailOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    /// <summary>Off by default because local servers (smtp4dev, the test server) offer no trusted certificate.</summary>
    public bool UseStartTls { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }
}

public sealed class AcsEmailOptions
{
    /// <summary>The resource endpoint, e.g. https://name.communication.azure.com.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Base64 access key. When empty the sender uses a managed identity (DefaultAzureCredential).</summary>
    public string? AccessKey { get; set; }

    /// <summary>Retries of one request after throttling (429), server errors or network failures.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>
    /// Upper bound on the time one request spends waiting between retries. A Retry-After longer than what is left
    /// is not waited out: the send fails as transient and reports the server's delay.
    /// </summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long to poll an accepted send for its outcome before giving up as transient.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
