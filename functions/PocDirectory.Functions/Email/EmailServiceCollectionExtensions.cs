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
    /// Registers <see cref="IEmailSender"/>: the provider named by Email:Provider, paced by Email:MaxPerMinute.
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
            return new RateLimitedEmailSender(inner, options, provider.GetRequiredService<TimeProvider>());
        });

        return services;
    }
}
