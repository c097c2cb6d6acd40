using System.Text;
using PocDirectory.Functions.Pocs;
using PocDirectory.UnitTests.TestData;

namespace PocDirectory.UnitTests.Pocs;

public sealed class PgpPublicKeyTests
{
    private static readonly DateTimeOffset _now = new(2025, 6, 10, 9, 0, 0, TimeSpan.Zero);

    // Most tests only need some valid key; generating it once keeps the class fast and the tests independent of it.
    private static readonly Lazy<GeneratedPgpKey> _validKey = new(() => PgpKeys.Generate(_now.AddDays(-30), validFor: null));

    [Fact]
    public void TryParse_ValidKeyWithoutExpiry_ReturnsKeyInfo()
    {
        var generated = _validKey.Value;

        var ok = PgpPublicKey.TryParse(generated.ArmouredPublic, _now, out var key, out var error);

        Assert.True(ok, error);
        Assert.Null(error);
        Assert.NotNull(key);
        Assert.Matches("^[0-9A-F]{40}$", key.Fingerprint);
        Assert.Equal(generated.Fingerprint, key.Fingerprint);
        Assert.Equal(TruncateToSeconds(_now.AddDays(-30)), key.CreatedAt);
        Assert.Null(key.ExpiresAt);
        Assert.Equal("Ed25519", key.Algorithm);
        Assert.Equal([PgpKeys.DefaultUserId], key.UserIds);
    }

    [Fact]
    public void TryParse_KeyExpiringInFuture_ReturnsExpiry()
    {
        var created = _now.AddDays(-100);
        var armoured = PgpKeys.Armoured(created, TimeSpan.FromDays(365));

        var ok = PgpPublicKey.TryParse(armoured, _now, out var key, out var error);

        Assert.True(ok, error);
        Assert.Equal(TruncateToSeconds(created).AddDays(365), key!.ExpiresAt);
    }

