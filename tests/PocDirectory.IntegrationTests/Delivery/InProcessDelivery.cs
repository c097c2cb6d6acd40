using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PocDirectory.Functions;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Storage;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests.Delivery;

/// <summary>
/// The app's services and the delivery core's orchestration in this process, on the fixture's Azurite and SMTP server,
/// so a feature that exists only in a test can run on the real core: its activities are the app's
/// <see cref="DeliveryActivities"/>, its durable timers real ones on the Durable Task SDK's test host.
/// </summary>
public sealed class InProcessDelivery : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly DurableTaskTestHost _host;

    private InProcessDelivery(ServiceProvider services, DurableTaskTestHost host) => (_services, _host) = (services, host);

    public DurableTaskClient Client => _host.Client;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<InProcessDelivery> StartAsync(DirectoryFixture fixture, Action<IServiceCollection> addFeature)
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite, fixture.Smtp.Port);
        settings["Campaigns:PublicBaseUrl"] = fixture.Runner.BaseAddress.ToString();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPocDirectory(configuration);
        addFeature(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DirectoryTables>().CreateIfNotExistsAsync(CancellationToken.None);

        var activities = ActivatorUtilities.CreateInstance<DeliveryActivities>(provider);
        var host = await DurableTestHosts.StartAsync(registry =>
        {
            registry.AddOrchestratorFunc<DeliveryInput, DeliverySummary>(DeliveryOrchestrator.Name, (context, input) => DeliveryOrchestrator.RunAsync(context, input));
            registry.AddActivityFunc<SnapshotInput, int>(DeliveryActivities.Snapshot, (_, i) => activities.DeliverySnapshot(i, default));
            registry.AddActivityFunc<SendBatchInput, BatchOutcome>(DeliveryActivities.SendBatch, (_, i) => activities.DeliverySendBatch(i, default));
            registry.AddActivityFunc<SendBatchInput, int>(DeliveryActivities.GiveUpBatch, (_, i) => activities.DeliveryGiveUpBatch(i, default));
            registry.AddActivityFunc<EscalateInput, EscalationOutcome>(DeliveryActivities.Escalate, (_, i) => activities.DeliveryEscalate(i, default));
            registry.AddActivityFunc<CloseInput, DeliverySummary>(DeliveryActivities.Close, (_, i) => activities.DeliveryClose(i, default));
            registry.AddActivityFunc<StepFailure, bool>(DeliveryActivities.RecordFailure, (_, i) => activities.DeliveryRecordFailure(i, default));
            registry.AddActivityFunc<DeliveryRef, bool>(DeliveryActivities.Resume, (_, i) => activities.DeliveryResume(i, default));
        });
        return new InProcessDelivery(provider, host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        await _services.DisposeAsync();
    }
}
