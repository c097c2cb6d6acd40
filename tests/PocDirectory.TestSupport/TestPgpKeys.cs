using System.Text;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Bcpg.Sig;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace PocDirectory.TestSupport;

/// <summary>An armoured key pair made for a test.</summary>
public sealed record TestPgpKey(string SecretKey, string PublicKey);

/// <summary>What a test got out of an encrypted message: the content, and whether its signature verified against the key given.</summary>
public sealed record TestPgpDecrypted(byte[] Content, bool SignatureVerified, long SignerKeyId);

/// <summary>
/// OpenPGP for tests, written on BouncyCastle directly and apart from the app's code, so a test checks the app's
/// encryption with an independent reader: RSA keys as gpg makes them (a signing primary key, an encryption subkey).
/// </summary>
public static class TestPgpKeys
{
    public static TestPgpKey Generate(string identity, DateTimeOffset? createdAt = null, TimeSpan? validFor = null)
    {
        var random = new SecureRandom();
        var rsa = new RsaKeyPairGenerator();
        rsa.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(0x10001), random, 2048, 80));
        var created = (createdAt ?? DateTimeOffset.UtcNow.AddMinutes(-5)).UtcDateTime;
        var primary = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, rsa.GenerateKeyPair(), created);
        var subkey = new PgpKeyPair(PublicKeyAlgorithmTag.RsaGeneral, rsa.GenerateKeyPair(), created);
        var primaryPackets = new PgpSignatureSubpacketGenerator();
        primaryPackets.SetKeyFlags(false, KeyFlags.SignData | KeyFlags.CertifyOther);
        var subkeyPackets = new PgpSignatureSubpacketGenerator();
        subkeyPackets.SetKeyFlags(false, KeyFlags.EncryptComms | KeyFlags.EncryptStorage);
        if (validFor is { } valid)
        {
            primaryPackets.SetKeyExpirationTime(false, (long)valid.TotalSeconds);
            subkeyPackets.SetKeyExpirationTime(false, (long)valid.TotalSeconds);
        }

        var rings = new PgpKeyRingGenerator(PgpSignature.PositiveCertification, primary, identity, SymmetricKeyAlgorithmTag.Aes256,
            Array.Empty<char>(), true, primaryPackets.Generate(), null, random);
        rings.AddSubKey(subkey, subkeyPackets.Generate(), null);
        return new TestPgpKey(Armour(rings.GenerateSecretKeyRing().GetEncoded()), Armour(rings.GeneratePublicKeyRing().GetEncoded()));
    }

    /// <summary>Decrypts an armoured PGP MESSAGE with the recipient's secret key and checks its signature against <paramref name="signerPublicKey"/>.</summary>
    public static TestPgpDecrypted Decrypt(string armouredMessage, string recipientSecretKey, string signerPublicKey)
    {
        var secrets = new PgpSecretKeyRing(Dearmour(recipientSecretKey));
        var signers = new PgpPublicKeyRing(Dearmour(signerPublicKey));
        var factory = new PgpObjectFactory(Dearmour(armouredMessage));
        var list = factory.NextPgpObject() as PgpEncryptedDataList ?? throw new InvalidOperationException("Not an encrypted PGP message.");
        var data = list.GetEncryptedDataObjects().OfType<PgpPublicKeyEncryptedData>().Single(d => secrets.GetSecretKey(d.KeyId) is not null);
        var privateKey = secrets.GetSecretKey(data.KeyId).ExtractPrivateKey([]);
        var inner = new PgpObjectFactory(data.GetDataStream(privateKey));
        var item = inner.NextPgpObject();
        if (item is PgpCompressedData compressed)
        {
            inner = new PgpObjectFactory(compressed.GetDataStream());
            item = inner.NextPgpObject();
        }

        var onePass = (item as PgpOnePassSignatureList ?? throw new InvalidOperationException("The message is not signed."))[0];
        var literal = (PgpLiteralData)inner.NextPgpObject();
        using var content = new MemoryStream();
        literal.GetDataStream().CopyTo(content);
        var signature = ((PgpSignatureList)inner.NextPgpObject())[0];
        var signer = signers.GetPublicKey(onePass.KeyId);
        var verified = false;
        if (signer is not null)
        {
            onePass.InitVerify(signer);
            onePass.Update(content.ToArray());
            verified = onePass.Verify(signature);
        }

        if (!data.IsIntegrityProtected() || !data.Verify())
        {
            throw new InvalidOperationException("The message failed its integrity check.");
        }

        return new TestPgpDecrypted(content.ToArray(), verified, onePass.KeyId);
    }

    public static string Fingerprint(string armouredPublicKey) => Convert.ToHexString(new PgpPublicKeyRing(Dearmour(armouredPublicKey)).GetPublicKey().GetFingerprint());

    private static string Armour(byte[] packets)
    {
        using var buffer = new MemoryStream();
        using (var armour = new ArmoredOutputStream(buffer))
        {
            armour.Write(packets);
        }

        return Encoding.ASCII.GetString(buffer.ToArray());
    }

    private static byte[] Dearmour(string armoured)
    {
        using var decoder = PgpUtilities.GetDecoderStream(new MemoryStream(Encoding.UTF8.GetBytes(armoured.Trim())));
        using var packets = new MemoryStream();
        decoder.CopyTo(packets);
        return packets.ToArray();
    }
}
