using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Email;

/// <summary>Names every missing or wrong setting at once, so a bad deployment fails at start-up with a usable message.</summary>
public sealed class EmailOptionsValidator : IValidateOptions<EmailOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.SenderAddress))
        {
            failures.Add("Email:SenderAddress is required.");
        }
        else if (!MailAddress.TryCreate(options.SenderAddress, out _))
        {
            failures.Add("Email:SenderAddress is not a valid email address.");
        }

        if (options.MaxPerMinute < 0 || options.MaxPerHour < 0 || options.PaceMargin < TimeSpan.Zero)
        {
            failures.Add("Email:MaxPerMinute and Email:MaxPerHour must be 0 (unlimited) or more, Email:PaceMargin not negative.");
        }

        if (options.FunctionTimeout <= TimeSpan.Zero || options.ActivityTimeFraction is not (> 0 and <= 1))
        {
            failures.Add("Email:FunctionTimeout must be positive (the functionTimeout of host.json) and Email:ActivityTimeFraction above 0 and at most 1.");
        }
        else if (options.PaceInterval + options.LongestSend > options.ActivityBudget)
        {
            // Not one message would fit in a send activity: every batch would time out, be retried, and give up.
            failures.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"Email pace cannot fit: one send every {options.PaceInterval} (Email:MaxPerMinute {options.MaxPerMinute}, Email:MaxPerHour {options.MaxPerHour}) plus up to {options.LongestSend} per send exceeds the {options.ActivityBudget} a send activity may run (Email:ActivityTimeFraction {options.ActivityTimeFraction} of Email:FunctionTimeout {options.FunctionTimeout})."));
        }

        switch (options.Provider)
        {
            case null:
                failures.Add("Email:Provider is required (Smtp or Acs).");
                break;
            case EmailProvider.Smtp:
                ValidateSmtp(options.Smtp ?? new SmtpEmailOptions(), failures);
                break;
            case EmailProvider.Acs:
                ValidateAcs(options.Acs ?? new AcsEmailOptions(), failures);
                break;
            default:
                failures.Add("Email:Provider must be Smtp or Acs.");
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateSmtp(SmtpEmailOptions smtp, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            failures.Add("Email:Smtp:Host is required when Email:Provider is Smtp.");
        }

        if (smtp.Port is < 1 or > 65535)
        {
            failures.Add("Email:Smtp:Port must be between 1 and 65535.");
        }

        if (!string.IsNullOrEmpty(smtp.UserName) && string.IsNullOrEmpty(smtp.Password))
        {
            failures.Add("Email:Smtp:Password is required when Email:Smtp:UserName is set.");
        }
    }

    private static void ValidateAcs(AcsEmailOptions acs, List<string> failures)
    {
        var hasKey = !string.IsNullOrWhiteSpace(acs.AccessKey);

        if (acs.Endpoint is null)
        {
            failures.Add("Email:Acs:Endpoint is required when Email:Provider is Acs.");
        }
        else if (!acs.Endpoint.IsAbsoluteUri)
        {
            failures.Add("Email:Acs:Endpoint must be an absolute https URI.");
        }
        else if (acs.Endpoint.Scheme != Uri.UriSchemeHttps && !(hasKey && IsLoopback(acs.Endpoint)))
        {
            // Plain http is only for a local emulator or test server; a token must never travel unencrypted.
            failures.Add("Email:Acs:Endpoint must be an https URI (http is accepted only for a loopback address with an access key).");
        }

        if (hasKey && !IsBase64(acs.AccessKey!))
        {
            failures.Add("Email:Acs:AccessKey is not valid Base64.");
        }

        if (acs.MaxRetries < 0)
        {
            failures.Add("Email:Acs:MaxRetries must be 0 or more.");
        }

        if (acs.MaxRetryWait < TimeSpan.Zero)
        {
            failures.Add("Email:Acs:MaxRetryWait must not be negative.");
        }

        if (acs.OperationTimeout <= TimeSpan.Zero)
        {
            failures.Add("Email:Acs:OperationTimeout must be positive.");
        }
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var written) && written > 0;
    }
}
