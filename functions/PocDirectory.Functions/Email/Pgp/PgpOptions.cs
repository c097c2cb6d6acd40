using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Email.Pgp;

/// <summary>
/// The directory's OpenPGP signing key (decision 0034): <see cref="SigningKey"/>, the armoured secret key itself (in
/// Azure a Key Vault reference), or <see cref="SigningKeyFile"/>, a path to it (locally .local/pgp-signing-key.asc).
/// One of them is required.
/// </summary>
public sealed class PgpOptions
{
    public const string Section = "Pgp";

    public string? SigningKey { get; set; }

    public string? SigningKeyFile { get; set; }

    /// <summary>The secret key's passphrase; keys made by the directory have none (Key Vault protects them).</summary>
    public string? Passphrase { get; set; }

    /// <summary>
    /// Creates a fresh key at <see cref="SigningKeyFile"/> when the file does not exist. For local runs only (run.sh sets
    /// it): in Azure a new key on every cold start would change the published key under the recipients' feet.
    /// </summary>
    public bool CreateIfMissing { get; set; }

    /// <summary>Where the public key is published, named in every message's footer: {Campaigns:PublicBaseUrl}/api/pgp-key unless set.</summary>
    public string? PublicKeyUrl { get; set; }

    /// <summary>The user id of a key the directory creates.</summary>
    public string Identity { get; set; } = "Global POC Directory <pgp@poc-directory.localhost>";
}

public sealed class PgpOptionsValidator : IValidateOptions<PgpOptions>
{
    public ValidateOptionsResult Validate(string? name, PgpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var hasKey = !string.IsNullOrWhiteSpace(options.SigningKey);
        var hasFile = !string.IsNullOrWhiteSpace(options.SigningKeyFile);
        if (!hasKey && !hasFile)
        {
            return ValidateOptionsResult.Fail("Pgp:SigningKey (the armoured OpenPGP secret key) or Pgp:SigningKeyFile (a path to it) is required.");
        }

        if (hasKey && hasFile)
        {
            return ValidateOptionsResult.Fail("Set only one of Pgp:SigningKey and Pgp:SigningKeyFile.");
        }

        if (hasFile && !options.CreateIfMissing && !File.Exists(options.SigningKeyFile))
        {
            return ValidateOptionsResult.Fail($"Pgp:SigningKeyFile names a file that does not exist ({Path.GetFileName(options.SigningKeyFile)}).");
        }

        if (hasKey)
        {
            try
            {
                DirectoryPgp.ReadSecretRing(options.SigningKey!);
            }
            catch (InvalidOperationException e)
            {
                return ValidateOptionsResult.Fail(e.Message);
            }
        }

        if (!Uri.TryCreate(options.PublicKeyUrl, UriKind.Absolute, out _))
        {
            return ValidateOptionsResult.Fail("Pgp:PublicKeyUrl must be an absolute URL (it defaults to {Campaigns:PublicBaseUrl}/api/pgp-key).");
        }

        return ValidateOptionsResult.Success;
    }
}
