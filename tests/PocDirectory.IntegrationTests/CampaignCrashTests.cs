using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using MimeKit;
using PocDirectory.TestSupport;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// A runner of its own on the Azure Storage durable backend, killed six times in one campaign. Sends are paced (40 a
/// second, two batches of ten at a time) so that "halfway through a step" lasts seconds; a queue message the dead runner
/// had taken comes back after 10 s instead of the provider's 5 minutes.
/// </summary>
public sealed class CrashFixture : DirectoryFixture
{
    public const int MaxParallelBatches = 2;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Runner:Durable:Backend"] = "AzureStorage",
        ["Runner:Durable:MessageVisibilityTimeout"] = "00:00:10",
        ["Campaigns:SendBatchSize"] = "10",
        ["Campaigns:MaxParallelBatches"] = MaxParallelBatches.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:MaxPerMinute"] = "2400",
        ["CampaignSchedulerSchedule"] = "0 0 0 1 1 *",
    };
}

[Collection(FaultCollection.Name)]
public sealed class CampaignCrashTests(CrashFixture fixture, ITestOutputHelper output) : IClassFixture<CrashFixture>
{
    private const int Pocs = 200;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>
    /// SIGKILL during the fan-out, right after acknowledgements were answered, during the reminders, while waiting for
    /// the deadline, while the report is being compiled, and after it was stored but before the orchestration heard so.
    /// Every acknowledgement answered 2xx is in the report; a message is sent twice only if the mail server had accepted
    /// it and the results table did not yet say so when the runner died (the at-least-once window of decision 0008),
    /// and then with the same Message-ID; a step that runs twice counts nothing twice.
    /// </summary>
    [Fact]
    public async Task RunnerKilledSixTimesInOneCampaign_CampaignCompletes_NoAcknowledgementLost_OnlyMessagesInFlightAtAKillAreSentTwice()
    {
        var pocs = await CampaignHelpers.PocsAsync(fixture.SecretariatClient, participants: 10, perParticipant: Pocs / 10, label: "crash");
        var byEmail = pocs.ToDictionary(p => p.Email, StringComparer.OrdinalIgnoreCase);
        using var http = fixture.Runner.CountedClient();
        using var secretariat = fixture.Runner.CountedClient(await fixture.Runner.TokenForAsync(DirectoryFixture.Secretariat));
        var kills = new List<KillPoint>();
        var acknowledged = new ConcurrentDictionary<string, DateTimeOffset>();

        var campaign = await CampaignHelpers.StartAsync(secretariat, new
        {
            name = "Crashes",
            scope = new { participants = pocs.Select(p => p.Participant).Distinct().ToArray() },
            responseWindow = "PT60S",
            reminders = new[] { "PT25S" },
        });
        var id = campaign["id"]!.GetValue<string>();
        Log($"campaign {id} started for {pocs.Count} POCs");

        // (a) During the fan-out: some pings out, not all, and one accepted by the mail server without the runner knowing.
        await fixture.Smtp.WaitForMessagesAsync(50, TimeSpan.FromSeconds(60));
        await fixture.Smtp.HoldNextReplyAsync(m => byEmail.ContainsKey(CampaignHelpers.AddressOf(m))).WaitAsync(TimeSpan.FromSeconds(30));
        kills.Add(await KillAsync("a: during the fan-out", id, byEmail));
        Assert.InRange(kills[^1].Received.GetValueOrDefault(0), 50, Pocs - 1);
        await RestartAsync();
        var pings = await MessagesAsync(byEmail, step: 0, Pocs, TimeSpan.FromSeconds(90));
        Log("all pings out");

        // (e) Right after an acknowledgement got its 2xx, with more of them still in flight: eight POCs click at a time.
        var early = new ConcurrentQueue<CreatedPoc>(pocs.Take(80));
        var tenthAnswered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = 0;
        var cutOff = new ConcurrentBag<CreatedPoc>();
        var clicking = Enumerable.Range(0, 8).Select(async _ =>
        {
            while (early.TryDequeue(out var poc))
            {
                if (!await TryAcknowledgeAsync(http, pings[poc.Email], poc, acknowledged))
                {
                    cutOff.Add(poc);
                    return;
                }

                if (Interlocked.Increment(ref answered) == 10)
                {
                    tenthAnswered.TrySetResult();
                }
            }
        }).ToList();
        await tenthAnswered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        var killedAt = DateTimeOffset.UtcNow;
        kills.Add(await KillAsync("e: right after the 10th acknowledgement got 200", id, byEmail));
        await Task.WhenAll(clicking);
        var unanswered = pocs.Take(80).Where(p => !acknowledged.ContainsKey(p.Id)).ToList();
        Log($"{acknowledged.Count} acknowledgements answered 200 before the kill; {cutOff.Count} cut off by it; {unanswered.Count - cutOff.Count} not yet clicked");
        await RestartAsync();

        // A POC whose click got no answer clicks again; each now gets its 200 (the first try may already have counted).
        foreach (var poc in unanswered)
        {
            Assert.True(await TryAcknowledgeAsync(http, pings[poc.Email], poc, acknowledged), $"{poc.Id} could not acknowledge after the restart");
        }

        Log($"of the {cutOff.Count} cut off, {cutOff.Count(p => acknowledged[p.Id] < killedAt)} had been recorded before the kill (the second click showed the first time)");

        // (c) During the reminders: some out, not all (checked at the end, against all that went out).
        await MessagesAsync(byEmail, step: 1, 40, TimeSpan.FromSeconds(90));
        await fixture.Smtp.HoldNextReplyAsync(m => byEmail.ContainsKey(CampaignHelpers.AddressOf(m))).WaitAsync(TimeSpan.FromSeconds(30));
        kills.Add(await KillAsync("c: during the reminders", id, byEmail));
        await RestartAsync();

        // The reminder step is over when every POC still silent has its reminder recorded (a POC may answer while it runs).
        await Wait.UntilAsync(async () => (await ResultRowsAsync(id)).All(r => r.Outcome != "Pending" || r.LastStepSent >= 1),
            TimeSpan.FromSeconds(90), () => "The reminders did not all go out");
        var reminders = await MessagesAsync(byEmail, step: 1, 1, TimeSpan.FromSeconds(1));
        Log($"all reminders out: {reminders.Count}");

        // Some answer the reminder; then (b) the runner dies while the campaign waits for its deadline, and more answer after.
        foreach (var poc in pocs.Where(p => reminders.ContainsKey(p.Email)).Take(20))
        {
            Assert.True(await TryAcknowledgeAsync(http, reminders[poc.Email], poc, acknowledged), $"{poc.Id} could not acknowledge the reminder");
        }

        var deadline = (await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}"))!["deadline"]!.GetValue<DateTimeOffset>();
        Assert.True(DateTimeOffset.UtcNow < deadline - TimeSpan.FromSeconds(5), $"The reminders ended too close to the deadline ({deadline:O}) to kill the runner while it waits");
        kills.Add(await KillAsync("b: while waiting for the deadline", id, byEmail));
        await RestartAsync();
        foreach (var poc in pocs.Where(p => reminders.ContainsKey(p.Email) && !acknowledged.ContainsKey(p.Id)).Take(10))
        {
            Assert.True(await TryAcknowledgeAsync(http, reminders[poc.Email], poc, acknowledged), $"{poc.Id} could not acknowledge after the restart");
        }

        // (d) While the report is compiled: the silent POCs are being closed as "no response", the report is not stored yet.
        var results = new TableClient(fixture.Azurite.ConnectionString, "CampaignResults");
        await Wait.UntilAsync(async () => await results.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {id} and Outcome eq {"NoResponse"}"), maxPerPage: 1, select: ["RowKey"])
                .AsPages().AnyAsync(page => page.Values.Count > 0),
            deadline - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60), () => "The report compilation never started", maxInterval: TimeSpan.FromMilliseconds(5));
        kills.Add(await KillAsync("d: while the report is compiled", id, byEmail));
        var stored = await new TableClient(fixture.Azurite.ConnectionString, "Campaigns").GetEntityAsync<TableEntity>("campaign", id);
        Assert.Equal("Running", stored.Value.GetString("Status"));
        var rows = await ResultRowsAsync(id);
        Log($"killed after {rows.Count(r => r.Outcome == "NoResponse")} of {rows.Count(r => r.Outcome is "NoResponse" or "Pending")} silent POCs were closed");

