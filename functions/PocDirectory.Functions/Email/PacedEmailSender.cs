namespace PocDirectory.Functions.Email;

/// <summary>Sends each message at the slot <see cref="EmailPace"/> gives it; nothing is dropped, only delayed or deferred.</summary>
public sealed class PacedEmailSender(IEmailSender inner, EmailPace pace, TimeProvider time) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var wait = await pace.ReserveAsync(message.SendBy, cancellationToken) - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            // A caller cancelled while waiting leaves its slot unused: slightly slower, never over the quota.
            await Task.Delay(wait, time, cancellationToken);
        }

        await inner.SendAsync(message, cancellationToken);
    }
}
