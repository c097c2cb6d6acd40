using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Every operation of the served OpenAPI document against every kind of caller, with real ids, asserted from one table.
/// An operation the document serves but the table does not name fails the test, so a new route must say who may call it.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class AuthorizationMatrixTests(DirectoryFixture fixture)
{
    public enum Who
    {
        Anonymous,
        SignedInWithoutRole,
        PocOfX,
        RetiredPocOfX,
        FocalPointOfX,
        FocalPointOfY,
        Secretariat,
    }

    private const int Ok = 200, Created = 201, Accepted = 202, NoContent = 204, BadRequest = 400, Unauthorized = 401, Forbidden = 403, Conflict = 409;

    /// <summary>The one table: operationId → status for each caller, in the order of <see cref="Who"/>.</summary>
    private static readonly Dictionary<string, int[]> Expected = new()
    {
        //                                 anonymous     no role    POC of X   retired POC  FP of X    FP of Y    Secretariat
        ["GetHealth"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["CreateDevToken"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["GetOpenApiDocument"] = [Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok],
        ["GetMe"] = [Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok],
        ["ListParticipants"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["GetParticipant"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["CreateParticipant"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        ["ListPocs"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["GetPoc"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["CreatePoc"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Created, Forbidden, Created],
        ["UpdatePoc"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Forbidden, Ok],
        ["RetirePoc"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok],
        ["ConfirmPoc"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Forbidden, Ok],
        ["ListRoleAssignments"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["CreateRoleAssignment"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        ["DeleteRoleAssignment"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["ListAudit"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["ExportDirectory"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["CreateCampaign"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        ["ListCampaigns"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetCampaign"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["CancelCampaign"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        // The campaign is running, not failed: the Secretariat gets past authorisation to the 409 of the state check.
        ["CloseCampaign"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Conflict],
        ["RetryCampaignStep"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Conflict],
        ["ListCampaignResults"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetCampaignReport"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["AcknowledgeCampaignAsPoc"] = [Unauthorized, Forbidden, Ok, Forbidden, Forbidden, Forbidden, Forbidden],
        ["Acknowledge"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["CreateCampaignSchedule"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        ["ListCampaignSchedules"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetCampaignSchedule"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["DeleteCampaignSchedule"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, NoContent],
        // Sent to X: X's own callers may not send to their own participant (400); Y's focal point and the Secretariat may.
        ["SendCommunication"] = [Unauthorized, Forbidden, BadRequest, Forbidden, BadRequest, Created, Created],
        ["ListCommunications"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["GetCommunicationStats"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        // The world's communication goes from Y (its focal point) to X; the Secretariat sees its metadata only.
        ["GetCommunication"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["AcknowledgeCommunication"] = [Unauthorized, Forbidden, Ok, Forbidden, Forbidden, Forbidden, Forbidden],
        ["ReplyToCommunication"] = [Unauthorized, Forbidden, Created, Forbidden, Created, Created, Forbidden],
        ["CreateMeeting"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        ["ListMeetings"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["GetMeeting"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["UpdateMeeting"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["InviteToMeeting"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        ["CancelMeeting"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        ["CopyMeeting"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        // Only an invited POC registers as itself; the focal point of Y sees an empty list of registrations (none of Y's).
        ["RegisterForMeeting"] = [Unauthorized, Forbidden, Ok, Forbidden, Forbidden, Forbidden, Forbidden],
        ["ListMeetingRegistrations"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["RecordMeetingAttendance"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetMeetingReport"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetRsvp"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["Rsvp"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
    };

    private sealed record Operation(string Id, HttpMethod Method, string Path);

    private sealed record World(string X, string Y, string PocId, string ETag, string AssignmentId, string? CampaignId, string? ScheduleId, string? Link,
        Dictionary<Who, HttpClient> Clients, string? CommunicationId = null, string? MeetingId = null, string? MeetingETag = null, string PocEmail = "");

    [Fact]
    public async Task EveryOperationOfTheServedDocument_IsInTheTable()
    {
        var served = (await OperationsAsync()).Select(o => o.Id).Order(StringComparer.Ordinal).ToList();

        Assert.True(served.Count >= Expected.Count, "The document serves fewer operations than the table names.");
        Assert.Empty(served.Except(Expected.Keys));
        Assert.Empty(Expected.Keys.Except(served));
    }

    [Fact]
    public async Task EveryOperation_EveryCaller_GetsTheStatusTheTableSays()
    {
        var operations = await OperationsAsync();
        var failures = new List<string>();
        var cases = 0;
        foreach (var operation in operations.Where(o => Expected.ContainsKey(o.Id)))
        {
            var expected = Expected[operation.Id];

            // Refused callers first, on a shared world (a refusal changes nothing); a caller whose write succeeds gets a
            // fresh world, so each allowed write really happens against records no one else has touched.
            World? shared = null;
            foreach (var who in Enum.GetValues<Who>().OrderBy(w => Succeeds(operation, expected[(int)w])))
            {
                var status = expected[(int)who];
                var world = Succeeds(operation, status) || shared is null ? await NewWorldAsync(operation) : shared;
                shared ??= world;
                using var request = Build(operation, world);
                using var response = await world.Clients[who].SendAsync(request);
                cases++;
                if ((int)response.StatusCode != status)
                {
                    failures.Add($"{operation.Id} {operation.Method} {operation.Path} as {who}: expected {status}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
                else if (status >= 400)
                {
                    await PocBodies.AssertProblemAsync(response, (HttpStatusCode)status);
                }
            }
        }

        Assert.Equal(Expected.Count * Enum.GetValues<Who>().Length, cases);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} cases differ from the table:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task FocalPointOfY_CannotChangeAnyOfXsPocs_AndXsDataIsUnchanged()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        var before = (await PocBodies.GetAsync(fixture.SecretariatClient, pocId)).Poc.ToJsonString();
        using var intruder = await fixture.UserWithRoleAsync("FocalPoint", y);

        using (var put = await intruder.SendAsync(PocBodies.Put(pocId, PocBodies.Valid(x).With("position", "Changed"), etag)))
        {
            await PocBodies.AssertProblemAsync(put, HttpStatusCode.Forbidden);
        }

        // Even naming Y in the body of a PUT cannot move X's POC.
        using (var move = await intruder.SendAsync(PocBodies.Put(pocId, PocBodies.Valid(y), etag)))
        {
            await PocBodies.AssertProblemAsync(move, HttpStatusCode.Forbidden);
        }

        using (var create = await intruder.PostAsJsonAsync("api/pocs", PocBodies.Valid(x)))
        {
            await PocBodies.AssertProblemAsync(create, HttpStatusCode.Forbidden);
        }

        Assert.Equal(before, (await PocBodies.GetAsync(fixture.SecretariatClient, pocId)).Poc.ToJsonString());
        var xPocs = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs?participant={x}");
        Assert.Single(xPocs!["items"]!.AsArray());
    }

    [Fact]
    public async Task RoleGrantedOrRevoked_TakesEffectOnTheVeryNextRequest_DespiteTheRoleCache()
    {
        var x = await fixture.NewParticipantAsync();
        var email = $"cached-{Guid.NewGuid():N}@example.org";
        using var user = await fixture.Runner.ClientForAsync(email);

        // Refused first, so the user's empty role list is what the instance has cached.
        using (var before = await user.GetAsync($"api/pocs?participant={x}"))
        {
            await PocBodies.AssertProblemAsync(before, HttpStatusCode.Forbidden);
        }

        using var granted = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email, role = "FocalPoint", participant = x });
        Assert.Equal(HttpStatusCode.Created, granted.StatusCode);
        using (var during = await user.GetAsync($"api/pocs?participant={x}"))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        var id = (await granted.ReadJsonAsync())["id"]!.GetValue<string>();
        using (var revoked = await fixture.SecretariatClient.DeleteAsync($"api/role-assignments/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
            var answer = await revoked.ReadJsonAsync();
            Assert.Contains("next request", answer["effect"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.True(answer["effectiveEverywhereBy"]!.GetValue<DateTimeOffset>() > answer["revokedAt"]!.GetValue<DateTimeOffset>());
        }

        using var after = await user.GetAsync($"api/pocs?participant={x}");
        await PocBodies.AssertProblemAsync(after, HttpStatusCode.Forbidden);
    }

    private async Task<IReadOnlyList<Operation>> OperationsAsync()
    {
        var document = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/openapi.json");
        return document!["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject()
                .Where(method => method.Value is JsonObject op && op["operationId"] is not null)
                .Select(method => new Operation(method.Value!["operationId"]!.GetValue<string>(), new HttpMethod(method.Key.ToUpperInvariant()), path.Key)))
            .ToList();
    }

    private static bool Succeeds(Operation operation, int status) => status < 400 && operation.Method != HttpMethod.Get;

    private async Task<World> NewWorldAsync(Operation operation)
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var pocEmail = $"poc-{Guid.NewGuid():N}@example.org";
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x).With("emails", new JsonArray(pocEmail)));
        var pocId = poc["id"]!.GetValue<string>();
        var (retired, retiredETag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, fullName: "Retired Example"));
        var retiredId = retired["id"]!.GetValue<string>();
        var retiredUser = await fixture.UserWithRoleAsync("Poc", pocId: retiredId);
        await PocBodies.RetireAsync(fixture.SecretariatClient, retiredId, retiredETag);

        using var assignment = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments",
            new { email = $"victim-{Guid.NewGuid():N}@example.org", role = "FocalPoint", participant = x });
        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = fixture.Runner.Http,
            [Who.SignedInWithoutRole] = await fixture.Runner.ClientForAsync($"nobody-{Guid.NewGuid():N}@example.org"),
            [Who.PocOfX] = await fixture.UserWithRoleAsync("Poc", pocId: pocId),
            [Who.RetiredPocOfX] = retiredUser,
            [Who.FocalPointOfX] = await fixture.UserWithRoleAsync("FocalPoint", x),
            [Who.FocalPointOfY] = await fixture.UserWithRoleAsync("FocalPoint", y),
            [Who.Secretariat] = fixture.SecretariatClient,
        };

        string? campaignId = null, scheduleId = null, link = null;
        if (operation.Path.StartsWith("/api/campaigns/", StringComparison.Ordinal) || operation.Path.StartsWith("/api/acknowledgements/", StringComparison.Ordinal))
        {
            var campaign = await CampaignHelpers.StartAsync(fixture.SecretariatClient, new { name = "Matrix", scope = new { participants = new[] { x } }, responseWindow = "PT300S" });
            campaignId = campaign["id"]!.GetValue<string>();
            link = CampaignHelpers.LinkIn((await CampaignHelpers.MessagesToAsync(fixture.Smtp, [pocEmail], 1, TimeSpan.FromSeconds(60)))[0]);
            if (operation.Id == "GetCampaignReport")
            {
                using (await fixture.SecretariatClient.PostAsync($"api/campaigns/{campaignId}/cancel", null))
                {
                }

                await CampaignHelpers.WaitUntilClosedAsync(fixture.SecretariatClient, campaignId, TimeSpan.FromSeconds(60));
            }
        }

        if (operation.Path.StartsWith("/api/campaign-schedules/", StringComparison.Ordinal))
        {
            using var schedule = await fixture.SecretariatClient.PostAsJsonAsync("api/campaign-schedules", ScheduleBody(x));
            scheduleId = (await schedule.ReadJsonAsync())["id"]!.GetValue<string>();
        }

        string? communicationId = null;
        if (operation.Path.StartsWith("/api/communications/{id}", StringComparison.Ordinal))
        {
            using var sent = await clients[Who.FocalPointOfY].PostAsJsonAsync("api/communications", CommunicationBody(x));
            Assert.True(sent.StatusCode == System.Net.HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
            communicationId = (await sent.ReadJsonAsync())["id"]!.GetValue<string>();

            // Delivered: X's POC has its row, so it can acknowledge.
            await CampaignHelpers.MessagesToAsync(fixture.Smtp, [pocEmail], 1, TimeSpan.FromSeconds(60));
        }


        string? meetingId = null, meetingETag = null;
        if (operation.Path.StartsWith("/api/meetings/", StringComparison.Ordinal) || operation.Path.StartsWith("/api/rsvp/", StringComparison.Ordinal))
        {
            using var meeting = await fixture.SecretariatClient.PostAsJsonAsync("api/meetings", MeetingBody(x));
            meetingId = (await meeting.ReadJsonAsync())["id"]!.GetValue<string>();
            using (await fixture.SecretariatClient.PostAsync($"api/meetings/{meetingId}/invite", null))
            {
            }

            link = MeetingHelpers.RsvpLinkIn((await CampaignHelpers.MessagesToAsync(fixture.Smtp, [pocEmail], 1, TimeSpan.FromSeconds(60)))[0]);
            using var read = await fixture.SecretariatClient.GetAsync($"api/meetings/{meetingId}");
            meetingETag = read.Headers.ETag!.ToString();
        }

        return new World(x, y, pocId, etag, (await assignment.ReadJsonAsync())["id"]!.GetValue<string>(), campaignId, scheduleId, link, clients, communicationId, meetingId, meetingETag, pocEmail);
    }

    private static JsonObject MeetingBody(string participant)
    {
        var body = MeetingHelpers.LaunchMeeting([participant], DateTime.UtcNow.Year + 1);
        body["invitees"]!["kinds"] = new JsonArray();
        return body;
    }

    private static object CommunicationBody(string to)
        => new { to, type = "RequestForInformation", urgency = "Routine", subject = "Matrix", body = "Matrix text", respondBy = "PT24H" };

    private static object ScheduleBody(string participant) => new
    {
        name = "Yearly",
        cron = "0 0 0 1 1 *",
        campaign = new { name = "Yearly ping", scope = new { participants = new[] { participant } }, responseWindow = "PT300S" },
    };

    private static HttpRequestMessage Build(Operation operation, World world)
    {
        var id = operation.Path switch
        {
            var p when p.StartsWith("/api/pocs/", StringComparison.Ordinal) => world.PocId,
            var p when p.StartsWith("/api/participants/", StringComparison.Ordinal) => world.X,
            var p when p.StartsWith("/api/role-assignments/", StringComparison.Ordinal) => world.AssignmentId,
            var p when p.StartsWith("/api/campaigns/", StringComparison.Ordinal) => world.CampaignId,
            var p when p.StartsWith("/api/campaign-schedules/", StringComparison.Ordinal) => world.ScheduleId,
            var p when p.StartsWith("/api/communications/", StringComparison.Ordinal) => world.CommunicationId,
            var p when p.StartsWith("/api/meetings/", StringComparison.Ordinal) => world.MeetingId,
            _ => null,
        };
        var path = operation.Path.TrimStart('/').Replace("{id}", id).Replace("{code}", id)
            .Replace("{token}", world.Link is null ? null : CampaignHelpers.TokenOf(world.Link));
        path += operation.Id switch
        {
            "ListPocs" => $"?participant={world.Y}",
            "ExportDirectory" => "?format=csv",
            _ => string.Empty,
        };
        var request = new HttpRequestMessage(operation.Method, path);
        request.Content = operation.Id switch
        {
            "CreateDevToken" => JsonContent.Create(new { email = $"dev-{Guid.NewGuid():N}@example.org" }),
            "CreateParticipant" => JsonContent.Create(new { code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), name = "New organisation", type = "RegionalOrganisation" }),
            "CreatePoc" => JsonContent.Create(PocBodies.Valid(world.X)),
            "UpdatePoc" => JsonContent.Create(PocBodies.Valid(world.X).With("position", "Updated")),
            "CreateRoleAssignment" => JsonContent.Create(new { email = $"new-{Guid.NewGuid():N}@example.org", role = "FocalPoint", participant = world.X }),
            "CreateCampaign" => JsonContent.Create(new { name = "Matrix", scope = new { participants = new[] { world.X } }, responseWindow = "PT300S" }),
            "CreateCampaignSchedule" => JsonContent.Create(ScheduleBody(world.X)),
            "SendCommunication" => JsonContent.Create(CommunicationBody(world.X)),
            "ReplyToCommunication" => JsonContent.Create(new { body = "Matrix reply" }),
            "CreateMeeting" or "UpdateMeeting" => JsonContent.Create(MeetingBody(world.X)),
            "CopyMeeting" => JsonContent.Create(new { start = $"{DateTime.UtcNow.Year + 1}-11-10T10:00" }),
            "RegisterForMeeting" or "Rsvp" => JsonContent.Create(new { attendance = "Online" }),
            "RecordMeetingAttendance" => JsonContent.Create(new { attendees = new[] { world.PocEmail } }),
            _ => null,
        };
        if (operation.Id is "UpdatePoc" or "RetirePoc")
        {
            request.Headers.TryAddWithoutValidation("If-Match", world.ETag);
        }

        if (operation.Id is "UpdateMeeting")
        {
            request.Headers.TryAddWithoutValidation("If-Match", world.MeetingETag);
        }

        return request;
    }
}
