using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PocDirectory.Functions.Telemetry;

namespace PocDirectory.UnitTests.Telemetry;

public sealed class PersonalDataRedactorTests
{
    [Theory]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/RoleAssignments(PartitionKey='user',RowKey='someone%40example.org')?$select=Role",
        "http://127.0.0.1:10002/devstoreaccount1/RoleAssignments(*)?*")]
    [InlineData("https://acct.table.core.windows.net/Pocs(PartitionKey=%27ISL%27,RowKey=%27p1%27)", "https://acct.table.core.windows.net/Pocs(*)")]
    [InlineData("https://acs.communication.azure.com/emails:send?api-version=2023-03-31", "https://acs.communication.azure.com/emails:send?*")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/Tables", "http://127.0.0.1:10002/devstoreaccount1/Tables")]
    public void Redact_CutsQueriesAndEntityKeys(string url, string expected) => Assert.Equal(expected, PersonalDataRedactor.Redact(url));

    [Fact]
    public void ServerSpan_TakesItsRouteInsteadOfThePath()
    {
        using var span = new Activity("request");
        span.SetIdFormat(ActivityIdFormat.W3C);
        span.Start();
        span.SetTag("http.route", "/api/acknowledgements/{token}");
        span.SetTag("http.request.method", "POST");
        span.SetTag("url.path", "/api/acknowledgements/v2.secret-token");
        span.SetTag("url.full", "http://host/api/acknowledgements/v2.secret-token?x=1");
        span.Stop();
        // Activity.Kind is fixed at creation; a server span comes from a source, so build one there.
        using var source = new ActivitySource("test");
        using var listener = new ActivityListener { ShouldListenTo = _ => true, Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData };
        ActivitySource.AddActivityListener(listener);
        using var server = source.StartActivity("request", ActivityKind.Server)!;
        server.SetTag("http.route", "/api/acknowledgements/{token}");
        server.SetTag("http.request.method", "POST");
        server.SetTag("url.path", "/api/acknowledgements/v2.secret-token");

        var redactor = new PersonalDataRedactor();
        redactor.OnEnd(span);
        redactor.OnEnd(server);

        Assert.Equal("/api/acknowledgements/{token}", span.GetTagItem("url.path"));
        Assert.DoesNotContain("secret-token", (string)span.GetTagItem("url.full")!, StringComparison.Ordinal);
        Assert.Equal("/api/acknowledgements/{token}", server.GetTagItem("url.path"));
        Assert.Equal("POST /api/acknowledgements/{token}", server.DisplayName);
    }

    [Theory]
    [InlineData("ClientId=1234-abcd;Authorization=AAD", "1234-abcd")]
    [InlineData("Authorization=AAD", null)]
    [InlineData(null, null)]
    public void ManagedIdentityClientId_IsReadFromTheDeploymentsAuthenticationString(string? authentication, string? expected)
        => Assert.Equal(expected, TelemetryServiceCollectionExtensions.ManagedIdentityClientId(authentication));
}

public sealed class DirectoryMetricsTests
{
    [Fact]
    public void Measurements_AreTaggedByFeature_AndTimeToAcknowledgeIsInSeconds()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new DirectoryMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string Instrument, double Value, string Tags)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == DirectoryMetrics.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Add((i.Name, v, Tags(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Add((i.Name, v, Tags(tags))));
        listener.Start();

        metrics.DeliveryStarted("campaign");
        metrics.MessagesSent("campaign", 0, 3);
        metrics.MessagesSent("campaign", 1, 0);
        metrics.MessagesSent("campaign", 2, 2);
        metrics.Undeliverable("campaign", 1);
        metrics.Acknowledged("communication", TimeSpan.FromMinutes(2));
        metrics.DeliveryClosed("campaign", cancelled: false);

        Assert.Equal(
        [
            ("pocdirectory.deliveries.started", 1, "pocdirectory.feature=campaign"),
            ("pocdirectory.messages.sent", 3, "pocdirectory.feature=campaign pocdirectory.step=first"),
            ("pocdirectory.messages.sent", 2, "pocdirectory.feature=campaign pocdirectory.step=reminder"),
            ("pocdirectory.messages.undeliverable", 1, "pocdirectory.feature=campaign"),
            ("pocdirectory.acknowledgements", 1, "pocdirectory.feature=communication"),
            ("pocdirectory.time_to_acknowledge", 120, "pocdirectory.feature=communication"),
            ("pocdirectory.deliveries.closed", 1, "pocdirectory.feature=campaign pocdirectory.cancelled=False"),
        ], seen);
    }

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        return string.Join(' ', parts);
    }
}
