namespace PocDirectory.Functions.Email;

/// <summary>
/// A message could not be sent. The message text never contains addresses, names or content, so it is safe to log;
/// provider responses that may quote the address are deliberately not attached as inner exceptions.
/// </summary>
public sealed class EmailDeliveryException : Exception
{
    public EmailDeliveryException()
    {
    }

    public EmailDeliveryException(string message)
        : base(message)
    {
    }

    public EmailDeliveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmailDeliveryException(
        string message,
        bool isPermanent,
        int? statusCode = null,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        IsPermanent = isPermanent;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>
    /// True when the recipient was rejected (unknown mailbox, invalid address, provider reported the send failed):
    /// sending the same message again will not help, and the contact's address should be checked.
    /// False for everything else (unreachable server, throttling, timeouts, configuration problems), where a later retry may work.
    /// </summary>
    public bool IsPermanent { get; }

    /// <summary>The SMTP reply code or HTTP status that caused the failure, when there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>How long the provider asked us to wait before trying again, when it said so.</summary>
    public TimeSpan? RetryAfter { get; }
}
