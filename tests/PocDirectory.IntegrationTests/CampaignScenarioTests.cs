using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>A runner of its own on the in-memory Durable backend, for campaign scenarios with windows of seconds.</summary>
public sealed class InMemoryCampaignFixture : DirectoryFixture
{
    public InMemoryCampaignFixture()
    {
        ExtraSettings = new Dictionary<string, string?>
        {
            ["Runner:Durable:Backend"] = "InMemory",
            // Everything this collection's runner does is exported here, so a test can read what would reach Application Insights.
            ["Telemetry:OtlpEndpoint"] = Telemetry.BaseAddress.ToString(),
            ["Telemetry:ExportInterval"] = "00:00:00.500",
        };
    }

    public OtlpReceiver Telemetry { get; } = OtlpReceiver.Start();

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Telemetry.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class InMemoryCampaignCollection : ICollectionFixture<InMemoryCampaignFixture>
{
    public const string Name = "Campaigns on the in-memory backend";
}

[Collection(InMemoryCampaignCollection.Name)]
public sealed class CampaignScenarioTests(InMemoryCampaignFixture fixture)
{
    [Fact]
    public async Task AllAcknowledge_FinishesBeforeTheDeadline()
    {
        var (participant, emails) = await PocsAsync(3);
        var id = await StartAsync(participant, "PT60S");

        foreach (var message in await MessagesAsync(emails, 3))
        {
            using var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(message));
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(30));
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());
        Assert.Equal(3, closed["progress"]!["acknowledged"]!.GetValue<int>());
        Assert.True(closed["completedAt"]!.GetValue<DateTimeOffset>() < closed["deadline"]!.GetValue<DateTimeOffset>(), "It waited for the deadline");
    }

    [Fact]
    public async Task NoneAcknowledge_AllCountAsNoResponse()
    {
        var (participant, emails) = await PocsAsync(3);
        var id = await StartAsync(participant, "PT5S");

        await MessagesAsync(emails, 3);
        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(40));

        Assert.Equal(3, closed["progress"]!["noResponse"]!.GetValue<int>());
        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(0.0, report!["overall"]!["responseRate"]!.GetValue<double>());
        Assert.Equal([participant], report["participantsWithNoResponse"]!.AsArray().Select(p => p!.GetValue<string>()));
    }

    [Fact]
    public async Task AcknowledgeAfterReminder_IsCountedAsAfterReminder_AndEachStepIsSentOnce()
    {
        var (participant, emails) = await PocsAsync(2);
        var id = await StartAsync(participant, "PT12S", ["PT3S", "PT6S"]);

        var reminders = await MessagesAsync(emails, 4);
        var firstReminder = reminders.First(m => (m.Subject ?? string.Empty).Contains("Reminder 1", StringComparison.Ordinal));
        using (var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(firstReminder)))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(60));
        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(1, report!["acknowledgedAfterReminder"]!.GetValue<int>());

        // Replays of the orchestration send nothing again: the answering POC got the ping and reminder 1 (it answered
        // before reminder 2); the silent one got all three steps, each exactly once.
        var received = fixture.Smtp.Messages.Where(m => emails.Contains(m.To.Mailboxes.Single().Address)).ToList();
        var answered = firstReminder.To.Mailboxes.Single().Address;
        Assert.Equal(2, received.Count(m => m.To.Mailboxes.Single().Address == answered));
        Assert.Equal(3, received.Count(m => m.To.Mailboxes.Single().Address != answered));
        Assert.Equal(received.Count, received.Select(m => (m.To.ToString(), m.Subject)).Distinct().Count());
    }

    [Fact]
    public async Task Escalation_TellsFocalPointAndAnsweringPocAboutTheSilentOne()
    {
        var (participant, emails) = await PocsAsync(2);
        var focalPoint = $"focal-{Guid.NewGuid():N}@example.org";
        using (var assign = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email = focalPoint, role = "FocalPoint", participant }))
        {
            Assert.Equal(HttpStatusCode.Created, assign.StatusCode);
        }

        var id = await StartAsync(participant, "PT6S", escalate: true);
        var pings = await MessagesAsync(emails, 2);
        using (var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(pings[0])))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(40));
        var answered = pings[0].To.Mailboxes.Single().Address;
        var silent = emails.Single(e => e != answered);
        var escalations = (await CampaignHelpers.MessagesToAsync(fixture.Smtp, [focalPoint, answered], 3, TimeSpan.FromSeconds(10)))
            .Where(m => m != pings[0]).ToList();
        Assert.Contains(escalations, m => m.To.Mailboxes.Single().Address == focalPoint);
        Assert.Contains(escalations, m => m.To.Mailboxes.Single().Address == answered);
        Assert.Single(fixture.Smtp.Messages, m => m.To.Mailboxes.Single().Address == silent);
    }

    [Fact]
    public async Task UndeliverableAddress_IsRecordedAndReported()
    {
        var (participant, emails) = await PocsAsync(2);
        fixture.Smtp.RejectRecipient(emails[0]);
        var id = await StartAsync(participant, "PT5S");

        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(40));
        var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(1, report!["overall"]!["undeliverable"]!.GetValue<int>());
        Assert.Equal(1, report["overall"]!["noResponse"]!.GetValue<int>());
        Assert.Single(report["undeliverable"]!.AsArray());
        var results = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/results?outcome=Undeliverable");
        Assert.Single(results!["items"]!.AsArray());
    }

    [Fact]
    public async Task SmtpDown_PingsRetryWithBackoff_ThenCountAsUndeliverable_AndTheCampaignCompletes()
    {
        var (participant, _) = await PocsAsync(2);
        await fixture.WithSmtpDownAsync(async () =>
        {
            var id = await StartAsync(participant, "PT10S");
            var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(60));

            Assert.Equal("Completed", closed["status"]!.GetValue<string>());
            Assert.Equal(2, closed["progress"]!["undeliverable"]!.GetValue<int>());
            Assert.Equal(0, closed["progress"]!["sent"]!.GetValue<int>());
            var results = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/results?outcome=Undeliverable");
            Assert.Equal(2, results!["items"]!.AsArray().Count);
            Assert.All(results["items"]!.AsArray(), r => Assert.Contains("retry", r!["undeliverableReason"]!.GetValue<string>(), StringComparison.Ordinal));
        });
        FaultLedger.OutageSurvived();
    }

    [Fact]
    public async Task CancelMidway_StopsTheCampaign_AndLinksStopWorking()
    {
        var (participant, emails) = await PocsAsync(2);
        var id = await StartAsync(participant, "PT120S", ["PT60S"]);
        var pings = await MessagesAsync(emails, 2);

        using (var cancel = await fixture.SecretariatClient.PostAsync($"api/campaigns/{id}/cancel", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(30));
        Assert.Equal("Cancelled", closed["status"]!.GetValue<string>());
        Assert.Equal(2, closed["progress"]!["cancelled"]!.GetValue<int>());
        using var late = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(pings[0]));
        await PocBodies.AssertProblemAsync(late, HttpStatusCode.Gone);
        using var again = await fixture.SecretariatClient.PostAsync($"api/campaigns/{id}/cancel", null);
        await PocBodies.AssertProblemAsync(again, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ScheduledCampaign_StartsOnceAtItsTime()
    {
        var (participant, emails) = await PocsAsync(2);
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Scheduled ping",
            scope = new { participants = new[] { participant } },
            responseWindow = "PT5S",
            startAt = DateTimeOffset.UtcNow.AddSeconds(3),
        });
        Assert.Equal("Scheduled", campaign["status"]!.GetValue<string>());

        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, campaign["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));
        Assert.Equal(2, fixture.Smtp.Messages.Count(m => emails.Contains(m.To.Mailboxes.Single().Address)));
    }

    [Fact]
    public async Task SignedInPoc_AcknowledgesInThePortal()
    {
        var participant = await fixture.NewParticipantAsync();
        var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant).With("emails", new JsonArray($"signed-{Guid.NewGuid():N}@example.org")));
        using var pocClient = await fixture.UserWithRoleAsync("Poc", pocId: poc["id"]!.GetValue<string>());
        var id = await StartAsync(participant, "PT60S");
        await MessagesAsync([poc["emails"]![0]!.GetValue<string>()], 1);

        using var ack = await pocClient.PostAsync($"api/campaigns/{id}/acknowledge", null);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);

        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(30));
        Assert.Equal(1, closed["progress"]!["acknowledged"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"responseWindow\":\"PT1S\"}", "responseWindow")]
    [InlineData("{\"name\":\"x\",\"responseWindow\":\"72 hours\"}", "responseWindow")]
    [InlineData("{\"name\":\"x\",\"responseWindow\":\"PT60S\",\"reminders\":[\"PT90S\"]}", "reminders[0]")]
    [InlineData("{\"name\":\"x\",\"responseWindow\":\"PT60S\",\"reminders\":[\"PT40S\",\"PT20S\"]}", "reminders")]
    [InlineData("{\"name\":\"x\",\"responseWindow\":\"PT60S\",\"scope\":{\"participants\":[\"NOPE9\"]}}", "scope.participants")]
    [InlineData("{\"name\":\"x\",\"responseWindow\":\"PT60S\",\"scope\":{\"kinds\":[\"Military\"]}}", "scope.kinds[0]")]
    [InlineData("{\"responseWindow\":\"PT60S\"}", "name")]
    public async Task CreateCampaign_BadInput_IsRejectedAndNothingStarts(string body, string field)
    {
        var before = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/campaigns"))!["items"]!.AsArray().Count;

        using var response = await fixture.SecretariatClient.PostAsync("api/campaigns", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/campaigns"))!["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task CampaignRoutes_AreForTheSecretariatOnly()
    {
        var participant = await fixture.NewParticipantAsync();
        using var focalPoint = await fixture.UserWithRoleAsync("FocalPoint", participant);

        using var create = await focalPoint.PostAsJsonAsync("api/campaigns", new { name = "x", responseWindow = "PT60S" });
        await PocBodies.AssertProblemAsync(create, HttpStatusCode.Forbidden);
        using var list = await focalPoint.GetAsync("api/campaigns");
        await PocBodies.AssertProblemAsync(list, HttpStatusCode.Forbidden);
        using var anonymous = await fixture.Runner.Http.GetAsync("api/campaigns");
        await PocBodies.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
    }

    private async Task<(string Participant, List<string> Emails)> PocsAsync(int count)
    {
        var participant = await fixture.NewParticipantAsync();
        var emails = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var email = $"p{i}-{participant.ToLowerInvariant()}@example.org";
            await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, i % 2 == 0 ? "Technical" : "Diplomatic", $"Person {i}").With("emails", new JsonArray(email)));
            emails.Add(email);
        }

        return (participant, emails);
    }

    private async Task<string> StartAsync(string participant, string window, string[]? reminders = null, bool escalate = false)
    {
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = $"Scenario for {participant}",
            scope = new { participants = new[] { participant } },
            responseWindow = window,
            reminders = reminders ?? [],
            escalate,
        });
        return campaign["id"]!.GetValue<string>();
    }

    private Task<IReadOnlyList<MimeMessage>> MessagesAsync(IReadOnlyCollection<string> emails, int count)
        => CampaignHelpers.MessagesToAsync(fixture.Smtp, emails, count, TimeSpan.FromSeconds(30));
}

