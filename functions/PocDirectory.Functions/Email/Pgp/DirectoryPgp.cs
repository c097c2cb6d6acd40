using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Bcpg;
using Org.BouncyCastle.Bcpg.OpenPgp;
using Org.BouncyCastle.Security;
using BcPublicKey = Org.BouncyCastle.Bcpg.OpenPgp.PgpPublicKey;

namespace PocDirectory.Functions.Email.Pgp;

/// <summary>
/// The directory's own OpenPGP key (decision 0034): it signs every encrypted message, and its public half is published at
/// GET /api/pgp-key and named by fingerprint in every message's footer. Messages to a POC with a valid key are signed
/// and encrypted to it as RFC 3156 PGP/MIME: MimeKit's multipart/encrypted around BouncyCastle's packets (AES-256,
/// SHA-256, integrity-protected), so the link inside is readable by the key's holder only.
/// </summary>
public sealed class DirectoryPgp
{
    private readonly PgpPrivateKey _privateKey;
    private readonly BcPublicKey _signingPublicKey;
    private readonly string? _signerUserId;
    private readonly TimeProvider _time;

    public DirectoryPgp(IOptions<PgpOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        var settings = options.Value;
        var secretRing = ReadSecretRing(LoadArmouredKey(settings, time));
        var signing = secretRing.GetSecretKeys().FirstOrDefault(k => k.IsSigningKey && !k.IsPrivateKeyEmpty)
            ?? throw new InvalidOperationException("Pgp:SigningKey holds no secret key that can sign.");
        try
        {
            _privateKey = signing.ExtractPrivateKey((settings.Passphrase ?? string.Empty).ToCharArray());
        }
        catch (PgpException e)
        {
            throw new InvalidOperationException("The secret key of Pgp:SigningKey could not be unlocked; check Pgp:Passphrase.", e);
        }

        _signingPublicKey = signing.PublicKey;
        _signerUserId = secretRing.GetPublicKey().GetUserIds().FirstOrDefault();
        PublicKey = PgpKeys.Armour(PublicRing(secretRing));
        Fingerprint = Convert.ToHexString(secretRing.GetPublicKey().GetFingerprint());
        PublicKeyUrl = new Uri(settings.PublicKeyUrl ?? throw new InvalidOperationException("Pgp:PublicKeyUrl is required."));
    }

    /// <summary>Where <see cref="PublicKey"/> is published (GET /api/pgp-key on the portal's origin).</summary>
    public Uri PublicKeyUrl { get; }

    /// <summary>The primary key's fingerprint, upper-case hex without spaces (as the POC records show theirs).</summary>
    public string Fingerprint { get; }

    /// <summary>The armoured public key ring, as served at GET /api/pgp-key.</summary>
    public string PublicKey { get; }

    /// <summary>The fingerprint in groups of four, as people compare it with what gpg prints.</summary>
    public string FingerprintForPeople => string.Join(' ', Enumerable.Range(0, Fingerprint.Length / 4).Select(i => Fingerprint.Substring(i * 4, 4)));

    /// <summary>The recipient's armoured public key has a key that can encrypt now (not expired, not revoked).</summary>
    public bool CanEncryptTo(string? recipientKey) => recipientKey is not null && RecipientEncryptionKey(recipientKey) is not null;

