using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Bcpg.Sig;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace PocDirectory.Functions.Email.Pgp;

/// <summary>An armoured OpenPGP key pair: the secret key ring and its public key ring.</summary>
public sealed record PgpKeyPairText(string SecretKey, string PublicKey);

/// <summary>
/// Makes OpenPGP keys with BouncyCastle, the way gpg's default used to: an RSA primary key that signs and certifies and
/// an RSA subkey that encrypts. For the directory's own key on a local machine and for tests; no gpg needed.
/// </summary>
public static class PgpKeys
{
    public static PgpKeyPairText Generate(string identity, DateTimeOffset createdAt, TimeSpan? validFor = null, int bits = 2048, string? passphrase = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);
        var random = new SecureRandom();
        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(0x10001), random, bits, 80));
        var created = createdAt.UtcDateTime;
        var primary = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, generator.GenerateKeyPair(), created);
        var subkey = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, generator.GenerateKeyPair(), created);

        var primaryPackets = new PgpSignatureSubpacketGenerator();
        primaryPackets.SetKeyFlags(false, KeyFlags.SignData | KeyFlags.CertifyOther);
        primaryPackets.SetPreferredSymmetricAlgorithms(false, [(int)SymmetricKeyAlgorithmTag.Aes256, (int)SymmetricKeyAlgorithmTag.Aes128]);
        primaryPackets.SetPreferredHashAlgorithms(false, [(int)HashAlgorithmTag.Sha256, (int)HashAlgorithmTag.Sha512]);
        var subkeyPackets = new PgpSignatureSubpacketGenerator();
        subkeyPackets.SetKeyFlags(false, KeyFlags.EncryptComms | KeyFlags.EncryptStorage);
        if (validFor is { } valid)
        {
            primaryPackets.SetKeyExpirationTime(false, (long)valid.TotalSeconds);
            subkeyPackets.SetKeyExpirationTime(false, (long)valid.TotalSeconds);
        }

        var rings = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification, primary, identity, SymmetricKeyAlgorithmTag.Aes256,
            (passphrase ?? string.Empty).ToCharArray(), useSha1: true, primaryPackets.Generate(), null, random);
        rings.AddSubKey(subkey, subkeyPackets.Generate(), null);
        return new PgpKeyPairText(Armour(rings.GenerateSecretKeyRing().GetEncoded()), Armour(rings.GeneratePublicKeyRing().GetEncoded()));
    }

    internal static string Armour(byte[] packets)
    {
        using var buffer = new MemoryStream();
        using (var armour = new ArmoredOutputStream(buffer))
        {
            armour.Write(packets);
        }

        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    internal static byte[] Dearmour(string armoured)
    {
        using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.UTF8.GetBytes(armoured.Trim()), writable: false));
        using var packets = new MemoryStream();
        decoder.CopyTo(packets);
        return packets.ToArray();
    }

    /// <summary>
    /// The key of a ring that encrypts: by its key flags, because BouncyCastle's IsEncryptionKey is also true for an RSA
    /// primary key that is meant only to sign. Expired and revoked keys are skipped; the newest usable key wins.
    /// </summary>
    internal static Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey? EncryptionKey(PgpPublicKeyRing ring, DateTimeOffset now)
    {
        Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey? best = null;
        foreach (var key in ring.GetPublicKeys())
        {
            if (!key.IsEncryptionKey || key.HasRevocation() || Expired(key, now) || !FlagsAllowEncryption(key))
            {
                continue;
            }

            if (best is null || key.CreationTime > best.CreationTime)
            {
                best = key;
            }
        }

        return best;
    }

    private static bool Expired(Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey key, DateTimeOffset now)
    {
        var seconds = key.GetValidSeconds();
        return seconds > 0 && DateTime.SpecifyKind(key.CreationTime, DateTimeKind.Utc).AddSeconds(seconds) <= now.UtcDateTime;
    }

    private static bool FlagsAllowEncryption(Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey key)
    {
        var sawFlags = false;
        foreach (var signature in key.GetSignatures())
        {
            if (signature.GetHashedSubPackets() is { } packets && packets.HasSubpacket(SignatureSubpacketTag.KeyFlags))
            {
                sawFlags = true;
                if ((packets.GetKeyFlags() & (KeyFlags.EncryptComms | KeyFlags.EncryptStorage)) != 0)
                {
                    return true;
                }
            }
        }

        // Old keys without flags: the algorithm decides, as BouncyCastle does, but only for subkeys.
        return !sawFlags && !key.IsMasterKey;
    }
}
