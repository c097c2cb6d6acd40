using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace PocDirectory.Functions.Campaigns;

/// <summary>What a valid acknowledgement token vouches for: one POC may acknowledge one campaign.</summary>
public sealed record AcknowledgementClaim(string CampaignId, string PocId);

/// <summary>
/// Makes and checks the tokens in acknowledgement links. A token is
/// base64url(version 1 | campaign id length | campaign id | POC id length | POC id | HMAC-SHA256), the MAC taken with a
/// server key over a domain label and everything before it. Holding a token lets its bearer acknowledge that one
/// campaign for that one POC and nothing else.
/// </summary>
/// <remarks>
/// The token deliberately carries no deadline: the caller checks the campaign's stored deadline and status, so moving
/// the deadline or cancelling the campaign applies at once to every link already sent, and a link cannot outlive the
/// campaign by carrying its own expiry. Tokens are deterministic, so the ping and every reminder carry the same link;
/// unguessability comes from the 256-bit MAC under a secret key. Instances hold no mutable state and are safe to share.
/// </remarks>
public sealed class AcknowledgementTokens
{
    /// <summary>The setting the key is read from, named in every configuration error.</summary>
    public const string KeySetting = "Campaigns:AcknowledgementKey";

    public const int MinimumKeyBytes = 32;

    /// <summary>Longest id either part may have; a one-byte length prefix and short links depend on it.</summary>
    public const int MaxIdLength = 64;

    /// <summary>Longer input is refused before decoding; real tokens are at most 218 characters.</summary>
    public const int MaxTokenLength = 512;

    private const byte Version = 1;
    private const int MacLength = HMACSHA256.HashSizeInBytes;

    // Version, then a length prefix and at least one character for each id.
    private const int MinPayloadLength = 1 + 1 + 1 + 1 + 1;
    private const int MaxPayloadLength = 1 + 1 + MaxIdLength + 1 + MaxIdLength;

    private readonly byte[] _key;

    public AcknowledgementTokens(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The acknowledgement key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        // A copy, so a caller that reuses or clears its array cannot change which tokens verify.
        _key = (byte[])key.Clone();
    }

    // The label keeps these MACs apart from any other MAC a future feature might compute with the same key.
    private static ReadOnlySpan<byte> Domain => "poc-directory/ack/v1"u8;

    /// <summary>A URL-safe token (base64url, no padding) that lets its bearer acknowledge <paramref name="campaignId"/> for <paramref name="pocId"/>.</summary>
    /// <exception cref="ArgumentException">An id is empty, longer than <see cref="MaxIdLength"/>, or holds anything but ASCII letters, digits and '-'.</exception>
    public string Create(string campaignId, string pocId)
    {
        ThrowIfNotId(campaignId, nameof(campaignId));
        ThrowIfNotId(pocId, nameof(pocId));

        // Ids are ASCII, so their UTF-8 bytes are their characters.
        var payloadLength = 1 + 1 + campaignId.Length + 1 + pocId.Length;
        Span<byte> token = stackalloc byte[MaxPayloadLength + MacLength];
        token[0] = Version;
        var afterCampaign = WriteId(token, 1, campaignId);
        WriteId(token, afterCampaign, pocId);

        ComputeMac(token[..payloadLength], token.Slice(payloadLength, MacLength));
        return Base64Url.EncodeToString(token[..(payloadLength + MacLength)]);
    }

    /// <summary>
    /// Reads a token from a link. False for anything this class did not create with the same key: null, empty,
    /// oversized, malformed or altered input, another key, or another token format version. Expiry is not checked
    /// here (see the class remarks).
    /// </summary>
    public bool TryRead(string? token, out AcknowledgementClaim? claim)
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
        if (!Base64Url.TryEncodeToChars(bytes, canonical, out var canonicalLength)
            || !canonical[..canonicalLength].SequenceEqual(token))
        {
            return false;
        }

        if (bytes.Length < MinPayloadLength + MacLength || bytes[0] != Version)
        {
            return false;
        }

        if (!TrySlice(bytes, 1, out var campaignId, out var next) || !TrySlice(bytes, next, out var pocId, out var payloadLength)
            || bytes.Length != payloadLength + MacLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacLength];
        ComputeMac(bytes[..payloadLength], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.Slice(payloadLength, MacLength)))
        {
            return false;
        }

        // Only reachable with a valid MAC, i.e. for ids Create accepted; checked again so a leaked key or a future
        // format bug cannot smuggle other characters into table keys and URLs.
        if (!IsId(campaignId) || !IsId(pocId))
        {
            return false;
        }

        claim = new AcknowledgementClaim(Encoding.ASCII.GetString(campaignId), Encoding.ASCII.GetString(pocId));
        return true;
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

    private void ComputeMac(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[Domain.Length + MaxPayloadLength];
        Domain.CopyTo(input);
        payload.CopyTo(input[Domain.Length..]);
        HMACSHA256.HashData(_key, input[..(Domain.Length + payload.Length)], destination);
    }

    private static int WriteId(Span<byte> destination, int at, string id)
    {
        destination[at] = (byte)id.Length;
        Encoding.ASCII.GetBytes(id, destination[(at + 1)..]);
        return at + 1 + id.Length;
    }

    private static bool TrySlice(ReadOnlySpan<byte> bytes, int at, out ReadOnlySpan<byte> id, out int next)
    {
        id = default;
        next = 0;
        if (at >= bytes.Length)
        {
            return false;
        }

        int length = bytes[at];
        if (length is < 1 or > MaxIdLength || at + 1 + length > bytes.Length)
        {
            return false;
        }

        id = bytes.Slice(at + 1, length);
        next = at + 1 + length;
        return true;
    }

    private static void ThrowIfNotId(string id, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(id, paramName);
        if (id.Length > MaxIdLength || !id.All(IsIdChar))
        {
            throw new ArgumentException($"Ids are 1 to {MaxIdLength} ASCII letters, digits or '-'.", paramName);
        }
    }

    private static bool IsId(ReadOnlySpan<byte> id)
    {
        foreach (var b in id)
        {
            if (!IsIdChar((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIdChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-';
}
