using System.Security.Cryptography;
using System.Text;

namespace PocDirectory.Functions.Email;

/// <summary>
/// Turns an idempotency key into the ids the providers deduplicate on. Both are pure functions of the key, so a
/// retried activity or a replayed orchestration produces the same ids and the provider can drop the duplicate.
/// </summary>
internal static class EmailMessageIds
{
    // A fixed namespace keeps ids stable across processes and deployments, and distinct from ids that other
    // systems might derive from the same strings.
    private static readonly Guid _idNamespace = new("3d0f6a52-8c1e-4f63-9a57-0c2b7e4d91a8");

    /// <summary>
    /// A name-based UUID (RFC 9562 version 8, SHA-256 of namespace and key): ACS requires a UUID for Operation-Id,
    /// and version 5's SHA-1 is avoided.
    /// </summary>
    public static Guid OperationId(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);

        var keyBytes = Encoding.UTF8.GetBytes(idempotencyKey);
        var input = new byte[16 + keyBytes.Length];
        _idNamespace.TryWriteBytes(input, bigEndian: true, out _);
        keyBytes.CopyTo(input, 16);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, hash);

        var uuid = hash[..16];
        uuid[6] = (byte)((uuid[6] & 0x0F) | 0x80);
        uuid[8] = (byte)((uuid[8] & 0x3F) | 0x80);
        return new Guid(uuid, bigEndian: true);
    }

    /// <summary>The Message-ID (without angle brackets) for SMTP, sharing the ACS operation id so logs can be correlated.</summary>
    public static string MessageId(string idempotencyKey) => $"{OperationId(idempotencyKey):N}@pocdirectory";
}
