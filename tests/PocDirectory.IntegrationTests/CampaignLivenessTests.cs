using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Every campaign ends: a step that fails for good leaves the campaign Failed with its step and reason, and the
/// Secretariat closes it or has the step run again; a cancel whose signal was lost still ends as a cancel.
/// </summary>
[Collection(InMemoryCampaignCollection.Name)]
public sealed class CampaignLivenessTests(InMemoryCampaignFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task EscalationFailsWhileMailIsDown_CampaignIsFailed_RetrySendsTheEscalationAndCompletes()
    {
        var (id, answered, silent) = await FailedAtEscalationAsync();

        using (var retry = await fixture.SecretariatClient.PostAsync($"api/campaigns/{id}/retry", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, Timeout);
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        Assert.Null(closed["failure"]);
        var escalation = Assert.Single(await CampaignHelpers.MessagesToAsync(fixture.Smtp, [answered.Email], 1, Timeout));
        Assert.Contains("did not acknowledge", escalation.Subject, StringComparison.Ordinal);
        Assert.Equal(1, (await PocAsync(silent))["missedPings"]!.GetValue<int>());
        FaultLedger.FailedStepClosed();
    }

    [Fact]
    public async Task EscalationFailsWhileMailIsDown_CloseCompilesTheReport_RecordsTheMissedPing_AndSendsNoEscalation()
    {
        var (id, answered, silent) = await FailedAtEscalationAsync();

        using (var close = await fixture.SecretariatClient.PostAsync($"api/campaigns/{id}/close", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, close.StatusCode);
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, Timeout);
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        Assert.Equal("Escalation", closed["failure"]!["step"]!.GetValue<string>());
        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(1, report!["overall"]!["acknowledged"]!.GetValue<int>());
        Assert.Equal(1, report["overall"]!["noResponse"]!.GetValue<int>());
        Assert.Equal(1, (await PocAsync(silent))["missedPings"]!.GetValue<int>());
        Assert.Equal(0, (await PocAsync(answered))["missedPings"]!.GetValue<int>());

        // The summary goes to the Secretariat; the mail server started after the outage has nothing for the POCs.
        Assert.DoesNotContain(fixture.Smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == answered.Email));
        FaultLedger.FailedStepClosed();
    }

    [Fact]
    public async Task ReportBlobHeldByAnotherWriter_ReportStepIsFailed_RetryAfterTheLeaseIsBroken_ServesTheReport()
    {
        var pocs = await CampaignHelpers.PocsAsync(fixture.SecretariatClient, participants: 1, perParticipant: 1, label: "lease");
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Report blob leased",
            scope = new { participants = new[] { pocs[0].Participant } },
            responseWindow = "PT6S",
        });
        var id = campaign["id"]!.GetValue<string>();

        // Someone else holds the report's blob: the report step cannot write it however often it retries.
        var container = new BlobServiceClient(fixture.Azurite.ConnectionString).GetBlobContainerClient("campaign-reports");
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient($"{id}.json");
        await blob.UploadAsync(BinaryData.FromString("{}"), overwrite: true);
        var lease = blob.GetBlobLeaseClient();
        await lease.AcquireAsync(TimeSpan.FromSeconds(-1));

        var failed = await CampaignHelpers.WaitForStatusAsync(fixture.SecretariatClient, id, "Failed", Timeout);
        Assert.Equal("Report", failed["failure"]!["step"]!.GetValue<string>());
        Assert.Contains("RequestFailedException", failed["failure"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        await lease.BreakAsync(TimeSpan.Zero);
        using (var retry = await fixture.SecretariatClient.PostAsync($"api/campaigns/{id}/retry", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, Timeout);
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(1, report!["overall"]!["noResponse"]!.GetValue<int>());
        Assert.Equal(id, (await blob.DownloadContentAsync()).Value.Content.ToObjectFromJson<JsonObject>()!["campaignId"]!.GetValue<string>());
        FaultLedger.FailedStepClosed();
    }

    [Fact]
    public async Task FiveThousandUndeliverablePocs_TheFullReportIsStoredAndServed()
    {
        const int Count = 5_000;
        var pocs = await CampaignHelpers.PocsAsync(fixture.SecretariatClient, participants: 50, perParticipant: Count / 50, label: "bounce");
        foreach (var poc in pocs)
        {
            fixture.Smtp.RejectRecipient(poc.Email);
        }

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Five thousand bounces",
            scope = new { participants = pocs.Select(p => p.Participant).Distinct().ToArray() },
            responseWindow = "PT5S",
        });
        var id = campaign["id"]!.GetValue<string>();
        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromMinutes(5));
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        Assert.Equal(Count, closed["progress"]!["undeliverable"]!.GetValue<int>());

        using var response = await fixture.SecretariatClient.GetAsync($"api/campaigns/{id}/report");
        var json = await response.Content.ReadAsStringAsync();
        var report = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(Count, report["overall"]!["undeliverable"]!.GetValue<int>());
        Assert.Equal(pocs.Select(p => p.Id).Order(StringComparer.Ordinal),
            report["undeliverable"]!.AsArray().Select(u => u!["pocId"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        // Table Storage counts a string's characters twice (UTF-16): this report is more than one entity may hold.
        Assert.True(json.Length * 2 > 1024 * 1024, $"The report has only {json.Length:N0} characters");
    }

    [Fact]
    public async Task CancelFlagStoredButItsSignalLost_CampaignEndsCancelled_WithoutEscalation()
    {
        var (participant, pocs) = await PairAsync();
        var id = await StartAsync(participant, escalate: true);
        var pings = await CampaignHelpers.MessagesToAsync(fixture.Smtp, pocs.Select(p => p.Email).ToList(), 2, Timeout);
        var answered = await AcknowledgeOneAsync(pocs, pings);

        // What the cancel route stores before it raises the event; the event itself never arrives.
        var campaigns = new TableClient(fixture.Azurite.ConnectionString, "Campaigns");
        await campaigns.UpdateEntityAsync(new TableEntity("campaign", id) { ["CancelRequested"] = true }, Azure.ETag.All, TableUpdateMode.Merge);

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, Timeout);
        Assert.Equal("Cancelled", closed["status"]!.GetValue<string>());
        Assert.Equal(1, closed["progress"]!["cancelled"]!.GetValue<int>());
        Assert.Single(fixture.Smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == answered.Email));
    }

    [Fact]
    public async Task LastAnswerRecordedByARequestThatDiedBeforeItsSignal_TheNextClickEndsTheCampaignEarly()
    {
        var (participant, pocs) = await PairAsync();
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = $"Lost wake-up of {participant}", scope = new { participants = new[] { participant } }, responseWindow = "PT300S",
        });
        var id = campaign["id"]!.GetValue<string>();
        var pings = await CampaignHelpers.MessagesToAsync(fixture.Smtp, pocs.Select(p => p.Email).ToList(), 2, Timeout);
        var answered = await AcknowledgeOneAsync(pocs, pings);
        var last = pocs.Single(p => p != answered);

        // What the last answer's request wrote (its outcome, and the pending index row gone) before it died without signalling.
        var results = new TableClient(fixture.Azurite.ConnectionString, "CampaignResults");
        var acknowledgedAt = DateTimeOffset.UtcNow;
        await results.UpdateEntityAsync(new TableEntity(id, $"poc|{last.Id}") { ["Outcome"] = "Acknowledged", ["AcknowledgedAt"] = acknowledgedAt }, Azure.ETag.All, TableUpdateMode.Merge);
        await results.DeleteEntityAsync(id, $"pending|{last.Id}");

        // The POC, seeing no confirmation, clicks again: the answer stands as recorded, and the campaign need not wait five minutes.
        using var again = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(pings.Single(m => CampaignHelpers.AddressOf(m) == last.Email)));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(acknowledgedAt, (await again.ReadJsonAsync())["acknowledgedAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMilliseconds(1));
        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, Timeout);
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        Assert.Equal(2, closed["progress"]!["acknowledged"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("close")]
    [InlineData("retry")]
    public async Task CloseOrRetry_OfACampaignThatHasNotFailed_Answers409_AndChangesNothing(string action)
    {
        var (participant, _) = await PairAsync();
        var id = await StartAsync(participant);

        using var response = await fixture.SecretariatClient.PostAsync($"api/campaigns/{id}/{action}", null);

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.Conflict);
        var campaign = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}");
        Assert.Contains(campaign!["status"]!.GetValue<string>(), new[] { "Scheduled", "Running" });
        Assert.Null(campaign["failure"]);
    }

    [Theory]
    [InlineData("close")]
    [InlineData("retry")]
    public async Task CloseOrRetry_OfAnUnknownCampaign_Answers404_AndByANonSecretariatUser403(string action)
    {
        using (var unknown = await fixture.SecretariatClient.PostAsync($"api/campaigns/NO-SUCH-CAMPAIGN/{action}", null))
        {
            await PocBodies.AssertProblemAsync(unknown, HttpStatusCode.NotFound);
        }

        using var focalPoint = await fixture.UserWithRoleAsync("FocalPoint", await fixture.NewParticipantAsync());
        using var forbidden = await focalPoint.PostAsync($"api/campaigns/NO-SUCH-CAMPAIGN/{action}", null);
        await PocBodies.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
    }

    /// <summary>A campaign of two POCs, one answered, whose escalation fails because the mail server is down at the deadline.</summary>
    private async Task<(string Id, CreatedPoc Answered, CreatedPoc Silent)> FailedAtEscalationAsync()
    {
        var (participant, pocs) = await PairAsync();
        var id = await StartAsync(participant, escalate: true);
        var pings = await CampaignHelpers.MessagesToAsync(fixture.Smtp, pocs.Select(p => p.Email).ToList(), 2, Timeout);
        var answered = await AcknowledgeOneAsync(pocs, pings);
        var silent = pocs.Single(p => p != answered);

        await fixture.WithSmtpDownAsync(async () =>
        {
            var failed = await CampaignHelpers.WaitForStatusAsync(fixture.SecretariatClient, id, "Failed", Timeout);
            Assert.Equal("Escalation", failed["failure"]!["step"]!.GetValue<string>());
            Assert.Contains("EmailDeliveryException", failed["failure"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.NotNull(failed["failure"]!["at"]);

            // Nothing is decided while nobody decides: the missed ping is recorded only when the campaign closes.
            Assert.Equal(1, failed["progress"]!["pending"]!.GetValue<int>());
            Assert.Equal(0, (await PocAsync(silent))["missedPings"]!.GetValue<int>());
        });
        return (id, answered, silent);
    }

    private async Task<(string Participant, IReadOnlyList<CreatedPoc> Pocs)> PairAsync()
    {
        var pocs = await CampaignHelpers.PocsAsync(fixture.SecretariatClient, participants: 1, perParticipant: 2, label: "liveness");
        return (pocs[0].Participant, pocs);
    }

    private async Task<string> StartAsync(string participant, bool escalate = false)
    {
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = $"Liveness of {participant}",
            scope = new { participants = new[] { participant } },
            responseWindow = escalate ? "PT6S" : "PT60S",
            escalate,
        });
        return campaign["id"]!.GetValue<string>();
    }

    private async Task<CreatedPoc> AcknowledgeOneAsync(IReadOnlyList<CreatedPoc> pocs, IReadOnlyList<MimeKit.MimeMessage> pings)
    {
        using var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(pings[0]));
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        return pocs.Single(p => p.Email == CampaignHelpers.AddressOf(pings[0]));
    }

    private async Task<JsonObject> PocAsync(CreatedPoc poc)
        => (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs/{poc.Id}"))!;
}
