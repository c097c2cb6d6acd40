using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PocDirectory.Functions.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The setting the Functions host itself uses; the app keeps its tables in the same account.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    public static IServiceCollection AddTableStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => CreateServiceClient(configuration));
        services.AddSingleton<DirectoryTables>();
        services.AddSingleton(_ => CreateBlobServiceClient(configuration));
        services.AddOptions<IdempotencyOptions>().Bind(configuration.GetSection(IdempotencyOptions.Section))
            .Validate(o => o.InFlightLease > TimeSpan.Zero, $"{IdempotencyOptions.Section}:{nameof(IdempotencyOptions.InFlightLease)} must be longer than zero.")
            .ValidateOnStart();
        services.AddSingleton<IdempotencyStore>();
        return services;
    }

    /// <summary>
    /// Blobs of the same account, for what outgrows a table entity (a report of thousands of POCs). Pinned to a service
    /// version Azurite 3.37 accepts; every feature used here is older than it.
    /// </summary>
    public static BlobServiceClient CreateBlobServiceClient(IConfiguration configuration)
    {
        var options = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06);
        options.Retry.MaxRetries = 3;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        return Account(configuration, "blob") switch
        {
            (string connection, _, _) => new BlobServiceClient(connection, options),
            (null, var uri, var credential) => new BlobServiceClient(uri, credential, options),
        };
    }

    /// <summary>
    /// A connection string (Azurite, or an account key where shared keys are allowed), or the identity-based form
    /// <c>AzureWebJobsStorage__accountName</c> / <c>__tableServiceUri</c> (<c>__blobServiceUri</c> for blobs; + <c>__clientId</c>
    /// for a user-assigned identity).
    /// </summary>
    public static TableServiceClient CreateServiceClient(IConfiguration configuration)
    {
        var options = new TableClientOptions();

        // Fail fast when storage is down: a refused connection reaches the caller as 503 within about a second. The
        // per-try timeout is for hung connections only; it is generous because on a busy machine a healthy call can
        // wait seconds for a thread, and a timeout there would turn load into errors.
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(20);

        // A burst of requests (a thousand acknowledgements at once) queues for a bounded pool of connections instead of
        // opening one each, which swamps the storage endpoint and turns into timeouts.
        options.Transport = new HttpClientTransport(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 32,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });

        return Account(configuration, "table") switch
        {
            (string connection, _, _) => new TableServiceClient(connection, options),
            (null, var uri, var credential) => new TableServiceClient(uri, credential, options),
        };
    }

    /// <summary>The account's connection string, or the <paramref name="service"/> endpoint and the managed identity.</summary>
    private static (string? Connection, Uri Uri, TokenCredential Credential) Account(IConfiguration configuration, string service)
    {
        var section = configuration.GetSection(ConnectionSetting);
        if (!string.IsNullOrWhiteSpace(section.Value))
        {
            return (section.Value, null!, null!);
        }

        var uri = section[$"{service}ServiceUri"]
            ?? (section["accountName"] is { Length: > 0 } account ? $"https://{account}.{service}.core.windows.net" : null)
            ?? throw new OptionsValidationException(ConnectionSetting, typeof(StorageServiceCollectionExtensions),
                [$"{ConnectionSetting} is required: a connection string, or {ConnectionSetting}__accountName to use a managed identity."]);
        return (null, new Uri(uri), new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = section["clientId"] }));
    }
}

/// <summary>The app's tables, created once at start-up.</summary>
public sealed class DirectoryTables(TableServiceClient service)
{
    public TableClient Directory { get; } = service.GetTableClient(StorageKeys.DirectoryTable);

    public TableClient RoleAssignments { get; } = service.GetTableClient(StorageKeys.RoleAssignmentsTable);

    public TableClient Audit { get; } = service.GetTableClient(StorageKeys.AuditTable);

    public TableClient Campaigns { get; } = service.GetTableClient(StorageKeys.CampaignsTable);

    public TableClient CampaignResults { get; } = service.GetTableClient(StorageKeys.CampaignResultsTable);

    public TableClient Idempotency { get; } = service.GetTableClient(StorageKeys.IdempotencyTable);

    public TableClient Deliveries { get; } = service.GetTableClient(StorageKeys.DeliveriesTable);

    public TableClient Communications { get; } = service.GetTableClient(StorageKeys.CommunicationsTable);

    public TableClient Meetings { get; } = service.GetTableClient(StorageKeys.MeetingsTable);

    public TableClient MeetingRegistrations { get; } = service.GetTableClient(StorageKeys.MeetingRegistrationsTable);

    public TableClient MeetingRecipients { get; } = service.GetTableClient(StorageKeys.MeetingRecipientsTable);

    /// <summary>Created at start-up too: a communication is read (its acknowledgements) before its delivery's first snapshot.</summary>
    public TableClient CommunicationRecipients { get; } = service.GetTableClient(StorageKeys.CommunicationRecipientsTable);

    public TableClient Exercises { get; } = service.GetTableClient(StorageKeys.ExercisesTable);

    public TableClient ExerciseRecipients { get; } = service.GetTableClient(StorageKeys.ExerciseRecipientsTable);

    public TableClient Outreach { get; } = service.GetTableClient(StorageKeys.OutreachTable);

    public TableClient Reconfirmations { get; } = service.GetTableClient(StorageKeys.ReconfirmationsTable);

    public TableClient Imports { get; } = service.GetTableClient(StorageKeys.ImportsTable);

    private readonly TableServiceClient _service = service;

    private TableClient[] All =>
        [Directory, RoleAssignments, Audit, Campaigns, CampaignResults, Idempotency, Deliveries, Communications, CommunicationRecipients, Meetings, MeetingRegistrations, MeetingRecipients, Exercises, ExerciseRecipients, Outreach, Reconfirmations, Imports];

    /// <summary>
    /// The tables that hold records, and so audit outbox rows of changes to them: all but the Audit table itself and the
    /// recipient tables (the audit sweep reads those one delivery partition at a time, by the index of started deliveries).
    /// </summary>
    public IReadOnlyList<TableClient> RecordTables =>
        All.Except([Audit, CampaignResults, CommunicationRecipients, MeetingRecipients, ExerciseRecipients]).ToList();

    /// <summary>A table by name: one of the app's own, or a feature's recipients table (the delivery core creates it at its first snapshot).</summary>
    public TableClient Table(string name) => All.FirstOrDefault(t => t.Name == name) ?? _service.GetTableClient(name);

    public async Task CreateIfNotExistsAsync(CancellationToken cancellationToken)
    {
        foreach (var table in All)
        {
            await table.CreateIfNotExistsAsync(cancellationToken);
        }
    }
}
