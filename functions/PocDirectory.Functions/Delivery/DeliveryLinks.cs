using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PocDirectory.Functions.Delivery;

/// <summary>What a link lets its bearer do; each purpose has its own portal page and anonymous route.</summary>
public enum LinkPurpose : byte
{
    /// <summary>Acknowledge a message (a ping, a communication): /ack/{token}.</summary>
    Acknowledge = 1,

    /// <summary>Register for a meeting, or decline: /rsvp/{token}.</summary>
    Register = 2,

    /// <summary>Answer an exercise inject: /respond/{token}.</summary>
    Respond = 3,

    /// <summary>Confirm one's details are current: /confirm/{token}.</summary>
    Confirm = 4,
}

/// <summary>
/// What a valid link vouches for: one recipient may do <see cref="Purpose"/> for one delivery of one feature, until
/// <see cref="ExpiresAt"/> (if set).
/// </summary>
public sealed record LinkClaim(LinkPurpose Purpose, string Feature, string DeliveryId, string RecipientId, DateTimeOffset? ExpiresAt = null)
{
    public bool HasExpired(DateTimeOffset now) => ExpiresAt is { } expiry && now > expiry;
}

/// <summary>
/// Makes and checks the tokens in the links of every message that expects an answer. A token is
/// base64url(version 2 | purpose | expiry as Unix seconds, 0 for none | feature | delivery id | recipient id | HMAC-SHA256),
/// each id with a one-byte length, the MAC taken with a server key over a domain label and everything before it.
/// Tokens of the first format (version 1: campaign id, POC id, under the label of acknowledgement links) were sent in
/// ping emails before this format existed; they still read, as acknowledgements of that campaign without expiry.
/// </summary>
/// <remarks>
/// Expiry here is a backstop: the feature still checks its stored deadline and status, so moving a deadline or
/// cancelling applies at once to every link sent. Tokens are deterministic (same claim, same token), so a message and
/// its reminders carry the same link; unguessability comes from the 256-bit MAC under a secret key. Instances hold
/// no mutable state and are safe to share.
/// </remarks>
public sealed class DeliveryLinks
{
    /// <summary>The setting the key is read from (its name predates the other features), named in every configuration error.</summary>
    public const string KeySetting = "Campaigns:AcknowledgementKey";

    public const int MinimumKeyBytes = 32;

    /// <summary>Longest id any part may have; one-byte length prefixes and short links depend on it.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Longest feature name ("campaign", "communication"...).</summary>
    public const int MaxFeatureLength = 16;

    /// <summary>Longer input is refused before decoding; real tokens are at most 252 characters.</summary>
    public const int MaxTokenLength = 512;

    /// <summary>The feature every version-1 token belongs to.</summary>
    public const string LegacyFeature = "campaign";

    private const byte LegacyVersion = 1;
    private const byte Version = 2;
    private const int MacLength = HMACSHA256.HashSizeInBytes;
    private const int MaxPayloadLength = 1 + 1 + 8 + (1 + MaxFeatureLength) + (2 * (1 + MaxIdLength));

    private readonly byte[] _key;

    public DeliveryLinks(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The link key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        // A copy, so a caller that reuses or clears its array cannot change which tokens verify.
        _key = (byte[])key.Clone();
    }

    // The labels keep these MACs apart from any other MAC computed with the same key, and the two formats apart.
    private static ReadOnlySpan<byte> LegacyDomain => "poc-directory/ack/v1"u8;

    private static ReadOnlySpan<byte> Domain => "poc-directory/link/v2"u8;

    /// <summary>A URL-safe token (base64url, no padding) for <paramref name="claim"/>.</summary>
    /// <exception cref="ArgumentException">A part is empty, too long, or holds anything but ASCII letters, digits and '-'.</exception>
    public string Create(LinkClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (!Enum.IsDefined(claim.Purpose))
        {
            throw new ArgumentException("Unknown link purpose.", nameof(claim));
        }

        ThrowIfNotId(claim.Feature, MaxFeatureLength, nameof(claim));
        ThrowIfNotId(claim.DeliveryId, MaxIdLength, nameof(claim));
        ThrowIfNotId(claim.RecipientId, MaxIdLength, nameof(claim));

        Span<byte> token = stackalloc byte[MaxPayloadLength + MacLength];
        token[0] = Version;
        token[1] = (byte)claim.Purpose;
        BinaryPrimitives.WriteInt64BigEndian(token[2..], claim.ExpiresAt?.ToUnixTimeSeconds() ?? 0);
        var at = WriteId(token, 10, claim.Feature);
        at = WriteId(token, at, claim.DeliveryId);
        at = WriteId(token, at, claim.RecipientId);

        ComputeMac(Domain, token[..at], token.Slice(at, MacLength));
        return Base64Url.EncodeToString(token[..(at + MacLength)]);
    }

    /// <summary>
    /// Reads a token from a link. False for anything this class did not create with the same key: null, empty,
    /// oversized, malformed or altered input, another key, or an unknown format. Expiry is returned, not checked: an
    /// expired link is known and deserves "expired", not "unknown".
    /// </summary>
    public bool TryRead(string? token, out LinkClaim? claim)
    {
        claim = null;
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Base64Url.GetMaxDecodedLength(MaxTokenLength)];
        if (Base64Url.DecodeFromChars(token, bytes, out var consumed, out var written) != OperationStatus.Done || consumed != token.Length)
        {
            return false;
        }

        bytes = bytes[..written];

