using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Issue 17's "what must be shown", through the real runner (in-memory Durable backend) and real SMTP: a dry run to the
/// controller, three injects at PT0S/PT5S/PT10S (respondWithin PT20S) to ISL and NOR, answers, a communication check
/// ISL→NOR, the report, and statistics left as they were. Delivery offsets are asserted within <see cref="Tolerance"/>
/// (never early; late by at most that much on a shared 2-core machine).
/// </summary>
[Collection(CommunicationCollection.Name)]
public sealed partial class ExerciseScenarioTests(CommunicationFixture fixture)
{
    private const string Marker = "EXERCISE EXERCISE EXERCISE";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Exercise_DryRunReachesOnlyTheController_InjectsArriveAtTheirOffsets_AnswersAndRoundTripAreReported_StatisticsUnchanged()
    {
        var w = await WorldAsync();
        var statsBefore = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/communications/stats");
        var pocsBefore = await PingFieldsAsync(w);

        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/exercises", Body(w));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var exercise = await created.ReadJsonAsync();
        var id = exercise["id"]!.GetValue<string>();
        Assert.Equal("Draft", exercise["status"]!.GetValue<string>());

        // The controller (no role in the directory) steers it; the dry run reaches only the controller, all three at once.
        using (var dry = await w.Controller.PostAsync($"api/exercises/{id}/dry-run", null))
        {
            Assert.True(dry.StatusCode == HttpStatusCode.Accepted, await dry.Content.ReadAsStringAsync());
        }

        var dryRun = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [w.ControllerEmail], 3, Timeout);
        Assert.All(dryRun, m => { AssertMarked(m); Assert.Contains("Dry run", m.Subject, StringComparison.Ordinal); });
        Assert.Equal(3, dryRun.Select(m => ExerciseLink(m)).Distinct().Count());
        Assert.DoesNotContain(fixture.Smtp.Messages, m => w.Players.Contains(CampaignHelpers.AddressOf(m)));

        using (var start = await w.Controller.PostAsync($"api/exercises/{id}/start", null))
        {
            Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
            Assert.Equal("Running", (await start.ReadJsonAsync())["status"]!.GetValue<string>());
        }

        var startedAt = (await w.Controller.GetFromJsonAsync<JsonObject>($"api/exercises/{id}"))!["startedAt"]!.GetValue<DateTimeOffset>();

        // Inject 1 (Acknowledge, PT0S) to both; both acknowledge with one click.
        var first = await InjectAsync(w, "Inject-Ack", [w.IslEmail, w.NorEmail], 2);
        foreach (var m in first)
        {
            using var ack = await fixture.Runner.Http.PostAsJsonAsync($"api/exercise-responses/{TokenOf(m)}", new { response = "Acknowledge" });
            Assert.True(ack.StatusCode == HttpStatusCode.OK, await ack.Content.ReadAsStringAsync());
        }

        // Inject 2 (Reply, PT5S): ISL replies with text and a choice; NOR does nothing.
        var second = await InjectAsync(w, "Inject-Reply", [w.IslEmail, w.NorEmail], 2);
        var islReply = second.Single(m => CampaignHelpers.AddressOf(m) == w.IslEmail);
        var view = await fixture.Runner.Http.GetFromJsonAsync<JsonObject>($"api/exercise-responses/{TokenOf(islReply)}");
        Assert.Equal("Reply", view!["expects"]!.GetValue<string>());
        Assert.True(view["open"]!.GetValue<bool>());
        Assert.Equal(["Yes", "No"], view["options"]!.AsArray().Select(o => o!.GetValue<string>()));
        using (var reply = await fixture.Runner.Http.PostAsJsonAsync($"api/exercise-responses/{TokenOf(islReply)}", new { response = "Reply", text = "Our CERT sees them too.", choice = "Yes" }))
        {
            Assert.True(reply.StatusCode == HttpStatusCode.OK, await reply.Content.ReadAsStringAsync());
        }

