using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using PocDirectory.Functions.Storage;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// What the runner exports over OpenTelemetry, read back from an OTLP receiver: one trace per request with its storage
/// calls, the directory's metrics, and no personal data or link token anywhere in what left the process.
/// </summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed class TelemetryTests(InMemoryCampaignFixture fixture)
{
    private OtlpReceiver Exported => fixture.Telemetry;

    [Fact]
    public async Task Campaign_IsTracedWithItsStorageCalls_AndExportsNoPersonalDataOrToken()
    {
        var participant = await fixture.NewParticipantAsync();
        const string name = "Philippa Telemetry-Private";
        const string phone = "+41227917456";
        var email = $"philippa.{participant.ToLowerInvariant()}@telemetry-private.example.net";
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, fullName: name)
            .With("emails", new JsonArray(email)).With("phones", new JsonArray(new JsonObject { ["number"] = phone, ["type"] = "Mobile" })));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, "Diplomatic", name + " II")
            .With("emails", new JsonArray($"second.{participant.ToLowerInvariant()}@telemetry-private.example.net")));
        using (var focal = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email = $"focal.{participant.ToLowerInvariant()}@telemetry-private.example.net", role = "FocalPoint", participant }))
        {
            Assert.Equal(HttpStatusCode.Created, focal.StatusCode);
        }

        // Both acknowledge, so the campaign ends as soon as they have, whatever the machine's load.
        var second = $"second.{participant.ToLowerInvariant()}@telemetry-private.example.net";
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Telemetry", scope = new { participants = new[] { participant } }, responseWindow = "PT5M", escalate = true,
        });
        var pings = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [email, second], 2, TimeSpan.FromSeconds(60));
        var link = CampaignHelpers.LinkIn(pings.First(p => CampaignHelpers.AddressOf(p) == email));
        var token = CampaignHelpers.TokenOf(link);
        foreach (var ping in pings)
        {
            using var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(ping));
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, campaign["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));

        // The acknowledgement is one trace: the request, named by its route, and the Table Storage calls it made.
        ExportedSpan? request = null;
        await Wait.UntilAsync(() =>
        {
            request = Exported.Spans.FirstOrDefault(s => s.Kind == SpanKindServer && s.Attributes.GetValueOrDefault("http.route") == "/api/acknowledgements/{token}"
                && Exported.Spans.Any(c => c.TraceId == s.TraceId && c.Scope.StartsWith("Azure.", StringComparison.Ordinal)));
            return Task.FromResult(request is not null && Exported.Strings.Contains(MessagesSent));
        }, TimeSpan.FromSeconds(60), () => $"No traced acknowledgement with storage calls, or no metric, among {Exported.Spans.Count} spans: "
            + string.Join(", ", Exported.Spans.Select(s => s.Scope).Distinct()) + "; requests: "
            + string.Join(", ", Exported.Spans.Where(s => s.Kind == SpanKindServer).Select(s => $"{s.Name} [{string.Join(' ', s.Attributes.Select(a => a.Key + "=" + a.Value))}]").Distinct().Take(8))
            + $"; metric exported: {Exported.Strings.Contains(MessagesSent)}, metric payloads {Exported.RequestsTo("/v1/metrics")}");
        Assert.Equal("POST /api/acknowledgements/{token}", request!.Name);
        var storageCalls = Exported.Spans.Where(s => s.TraceId == request.TraceId && s.Scope.StartsWith("Azure.", StringComparison.Ordinal)).ToList();
        Assert.All(storageCalls, call => Assert.True(DescendsFrom(call, request), $"{call.Name} is not inside the request's span."));

        // The directory's own metrics and the logs went out too.
        Assert.Contains("pocdirectory.deliveries.started", Exported.Strings);
        Assert.Contains("pocdirectory.acknowledgements", Exported.Strings);
        Assert.True(Exported.RequestsTo("/v1/logs") > 0, "No logs were exported.");

        // Nothing exported names a person, an address or a phone, or carries the link's token (it acts for the POC).
        var everything = Exported.Strings.ToList();
        Assert.DoesNotContain(everything, s => s.Contains(name, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(everything, s => s.Contains(phone, StringComparison.Ordinal));
        Assert.DoesNotContain(everything, s => s.Contains("telemetry-private.example.net", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(everything, s => s.Contains(token, StringComparison.Ordinal));
    }

    /// <summary>
    /// Decisions 0040 and 0043: a PUT on the version the runner just served is one transaction holding the change and its
    /// audit entry; on a version it does not know (changed elsewhere), it reads the record first, for the authorisation
    /// check and the audit diff. The entry's move to the Audit table happens after the answer either way.
    /// </summary>
    [Fact]
    public async Task PocUpdate_OnTheVersionJustServed_IsOneTransaction_OnAnotherVersion_OneReadAndOneTransaction()
    {
        var participant = await fixture.NewParticipantAsync();
        var (created, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant));
        var id = created["id"]!.GetValue<string>();
        // The GET also brings the caller's roles into the role cache, as any earlier request of a signed-in user does.
        var (poc, etag) = await PocBodies.GetAsync(fixture.SecretariatClient, id);
        poc["position"] = "Counted";
        Assert.Equal(["TableClient.SubmitTransaction"], await PutCallsAsync(id, poc, etag));

        // Changed elsewhere (straight in storage, as another instance would): the version the client now holds is one
        // this runner never served.
        var directory = new TableClient(fixture.Azurite.ConnectionString, StorageKeys.DirectoryTable);
        var row = (await directory.GetEntityAsync<TableEntity>(StorageKeys.ParticipantPartition(participant), StorageKeys.PocRowKey(id))).Value;
        row["Organisation"] = "Changed elsewhere";
        var elsewhere = (await directory.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace)).Headers.ETag!.Value.ToString();
        poc["organisation"] = "Changed elsewhere";
        poc["position"] = "Counted again";
        Assert.Equal(["TableClient.GetEntityIfExists", "TableClient.SubmitTransaction"], await PutCallsAsync(id, poc, elsewhere));

        // The entries still reach the log, once each.
        var entries = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Poc&entityId={id}");
        Assert.Equal(2, entries!["items"]!.AsArray().Count(e => e!["action"]!.GetValue<string>() == "Poc.Updated"));
    }

    private async Task<string[]> PutCallsAsync(string id, JsonObject poc, string etag)
    {
        using var request = PocBodies.Put(id, poc, etag);
        var traceId = Traced(request);
        using (var put = await fixture.SecretariatClient.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        return [.. (await StorageCallsAsync(traceId, "PUT /api/pocs/{id}", expectedAtLeast: 1)).Select(c => c.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Decision 0040: an acknowledgement reads its recipient row, commits the answer with its audit entry and the pending
    /// index row in one transaction, and asks "anyone left?": three calls. The delivery's header comes from a copy at
    /// most five seconds old (the delivery's own sends refresh it), and the audit move happens after the answer.
    /// </summary>
    [Fact]
    public async Task Acknowledgement_IsAtMostThreeStorageCalls()
    {
        var participant = await fixture.NewParticipantAsync();
        var addresses = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var address = $"counted{i}.{participant.ToLowerInvariant()}@calls.example.net";
            await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, i % 2 == 0 ? "Technical" : "Diplomatic", $"Counted {i}")
                .With("emails", new JsonArray(address)));
            addresses.Add(address);
        }

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new { name = "Counted", scope = new { participants = new[] { participant } }, responseWindow = "PT5M" });
        var pings = await CampaignHelpers.MessagesToAsync(fixture.Smtp, addresses, 3, TimeSpan.FromSeconds(60));
        var perAck = new List<IReadOnlyList<ExportedSpan>>();
        foreach (var ping in pings)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/acknowledgements/{CampaignHelpers.TokenOf(CampaignHelpers.LinkIn(ping))}");
            var traceId = Traced(request);
            using (var ack = await fixture.Runner.Http.SendAsync(request))
            {
                Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            }

            perAck.Add(await StorageCallsAsync(traceId, "POST /api/acknowledgements/{token}", expectedAtLeast: 2));
        }

        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, campaign["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));
        var described = string.Join(" | ", perAck.Select(calls => string.Join(", ", calls.Select(c => c.Name))));
        Assert.All(perAck, calls => Assert.True(calls.Count <= 3, "Acknowledgements made these storage calls: " + described));
        Assert.All(perAck, calls => Assert.Contains(calls, c => c.Name == "TableClient.SubmitTransaction"));
        Assert.DoesNotContain(perAck.SelectMany(c => c), c => c.Name == "TableClient.AddEntity");
    }

    /// <summary>Sends the request in a trace of its own (a W3C traceparent the runner continues); returns the trace id.</summary>
    private static string Traced(HttpRequestMessage request)
    {
        var traceId = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}-01");
        return traceId;
    }

    /// <summary>
    /// The Table Storage operations inside the server span of <paramref name="route"/> in trace <paramref name="traceId"/>,
    /// waits until the exporter has sent at least <paramref name="expectedAtLeast"/> of them.
    /// </summary>
    private async Task<IReadOnlyList<ExportedSpan>> StorageCallsAsync(string traceId, string route, int expectedAtLeast)
    {
        IReadOnlyList<ExportedSpan> calls = [];
        await Wait.UntilAsync(() =>
        {
            var request = Exported.Spans.FirstOrDefault(s => s.TraceId == traceId && s.Kind == SpanKindServer && s.Name == route);
            calls = request is null ? [] : Exported.Spans.Where(s => s.TraceId == traceId && s.Scope.StartsWith(StorageScope, StringComparison.Ordinal) && DescendsFrom(s, request)).ToList();
            return Task.FromResult(calls.Count >= expectedAtLeast);
        }, TimeSpan.FromSeconds(30), () => $"Trace {traceId} of {route}: {calls.Count} storage calls exported");
        // Whatever the exporter sends a moment later belongs to the same request too.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var request = Exported.Spans.First(s => s.TraceId == traceId && s.Kind == SpanKindServer && s.Name == route);
        return Exported.Spans.Where(s => s.TraceId == traceId && s.Scope.StartsWith(StorageScope, StringComparison.Ordinal) && DescendsFrom(s, request)).ToList();
    }

    private const string StorageScope = "Azure.Data.Tables";

    private const int SpanKindServer = 2;

    private const string MessagesSent = "pocdirectory.messages.sent";

    private bool DescendsFrom(ExportedSpan span, ExportedSpan ancestor)
    {
        var byId = Exported.Spans.Where(s => s.TraceId == ancestor.TraceId).GroupBy(s => s.SpanId).ToDictionary(g => g.Key, g => g.First());
        for (var current = span; current.ParentSpanId.Length > 0; current = byId[current.ParentSpanId])
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            if (!byId.ContainsKey(current.ParentSpanId))
            {
                return false;
            }
        }

        return false;
    }
}