        // The decoder tolerates whitespace, padding and stray low bits; requiring the one canonical spelling means a
        // token has exactly one string form, so logs, rate limits and caches keyed by it cannot be sidestepped.
        Span<char> canonical = stackalloc char[MaxTokenLength];
        if (!Base64Url.TryEncodeToChars(bytes, canonical, out var canonicalLength) || !canonical[..canonicalLength].SequenceEqual(token))
        {
            return false;
        }

        return bytes.Length > MacLength && bytes[0] switch
        {
            LegacyVersion => TryReadLegacy(bytes, out claim),
            Version => TryReadCurrent(bytes, out claim),
            _ => false,
        };
    }

    /// <summary>The key from the base64 value of <see cref="KeySetting"/>.</summary>
    /// <exception cref="InvalidOperationException">The value is missing, not base64, or shorter than <see cref="MinimumKeyBytes"/> bytes once decoded.</exception>
    public static byte[] KeyFromSetting(string? value)
    {
        // The messages never echo the value: it is a secret and they end up in start-up logs.
        const string Advice = "Set it to at least 32 random bytes in base64, e.g. the output of `openssl rand -base64 32`.";
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"The setting {KeySetting} is missing. {Advice}");
        }

        var trimmed = value.Trim();
        var buffer = new byte[(trimmed.Length / 4 * 3) + 3];
        if (!Convert.TryFromBase64String(trimmed, buffer, out var length))
        {
            throw new InvalidOperationException($"The setting {KeySetting} is not valid base64. {Advice}");
        }

        if (length < MinimumKeyBytes)
        {
            throw new InvalidOperationException($"The setting {KeySetting} decodes to {length} bytes; at least {MinimumKeyBytes} are required. {Advice}");
        }

        return buffer[..length];
    }

    /// <summary>Version 1: campaign id and POC id, an acknowledgement without expiry.</summary>
    private bool TryReadLegacy(ReadOnlySpan<byte> bytes, out LinkClaim? claim)
    {
        claim = null;
        if (!TrySlice(bytes, 1, MaxIdLength, out var campaignId, out var next) || !TrySlice(bytes, next, MaxIdLength, out var pocId, out var payloadLength)
            || bytes.Length != payloadLength + MacLength || !MacMatches(LegacyDomain, bytes, payloadLength))
        {
            return false;
        }

        claim = new LinkClaim(LinkPurpose.Acknowledge, LegacyFeature, Encoding.ASCII.GetString(campaignId), Encoding.ASCII.GetString(pocId));
        return true;
    }

    private bool TryReadCurrent(ReadOnlySpan<byte> bytes, out LinkClaim? claim)
    {
        claim = null;
        if (bytes.Length < 10 || !Enum.IsDefined((LinkPurpose)bytes[1])
            || !TrySlice(bytes, 10, MaxFeatureLength, out var feature, out var next)
            || !TrySlice(bytes, next, MaxIdLength, out var deliveryId, out next)
            || !TrySlice(bytes, next, MaxIdLength, out var recipientId, out var payloadLength)
            || bytes.Length != payloadLength + MacLength || !MacMatches(Domain, bytes, payloadLength))
        {
            return false;
        }

        var expiry = BinaryPrimitives.ReadInt64BigEndian(bytes[2..10]);
        if (expiry is < 0 or > 253402300799)
        {
            return false;
        }

        claim = new LinkClaim((LinkPurpose)bytes[1], Encoding.ASCII.GetString(feature), Encoding.ASCII.GetString(deliveryId),
            Encoding.ASCII.GetString(recipientId), expiry == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(expiry));
        return true;
    }

    private bool MacMatches(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> bytes, int payloadLength)
    {
        Span<byte> expected = stackalloc byte[MacLength];
        ComputeMac(domain, bytes[..payloadLength], expected);
        return CryptographicOperations.FixedTimeEquals(expected, bytes.Slice(payloadLength, MacLength));
    }

    private void ComputeMac(ReadOnlySpan<byte> domain, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[32 + MaxPayloadLength];
        domain.CopyTo(input);
        payload.CopyTo(input[domain.Length..]);
        HMACSHA256.HashData(_key, input[..(domain.Length + payload.Length)], destination);
    }

    private static int WriteId(Span<byte> destination, int at, string id)
    {
        destination[at] = (byte)id.Length;
        Encoding.ASCII.GetBytes(id, destination[(at + 1)..]);
        return at + 1 + id.Length;
    }

    /// <summary>
    /// One length-prefixed id. Its characters are checked even though only a valid MAC gets that far: a leaked key or a
    /// future format bug must not smuggle other characters into table keys and URLs.
    /// </summary>
    private static bool TrySlice(ReadOnlySpan<byte> bytes, int at, int maxLength, out ReadOnlySpan<byte> id, out int next)
    {
        id = default;
        next = 0;
        if (at >= bytes.Length)
        {
            return false;
        }

        int length = bytes[at];
        if (length < 1 || length > maxLength || at + 1 + length > bytes.Length)
        {
            return false;
        }

        id = bytes.Slice(at + 1, length);
        next = at + 1 + length;
        foreach (var b in id)
        {
            if (!IsIdChar((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static void ThrowIfNotId(string id, int maxLength, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, paramName);
        if (id.Length > maxLength || !id.All(IsIdChar))
        {
            throw new ArgumentException($"Link parts are 1 to {maxLength} ASCII letters, digits or '-'.", paramName);
        }
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
