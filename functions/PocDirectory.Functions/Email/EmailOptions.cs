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

    /// <summary>Sends per minute of the whole app (every instance, every campaign; see <see cref="EmailPace"/>); 0 means unlimited.</summary>
    public int MaxPerMinute { get; set; }

    /// <summary>Sends per hour of the whole app, the provider's hourly quota; 0 means no hourly limit.</summary>
    public int MaxPerHour { get; set; }

    /// <summary>The host's functionTimeout (host.json); a send activity plans to end well within it.</summary>
    public TimeSpan FunctionTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The share of <see cref="FunctionTimeout"/> one send activity may use; the rest of its messages go to the next activity.</summary>
    public double ActivityTimeFraction { get; set; } = 0.5;

    /// <summary>
    /// Added to each quota's window when spacing sends. The provider counts a message when it arrives, and a send's
    /// latency varies: with slots exactly 60 s / MaxPerMinute apart, a slow send followed by fast ones puts MaxPerMinute + 1
    /// arrivals in some minute (measured: 61 at 60 a minute, the first send slowed by connecting; 2 s of margin was not
    /// enough). Arrivals stay within the quota as long as latencies differ by less than the margin.
    /// </summary>
    public TimeSpan PaceMargin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The time between two sends that keeps both quotas in every rolling minute and hour; zero when unpaced. Whole
    /// milliseconds, rounded up: table storage keeps times to the millisecond, and slots read back must space the same.
    /// </summary>
    public TimeSpan PaceInterval => TimeSpan.FromMilliseconds(Math.Ceiling(Math.Max(
        MaxPerMinute > 0 ? (TimeSpan.FromMinutes(1) + PaceMargin).TotalMilliseconds / MaxPerMinute : 0,
        MaxPerHour > 0 ? (TimeSpan.FromHours(1) + PaceMargin).TotalMilliseconds / MaxPerHour : 0)));

    /// <summary>How long one activity may spend sending.</summary>
    public TimeSpan ActivityBudget => FunctionTimeout * ActivityTimeFraction;

    /// <summary>
    /// The longest one send may take once its slot came: for ACS its retry waits and the polling of the operation; for
    /// SMTP a few commands of at most 30 seconds each.
    /// </summary>
    public TimeSpan LongestSend => Provider == EmailProvider.Acs ? Acs.MaxRetryWait + Acs.OperationTimeout : TimeSpan.FromMinutes(1);

    /// <summary>The latest slot an activity started at <paramref name="start"/> may take and still end within its budget.</summary>
    public DateTimeOffset SendBy(DateTimeOffset start) => start + ActivityBudget - LongestSend;
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
