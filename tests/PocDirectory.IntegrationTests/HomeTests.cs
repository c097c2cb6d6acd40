using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>GET /api/home per role (issue 21): what waits for a POC, a focal point's participants, the Secretariat's day.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class HomeTests(DirectoryFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Poc_PingCommunicationAndMeetingWaitFirst_AnAcknowledgedPingLeavesTheHome()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (me, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Technical", "Home Poc"));
        var (colleague, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Diplomatic", "Home Colleague"));
        var pocId = me["id"]!.GetValue<string>();
        using var poc = await fixture.UserWithRoleAsync("Poc", pocId: pocId);
        using var sender = await fixture.UserWithRoleAsync("FocalPoint", y);

        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = $"Home ping {x}", scope = new { participants = new[] { x }, regions = Array.Empty<string>(), kinds = Array.Empty<string>() },
            responseWindow = "PT1H", reminders = Array.Empty<string>(), escalate = false, startAt = (DateTimeOffset?)null, subject = (string?)null, body = (string?)null,
        });
        var campaignId = campaign["id"]!.GetValue<string>();
        using (var sent = await sender.PostAsJsonAsync("api/communications", new
        {
            to = x, kinds = new[] { "Technical" }, type = "RequestForInformation", urgency = "Routine", subject = "Home subject", body = "Please confirm receipt.", respondBy = "PT48H",
        }))
        {
            Assert.True(sent.StatusCode == HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
        }

        using (var meeting = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", MeetingHelpers.LaunchMeeting([x], DateTime.UtcNow.Year + 1)))
        {
            Assert.Equal(HttpStatusCode.Created, meeting.StatusCode);
            using var invite = await fixture.SecretariatClient.PostAsync($"api/meetings/{(await meeting.ReadJsonAsync())["id"]!.GetValue<string>()}/invite", null);
            Assert.Equal(HttpStatusCode.Accepted, invite.StatusCode);
        }

        // The ping, the communication and the invitation are snapshotted by their deliveries: wait until all three wait for the POC.
        JsonObject section = [];
        await Wait.UntilAsync(async () =>
        {
            section = (await HomeOfAsync(poc))["pocs"]!.AsArray().Single()!.AsObject();
            return section["pings"]!.AsArray().Count == 1 && section["communications"]!.AsArray().Count == 1 && section["meetings"]!.AsArray().Count == 1;
        }, Timeout, () => $"The POC's home never listed the ping, the communication and the meeting: {section.ToJsonString()}");

        Assert.Equal(x, section["participant"]!.GetValue<string>());
        Assert.Equal($"Test organisation {x}", section["participantName"]!.GetValue<string>());
        Assert.Equal(campaignId, section["pings"]![0]!["campaignId"]!.GetValue<string>());
        Assert.Equal(y, section["communications"]![0]!["from"]!.GetValue<string>());
        Assert.Equal("Home subject", section["communications"]![0]!["subject"]!.GetValue<string>());
        var invitation = section["meetings"]![0]!;
        Assert.Null(invitation["myAnswer"]);
        Assert.True(invitation["registrationOpen"]!.GetValue<bool>());
        Assert.Equal(1, invitation["invited"]!.GetValue<int>());
        Assert.Equal("Current", section["record"]!["confirmation"]!["status"]!.GetValue<string>());
        Assert.Equal(pocId, section["record"]!["poc"]!["id"]!.GetValue<string>());
        Assert.Equal([colleague["id"]!.GetValue<string>()], section["colleagues"]!.AsArray().Select(c => c!["id"]!.GetValue<string>()));
        var home = await HomeOfAsync(poc);
        Assert.Empty(home["participants"]!.AsArray());
        Assert.Null(home["secretariat"]);

        using (var ack = await poc.PostAsync($"api/campaigns/{campaignId}/acknowledge", null))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        Assert.Empty((await HomeOfAsync(poc))["pocs"]![0]!["pings"]!.AsArray());
        using var cancel = await fixture.SecretariatClient.PostAsync($"api/campaigns/{campaignId}/cancel", null);
    }

    [Fact]
    public async Task FocalPointOfTwo_OneSectionEach_WhatIsMissingInKindAndRank_NothingOfAThirdParticipant()
    {
        var x = await fixture.NewParticipantAsync();
        var z = await fixture.NewParticipantAsync();
        var other = await fixture.NewParticipantAsync();
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Technical", "Primary Technical"));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(z, "Diplomatic", "Primary Diplomatic"));
        var (stranger, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(other, "Technical", "Someone Else"));
        var email = $"focal-two-{Guid.NewGuid():N}@example.org";
        foreach (var participant in new[] { x, z })
        {
            using var granted = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email, role = "FocalPoint", participant });
            Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        }

        using var focal = await fixture.Runner.ClientForAsync(email);
        using var otherFocal = await fixture.UserWithRoleAsync("FocalPoint", other);
        using (var sent = await otherFocal.PostAsJsonAsync("api/communications", new
        {
            to = x, kinds = Array.Empty<string>(), type = "RequestForAssistance", urgency = "Priority", subject = "To X", body = "Help please.", respondBy = "PT48H",
        }))
        {
            Assert.True(sent.StatusCode == HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
        }

        var home = await HomeOfAsync(focal);
        var sections = home["participants"]!.AsArray().Select(s => s!.AsObject()).ToDictionary(s => s["participant"]!.GetValue<string>());
        Assert.Equal(new[] { x, z }.Order(StringComparer.Ordinal), sections.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Diplomatic Primary", "Diplomatic Alternate", "Technical Alternate"], Missing(sections[x]));
        Assert.Equal(["Technical Primary", "Diplomatic Alternate", "Technical Alternate"], Missing(sections[z]));
        Assert.Equal("TechnicalOnly", sections[x]["nominationStatus"]!.GetValue<string>());
        Assert.Equal("Primary Technical", sections[x]["pocs"]![0]!["poc"]!["fullName"]!.GetValue<string>());
        Assert.Equal("Current", sections[x]["pocs"]![0]!["confirmation"]!["status"]!.GetValue<string>());
        Assert.Equal("To X", Assert.Single(sections[x]["communications"]!.AsArray())!["subject"]!.GetValue<string>());
        Assert.Empty(sections[z]["communications"]!.AsArray());
        Assert.Empty(home["pocs"]!.AsArray());
        Assert.Null(home["secretariat"]);

        // Nothing of the third participant: not its code, nor its POC (the communication came from it, so its code is the sender only).
        var text = home.ToJsonString();
        Assert.DoesNotContain(stranger["id"]!.GetValue<string>(), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Someone Else", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Secretariat_RunningCampaignWithProgress_CoverageWithNewNominations_CommunicationStats()
    {
        var x = await fixture.NewParticipantAsync();
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Technical", "Pinged For Home"));
        var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new
        {
            name = $"Secretariat home {x}", scope = new { participants = new[] { x }, regions = Array.Empty<string>(), kinds = Array.Empty<string>() },
            responseWindow = "PT1H", reminders = Array.Empty<string>(), escalate = false, startAt = (DateTimeOffset?)null, subject = (string?)null, body = (string?)null,
        });
        var id = campaign["id"]!.GetValue<string>();

        JsonObject secretariat = [];
        await Wait.UntilAsync(async () =>
        {
            secretariat = (await HomeOfAsync(fixture.SecretariatClient))["secretariat"]!.AsObject();
            return secretariat["runningCampaigns"]!.AsArray().Any(c => c!["id"]!.GetValue<string>() == id && c["progress"]?["inScope"]?.GetValue<int>() == 1);
        }, Timeout, () => $"The running campaign with its one POC in scope never showed: {secretariat["runningCampaigns"]?.ToJsonString()}");

        var coverage = secretariat["coverage"]!;
        Assert.True(coverage["participants"]!.GetValue<int>() >= 190, coverage.ToJsonString());
        Assert.True(coverage["newlyNominatedLast30Days"]!.GetValue<int>() >= 1, coverage.ToJsonString());
        Assert.Equal(coverage["participants"]!.GetValue<int>(),
            new[] { "both", "diplomaticOnly", "technicalOnly", "none" }.Sum(k => coverage[k]!.GetValue<int>()));
        Assert.NotNull(secretariat["communicationsLast30Days"]);
        Assert.Equal(0, secretariat["confirmationsOverdue"]!.GetValue<int>());
        using var cancel = await fixture.SecretariatClient.PostAsync($"api/campaigns/{id}/cancel", null);
    }

    [Fact]
    public async Task Poc_ExerciseInjectWaitsWithItsOwnLink_AnsweredItLeaves_TheSecretariatSeesTheExerciseRunning()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (me, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Technical", "Exercise Player"));
        var (other, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(y, "Technical", "Other Player"));
        var pocId = me["id"]!.GetValue<string>();
        using var poc = await fixture.UserWithRoleAsync("Poc", pocId: pocId);
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/exercises", new
        {
            name = $"Home exercise {x}", description = "For the home.", players = new { participants = new[] { x, y }, regions = Array.Empty<string>(), kinds = Array.Empty<string>() },
            controllers = new[] { "exercise.control@example.org" },
            injects = new[] { new { at = "PT0S", title = "Home inject", message = "Please acknowledge.", expects = "Acknowledge", contactParticipant = (string?)null, respondWithin = "PT1H", to = "AllPlayers", participants = Array.Empty<string>() } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        Assert.Empty((await HomeOfAsync(poc))["pocs"]![0]!["injects"]!.AsArray());
        using (var start = await fixture.SecretariatClient.PostAsync($"api/exercises/{id}/start", null))
        {
            Assert.True(start.StatusCode == HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
        }

        try
        {
            JsonArray injects = [];
            await Wait.UntilAsync(async () =>
            {
                injects = (await HomeOfAsync(poc))["pocs"]![0]!["injects"]!.AsArray();
                return injects.Count == 1;
            }, Timeout, () => $"The inject never waited on the POC's home: {injects.ToJsonString()}");
            var inject = injects[0]!;
            Assert.Equal(id, inject["exerciseId"]!.GetValue<string>());
            Assert.Equal("Home inject", inject["title"]!.GetValue<string>());
            Assert.Equal(pocId, inject["pocId"]!.GetValue<string>());

            // The token is this POC's own link: it opens this inject for this POC, and answering it there clears the home.
            var token = inject["token"]!.GetValue<string>();
            var view = await fixture.Runner.Http.GetFromJsonAsync<JsonObject>($"api/exercise-responses/{token}");
            Assert.Equal("Home inject", view!["title"]!.GetValue<string>());
            var secretariat = (await HomeOfAsync(fixture.SecretariatClient))["secretariat"]!;
            Assert.Contains(secretariat["runningExercises"]!.AsArray(), e => e!["id"]!.GetValue<string>() == id);
            using (var ack = await fixture.Runner.Http.PostAsJsonAsync($"api/exercise-responses/{token}", new { response = "Acknowledge" }))
            {
                Assert.True(ack.StatusCode == HttpStatusCode.OK, await ack.Content.ReadAsStringAsync());
            }

            Assert.Empty((await HomeOfAsync(poc))["pocs"]![0]!["injects"]!.AsArray());
            var report = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/exercises/{id}/report");
            Assert.NotNull(report!["results"]!.AsArray().Single(r => r!["participant"]!.GetValue<string>() == x)!["firstAcknowledgedAt"]);
            Assert.Null(report["results"]!.AsArray().Single(r => r!["participant"]!.GetValue<string>() == y)!["firstAcknowledgedAt"]);
            Assert.DoesNotContain(other["id"]!.GetValue<string>(), (await HomeOfAsync(poc)).ToJsonString(), StringComparison.Ordinal);
        }
        finally
        {
            using var end = await fixture.SecretariatClient.PostAsync($"api/exercises/{id}/end", null);
        }

        Assert.DoesNotContain((await HomeOfAsync(fixture.SecretariatClient))["secretariat"]!["runningExercises"]!.AsArray(), e => e!["id"]!.GetValue<string>() == id);
    }

    [Fact]
    public async Task SignedInWithoutRole_Gets403ProblemDetails()
    {
        using var nobody = await fixture.Runner.ClientForAsync($"nobody-{Guid.NewGuid():N}@example.org");
        using var response = await nobody.GetAsync("api/home");
        await PocBodies.AssertProblemAsync(response, HttpStatusCode.Forbidden);
    }

    private static IEnumerable<string> Missing(JsonObject section)
        => section["missing"]!.AsArray().Select(m => $"{m!["kind"]!.GetValue<string>()} {m["rank"]!.GetValue<string>()}");

    private static async Task<JsonObject> HomeOfAsync(HttpClient client)
    {
        using var response = await client.GetAsync("api/home");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }
}
