using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Export;
using PocDirectory.Functions.Meetings;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the functions need, registered the same way by the Functions host and the local runner.</summary>
    public static IServiceCollection AddPocDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddTableStorage(configuration);
        services.AddEmail(configuration);

        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>>(new AuthOptionsValidator(configuration));
        services.AddSingleton<TokenService>();
        services.AddSingleton<IValidator<DevTokenRequest>, DevTokenRequestValidator>();
        services.AddSingleton<CallerResolver>();
        services.AddSingleton<ApiHandler>();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddSingleton<RequestRateLimiter>();

        services.AddSingleton<AuditLog>();
        services.AddSingleton<RoleStore>();
        services.AddSingleton<RoleAssignmentService>();
        services.AddSingleton<IValidator<RoleAssignmentInput>, RoleAssignmentInputValidator>();
        services.AddSingleton<ParticipantStore>();
        services.AddSingleton<ParticipantService>();
        services.AddSingleton<IValidator<ParticipantInput>, ParticipantInputValidator>();
        services.AddSingleton<PocStore>();
        services.AddSingleton<PocService>();
        services.AddSingleton<IValidator<PocInput>, PocInputValidator>();
        services.AddSingleton<ExportService>();

        services.AddDelivery(configuration);

        services.AddOptions<CampaignOptions>().Bind(configuration.GetSection(CampaignOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CampaignOptions>, CampaignOptionsValidator>();
        services.AddSingleton<IValidator<CampaignInput>, CampaignInputValidator>();
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<CampaignService>();
        services.AddSingleton<CampaignClosing>();
        services.AddSingleton<PingDelivery>();
        services.AddSingleton<IDeliveryFeature>(sp => sp.GetRequiredService<PingDelivery>());
        services.AddSingleton<IValidator<CampaignScheduleInput>, CampaignScheduleInputValidator>();
        services.AddSingleton<CampaignScheduler>();

        services.AddOptions<CommunicationOptions>().Bind(configuration.GetSection(CommunicationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CommunicationOptions>, CommunicationOptionsValidator>();
        services.AddSingleton<IValidator<CommunicationInput>, CommunicationInputValidator>();
        services.AddSingleton<IValidator<ReplyInput>, ReplyInputValidator>();
        services.AddSingleton<CommunicationStore>();
        services.AddSingleton<CommunicationService>();
        services.AddSingleton<CommunicationDelivery>();
        services.AddSingleton<IDeliveryFeature>(sp => sp.GetRequiredService<CommunicationDelivery>());

        services.AddSingleton<IValidator<MeetingInput>, MeetingInputValidator>();
        services.AddSingleton<IValidator<RegistrationInput>, RegistrationInputValidator>();
        services.AddSingleton<IValidator<MeetingCopyInput>, MeetingCopyInputValidator>();
        services.AddSingleton<IValidator<AttendanceInput>, AttendanceInputValidator>();
        services.AddSingleton<MeetingStore>();
        services.AddSingleton<MeetingService>();
        services.AddSingleton<MeetingDelivery>();
        services.AddSingleton<IDeliveryFeature>(sp => sp.GetRequiredService<MeetingDelivery>());

        services.AddSingleton<OpenApiDocument>();
        services.AddHostedService<DirectorySeeder>();
        return services;
    }
}
