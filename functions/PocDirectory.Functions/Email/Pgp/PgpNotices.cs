namespace PocDirectory.Functions.Email.Pgp;

/// <summary>The directory's OpenPGP notices to focal points, in the six languages (Email/Texts "pgp.*").</summary>
public static class PgpNotices
{
    /// <summary>A POC of a participant that requires encryption has no valid key: it got nothing; its focal point is told.</summary>
    public static EmailMessage EncryptionRequired(MessageTexts texts, string to, string participantName, string pocName, string title, string reference, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return EmailTemplate.Create(texts.Format("pgp.encryptionRequired.subject", pocName), reference, texts)
            .Greeting(null)
            .Paragraph(texts.Format("pgp.encryptionRequired.body", participantName, pocName, title))
            .Reference()
            .Footer(texts.Format("pgp.noticeFooter", participantName))
            .Build(to, null, idempotencyKey);
    }

    /// <summary>A POC's key expires within the warning period; its focal point is told once per key.</summary>
    public static EmailMessage KeyExpiring(MessageTexts texts, string to, string participantName, string pocName, string fingerprint, DateTimeOffset expiresAt, string idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var date = expiresAt.UtcDateTime.ToString("d MMMM yyyy", texts.Culture);
        return EmailTemplate.Create(texts.Format("pgp.expiring.subject", pocName, date), fingerprint[^16..], texts)
            .Greeting(null)
            .Paragraph(texts.Format("pgp.expiring.body", pocName, fingerprint, date))
            .Footer(texts.Format("pgp.noticeFooter", participantName))
            .Build(to, null, idempotencyKey);
    }
}
