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

    /// <summary>The BCP 47 tag of the message's language, sent as its Content-Language header.</summary>
    public string Language { get; init; } = MessageTexts.Fallback;

    /// <summary>Files sent with the message (an invitation's calendar entry); none by default.</summary>
    public IReadOnlyList<EmailAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// The recipient's armoured OpenPGP public key, looked up once per delivery (decision 0034): when set, the message is
    /// signed by the directory and encrypted to it (PGP/MIME over SMTP; an encrypted attachment over ACS).
    /// </summary>
    public string? RecipientKey { get; init; }
}

/// <summary>
/// A file sent with a message. <paramref name="ContentType"/> is a full media type with its parameters, sent as given
/// (<c>text/calendar; method=REQUEST; charset=utf-8</c>: RFC 6047 needs the method parameter on the part itself).
/// </summary>
/// <param name="Alternative">
/// Also a rendering of the message itself: SMTP carries it as the last part of the multipart/alternative body, where
/// calendar clients look for an iMIP invitation (RFC 6047 §2.4), as well as a named attachment. Providers without
/// alternatives (ACS) send it as an attachment only.
/// </param>
public sealed record EmailAttachment(string Name, string ContentType, ReadOnlyMemory<byte> Content, bool Alternative = false);