        // (f) Once more at the very end of the compilation: the report is stored and the campaign marked completed, but
        // the summary email is not yet answered, so the orchestration has not heard that the step is done and runs it again.
        var summary = fixture.Smtp.HoldNextReplyAsync(m => CampaignHelpers.AddressOf(m) == DirectoryFixture.Secretariat);
        await RestartAsync();
        await summary.WaitAsync(TimeSpan.FromSeconds(90));
        kills.Add(await KillAsync("f: while the summary is sent, after the report was stored", id, byEmail));
        stored = await new TableClient(fixture.Azurite.ConnectionString, "Campaigns").GetEntityAsync<TableEntity>("campaign", id);
        Assert.Equal("Completed", stored.Value.GetString("Status"));
        await RestartAsync();
        await Wait.UntilAsync(() => Task.FromResult(fixture.Smtp.Messages.Count(m => CampaignHelpers.AddressOf(m) == DirectoryFixture.Secretariat) == 2),
            TimeSpan.FromSeconds(90), () => "The summary was not sent again after the restart");
        var summaries = fixture.Smtp.Messages.Where(m => CampaignHelpers.AddressOf(m) == DirectoryFixture.Secretariat).ToList();
        Assert.Single(summaries.Select(m => m.MessageId).Distinct());
        Log("the summary, in flight at (f), went out again with the same Message-ID: the last step ran twice");

