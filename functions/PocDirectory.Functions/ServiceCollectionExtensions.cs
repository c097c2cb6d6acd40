using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.CapacityBuilding;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Coverage;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Email.Pgp;
using PocDirectory.Functions.Exercises;
using PocDirectory.Functions.Export;
using PocDirectory.Functions.Home;
using PocDirectory.Functions.Imports;
using PocDirectory.Functions.Meetings;
using PocDirectory.Functions.OpenApi;
using PocDirectory.Functions.Outreach;
using PocDirectory.Functions.Reconfirmation;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;
using PocDirectory.Functions.Telemetry;

namespace PocDirectory.Functions;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the functions need, registered the same way by the Functions host and the local runner.</summary>
    public static IServiceCollection AddPocDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddDirectoryTelemetry(configuration);
        services.AddTableStorage(configuration);
        services.AddEmail(configuration);
        services.AddPgp(configuration);

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
        services.AddSingleton<IValidator<EncryptionInput>, EncryptionInputValidator>();
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
        services.AddSingleton<IValidator<SpeakersInput>, SpeakersInputValidator>();
        services.AddSingleton<MeetingStore>();
        services.AddSingleton<MeetingService>();
        services.AddSingleton<MeetingDelivery>();
        services.AddSingleton<IDeliveryFeature>(sp => sp.GetRequiredService<MeetingDelivery>());

        services.AddOptions<ExerciseOptions>().Bind(configuration.GetSection(ExerciseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ExerciseOptions>, ExerciseOptionsValidator>();
        services.AddSingleton<IValidator<ExerciseInput>, ExerciseInputValidator>();
        services.AddSingleton<IValidator<ExerciseResponseInput>, ExerciseResponseInputValidator>();
        services.AddSingleton<IValidator<ObservationInput>, ObservationInputValidator>();
        services.AddSingleton<ExerciseStore>();
        services.AddSingleton<ExercisePlayers>();
        services.AddSingleton<ExerciseService>();
        services.AddSingleton<ExerciseDelivery>();
        services.AddSingleton<IDeliveryFeature>(sp => sp.GetRequiredService<ExerciseDelivery>());
        services.AddSingleton<HomeService>();
        // Participation (issue 18): mission contacts, outreach.
        services.AddSingleton<MissionContactService>();
        services.AddSingleton<IValidator<MissionContactsInput>, MissionContactsInputValidator>();
        services.AddOptions<OutreachOptions>().Bind(configuration.GetSection(OutreachOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OutreachOptions>, OutreachOptionsValidator>();
        services.AddSingleton<IValidator<OutreachInput>, OutreachInputValidator>();
        services.AddSingleton<OutreachStore>();
        services.AddSingleton<OutreachService>();
        services.AddSingleton<OutreachDelivery>();
        services.AddSingleton<IDeliveryFeature>(sp => sp.GetRequiredService<OutreachDelivery>());
        services.AddOptions<ReconfirmationOptions>().Bind(configuration.GetSection(ReconfirmationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReconfirmationOptions>, ReconfirmationOptionsValidator>();
        services.AddSingleton<ReconfirmationStore>();
        services.AddSingleton<ReconfirmationService>();
        services.AddSingleton<ReconfirmationDelivery>();
        services.AddSingleton<IDeliveryFeature>(sp => sp.GetRequiredService<ReconfirmationDelivery>());
        // Exchange with regional directories (issue 18 item 7, decision 0042).
        services.AddSingleton<IValidator<ImportInput>, ImportInputValidator>();
        services.AddSingleton<ImportStore>();
        services.AddSingleton<ImportService>();

        // Records (issue 18 items 3, 5, 6): notes verbales, coverage over time, capacity-building.
        services.AddOptions<NoteVerbaleOptions>().Bind(configuration.GetSection(NoteVerbaleOptions.Section))
            .Validate(o => o.MaxDocumentBytes > 0, $"{NoteVerbaleOptions.Section}:{nameof(NoteVerbaleOptions.MaxDocumentBytes)} must be positive.").ValidateOnStart();
        services.AddSingleton<IValidator<NoteVerbaleInput>, NoteVerbaleInputValidator>();
        services.AddSingleton<NoteVerbaleService>();
        services.AddSingleton<CoverageHistoryService>();
        services.AddSingleton<IValidator<ResourceInput>, ResourceInputValidator>();
        services.AddSingleton<IValidator<TrainingInput>, TrainingInputValidator>();
        services.AddSingleton<CapacityBuildingService>();
        services.AddSingleton<FocalPointNotices>();
        services.AddSingleton<PgpKeyExpiryService>();

        services.AddSingleton<OpenApiDocument>();
        services.AddHostedService<DirectorySeeder>();
        services.AddHostedService<AuditOutboxMover>();
        return services;
    }
}
