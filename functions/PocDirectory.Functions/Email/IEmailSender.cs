namespace PocDirectory.Functions.Email;

/// <summary>Sends email through whichever provider is configured (SMTP locally, Azure Communication Services in Azure).</summary>
public interface IEmailSender
{
    /// <summary>Sends one message; returns once the provider has accepted (SMTP) or delivered (ACS) it.</summary>
    /// <exception cref="EmailDeliveryException">
    /// The message was not sent. <see cref="EmailDeliveryException.IsPermanent"/> tells whether the recipient itself was rejected.
    /// </exception>
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
