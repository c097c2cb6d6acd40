using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Security;

/// <summary>Settings of section "Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>OpenID Connect authority whose keys sign user tokens (Entra ID in Azure), e.g. https://login.microsoftonline.com/{tenant}/v2.0.</summary>
    public string? Authority { get; set; }

    /// <summary>The audience tokens must be issued for (the API's application id URI or client id).</summary>
    public string Audience { get; set; } = string.Empty;

    /// <summary>Local use only: a symmetric key (at least 32 characters) that signs tokens minted by POST /api/dev/token.
    /// When empty, that route does not exist.</summary>
    public string? DevSigningKey { get; set; }

    /// <summary>
    /// The delegated scope of this API that a user's access token must carry in <c>scp</c> (an app role in <c>roles</c>
    /// also counts). ID tokens carry neither, so they are refused.
    /// </summary>
    public string Scope { get; set; } = "access_as_user";

    /// <summary>Email of the user who is always Secretariat, so a new deployment can be administered at all.</summary>
    public string BootstrapSecretariat { get; set; } = string.Empty;

    /// <summary>
    /// How long an instance may answer from its copy of a user's roles before reading them again (0 = every request).
    /// Changes made through this instance take effect at once; other instances see them within this time.
    /// </summary>
    public TimeSpan RoleCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    public const string DevIssuer = "poc-directory-dev";

    public bool DevTokensEnabled => !string.IsNullOrEmpty(DevSigningKey);

    public byte[] DevKeyBytes => Encoding.UTF8.GetBytes(DevSigningKey ?? string.Empty);
}

/// <summary>Checks the "Auth" section at start-up; <paramref name="configuration"/> tells whether the app runs in Azure.</summary>
public sealed class AuthOptionsValidator(IConfiguration configuration) : IValidateOptions<AuthOptions>
{
    /// <summary>
    /// Variables the Azure platform sets on every Functions instance, whatever the plan, and that neither the local runner
    /// nor Core Tools set. (CONTAINER_NAME, the Linux Consumption marker, is left out: any container may have it.)
    /// </summary>
    public static readonly string[] AzureMarkers = ["WEBSITE_INSTANCE_ID", "WEBSITE_SITE_NAME", "WEBSITE_SKU"];


    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            failures.Add("Auth:Audience is required (the audience user tokens are issued for).");
        }

        if (string.IsNullOrWhiteSpace(options.Authority) && !options.DevTokensEnabled)
        {
            failures.Add("Auth:Authority is required (the OpenID Connect authority, e.g. Entra ID); only a local set-up may use Auth:DevSigningKey instead.");
        }

        // The development key mints tokens for anyone, so it must never be reachable where real users are.
        if (options.DevTokensEnabled && !string.IsNullOrWhiteSpace(options.Authority))
        {
            failures.Add("Auth:DevSigningKey must not be set together with Auth:Authority: development sign-in is for local use only. Remove Auth:DevSigningKey.");
        }

        if (options.DevTokensEnabled && AzureMarkers.FirstOrDefault(m => !string.IsNullOrEmpty(configuration[m])) is { } marker)
        {
            failures.Add($"Auth:DevSigningKey must not be set when the app runs in Azure ({marker} is set): development sign-in is for local use only. Remove Auth:DevSigningKey and set Auth:Authority.");
        }

        if (string.IsNullOrWhiteSpace(options.Scope))
        {
            failures.Add("Auth:Scope is required (the API scope user tokens must carry, e.g. access_as_user).");
        }

        if (options.DevTokensEnabled && options.DevSigningKey!.Length < 32)
        {
            failures.Add("Auth:DevSigningKey must be at least 32 characters long.");
        }

        if (!string.IsNullOrWhiteSpace(options.Authority) && !Uri.TryCreate(options.Authority, UriKind.Absolute, out _))
        {
            failures.Add("Auth:Authority must be an absolute https URL.");
        }

        if (string.IsNullOrWhiteSpace(options.BootstrapSecretariat) || !options.BootstrapSecretariat.Contains('@', StringComparison.Ordinal))
        {
            failures.Add("Auth:BootstrapSecretariat is required (the email of the first Secretariat user).");
        }

        if (options.RoleCacheDuration < TimeSpan.Zero || options.RoleCacheDuration > TimeSpan.FromMinutes(5))
        {
            failures.Add("Auth:RoleCacheDuration must be from 00:00:00 to 00:05:00 (a revoked role must stop working soon).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
