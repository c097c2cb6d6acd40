namespace PocDirectory.Functions.Email;

/// <summary>One email to one recipient.</summary>
/// <param name="IdempotencyKey">
/// A stable id for the logical message (for example "campaign-7/poc-12/ping"). Senders derive their provider-level
/// ids from it, so sending the same logical message again after a failure or a replay does not deliver it twice.
/// </param>
public sealed record EmailMessage(string To, string? ToName, string Subject, string PlainText, string Html, string IdempotencyKey)
{
    /// <summary>
    /// The latest time the message may wait for its slot in the shared pace; when none is free by then the send throws
    /// <see cref="EmailPaceDeferredException"/> without sending. Activities set it so they end within their time budget.
    /// </summary>
    public DateTimeOffset? SendBy { get; init; }
}