    [Fact]
    public void TryParse_ExpiredKey_ReturnsFalseWithExpiryError()
    {
        var armoured = PgpKeys.Armoured(_now.AddDays(-400), TimeSpan.FromDays(365));

        var ok = PgpPublicKey.TryParse(armoured, _now, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Contains("expired on 2025-05-06", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_KeyExpiringExactlyNow_ReturnsFalseWithExpiryError()
    {
        var created = TruncateToSeconds(_now.AddDays(-30));

        var ok = PgpPublicKey.TryParse(PgpKeys.Armoured(created, TimeSpan.FromDays(30)), _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("expired", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SurroundingWhitespace_ReturnsTrue()
    {
        var armoured = "\r\n  " + _validKey.Value.ArmouredPublic.Replace("\n", "\r\n", StringComparison.Ordinal) + "\n\n ";

        var ok = PgpPublicKey.TryParse(armoured, _now, out var key, out var error);

        Assert.True(ok, error);
        Assert.Equal(_validKey.Value.Fingerprint, key!.Fingerprint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t")]
    public void TryParse_EmptyInput_ReturnsFalseWithPrompt(string armoured)
    {
        var ok = PgpPublicKey.TryParse(armoured, _now, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Equal("Paste an ASCII-armoured PGP public key.", error);
    }

    [Theory]
    [InlineData("hello, this is not a key")]
    [InlineData("mDMEZnQ3oBYJKwYBBAHaRw8BAQdA")]
    [InlineData("-----BEGIN PGP SIGNATURE-----\n\nwnUEARYKAB0WIQ==\n-----END PGP SIGNATURE-----")]
    public void TryParse_GarbageText_ReturnsFalseWithArmourError(string armoured)
    {
        var ok = PgpPublicKey.TryParse(armoured, _now, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Contains("ASCII-armoured", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BinaryKey_ReturnsFalseWithArmourError()
    {
        var binary = Encoding.Latin1.GetString(_validKey.Value.PublicRing.GetEncoded());

        var ok = PgpPublicKey.TryParse(binary, _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("ASCII-armoured", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TruncatedArmour_ReturnsFalseWithoutEchoingKey()
    {
        var armoured = _validKey.Value.ArmouredPublic;
        var truncated = armoured[..(armoured.Length / 2)];

        var ok = PgpPublicKey.TryParse(truncated, _now, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Contains("could not be read", error, StringComparison.Ordinal);
        AssertNoKeyMaterial(armoured, error);
    }

    [Fact]
    public void TryParse_BodyMissingLines_ReturnsFalseWithoutEchoingKey()
    {
        var lines = _validKey.Value.ArmouredPublic.Split('\n').ToList();
        lines.RemoveRange(4, 2);
        var damaged = string.Join('\n', lines);

        var ok = PgpPublicKey.TryParse(damaged, _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("could not be read", error, StringComparison.Ordinal);
        AssertNoKeyMaterial(_validKey.Value.ArmouredPublic, error);
    }

    [Fact]
    public void TryParse_BodyWithAlteredCharacter_ReturnsFalse()
    {
        var armoured = _validKey.Value.ArmouredPublic;
        var lines = armoured.Split('\n');
        var line = lines[4];
        lines[4] = line[..10] + (line[10] == 'A' ? 'B' : 'A') + line[11..];

        var ok = PgpPublicKey.TryParse(string.Join('\n', lines), _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("could not be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_PrivateKeyBlock_ReturnsFalseWithPrivateKeyError()
    {
        var ok = PgpPublicKey.TryParse(PgpKeys.ArmouredSecret(), _now, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Contains("private PGP key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_SecretPacketsUnderPublicHeader_ReturnsFalseWithPrivateKeyError()
    {
        var relabelled = PgpKeys.ArmouredSecret().Replace("PRIVATE KEY BLOCK", "PUBLIC KEY BLOCK", StringComparison.Ordinal);

        var ok = PgpPublicKey.TryParse(relabelled, _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("private PGP key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TwoKeysInOneBlock_ReturnsFalseWithSingleKeyError()
    {
        var ok = PgpPublicKey.TryParse(PgpKeys.ArmouredKeyRings(2), _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("exactly one PGP public key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_TwoArmouredBlocks_ReturnsFalseWithSingleKeyError()
    {
        var twoBlocks = _validKey.Value.ArmouredPublic + "\n" + PgpKeys.Armoured(_now.AddDays(-1), validFor: null);

        var ok = PgpPublicKey.TryParse(twoBlocks, _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("exactly one PGP public key", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_BlockWithoutKeyPackets_ReturnsFalseWithNoKeyError()
    {
        // A single OpenPGP marker packet, which readers must skip, and its CRC.
        const string markerOnly = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nqANQR1A=\n=1VfW\n-----END PGP PUBLIC KEY BLOCK-----";

        var ok = PgpPublicKey.TryParse(markerOnly, _now, out _, out var error);

        Assert.False(ok);
        Assert.Equal("The armoured block does not contain a PGP public key.", error);
    }

    [Fact]
    public void TryParse_EmptyPublicBlock_ReturnsFalseWithReadError()
    {
        const string empty = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n=twTO\n-----END PGP PUBLIC KEY BLOCK-----";

        var ok = PgpPublicKey.TryParse(empty, _now, out _, out var error);

        Assert.False(ok);
        Assert.Contains("could not be read", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RevokedKey_ReturnsFalseWithRevokedError()
    {
        var ok = PgpPublicKey.TryParse(PgpKeys.ArmouredRevoked(), _now, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Contains("revoked", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_RevocationNotMadeByKey_ReturnsTrue()
    {
        var ok = PgpPublicKey.TryParse(PgpKeys.ArmouredWithForeignRevocation(), _now, out var key, out var error);

        Assert.True(ok, error);
        Assert.NotNull(key);
    }

    [Fact]
    public void TryParse_OversizeInput_ReturnsFalseWithSizeError()
    {
        var oversize = _validKey.Value.ArmouredPublic + new string(' ', PgpPublicKey.MaxArmouredLength);

        var ok = PgpPublicKey.TryParse(oversize, _now, out var key, out var error);

        Assert.False(ok);
        Assert.Null(key);
        Assert.Contains("64 KiB", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InputAtSizeLimit_IsParsed()
    {
        var armoured = _validKey.Value.ArmouredPublic;
        var atLimit = armoured + new string(' ', PgpPublicKey.MaxArmouredLength - armoured.Length);

        var ok = PgpPublicKey.TryParse(atLimit, _now, out _, out var error);

        Assert.True(ok, error);
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeSeconds(value.ToUnixTimeSeconds());

    private static void AssertNoKeyMaterial(string armoured, string? error)
    {
        Assert.NotNull(error);
        var bodyLines = armoured.Split('\n').Where(line => line.Length > 20 && !line.StartsWith("-----", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(bodyLines);
        Assert.All(bodyLines, line => Assert.DoesNotContain(line[..20], error, StringComparison.Ordinal));
    }
}
