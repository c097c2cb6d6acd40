using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using BcPublicKey = Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey;

namespace PocDirectory.Functions.Pocs;

public sealed record PgpKeyInfo(
    string Fingerprint,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    string Algorithm,
    IReadOnlyList<string> UserIds);

public static class PgpPublicKey
{
    // Real keys with several subkeys and many certifications stay well under this; anything larger is
    // either not a single key or an attempt to make the parser work hard.
    public const int MaxArmouredLength = 64 * 1024;

    private const string PublicHeader = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    private const string PublicFooter = "-----END PGP PUBLIC KEY BLOCK-----";
    private const string PrivateHeader = "-----BEGIN PGP PRIVATE KEY BLOCK-----";
    private const string AnyHeader = "-----BEGIN PGP ";

    private const string NotArmouredError =
        "The PGP key must be ASCII-armoured text starting with " + PublicHeader + " (for example the output of gpg --armor --export).";
    private const string PrivateKeyError =
        "This is a private PGP key. Never share it: paste the public key instead (gpg --armor --export).";
    private const string MalformedError =
        "The PGP key could not be read. Paste the complete armoured block, from the BEGIN line to the END line.";
    private const string NoPublicKeyError = "The armoured block does not contain a PGP public key.";
    private const string SeveralKeysError = "Paste exactly one PGP public key; this text contains more than one armoured block or key.";
    private const string RevokedError = "This PGP key has been revoked. Paste the key that replaces it.";

    public static bool TryParse(string armoured, DateTimeOffset now, out PgpKeyInfo? key, out string? error)
    {
        key = null;

        if (string.IsNullOrWhiteSpace(armoured))
        {
            error = "Paste an ASCII-armoured PGP public key.";
            return false;
        }

        if (armoured.Length > MaxArmouredLength)
        {
            error = "The PGP key is too large (more than 64 KiB). Export the public key alone, without other keys or signatures.";
            return false;
        }

        // Checked before anything else so a pasted private key is named as such, whatever else is wrong with it.
        if (armoured.Contains(PrivateHeader, StringComparison.Ordinal))
        {
            error = PrivateKeyError;
            return false;
        }

        var text = armoured.Trim();
        if (!text.StartsWith(PublicHeader, StringComparison.Ordinal))
        {
            error = NotArmouredError;
            return false;
        }

        // The armour reader stops after the first block, so a second one would otherwise be silently dropped.
        if (text.IndexOf(AnyHeader, PublicHeader.Length, StringComparison.Ordinal) >= 0)
        {
            error = SeveralKeysError;
            return false;
        }

        if (!text.EndsWith(PublicFooter, StringComparison.Ordinal))
        {
            error = MalformedError;
            return false;
        }

        PgpPublicKeyRing? ring;
        try
        {
            if (!TryReadSingleRing(text, out ring, out error))
            {
                return false;
            }
        }
        catch (Exception ex) when (IsMalformedInput(ex))
        {
            error = MalformedError;
            return false;
        }

        return TryDescribe(ring.GetPublicKey(), now, out key, out error);
    }

    private static bool TryReadSingleRing(string text, [NotNullWhen(true)] out PgpPublicKeyRing? ring, out string? error)
    {
        ring = null;

        // Decoding the whole block first means the armour checksum is verified before any packet is looked at;
        // reading packets straight from the armour stops at the first odd packet, before the checksum is reached,
        // and a damaged key would then be misreported as "no key".
        byte[] packets;
        using (var armourStream = new ArmoredInputStream(new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false)))
        using (var decoded = new MemoryStream())
        {
            armourStream.CopyTo(decoded);
            packets = decoded.ToArray();
        }

        var factory = new PgpObjectFactory(packets);

        PgpPublicKeyRing? found = null;
        for (var item = factory.NextPgpObject(); item is not null; item = factory.NextPgpObject())
        {
            switch (item)
            {
                case PgpMarker:
                    continue;
                case PgpSecretKeyRing:
                    // Secret key packets relabelled as a public block must still never be accepted.
                    error = PrivateKeyError;
                    return false;
                case PgpPublicKeyRing publicRing when found is null:
                    found = publicRing;
                    break;
                case PgpPublicKeyRing:
                    error = SeveralKeysError;
                    return false;
                default:
                    // Anything trailing a key is damage or something pasted along with it, not a different kind of input.
                    error = found is null ? NoPublicKeyError : MalformedError;
                    return false;
            }
        }

