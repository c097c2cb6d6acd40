using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace PocDirectory.UnitTests.TestData;

public sealed record GeneratedPgpKey(
    string Fingerprint,
    PgpPublicKeyRing PublicRing,
    PgpSecretKeyRing SecretRing,
    PgpKeyPair Primary)
{
    public string ArmouredPublic => PgpKeys.Armour(PublicRing.Encode);

    public string ArmouredSecret => PgpKeys.Armour(SecretRing.Encode);
}

// Real OpenPGP keys made at test time, so tests never depend on key files that can expire or be mistaken for
// real credentials. Ed25519 (signing primary) with an X25519 encryption subkey is what current GnuPG creates by
// default, and unlike RSA it takes milliseconds to generate.
public static class PgpKeys
{
    public const string DefaultUserId = "Test National CERT <cert@example.org>";

    private static readonly SecureRandom _random = new();

    public static string Armoured(DateTimeOffset created, TimeSpan? validFor) => Generate(created, validFor).ArmouredPublic;

    public static string ArmouredSecret() => Generate(DateTimeOffset.UtcNow.AddDays(-1), validFor: null).ArmouredSecret;

    // A key that carries a revocation signature made by its own primary key.
    public static string ArmouredRevoked()
    {
        var key = Generate(DateTimeOffset.UtcNow.AddDays(-10), validFor: null);
        return Armour(WithRevocation(key.PublicRing, key.Primary.PublicKey, key.Primary.PrivateKey).Encode);
    }

    // A revocation signature made by some other key: it claims to revoke but verifies against nothing in the ring.
    public static string ArmouredWithForeignRevocation()
    {
        var key = Generate(DateTimeOffset.UtcNow.AddDays(-10), validFor: null);
        var stranger = Generate(DateTimeOffset.UtcNow.AddDays(-10), validFor: null);
        return Armour(WithRevocation(key.PublicRing, key.Primary.PublicKey, stranger.Primary.PrivateKey).Encode);
    }

    // Several transferable public keys inside one armour block, as `gpg --export --armor` writes for several keys.
    public static string ArmouredKeyRings(int count)
    {
        var rings = Enumerable.Range(0, count)
            .Select(_ => Generate(DateTimeOffset.UtcNow.AddDays(-1), validFor: null).PublicRing)
            .ToList();
        return Armour(output => rings.ForEach(ring => ring.Encode(output)));
    }

    public static GeneratedPgpKey Generate(DateTimeOffset created, TimeSpan? validFor, string userId = DefaultUserId)
    {
        var createdUtc = created.UtcDateTime;
        var primary = new PgpKeyPair(PublicKeyAlgorithmTag.EdDsa_Legacy, NewKeyPair(new Ed25519KeyPairGenerator()), createdUtc);
        var encryption = new PgpKeyPair(PublicKeyAlgorithmTag.ECDH, NewKeyPair(new X25519KeyPairGenerator()), createdUtc);

        var generator = new PgpKeyRingGenerator(
            PgpSignature.PositiveCertification,
            primary,
            userId,
            SymmetricKeyAlgorithmTag.Aes256,
            HashAlgorithmTag.Sha256,
            Encoding.UTF8.GetBytes("test passphrase"),
            useSha1: true,
            SelfSignature(createdUtc, validFor, PgpKeyFlags.CanCertify | PgpKeyFlags.CanSign),
            unhashedPackets: null,
            _random);
        generator.AddSubKey(
            encryption,
            SelfSignature(createdUtc, validFor, PgpKeyFlags.CanEncryptCommunications | PgpKeyFlags.CanEncryptStorage),
            unhashedPackets: null,
            HashAlgorithmTag.Sha256);

        var publicRing = generator.GeneratePublicKeyRing();
        return new GeneratedPgpKey(
            Convert.ToHexString(publicRing.GetPublicKey().GetFingerprint()),
            publicRing,
            generator.GenerateSecretKeyRing(),
            primary);
    }

    internal static string Armour(Action<Stream> write)
    {
        using var buffer = new MemoryStream();
        using (var armour = new ArmoredOutputStream(buffer))
        {
            write(armour);
        }

        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    private static AsymmetricCipherKeyPair NewKeyPair(IAsymmetricCipherKeyPairGenerator generator)
    {
        generator.Init(new KeyGenerationParameters(_random, 256));
        return generator.GenerateKeyPair();
    }

    private static PgpSignatureSubpacketVector SelfSignature(DateTime createdUtc, TimeSpan? validFor, int keyFlags)
    {
        var subpackets = new PgpSignatureSubpacketGenerator();

        // Dated at key creation, as a real key made at that time would be; otherwise an "expired" key would carry
        // self-signatures made after it expired.
        subpackets.SetSignatureCreationTime(false, createdUtc);
        subpackets.SetKeyFlags(false, keyFlags);
        if (validFor is { } validity)
        {
            subpackets.SetKeyExpirationTime(false, (long)validity.TotalSeconds);
        }

        return subpackets.Generate();
    }

    private static PgpPublicKeyRing WithRevocation(PgpPublicKeyRing ring, PgpPublicKey primary, PgpPrivateKey signer)
    {
        var generator = new PgpSignatureGenerator(PublicKeyAlgorithmTag.EdDsa_Legacy, HashAlgorithmTag.Sha256);
        generator.InitSign(PgpSignature.KeyRevocation, signer);

        var subpackets = new PgpSignatureSubpacketGenerator();
        subpackets.SetRevocationReason(false, RevocationReasonTag.KeyRetired, "Replaced in a test");
        generator.SetHashedSubpackets(subpackets.Generate());

        var revoked = PgpPublicKey.AddCertification(primary, generator.GenerateCertification(primary));
        return PgpPublicKeyRing.InsertPublicKey(ring, revoked);
    }
}
