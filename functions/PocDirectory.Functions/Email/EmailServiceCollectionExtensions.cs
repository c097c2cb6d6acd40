using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEmailSender"/>: the provider named by Email:Provider, paced for the whole app by
    /// Email:MaxPerMinute and Email:MaxPerHour through a row in the app's table storage (<see cref="EmailPace"/>).
    /// Settings are validated when the host starts. A <see cref="TokenCredential"/> registered by the app is reused
    /// for ACS so that one credential (and its token cache) serves every Azure client.
    /// </summary>
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<EmailOptions>()
            .Bind(configuration.GetSection(EmailOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailOptions>, EmailOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<EmailPace>();
        services.TryAddSingleton<SmtpEmailSender>();
        services.TryAddSingleton(provider => new AcsEmailSender(
            provider.GetRequiredService<IOptions<EmailOptions>>(),
            provider.GetRequiredService<ILogger<AcsEmailSender>>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<TokenCredential>()));

        services.TryAddSingleton<IEmailSender>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<EmailOptions>>();
            IEmailSender inner = options.Value.Provider switch
            {
                EmailProvider.Acs => provider.GetRequiredService<AcsEmailSender>(),
                EmailProvider.Smtp => provider.GetRequiredService<SmtpEmailSender>(),
                _ => throw new InvalidOperationException("Email:Provider is required (Smtp or Acs)."),
            };

            // The footer naming the directory's OpenPGP key goes on inside the pace, so pacing stays the one outer layer.
            if (provider.GetService<Pgp.DirectoryPgp>() is { } pgp)
            {
                if (options.Value.Provider == EmailProvider.Acs)
                {
                    inner = new Pgp.PgpInlineEmailSender(inner, pgp);
                }

                inner = new Pgp.PgpFooterEmailSender(inner, pgp, pgp.PublicKeyUrl);
            }

            return options.Value.PaceInterval > TimeSpan.Zero
                ? new PacedEmailSender(inner, provider.GetRequiredService<EmailPace>(), provider.GetRequiredService<TimeProvider>())
                : inner;
        });

        return services;
    }
}
