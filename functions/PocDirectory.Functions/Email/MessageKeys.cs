using System.Security.Cryptography;
using System.Text;

namespace PocDirectory.Functions.Email;

/// <summary>Parts of idempotency keys that tell recipients apart without naming them.</summary>
public static class MessageKeys
{
    /// <summary>
    /// The keys are logged, so they carry a hash rather than an address; 64 bits keep the tens of thousands of messages
    /// of one campaign apart.
    /// </summary>
    public static string Hash(string value)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }

    /// <summary>Case and surrounding spaces do not make another mailbox in practice, so they must not make another message.</summary>
    public static string Address(string email) => email.Trim().ToLowerInvariant();
}
