using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Email.Pgp;

public static class PgpServiceCollectionExtensions
{
    /// <summary>
    /// Registers the directory's OpenPGP key (<see cref="DirectoryPgp"/>), validated at start: with it, the email
    /// pipeline of <see cref="EmailServiceCollectionExtensions.AddEmail"/> adds the key's footer and encrypts to keyed recipients.
    /// </summary>
    public static IServiceCollection AddPgp(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PgpOptions>()
            .Bind(configuration.GetSection(PgpOptions.Section))
            .PostConfigure(o => o.PublicKeyUrl ??= (configuration["Campaigns:PublicBaseUrl"] ?? string.Empty).TrimEnd('/') + "/api/pgp-key")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PgpOptions>, PgpOptionsValidator>());
        services.TryAddSingleton<DirectoryPgp>();
        return services;
    }
}