[Collection(InMemoryCampaignCollection.Name)]
public sealed class CampaignScheduleTests(InMemoryCampaignFixture fixture)
{
    [Fact]
    public async Task RecurringSchedule_CreatesOneCampaignPerOccurrence_UntilDeleted()
    {
        var participant = await fixture.NewParticipantAsync();
        var email = $"recurring-{participant.ToLowerInvariant()}@example.org";
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant).With("emails", new JsonArray(email)));

        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/campaign-schedules", new
        {
            name = "Every few seconds",
            cron = "*/4 * * * * *",
            campaign = new { name = "Recurring ping", scope = new { participants = new[] { participant } }, responseWindow = "PT5S" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var schedule = await created.ReadJsonAsync();
        var id = schedule["id"]!.GetValue<string>();
        Assert.NotNull(schedule["nextOccurrence"]);

        // Two occurrences make two campaigns, each pinging the POC once.
        List<JsonObject> fromSchedule = [];
        await TestSupport.Wait.UntilAsync(async () =>
        {
            var all = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/campaigns");
            fromSchedule = all!["items"]!.AsArray().Select(c => c!.AsObject()).Where(c => c["scheduleId"]?.GetValue<string>() == id).ToList();
            return fromSchedule.Count >= 2;
        }, TimeSpan.FromSeconds(40), () => $"{fromSchedule.Count} campaigns from the schedule");
        Assert.Equal(fromSchedule.Count, fromSchedule.Select(c => c["id"]!.GetValue<string>()).Distinct().Count());
        await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, fromSchedule[^1]["id"]!.GetValue<string>(), TimeSpan.FromSeconds(40));

        using (var delete = await fixture.SecretariatClient.DeleteAsync($"api/campaign-schedules/{id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var gone = await fixture.SecretariatClient.GetAsync($"api/campaign-schedules/{id}");
        await PocBodies.AssertProblemAsync(gone, HttpStatusCode.NotFound);
        var pings = fixture.Smtp.Messages.Count(m => m.To.Mailboxes.Single().Address == email);
        Assert.True(pings >= 2 && pings <= fromSchedule.Count + 1, $"{pings} pings for {fromSchedule.Count} campaigns");
    }

    [Theory]
    [InlineData("{\"name\":\"x\",\"cron\":\"every monday\",\"campaign\":{\"name\":\"c\",\"responseWindow\":\"PT60S\"}}", "cron")]
    [InlineData("{\"name\":\"x\",\"cron\":\"0 0 9 * * 1\",\"campaign\":{\"name\":\"c\",\"responseWindow\":\"soon\"}}", "campaign.responseWindow")]
    [InlineData("{\"name\":\"x\",\"cron\":\"0 0 9 * * 1\"}", "campaign")]
    [InlineData("{\"name\":\"x\",\"cron\":\"* * * * * *\",\"campaign\":{\"name\":\"c\",\"responseWindow\":\"PT60S\"}}", "cron")]
    [InlineData("{\"name\":\"x\",\"cron\":\"0,1 0 9 * * *\",\"campaign\":{\"name\":\"c\",\"responseWindow\":\"PT60S\"}}", "cron")]
    [InlineData("{\"name\":\"x\",\"cron\":\"0 0 9 * * 1\",\"campaign\":{\"name\":\"c\",\"responseWindow\":\"PT60S\",\"scope\":{\"participants\":[\"NOPE9\"]}}}", "campaign.scope.participants")]
    public async Task CreateSchedule_BadInput_IsRejected(string body, string field)
    {
        using var response = await fixture.SecretariatClient.PostAsync("api/campaign-schedules", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await PocBodies.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
    }
}

[Collection(InMemoryCampaignCollection.Name)]
public sealed class AcknowledgementFloodTests(InMemoryCampaignFixture fixture)
{
    [Fact]
    public async Task ThousandConcurrentAcknowledgementsOfOneLink_RecordOneAnswer()
    {
        var participant = await fixture.NewParticipantAsync();
        var email = $"flood-{participant.ToLowerInvariant()}@example.org";
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant).With("emails", new JsonArray(email)));
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = "Flood", scope = new { participants = new[] { participant } }, responseWindow = "PT120S",
        });
        var link = CampaignHelpers.LinkIn((await CampaignHelpers.MessagesToAsync(fixture.Smtp, [email], 1, TimeSpan.FromSeconds(30)))[0]);

        using var start = new SemaphoreSlim(0);
        var answers = Enumerable.Range(0, 1000).Select(async _ =>
        {
            await start.WaitAsync();

            // A well-behaved client (the portal's acknowledgement page) tries again after a 503's Retry-After.
            for (var attempt = 1; ; attempt++)
            {
                using var response = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, link);
                FaultLedger.Observe(response);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 10)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                }

                return (response.StatusCode, At: response.IsSuccessStatusCode ? (await response.ReadJsonAsync())["acknowledgedAt"]!.GetValue<DateTimeOffset>() : default);
            }
        }).ToList();
        start.Release(1000);
        var results = await Task.WhenAll(answers);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(results.Select(r => r.At).Distinct());
        var id = campaign["id"]!.GetValue<string>();
        var closed = await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, id, TimeSpan.FromSeconds(30));
        FaultLedger.AcknowledgementsLost(1 - closed["progress"]!["acknowledged"]!.GetValue<int>());
        Assert.Equal(1, closed["progress"]!["acknowledged"]!.GetValue<int>());
        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=CampaignResult&pageSize=500");
        Assert.Single(audit!["items"]!.AsArray(), e => e!["entityId"]!.GetValue<string>().StartsWith(id + "/", StringComparison.Ordinal));
    }
}
