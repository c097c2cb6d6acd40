namespace PocDirectory.Functions.Pocs;

/// <summary>Whether a POC's OpenPGP key can be used now (decision 0034): shown on the POC as pgpKeyStatus.</summary>
public enum PgpKeyStatus
{
    None,
    Valid,

    /// <summary>Valid, but it expires within <see cref="PgpKeyStatuses.WarningPeriod"/>; its focal point is told once.</summary>
    ExpiringSoon,

    /// <summary>Past its expiry: treated as no key, so nothing is encrypted to it.</summary>
    Expired,
}

public static class PgpKeyStatuses
{
    /// <summary>How long before its expiry a key is flagged to its focal point.</summary>
    public static readonly TimeSpan WarningPeriod = TimeSpan.FromDays(30);

    public static PgpKeyStatus Of(Poc poc, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(poc);
        return Of(poc.PgpPublicKey is not null, poc.PgpExpiresAt, now);
    }

    public static PgpKeyStatus Of(bool hasKey, DateTimeOffset? expiresAt, DateTimeOffset now) => (hasKey, expiresAt) switch
    {
        (false, _) => PgpKeyStatus.None,
        (true, null) => PgpKeyStatus.Valid,
        (true, { } at) when at <= now => PgpKeyStatus.Expired,
        (true, { } at) when at - now <= WarningPeriod => PgpKeyStatus.ExpiringSoon,
        _ => PgpKeyStatus.Valid,
    };

    /// <summary>The key's armoured text when it can be used now; null for none or an expired one.</summary>
    public static string? UsableKey(Poc poc, DateTimeOffset now) => Of(poc, now) is PgpKeyStatus.Valid or PgpKeyStatus.ExpiringSoon ? poc.PgpPublicKey : null;
}
