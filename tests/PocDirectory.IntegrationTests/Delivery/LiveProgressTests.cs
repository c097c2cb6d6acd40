using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PocDirectory.Functions;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Delivery;

namespace PocDirectory.IntegrationTests.Delivery;

/// <summary>The live counts on real rows in Azurite, on the app's clock: shared a moment for a large delivery, never across its close.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class LiveProgressTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task ALargeDelivery_SharesItsCountsForAMoment_ButAStateChangeOrTheClockReadsAfresh()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = AppServices(clock, freshUpTo: 2);
        var (delivery, store, live) = (PingDelivery.Of(Guid.NewGuid().ToString("N")), app.GetRequiredService<DeliveryStore>(), app.GetRequiredService<LiveProgress>());
        await SnapshotAsync(store, delivery, "a", "b", "c");

        Assert.Equal(3, (await live.ReadAsync(delivery, "Running", default)).Pending);
        await AcknowledgeAsync(store, delivery, "a", clock);

        // Three recipients is "large" here: within its second the count is the one just read, for every page asking.
        Assert.Equal((3, 0), Counts(await live.ReadAsync(delivery, "Running", default)));
        Assert.Equal((2, 1), Counts(await live.ReadAsync(delivery, "Completed", default)));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((2, 1), Counts(await live.ReadAsync(delivery, "Running", default)));
    }

    [Fact]
    public async Task ADeliveryUpToTheFreshLimit_IsCountedAfreshOnEveryAsk()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = AppServices(clock, freshUpTo: 3);
        var (delivery, store, live) = (PingDelivery.Of(Guid.NewGuid().ToString("N")), app.GetRequiredService<DeliveryStore>(), app.GetRequiredService<LiveProgress>());
        await SnapshotAsync(store, delivery, "a", "b", "c");

        Assert.Equal((3, 0), Counts(await live.ReadAsync(delivery, "Running", default)));
        await AcknowledgeAsync(store, delivery, "b", clock);
        Assert.Equal((2, 1), Counts(await live.ReadAsync(delivery, "Running", default)));
    }

    private static (int Pending, int Acknowledged) Counts(DeliveryProgress progress) => (progress.Pending, progress.Acknowledged);

    private static Task SnapshotAsync(DeliveryStore store, DeliveryRef delivery, params string[] ids)
        => store.SnapshotAsync(delivery, ids.Select(id => RecipientEntity.Snapshot(delivery.Id, new NamedRecipient(id, "XA", "Technical", $"POC {id}", $"{id}@example.org"), null, 0)).ToList(), 50, default);

    private static async Task AcknowledgeAsync(DeliveryStore store, DeliveryRef delivery, string id, TimeProvider clock)
        => Assert.True(await store.ResolveAsync(delivery, id, row =>
        {
            row.Outcome = nameof(RecipientOutcome.Acknowledged);
            row.AcknowledgedAt = clock.GetUtcNow();
        }, default));

    private ServiceProvider AppServices(TimeProvider clock, int freshUpTo)
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite, fixture.Smtp.Port);
        settings["Campaigns:PublicBaseUrl"] = fixture.Runner.BaseAddress.ToString();
        settings["Campaigns:FreshProgressUpTo"] = freshUpTo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPocDirectory(configuration);
        services.AddSingleton(clock);
        return services.BuildServiceProvider();
    }
}