        if (found is null)
        {
            error = NoPublicKeyError;
            return false;
        }

        ring = found;
        error = null;
        return true;
    }

    private static bool TryDescribe(BcPublicKey primary, DateTimeOffset now, out PgpKeyInfo? key, out string? error)
    {
        key = null;

        if (HasValidSelfRevocation(primary))
        {
            error = RevokedError;
            return false;
        }

        var createdAt = new DateTimeOffset(DateTime.SpecifyKind(primary.CreationTime, DateTimeKind.Utc));
        var validSeconds = primary.GetValidSeconds();
        DateTimeOffset? expiresAt = validSeconds > 0 ? createdAt.AddSeconds(validSeconds) : null;

        if (expiresAt <= now)
        {
            error = string.Create(
                CultureInfo.InvariantCulture,
                $"This PGP key expired on {expiresAt:yyyy-MM-dd}. Extend its expiry date or paste a current key.");
            return false;
        }

        var userIds = primary.GetUserIds().ToArray();
        key = new PgpKeyInfo(
            Convert.ToHexString(primary.GetFingerprint()),
            createdAt,
            expiresAt,
            DescribeAlgorithm(primary),
            userIds);
        error = null;
        return true;
    }

    // BouncyCastle's HasRevocation only looks at the signature type. A revocation that does not verify against the
    // key itself (forged, corrupted, or from a designated revoker whose key we do not hold) does not stop GnuPG
    // from using the key, so it must not make the directory reject it either.
    private static bool HasValidSelfRevocation(BcPublicKey primary)
    {
        foreach (var signature in primary.GetKeySignatures())
        {
            if (signature.SignatureType == PgpSignature.KeyRevocation && Verifies(signature, primary))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Verifies(PgpSignature revocation, BcPublicKey primary)
    {
        try
        {
            revocation.InitVerify(primary);
            return revocation.VerifyCertification(primary);
        }
        catch (Exception ex) when (IsMalformedInput(ex))
        {
            return false;
        }
    }

    private static string DescribeAlgorithm(BcPublicKey key)
    {
        var bits = key.BitStrength;
        var name = key.Algorithm switch
        {
            PublicKeyAlgorithmTag.RsaGeneral or PublicKeyAlgorithmTag.RsaSign or PublicKeyAlgorithmTag.RsaEncrypt => "RSA",
            PublicKeyAlgorithmTag.Dsa => "DSA",
            PublicKeyAlgorithmTag.ElGamalEncrypt or PublicKeyAlgorithmTag.ElGamalGeneral => "ElGamal",
            PublicKeyAlgorithmTag.ECDsa => "ECDSA",
            PublicKeyAlgorithmTag.ECDH => "ECDH",
            // The legacy EdDSA tag carries the curve in the key; its size is the only thing that tells them apart.
            PublicKeyAlgorithmTag.EdDsa_Legacy when bits == 256 => "Ed25519",
            PublicKeyAlgorithmTag.EdDsa_Legacy when bits == 448 => "Ed448",
            PublicKeyAlgorithmTag.EdDsa_Legacy => "EdDSA",
            PublicKeyAlgorithmTag.Ed25519 => "Ed25519",
            PublicKeyAlgorithmTag.Ed448 => "Ed448",
            PublicKeyAlgorithmTag.X25519 => "X25519",
            PublicKeyAlgorithmTag.X448 => "X448",
            _ => "Unknown",
        };

        var sizeIsInName = name.StartsWith("Ed", StringComparison.Ordinal) || name.StartsWith('X');
        return sizeIsInName || bits <= 0 ? name : string.Create(CultureInfo.InvariantCulture, $"{name} {bits}");
    }

    // BouncyCastle reports malformed packets through many exception types (IOException, PgpException, but also
    // argument, cast and index errors from deep inside packet parsing). The input is untrusted, so every one of
    // them means "not a readable key"; only failures of the process itself are left to propagate.
    private static bool IsMalformedInput(Exception ex) =>
        ex is not (OutOfMemoryException or StackOverflowException or ThreadAbortException);
}
