using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PocDirectory.Functions;
using PocDirectory.Functions.Coverage;
using PocDirectory.Functions.Storage;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 18, item 5: a daily snapshot of nomination counts, read back as one point per day.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class CoverageHistoryTests(DirectoryFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task History_OverASimulatedRange_HasOnePointPerDay_AndDaysWithoutASnapshotCarryTheLastOne()
    {
        // Days long past, so the runner's own timer (today) never writes among them; the app's clock is moved instead.
        var clock = new FakeTimeProvider(new DateTimeOffset(2001, 3, 1, 0, 5, 0, TimeSpan.Zero));
        await using var app = AppServices(clock);
        var snapshots = app.GetRequiredService<CoverageHistoryService>();

        var first = await snapshots.TakeSnapshotAsync(CancellationToken.None);
        var x = await fixture.NewParticipantAsync();
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        clock.Advance(TimeSpan.FromDays(1));
        var second = await snapshots.TakeSnapshotAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromDays(2)); // 3 March has no snapshot: the timer did not run
        await snapshots.TakeSnapshotAsync(CancellationToken.None);

        var history = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/coverage/history?from=2001-02-27&to=2001-03-06");
        var points = history!["points"]!.AsArray();
        Assert.Equal(["2001-03-01", "2001-03-02", "2001-03-03", "2001-03-04", "2001-03-05", "2001-03-06"], points.Select(p => p!["date"]!.GetValue<string>()));
        Assert.Equal([false, false, true, false, true, true], points.Select(p => p!["carried"]!.GetValue<bool>()));
        Assert.Equal(first.Nominated + 1, second.Nominated);
        Assert.Equal(second.Nominated, points[2]!["nominated"]!.GetValue<int>());
        foreach (var point in points)
        {
            Assert.Equal(point!["participants"]!.GetValue<int>(), point["byStatus"]!.AsObject().Sum(s => s.Value!.GetValue<int>()));
            Assert.Equal(point["nominated"]!.GetValue<int>(), point["byRegion"]!.AsObject().Sum(s => s.Value!.GetValue<int>()));
        }

        // A participant without a region (a regional organisation) counts under noRegion.
        Assert.Equal(first.ByRegion[CoverageHistoryService.NoRegion] + 1, points[1]!["byRegion"]![CoverageHistoryService.NoRegion]!.GetValue<int>());
    }

    [Fact]
    public async Task Snapshot_Of200Participants_IsASmallEntity()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2001, 6, 1, 0, 5, 0, TimeSpan.Zero));
        await using var app = AppServices(clock);
        var point = await app.GetRequiredService<CoverageHistoryService>().TakeSnapshotAsync(CancellationToken.None);
        Assert.True(point.Participants >= 200, $"{point.Participants} participants");

        var table = new TableServiceClient(fixture.Azurite.ConnectionString).GetTableClient(StorageKeys.CoverageHistoryTable);
        var row = (await table.GetEntityAsync<TableEntity>(StorageKeys.CoverageDayPartition, "2001-06-01")).Value;
        var bytes = EntitySize(row);
        output.WriteLine($"One daily snapshot of {point.Participants} participants: {bytes} bytes (Table Storage entity size)");
        Assert.InRange(bytes, 100, 2048);
    }

    [Theory]
    [InlineData("from=2025-03-02&to=2025-03-01", "from")]
    [InlineData("from=1%20March", "from")]
    [InlineData("to=2025-13-01", "to")]
    [InlineData("from=2000-01-01&to=2025-01-01", "from")]
    public async Task History_BadRange_Is400NamingTheParameter(string query, string field)
    {
        using var refused = await fixture.SecretariatClient.GetAsync($"api/coverage/history?{query}");
        await PocBodies.AssertProblemAsync(refused, HttpStatusCode.BadRequest, field);
    }

    /// <summary>The size Table Storage bills for an entity: keys, and per property its name and value (UTF-16 strings).</summary>
    private static int EntitySize(TableEntity row)
    {
        var size = 4 + ((row.PartitionKey.Length + row.RowKey.Length) * 2);
        foreach (var (name, value) in row.Where(p => p.Key is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag")))
        {
            size += 8 + (name.Length * 2) + value switch
            {
                string text => 4 + (text.Length * 2),
                int => 4,
                long or double or DateTimeOffset or DateTime => 8,
                bool => 1,
                _ => 16,
            };
        }

        return size;
    }

    private ServiceProvider AppServices(TimeProvider clock)
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite, fixture.Smtp.Port);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPocDirectory(configuration);
        services.AddSingleton(clock);
        return services.BuildServiceProvider();
    }
}
