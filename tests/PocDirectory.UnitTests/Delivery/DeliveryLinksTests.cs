using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using PocDirectory.Functions.Delivery;

namespace PocDirectory.UnitTests.Delivery;

/// <summary>Links of every kind, and the acknowledgement links of pings sent before links had a purpose (version 1).</summary>
public sealed class DeliveryLinksTests
{
    private static readonly byte[] _key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] _otherKey = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    private readonly DeliveryLinks _tokens = new(_key);

    [Fact]
    public void TryRead_TokenFromCreate_ReturnsSameClaim()
    {
        var token = _tokens.Create(Ack("01JDCAMPAIGN7K3M", "SGP-01JDX5Q2R8ZP4W9VYB3T6NHK0M"));

        Assert.True(_tokens.TryRead(token, out var claim));
        Assert.Equal(Ack("01JDCAMPAIGN7K3M", "SGP-01JDX5Q2R8ZP4W9VYB3T6NHK0M"), claim);
    }

    [Fact]
    public void TryRead_TokenFromAnotherInstanceWithSameKey_ReturnsClaim()
    {
        var token = new DeliveryLinks((byte[])_key.Clone()).Create(Ack("c1", "SGP-1"));

        Assert.True(_tokens.TryRead(token, out var claim));
        Assert.Equal("SGP-1", claim!.RecipientId);
    }

    [Fact]
    public void Create_LongestIds_IsUrlSafeWithoutPaddingAndWithinLimit()
    {
        var id = new string('Z', DeliveryLinks.MaxIdLength);

        var token = _tokens.Create(Ack(id, id));

        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.True(token.Length <= DeliveryLinks.MaxTokenLength);
        Assert.True(_tokens.TryRead(token, out var claim));
        Assert.Equal(Ack(id, id), claim);
    }

    [Fact]
    public void TryRead_AnyByteChanged_ReturnsFalse()
    {
        var bytes = Decode(_tokens.Create(Ack("campaign-1", "SGP-01JDX5Q2R8ZP4W9VYB3T6NHK0M")));

        foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                var tampered = (byte[])bytes.Clone();
                tampered[i] ^= mask;

                Assert.False(_tokens.TryRead(Base64Url.EncodeToString(tampered), out var claim), $"byte {i} xor {mask:X2} was accepted");
                Assert.Null(claim);
            }
        }
    }

    [Fact]
    public void TryRead_TruncatedOrExtended_ReturnsFalse()
    {
        var bytes = Decode(_tokens.Create(Ack("campaign-1", "SGP-1")));

        Assert.False(_tokens.TryRead(Base64Url.EncodeToString(bytes[..^1]), out _));
        Assert.False(_tokens.TryRead(Base64Url.EncodeToString([.. bytes, 0]), out _));
        Assert.False(_tokens.TryRead(Base64Url.EncodeToString(bytes[..^16]), out _));
    }

    [Fact]
    public void TryRead_TokenMadeWithOtherKey_ReturnsFalse()
    {
        var token = new DeliveryLinks(_otherKey).Create(Ack("campaign-1", "SGP-1"));

        Assert.False(_tokens.TryRead(token, out var claim));
        Assert.Null(claim);
    }

    [Fact]
    public void TryRead_TokenForCampaignA_NeverClaimsCampaignB()
    {
        var forA = _tokens.Create(Ack("campaign-A", "SGP-1"));
        var forB = _tokens.Create(Ack("campaign-B", "SGP-1"));

        Assert.NotEqual(forA, forB);
        Assert.True(_tokens.TryRead(forA, out var claim));
        Assert.Equal("campaign-A", claim!.DeliveryId);

        // A's MAC under B's payload: what an attacker would try to reuse one link for another campaign.
        var a = Decode(forA);
        var b = Decode(forB);
        var spliced = b[..^32].Concat(a[^32..]).ToArray();
        Assert.False(_tokens.TryRead(Base64Url.EncodeToString(spliced), out _));
    }

    [Fact]
    public void TryRead_IdsShiftedBetweenFields_ReturnsFalse()
    {
        // Same concatenated characters, different split: the length prefixes must be covered by the MAC.
        var token = _tokens.Create(Ack("ab", "c"));
        var bytes = Decode(token);
        var shifted = new byte[bytes.Length];
        bytes.CopyTo(shifted, 0);
        // Version, purpose, 8 bytes of expiry, then "campaign" with its length: the delivery id's length is byte 19.
        shifted[19] = 1;
        shifted[20] = (byte)'a';
        shifted[21] = 2;
        shifted[22] = (byte)'b';

        Assert.False(_tokens.TryRead(Base64Url.EncodeToString(shifted), out _));
    }

    [Fact]
    public void Create_TenThousandPocs_AllTokensDistinctAndReadBack()
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 10_000; i++)
        {
            var pocId = $"SGP-{i:D5}";
            var token = _tokens.Create(Ack("campaign-1", pocId));
            Assert.True(tokens.Add(token), $"duplicate token for {pocId}");
            Assert.True(_tokens.TryRead(token, out var claim));
            Assert.Equal(pocId, claim!.RecipientId);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("A")]
    [InlineData("AAAA")]
    [InlineData("not a token")]
    [InlineData("!!!!!!!!")]
    [InlineData("%2F%2F")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.ZRrHA1JJJW8opsbCGfG_HACGpVUMN_a9IV7pAx_Zmeo")]
    public void TryRead_Garbage_ReturnsFalse(string? token)
    {
        Assert.False(_tokens.TryRead(token, out var claim));
        Assert.Null(claim);
    }

    [Fact]
    public void TryRead_Oversize_ReturnsFalse()
    {
        Assert.False(_tokens.TryRead(new string('A', DeliveryLinks.MaxTokenLength + 1), out _));
        Assert.False(_tokens.TryRead(new string('A', 100_000), out _));
    }

    [Fact]
    public void TryRead_SameBytesSpelledDifferently_ReturnsFalse()
    {
        var token = _tokens.Create(Ack("campaign-1", "SGP-1"));
        var standardBase64 = Convert.ToBase64String(Decode(token));

        Assert.False(_tokens.TryRead(token + "=", out _));
        Assert.False(_tokens.TryRead(token + "==", out _));
        Assert.False(_tokens.TryRead(" " + token, out _));
        Assert.False(_tokens.TryRead(token[..10] + "\n" + token[10..], out _));
        if (standardBase64 != token)
        {
            Assert.False(_tokens.TryRead(standardBase64, out _));
        }
    }

    [Fact]
    public void TryRead_ValidMacButUnknownVersion_ReturnsFalse()
    {
        var payload = new byte[] { 9, 1, (byte)'c', 1, (byte)'p' };

        Assert.False(_tokens.TryRead(Forge(_key, payload), out _));
    }

    [Fact]
    public void TryRead_ValidMacButForbiddenIdCharacters_ReturnsFalse()
    {
        var payload = new byte[] { 1, 3, (byte)'a', (byte)'/', (byte)'b', 1, (byte)'p' };

        Assert.False(_tokens.TryRead(Forge(_key, payload), out _));
    }

    [Fact]
    public void TryRead_VersionOneTokenOfAPingSentBeforeLinksHadAPurpose_ReadsAsAnAcknowledgementOfThatCampaign()
    {
        // Pins the first format: links in pings already sent must keep working.
        var payload = new byte[] { 1, 1, (byte)'c', 1, (byte)'p' };

        Assert.True(_tokens.TryRead(Forge(_key, payload), out var claim));
        Assert.Equal(new LinkClaim(LinkPurpose.Acknowledge, "campaign", "c", "p"), claim);
    }

    [Fact]
    public void TryRead_ForgedWithTheCurrentLayoutAndKey_ReturnsClaim()
    {
        // Pins the documented format, so a change to it is a deliberate version bump rather than an accident.
        byte[] payload = [2, (byte)LinkPurpose.Register, 0, 0, 0, 0, 0x6A, 0x2B, 0x3C, 0x00, 7, .. "meeting"u8, 1, (byte)'m', 1, (byte)'p'];

        Assert.True(_tokens.TryRead(Forge(_key, payload, "poc-directory/link/v2"), out var claim));
        Assert.Equal(new LinkClaim(LinkPurpose.Register, "meeting", "m", "p", DateTimeOffset.FromUnixTimeSeconds(0x6A2B3C00)), claim);
    }

    [Fact]
    public void TryRead_VersionOneLayoutUnderTheCurrentLabel_ReturnsFalse()
    {
        // The labels keep the two formats apart: a MAC of one is never accepted as the other.
        var payload = new byte[] { 1, 1, (byte)'c', 1, (byte)'p' };

        Assert.False(_tokens.TryRead(Forge(_key, payload, "poc-directory/link/v2"), out _));
    }

    [Fact]
    public void Create_PurposeFeatureAndExpiry_RoundTripAndEachChangesTheToken()
    {
        var expiry = new DateTimeOffset(2027, 5, 10, 14, 0, 0, TimeSpan.Zero);
        var claim = new LinkClaim(LinkPurpose.Register, "meeting", "01JMEETING", "SGP-1", expiry);
        var token = _tokens.Create(claim);

        Assert.True(_tokens.TryRead(token, out var read));
        Assert.Equal(claim, read);
        Assert.Equal(token, _tokens.Create(claim));
        Assert.NotEqual(token, _tokens.Create(claim with { Purpose = LinkPurpose.Acknowledge }));
        Assert.NotEqual(token, _tokens.Create(claim with { Feature = "exercise" }));
        Assert.NotEqual(token, _tokens.Create(claim with { ExpiresAt = expiry.AddSeconds(1) }));
        Assert.False(read!.HasExpired(expiry));
        Assert.True(read.HasExpired(expiry.AddSeconds(1)));
    }

    [Fact]
    public void Create_FeatureNameTooLongOrUnknownPurpose_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => _tokens.Create(new LinkClaim(LinkPurpose.Acknowledge, new string('f', DeliveryLinks.MaxFeatureLength + 1), "d", "r")));
        Assert.Throws<ArgumentException>(() => _tokens.Create(new LinkClaim((LinkPurpose)99, "campaign", "d", "r")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/inside")]
    [InlineData("under_score")]
    [InlineData("pipe|inside")]
    [InlineData("Ünïcode")]
    [InlineData("new\nline")]
    public void Create_InvalidPocId_ThrowsArgumentException(string pocId)
    {
        Assert.ThrowsAny<ArgumentException>(() => _tokens.Create(Ack("campaign-1", pocId)));
        Assert.ThrowsAny<ArgumentException>(() => _tokens.Create(Ack(pocId, "SGP-1")));
    }

    [Fact]
    public void Create_IdLongerThanLimit_ThrowsArgumentException()
    {
        var id = new string('a', DeliveryLinks.MaxIdLength + 1);

        Assert.Throws<ArgumentException>(() => _tokens.Create(Ack(id, "SGP-1")));
        Assert.Throws<ArgumentException>(() => _tokens.Create(Ack("campaign-1", id)));
    }

    [Fact]
    public void Constructor_KeyShorterThan32Bytes_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => new DeliveryLinks(new byte[31]));
        Assert.Throws<ArgumentNullException>(() => new DeliveryLinks(null!));
    }

    [Fact]
    public void Constructor_CallerChangesKeyAfterwards_TokensStillVerify()
    {
        var key = (byte[])_key.Clone();
        var tokens = new DeliveryLinks(key);
        var token = tokens.Create(Ack("campaign-1", "SGP-1"));

        Array.Clear(key);

        Assert.True(tokens.TryRead(token, out _));
    }

    [Fact]
    public void KeyFromSetting_Base64Of32Bytes_ReturnsKey()
    {
        var key = RandomNumberGenerator.GetBytes(32);

        Assert.Equal(key, DeliveryLinks.KeyFromSetting(Convert.ToBase64String(key)));
        Assert.Equal(key, DeliveryLinks.KeyFromSetting($"  {Convert.ToBase64String(key)}\n"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not base64 at all!")]
    [InlineData("c2hvcnQ=")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")]
    public void KeyFromSetting_MissingShortOrNotBase64_ThrowsNamingTheSetting(string? value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DeliveryLinks.KeyFromSetting(value));

        Assert.Contains("Campaigns:AcknowledgementKey", error.Message, StringComparison.Ordinal);
        if (!string.IsNullOrWhiteSpace(value))
        {
            Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void KeyFromSetting_ThirtyOneBytes_ReportsDecodedLength()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => DeliveryLinks.KeyFromSetting(Convert.ToBase64String(new byte[31])));

        Assert.Contains("31 bytes", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Decode(string token) => Base64Url.DecodeFromChars(token);

    private static LinkClaim Ack(string deliveryId, string recipientId) => new(LinkPurpose.Acknowledge, "campaign", deliveryId, recipientId);

    private static string Forge(byte[] key, byte[] payload, string domain = "poc-directory/ack/v1")
    {
        byte[] input = [.. Encoding.ASCII.GetBytes(domain), .. payload];
        var mac = HMACSHA256.HashData(key, input);
        return Base64Url.EncodeToString([.. payload, .. mac]);
    }
}