        // Inject 3 (ContactParticipant ISL→NOR, PT10S) to ISL only; ISL sends an exercise communication, NOR acknowledges it.
        await InjectAsync(w, "Inject-Contact", [w.IslEmail], 1);
        using (var sent = await w.IslFocalPoint.PostAsJsonAsync("api/communications", new
        {
            to = w.Nor, type = "RequestForInformation", urgency = "Routine", subject = "Exercise: shared indicators", body = "Do you see these indicators?", respondBy = "PT1H", exerciseId = id,
        }))
        {
            Assert.True(sent.StatusCode == HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
            Assert.Equal(id, (await sent.ReadJsonAsync())["exerciseId"]!.GetValue<string>());
        }

        var communication = (await WaitForAsync(() => fixture.Smtp.Messages.Where(m => CampaignHelpers.AddressOf(m) == w.NorEmail && (m.Subject ?? string.Empty).Contains("shared indicators", StringComparison.Ordinal)).ToList(), 1)).Single();
        AssertMarked(communication);
        using (var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, CampaignHelpers.LinkIn(communication)))
        {
            Assert.True(ack.StatusCode == HttpStatusCode.OK, await ack.Content.ReadAsStringAsync());
        }

        // The Reply inject's time runs out for NOR; then a controller notes an observation and ends the exercise.
        var norReplyLink = TokenOf(second.Single(m => CampaignHelpers.AddressOf(m) == w.NorEmail));
        await Wait.UntilAsync(async () => (await fixture.Runner.Http.GetFromJsonAsync<JsonObject>($"api/exercise-responses/{norReplyLink}"))!["open"]!.GetValue<bool>() == false,
            Timeout, () => "NOR's Reply inject did not close at its deadline");
        using (var observed = await w.Controller.PostAsJsonAsync($"api/exercises/{id}/observations", new { participant = w.Nor, text = "NOR missed the situation report." }))
        {
            Assert.True(observed.StatusCode == HttpStatusCode.Created, await observed.Content.ReadAsStringAsync());
        }

        using (var end = await w.Controller.PostAsync($"api/exercises/{id}/end", null))
        {
            Assert.True(end.StatusCode == HttpStatusCode.Accepted, await end.Content.ReadAsStringAsync());
        }

        // After the end: 410, and nothing recorded.
        using (var late = await fixture.Runner.Http.PostAsJsonAsync($"api/exercise-responses/{norReplyLink}", new { response = "Reply", text = "Late." }))
        {
            await PocBodies.AssertProblemAsync(late, HttpStatusCode.Gone);
        }

        var report = (await w.Controller.GetFromJsonAsync<JsonObject>($"api/exercises/{id}/report"))!;
        var results = report["results"]!.AsArray().Select(r => r!.AsObject()).ToDictionary(r => (r["inject"]!.GetValue<int>(), r["participant"]!.GetValue<string>()));
        Assert.Equal(5, results.Count);
        Assert.True(results[(1, w.Isl)]["inTime"]!.GetValue<bool>());
        Assert.True(results[(1, w.Nor)]["inTime"]!.GetValue<bool>());
        Assert.True(results[(2, w.Isl)]["inTime"]!.GetValue<bool>());
        Assert.Equal("Yes", results[(2, w.Isl)]["choice"]!.GetValue<string>());
        Assert.False(results[(2, w.Nor)]["inTime"]!.GetValue<bool>());
        Assert.Null(results[(2, w.Nor)]["firstResponseAt"]);
        Assert.True(results[(3, w.Isl)]["inTime"]!.GetValue<bool>());
        Assert.NotNull(results[(3, w.Isl)]["communicationId"]);
        Assert.All(results.Values, r => Assert.NotNull(r["deliveredAt"]));
        var scores = report["participants"]!.AsArray().ToDictionary(p => p!["participant"]!.GetValue<string>());
        Assert.Equal((3, 3, 1.0), (scores[w.Isl]!["injects"]!.GetValue<int>(), scores[w.Isl]!["answeredInTime"]!.GetValue<int>(), scores[w.Isl]!["shareInTime"]!.GetValue<double>()));
        Assert.Equal((2, 1, 0.5), (scores[w.Nor]!["injects"]!.GetValue<int>(), scores[w.Nor]!["answeredInTime"]!.GetValue<int>(), scores[w.Nor]!["shareInTime"]!.GetValue<double>()));
        Assert.Equal("NOR missed the situation report.", scores[w.Nor]!["observation"]!.GetValue<string>());