        var closed = await CampaignHelpers.WaitUntilClosedAsync(secretariat, id, TimeSpan.FromSeconds(120));
        Assert.Equal("Completed", closed["status"]!.GetValue<string>());

        // Running the last step twice changed nothing: each silent POC missed one ping, not two; one completion in the audit.
        var listed = new List<JsonNode>();
        foreach (var participant in pocs.Select(p => p.Participant).Distinct())
        {
            listed.AddRange((await secretariat.GetFromJsonAsync<JsonObject>($"api/pocs?participant={participant}&pageSize=100"))!["items"]!.AsArray()!);
        }

        Assert.Equal(pocs.Select(p => p.Id).Order(StringComparer.Ordinal), listed.Select(p => p["id"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(listed, p => Assert.Equal(acknowledged.ContainsKey(p["id"]!.GetValue<string>()) ? 0 : 1, p["missedPings"]!.GetValue<int>()));

        var audit = (await secretariat.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Campaign&entityId={id}"))!["items"]!.AsArray();
        Assert.Single(audit, e => e!["action"]!.GetValue<string>() == "Campaign.Completed");

        // Every acknowledgement answered 2xx is in the results and the stored report.
        var recorded = (await ResultRowsAsync(id)).Where(r => r.Outcome == "Acknowledged").Select(r => r.PocId).ToHashSet();
        var lost = acknowledged.Keys.Where(a => !recorded.Contains(a)).ToList();
        FaultLedger.AcknowledgementsLost(lost.Count);
        Assert.True(lost.Count == 0, $"{lost.Count} acknowledgements answered 2xx are missing: {string.Join(", ", lost.Take(10))}");
        Assert.Equal(acknowledged.Count, recorded.Count);
        var report = await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{id}/report");
        Assert.Equal(acknowledged.Count, report!["overall"]!["acknowledged"]!.GetValue<int>());
        Assert.Equal(Pocs - acknowledged.Count, report["overall"]!["noResponse"]!.GetValue<int>());

        // No POC got a step twice, except a message in flight at a kill: accepted by the mail server, not yet recorded.
        var sent = fixture.Smtp.Messages.Where(m => byEmail.ContainsKey(CampaignHelpers.AddressOf(m)))
            .GroupBy(m => (Address: CampaignHelpers.AddressOf(m), Step: CampaignHelpers.StepOf(m))).ToList();
        var windows = kills.SelectMany(k => k.InFlight).ToHashSet();
        var duplicates = sent.Where(g => g.Count() > 1).ToList();
        foreach (var kill in kills)
        {
            Log($"{kill.Name}: {kill.InFlight.Count} message(s) in flight, {duplicates.Count(d => kill.InFlight.Contains(d.Key))} sent again");
        }

        Assert.All(duplicates, d =>
        {
            Assert.True(windows.Contains(d.Key), $"{d.Key} was sent {d.Count()} times but was not in flight at any kill");
            Assert.Equal(2, d.Count());
            Assert.Single(d.Select(m => m.MessageId).Distinct());
        });
        Assert.All(kills, k => Assert.True(k.InFlight.Count <= CrashFixture.MaxParallelBatches, $"{k.Name}: {k.InFlight.Count} in flight"));

        // The held messages make the window certain at (a) and (c): each message in flight there went out once more.
        Assert.All(new[] { kills[0], kills[2] }, k =>
        {
            Assert.NotEmpty(k.InFlight);
            Assert.All(k.InFlight, m => Assert.Equal(2, sent.Single(g => g.Key == m).Count()));
        });
        Assert.Equal(Pocs, sent.Count(g => g.Key.Step == 0));
        Assert.InRange(kills[2].Received.GetValueOrDefault(1), 40, sent.Count(g => g.Key.Step == 1) - 1);
        Assert.All(pocs.Where(p => !acknowledged.ContainsKey(p.Id)), p => Assert.Contains(sent, g => g.Key == (p.Email, 1)));
        Assert.DoesNotContain(sent, g => g.Key.Step > 1);

        for (var i = 0; i < kills.Count; i++)
        {
            FaultLedger.CrashSurvived();
        }

        Log($"{duplicates.Count} duplicate message(s) in all; {acknowledged.Count} acknowledgements, none lost");
    }


    /// <summary>True when the acknowledgement was answered 200 (and remembered); false when the runner died under it.</summary>
    private static async Task<bool> TryAcknowledgeAsync(HttpClient http, MimeMessage message, CreatedPoc poc, ConcurrentDictionary<string, DateTimeOffset> acknowledged)
    {
        try
        {
            using var response = await CampaignHelpers.AcknowledgeAsync(http, CampaignHelpers.LinkIn(message));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Acknowledgement answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            acknowledged[poc.Id] = (await response.ReadJsonAsync())["acknowledgedAt"]!.GetValue<DateTimeOffset>();
            return true;
        }
        catch (HttpRequestException)
        {
            // The runner was killed under this request: no answer, so nothing was promised.
            return false;
        }
    }

    /// <summary>
    /// SIGKILL, then what the mail server accepted and what the results table says, read straight from storage while
    /// the runner is down: a message accepted for a step the POC's row does not yet record was in flight.
    /// </summary>
    private async Task<KillPoint> KillAsync(string name, string campaignId, IReadOnlyDictionary<string, CreatedPoc> byEmail)
    {
        fixture.Runner.Kill();
        fixture.Smtp.ReleaseHeldReply();
        await Wait.UntilAsync(() => Task.FromResult(fixture.Smtp.OpenSessions == 0), TimeSpan.FromSeconds(10), () => "An SMTP session stayed open");
        var rows = (await ResultRowsAsync(campaignId)).ToDictionary(r => r.PocId);
        var received = fixture.Smtp.Messages.Where(m => byEmail.ContainsKey(CampaignHelpers.AddressOf(m)))
            .Select(m => (Address: CampaignHelpers.AddressOf(m), Step: CampaignHelpers.StepOf(m))).Distinct().ToList();
        var inFlight = received.Where(m => rows[byEmail[m.Address].Id].LastStepSent < m.Step).ToHashSet();
        var kill = new KillPoint(name, received.GroupBy(m => m.Step).ToDictionary(g => g.Key, g => g.Count()), inFlight);
        Log($"killed {name}: {received.Count(m => m.Step == 0)} pings and {received.Count(m => m.Step == 1)} reminders out, {inFlight.Count} in flight");
        return kill;
    }

    private async Task RestartAsync()
    {
        var started = _clock.Elapsed;
        await fixture.Runner.RestartAsync();
        Log($"restarted in {(_clock.Elapsed - started).TotalSeconds:F1} s");
    }

    /// <summary>The messages of one step, one per address, once at least <paramref name="count"/> addresses have theirs.</summary>
    private async Task<Dictionary<string, MimeMessage>> MessagesAsync(IReadOnlyDictionary<string, CreatedPoc> byEmail, int step, int count, TimeSpan timeout)
    {
        var found = new Dictionary<string, MimeMessage>();
        await Wait.UntilAsync(() =>
        {
            found = fixture.Smtp.Messages.Where(m => byEmail.ContainsKey(CampaignHelpers.AddressOf(m)) && CampaignHelpers.StepOf(m) == step)
                .GroupBy(CampaignHelpers.AddressOf, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
            return Task.FromResult(found.Count >= count);
        }, timeout, () => $"Only {found.Count} of {count} messages of step {step} arrived");
        return found;
    }

    private async Task<List<ResultRow>> ResultRowsAsync(string campaignId)
    {
        var table = new TableClient(fixture.Azurite.ConnectionString, "CampaignResults");
        var rows = new List<ResultRow>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {campaignId} and RowKey ge {"poc|"} and RowKey lt {"poc}"}")))
        {
            rows.Add(new ResultRow(row.RowKey["poc|".Length..], row.GetString("Outcome"), row.GetInt32("LastStepSent") ?? -1));
        }

        return rows;
    }

    private void Log(string message) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {message}");

    private sealed record KillPoint(string Name, IReadOnlyDictionary<int, int> Received, IReadOnlySet<(string Address, int Step)> InFlight);

    private sealed record ResultRow(string PocId, string Outcome, int LastStepSent);
}
