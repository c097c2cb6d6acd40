using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>The delivery core; each feature adds itself as an <see cref="IDeliveryFeature"/>.</summary>
    public static IServiceCollection AddDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.AddSingleton(sp => new DeliveryLinks(DeliveryLinks.KeyFromSetting(sp.GetRequiredService<IOptions<DeliveryOptions>>().Value.AcknowledgementKey)));
        services.AddSingleton<PortalLinks>();
        services.AddSingleton<DeliveryFeatures>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<DeliveryHeaders>();
        services.AddSingleton<LiveProgress>();
        services.AddSingleton<DeliveryWork>();
        services.AddSingleton<DeliveryService>();
        return services;
    }
}