        // Each inject went at its offset from the start (0, 5, 10 s), within the tolerance; the dry run does not count.
        var injects = report["injects"]!.AsArray();
        Assert.Equal(3, injects.Count);
        foreach (var (inject, offset) in injects.Zip(new[] { 0, 5, 10 }))
        {
            var delivered = inject!["deliveredAt"]!.GetValue<DateTimeOffset>();
            Assert.InRange(delivered - startedAt, TimeSpan.FromSeconds(offset) - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(offset) + Tolerance);
        }

        var csv = await w.Controller.GetStringAsync($"api/exercises/{id}/report?format=csv");
        Assert.StartsWith("\"inject\",\"participant\",\"recipients\",\"deliveredAt\"", csv, StringComparison.Ordinal);
        Assert.Equal(6, csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // Kept apart from reality: communication statistics and the POCs' ping and confirmation fields are as they were.
        var statsAfter = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/communications/stats");
        Assert.Equal(statsBefore!["count"]!.GetValue<int>(), statsAfter!["count"]!.GetValue<int>());
        Assert.Equal(pocsBefore, await PingFieldsAsync(w));
    }

    [Fact]
    public async Task BadInputs_AreProblemDetails_AndChangeNothing()
    {
        var w = await WorldAsync();
        var listed = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/exercises"))!["items"]!.AsArray().Count;

        async Task RefusedAsync(JsonObject body, string field)
        {
            using var response = await fixture.SecretariatClient.PostAsJsonAsync("api/exercises", body);
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        }

        var outOfOrder = Body(w);
        outOfOrder["injects"]![0]!["at"] = "PT30S";
        await RefusedAsync(outOfOrder, "injects");
        var tooLate = Body(w);
        tooLate["injects"]![2]!["at"] = "P31D";
        await RefusedAsync(tooLate, "injects[2].at");
        var noContact = Body(w);
        noContact["injects"]![2]!["contactParticipant"] = null;
        await RefusedAsync(noContact, "injects[2].contactParticipant");
        var nonPlayer = Body(w);
        nonPlayer["injects"]![2]!["contactParticipant"] = w.Third;
        await RefusedAsync(nonPlayer, "injects[2].contactParticipant");
        Assert.Equal(listed, (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/exercises"))!["items"]!.AsArray().Count);

        // Not a controller: 403. A controller may not create one.
        using (var stranger = await w.IslFocalPoint.PostAsJsonAsync("api/exercises", Body(w)))
        {
            await PocBodies.AssertProblemAsync(stranger, HttpStatusCode.Forbidden);
        }

        // A running exercise cannot be edited; a communication marked with a draft exercise is refused and nothing is sent.
        var single = Body(w);
        single["injects"] = new JsonArray(single["injects"]![0]!.DeepClone());
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/exercises", single);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        var sentBefore = fixture.Smtp.Messages.Count;
        using (var draftMarked = await w.IslFocalPoint.PostAsJsonAsync("api/communications", new
        {
            to = w.Nor, type = "RequestForInformation", urgency = "Routine", subject = "Not yet", body = "Not yet.", respondBy = "PT1H", exerciseId = id,
        }))
        {
            await PocBodies.AssertProblemAsync(draftMarked, HttpStatusCode.BadRequest, "exerciseId");
        }

        using (await w.Controller.PostAsync($"api/exercises/{id}/start", null))
        {
        }

        using var read = await w.Controller.GetAsync($"api/exercises/{id}");
        var before = await read.Content.ReadAsStringAsync();
        using (var edit = new HttpRequestMessage(HttpMethod.Put, $"api/exercises/{id}") { Content = JsonContent.Create(Body(w)) })
        {
            edit.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
            using var response = await w.Controller.SendAsync(edit);
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.Conflict);
        }

        // The refused edit changed nothing the controller wrote; its injects may meanwhile have gone out (deliveredAt).
        Assert.Equal(Definition(before), Definition(await w.Controller.GetStringAsync($"api/exercises/{id}")));
        using (var again = await w.Controller.PostAsync($"api/exercises/{id}/start", null))
        {
            await PocBodies.AssertProblemAsync(again, HttpStatusCode.Conflict);
        }

        // Tampered link: 404; a Reply to an Acknowledge inject: 400; after the end: 410; none of them recorded.
        var inject = (await InjectAsync(w, "Inject-Ack", [w.IslEmail], 1)).Single();
        var token = TokenOf(inject);
        using (var tampered = await fixture.Runner.Http.PostAsJsonAsync($"api/exercise-responses/{token[..^2]}xy", new { response = "Acknowledge" }))
        {
            await PocBodies.AssertProblemAsync(tampered, HttpStatusCode.NotFound);
        }

        using (var wrongKind = await fixture.Runner.Http.PostAsJsonAsync($"api/exercise-responses/{token}", new { response = "Reply", text = "Hello" }))
        {
            await PocBodies.AssertProblemAsync(wrongKind, HttpStatusCode.BadRequest, "response");
        }

        using (var end = await w.Controller.PostAsync($"api/exercises/{id}/end", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, end.StatusCode);
        }

        using (var late = await fixture.Runner.Http.PostAsJsonAsync($"api/exercise-responses/{token}", new { response = "Acknowledge" }))
        {
            await PocBodies.AssertProblemAsync(late, HttpStatusCode.Gone);
        }

        var report = (await w.Controller.GetFromJsonAsync<JsonObject>($"api/exercises/{id}/report"))!;
        Assert.All(report["results"]!.AsArray(), r => Assert.Null(r!["firstAcknowledgedAt"]));
        Assert.DoesNotContain(fixture.Smtp.MessagesAfter(sentBefore), m => (m.Subject ?? string.Empty).Contains("Not yet", StringComparison.Ordinal));

        // A real communication is never marked.
        using (var real = await w.IslFocalPoint.PostAsJsonAsync("api/communications", new
        {
            to = w.Nor, type = "RequestForInformation", urgency = "Routine", subject = "Real one", body = "A real request.", respondBy = "PT1H",
        }))
        {
            Assert.Equal(HttpStatusCode.Created, real.StatusCode);
            Assert.Null((await real.ReadJsonAsync())["exerciseId"]);
        }

        var realMessage = (await WaitForAsync(() => fixture.Smtp.Messages.Where(m => CampaignHelpers.AddressOf(m) == w.NorEmail && (m.Subject ?? string.Empty).Contains("Real one", StringComparison.Ordinal)).ToList(), 1)).Single();
        Assert.DoesNotContain("EXERCISE", realMessage.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, realMessage.TextBody ?? string.Empty, StringComparison.Ordinal);
    }

    /// <summary>
    /// The measurement of the issue's closing note: 50 injects one second apart to one player; how late each inject's
    /// first message went against its schedule (the start plus its offset), and how late it arrived at the SMTP server.
    /// Written to TestResults/exercise-offsets.json.
    /// </summary>
    [Fact]
    public async Task FiftyInjects_EachIsDeliveredNeverEarly_AndTheirLatenessIsMeasured()
    {
        var w = await WorldAsync();
        var body = Body(w);
        body["players"]!["participants"] = new JsonArray(w.Isl);
        body["injects"] = new JsonArray(Enumerable.Range(0, 50).Select(i => (JsonNode)new JsonObject
        {
            ["at"] = $"PT{i}S", ["title"] = $"Tick-{i:00}-{w.Tag}", ["message"] = "Acknowledge please.", ["expects"] = "Acknowledge", ["respondWithin"] = "PT20S", ["to"] = "AllPlayers", ["participants"] = new JsonArray(),
        }).ToArray());
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/exercises", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        using (var start = await w.Controller.PostAsync($"api/exercises/{id}/start", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        }

        await WaitForAsync(() => fixture.Smtp.Messages.Where(m => CampaignHelpers.AddressOf(m) == w.IslEmail && (m.Subject ?? string.Empty).Contains(w.Tag, StringComparison.Ordinal)).ToList(), 50);
        var arrivals = fixture.Smtp.ReceivedAt.Where(r => r.To == w.IslEmail).Select(r => r.At).Order().ToList();
        var exercise = (await w.Controller.GetFromJsonAsync<JsonObject>($"api/exercises/{id}"))!;
        var startedAt = exercise["startedAt"]!.GetValue<DateTimeOffset>();
        var report = (await w.Controller.GetFromJsonAsync<JsonObject>($"api/exercises/{id}/report"))!;
        var sent = report["injects"]!.AsArray().Select((inject, i) => (inject!["deliveredAt"]!.GetValue<DateTimeOffset>() - startedAt - TimeSpan.FromSeconds(i)).TotalSeconds).ToList();
        var arrived = arrivals.Select((at, i) => (at - startedAt - TimeSpan.FromSeconds(i)).TotalSeconds).ToList();
        using (await w.Controller.PostAsync($"api/exercises/{id}/end", null))
        {
        }

        var measured = new { injects = 50, spacingSeconds = 1, maxSentLateSeconds = sent.Max(), minSentLateSeconds = sent.Min(), medianSentLateSeconds = sent.Order().ElementAt(25), maxArrivedLateSeconds = arrived.Max() };
        Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "TestResults"));
        await File.WriteAllTextAsync(Path.Combine(RepoPaths.Root, "TestResults", "exercise-offsets.json"), System.Text.Json.JsonSerializer.Serialize(measured));
        // The figures are the measurement (the timeline's accuracy is a figure, not a pass mark on a loaded machine); what
        // must hold is that every inject went and none before its time. Injects that fell behind on a loaded machine are
        // started in order but delivered side by side, so their delivery times need not be in order.
        Assert.All(sent, late => Assert.True(late >= -1, $"An inject went {-late:F1} s before its time."));
    }

    /// <summary>The exercise as its controllers wrote it, without what its run records on each inject.</summary>
    private static string Definition(string exercise)
    {
        var json = JsonNode.Parse(exercise)!.AsObject();
        foreach (var inject in json["injects"]!.AsArray())
        {
            inject!.AsObject().Remove("deliveredAt");
            inject.AsObject().Remove("deadline");
        }

        return json.ToJsonString();
    }

    private static void AssertMarked(MimeMessage message)
    {
        Assert.StartsWith("[EXERCISE] ", message.Subject, StringComparison.Ordinal);
        var lines = (message.TextBody ?? string.Empty).Trim().Split('\n');
        Assert.Equal(Marker, lines[0].Trim());
        Assert.Equal(Marker, lines[^1].Trim());
    }

    private static string ExerciseLink(MimeMessage message)
    {
        var match = ExerciseLinkPattern().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, "No exercise link in: " + message.TextBody);
        return match.Value;
    }

    private static string TokenOf(MimeMessage message) => CampaignHelpers.TokenOf(ExerciseLink(message));

    /// <summary>The inject's messages to these players, once they arrived; each carries the markers and a /exercise/ link.</summary>
    private async Task<IReadOnlyList<MimeMessage>> InjectAsync(World w, string title, string[] to, int count)
    {
        var found = await WaitForAsync(() => fixture.Smtp.Messages
            .Where(m => to.Contains(CampaignHelpers.AddressOf(m)) && (m.Subject ?? string.Empty).Contains(title, StringComparison.Ordinal) && !(m.Subject ?? string.Empty).Contains("Dry run", StringComparison.Ordinal)).ToList(), count);
        Assert.All(found, AssertMarked);
        Assert.Equal(count, found.Select(ExerciseLink).Distinct().Count());
        return found;
    }

    private static async Task<List<MimeMessage>> WaitForAsync(Func<List<MimeMessage>> which, int count)
    {
        var found = new List<MimeMessage>();
        await Wait.UntilAsync(() =>
        {
            found = which();
            return Task.FromResult(found.Count >= count);
        }, Timeout, () => $"Only {found.Count} of {count} messages arrived");
        return found;
    }

    private async Task<string> PingFieldsAsync(World w)
    {
        var fields = new List<string>();
        foreach (var pocId in w.PocIds)
        {
            var (poc, _) = await PocBodies.GetAsync(fixture.SecretariatClient, pocId);
            fields.Add(string.Join('|', new[] { "lastPingOutcome", "lastAcknowledgedAt", "missedPings", "lastConfirmedAt" }.Select(f => poc[f]?.ToJsonString() ?? "null")));
        }

        return string.Join('\n', fields);
    }

    private static JsonObject Body(World w) => JsonNode.Parse($$"""
        {
          "name": "Comcheck {{w.Tag}}",
          "description": "Three injects, two players.",
          "players": { "participants": ["{{w.Isl}}", "{{w.Nor}}"], "regions": [], "kinds": [] },
          "controllers": ["{{w.ControllerEmail}}"],
          "injects": [
            { "at": "PT0S", "title": "Inject-Ack", "message": "Please acknowledge.", "expects": "Acknowledge", "contactParticipant": null, "respondWithin": "PT20S", "to": "AllPlayers", "participants": [] },
            { "at": "PT5S", "title": "Inject-Reply", "message": "Do you see the indicators?", "expects": "Reply", "contactParticipant": null, "respondWithin": "PT20S", "to": "AllPlayers", "participants": [], "options": ["Yes", "No"] },
            { "at": "PT10S", "title": "Inject-Contact", "message": "Reach NOR through the directory.", "expects": "ContactParticipant", "contactParticipant": "{{w.Nor}}", "respondWithin": "PT20S", "to": "Participants", "participants": ["{{w.Isl}}"] }
          ]
        }
        """)!.AsObject();

    private sealed record World(string Tag, string Isl, string Nor, string Third, string IslEmail, string NorEmail, string[] PocIds, HttpClient IslFocalPoint, string ControllerEmail, HttpClient Controller)
    {
        public string[] Players => [IslEmail, NorEmail];
    }

    private async Task<World> WorldAsync()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var isl = await fixture.NewParticipantAsync();
        var nor = await fixture.NewParticipantAsync();
        var third = await fixture.NewParticipantAsync();
        async Task<string> PocAsync(string participant, string email)
            => (await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, "Technical").With("emails", new JsonArray(email)))).Poc["id"]!.GetValue<string>();
        var islEmail = $"isl-x-{tag}@example.org";
        var norEmail = $"nor-x-{tag}@example.org";
        var ids = new[] { await PocAsync(isl, islEmail), await PocAsync(nor, norEmail) };
        var islFp = $"isl-xfp-{tag}@example.org";
        using (var role = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email = islFp, role = "FocalPoint", participant = isl }))
        {
            role.EnsureSuccessStatusCode();
        }

        var controller = $"control-{tag}@example.org";
        return new World(tag, isl, nor, third, islEmail, norEmail, ids, await fixture.Runner.ClientForAsync(islFp), controller, await fixture.Runner.ClientForAsync(controller));
    }

    [GeneratedRegex(@"https?://[^\s/]+/exercise/[A-Za-z0-9_\-]+")]
    private static partial Regex ExerciseLinkPattern();
}