    /// <summary>
    /// The entity, signed by the directory and encrypted to the recipient, as multipart/encrypted; protocol="application/pgp-encrypted".
    /// </summary>
    /// <exception cref="InvalidOperationException">The recipient key cannot encrypt; callers check <see cref="CanEncryptTo"/> first.</exception>
    public MultipartEncrypted SignAndEncrypt(MimeEntity entity, string recipientKey)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var canonical = new MemoryStream();
        entity.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, canonical);
        var armoured = SignAndEncrypt(canonical.ToArray(), recipientKey);

        var encrypted = new MultipartEncrypted();
        encrypted.ContentType.Parameters["protocol"] = "application/pgp-encrypted";
        encrypted.Add(new ApplicationPgpEncrypted());
        encrypted.Add(new MimePart("application", "octet-stream")
        {
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "encrypted.asc" },
            Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(armoured), writable: false)),
            ContentTransferEncoding = ContentEncoding.SevenBit,
        });
        return encrypted;
    }

    /// <summary>An armoured PGP MESSAGE: the content, signed by the directory (one-pass signature), compressed, encrypted to the recipient.</summary>
    public string SignAndEncrypt(byte[] content, string recipientKey)
    {
        ArgumentNullException.ThrowIfNull(content);
        var to = RecipientEncryptionKey(recipientKey) ?? throw new InvalidOperationException("The recipient's PGP key has no key that can encrypt.");
        var now = _time.GetUtcNow().UtcDateTime;
        using var output = new MemoryStream();
        using (var armour = new ArmoredOutputStream(output))
        {
            var encryption = new PgpEncryptedDataGenerator(SymmetricKeyAlgorithmTag.Aes256, withIntegrityPacket: true, new SecureRandom());
            encryption.AddMethod(to);
            using var encrypted = encryption.Open(armour, new byte[1 << 14]);
            var compression = new PgpCompressedDataGenerator(CompressionAlgorithmTag.Zip);
            using (var compressed = compression.Open(encrypted))
            {
                var signature = new PgpSignatureGenerator(_signingPublicKey.Algorithm, HashAlgorithmTag.Sha256);
                signature.InitSign(PgpSignature.BinaryDocument, _privateKey);
                var packets = new PgpSignatureSubpacketGenerator();
                packets.SetSignatureCreationTime(false, now);
                packets.SetIssuerFingerprint(false, _signingPublicKey);
                if (_signerUserId is not null)
                {
                    packets.AddSignerUserId(false, _signerUserId);
                }

                signature.SetHashedSubpackets(packets.Generate());
                signature.GenerateOnePassVersion(false).Encode(compressed);
                using (var literal = new PgpLiteralDataGenerator().Open(compressed, PgpLiteralData.Binary, string.Empty, content.Length, now))
                {
                    literal.Write(content);
                }

                signature.Update(content);
                signature.Generate().Encode(compressed);
            }
        }

        return Encoding.ASCII.GetString(output.ToArray());
    }

    private BcPublicKey? RecipientEncryptionKey(string recipientKey)
    {
        try
        {
            return PgpKeys.EncryptionKey(new PgpPublicKeyRing(PgpKeys.Dearmour(recipientKey)), _time.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidCastException)
        {
            // Keys are checked when a POC is saved; one that no longer reads is treated as no key.
            return null;
        }
    }

    private static string LoadArmouredKey(PgpOptions options, TimeProvider time)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            return options.SigningKey;
        }

        var path = options.SigningKeyFile ?? throw new InvalidOperationException("Pgp:SigningKey or Pgp:SigningKeyFile is required.");
        if (!File.Exists(path) && options.CreateIfMissing)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(path, PgpKeys.Generate(options.Identity, time.GetUtcNow(), bits: 3072).SecretKey);
        }

        return File.ReadAllText(path);
    }

    internal static PgpSecretKeyRing ReadSecretRing(string armoured)
    {
        try
        {
            return new PgpSecretKeyRing(PgpKeys.Dearmour(armoured));
        }
        catch (Exception e) when (e is IOException or PgpException or ArgumentException or InvalidCastException)
        {
            throw new InvalidOperationException("Pgp:SigningKey is not an armoured OpenPGP secret key (-----BEGIN PGP PRIVATE KEY BLOCK-----).", e);
        }
    }

    private static byte[] PublicRing(PgpSecretKeyRing secretRing)
    {
        using var packets = new MemoryStream();
        foreach (var key in secretRing.GetPublicKeys())
        {
            key.Encode(packets);
        }

        return packets.ToArray();
    }
}
