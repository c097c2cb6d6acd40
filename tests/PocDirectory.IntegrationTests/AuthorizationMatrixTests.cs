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

    private const int Ok = 200, Created = 201, Accepted = 202, NoContent = 204, BadRequest = 400, Unauthorized = 401, Forbidden = 403, NotFound = 404, Conflict = 409;

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
        ["GetParticipantEncryption"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["SetParticipantEncryption"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Ok, Forbidden, Ok],
        ["GetPgpKey"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
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
        // Exercises: the Secretariat (or the exercise's named controllers, tested in ExerciseScenarioTests); anyone signed in lists those they control.
        // The world's exercise is running with its inject delivered to X's POC: start again is 409, pause/end 202, resume 409.
        ["CreateExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        ["ListExercises"] = [Unauthorized, Ok, Ok, Ok, Ok, Ok, Ok],
        ["GetExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["UpdateExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Conflict],
        ["DryRunExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        ["StartExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Conflict],
        ["PauseExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        ["ResumeExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Conflict],
        ["EndExercise"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        ["AddExerciseObservation"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        ["GetExerciseReport"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetExerciseResponse"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        ["RespondToExercise"] = [Ok, Ok, Ok, Ok, Ok, Ok, Ok],
        // Nobody asked for the floor in the world's meeting: the Secretariat's empty order is the whole list.
        ["GetMeetingSpeakers"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["ReorderMeetingSpeakers"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        // The calendar entry is for those invited (X's POC) and the Secretariat; X's focal point was not invited (404).
        ["GetMeetingCalendar"] = [Unauthorized, Forbidden, Ok, Forbidden, 404, 404, Ok],
        // homes: each caller's own home; a signed-in user without a role has none.
        ["GetHome"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        // Participation (issue 18): mission contacts for the Secretariat and the participant itself, kept by the Secretariat; outreach is the Secretariat's.
        ["GetMissionContacts"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Forbidden, Ok],
        ["PutMissionContacts"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["CreateOutreach"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Accepted],
        ["ListOutreach"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetOutreach"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        // No re-confirmation link exists in the matrix's world: every caller gets the same 404 for a made-up token.
        ["ConfirmByLink"] = [NotFound, NotFound, NotFound, NotFound, NotFound, NotFound, NotFound],
        // Imports (decision 0042): the Secretariat and focal points, each for its own participant's entries; the world's import has one entry, for X.
        ["CreateImport"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Created, Forbidden, Created],
        ["ListImports"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["GetImport"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, NotFound, Ok],
        ["AcceptImportEntry"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Ok, NotFound, Ok],
        ["RejectImportEntry"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Ok, NotFound, Ok],
        // Records (issue 18): notes verbales by the Secretariat, their document for it and the participant; resources kept by the
        // Secretariat and read by all; training marked by the POC or its focal point only; coverage history for all, training coverage for the Secretariat.
        ["RecordNoteVerbale"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetNoteVerbaleDocument"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Forbidden, Ok],
        ["ListResources"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["GetResource"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
        ["CreateResource"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Created],
        ["UpdateResource"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["DeleteResource"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, NoContent],
        ["RecordTraining"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Forbidden, Forbidden],
        ["GetTrainingCoverage"] = [Unauthorized, Forbidden, Forbidden, Forbidden, Forbidden, Forbidden, Ok],
        ["GetCoverageHistory"] = [Unauthorized, Forbidden, Ok, Forbidden, Ok, Ok, Ok],
    };

    private sealed record Operation(string Id, HttpMethod Method, string Path);

    private sealed record World(string X, string Y, string PocId, string ETag, string AssignmentId, string? CampaignId, string? ScheduleId, string? Link,
        Dictionary<Who, HttpClient> Clients, string? CommunicationId = null, string? MeetingId = null, string? MeetingETag = null, string PocEmail = "",
        string? ExerciseId = null, string? ExerciseETag = null, string? OutreachId = null, string? ImportId = null, string? ResourceId = null,
        string? ResourceETag = null, string? ParticipantETag = null);

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

        string? exerciseId = null, exerciseETag = null;
        if (operation.Path.StartsWith("/api/exercises/", StringComparison.Ordinal) || operation.Path.StartsWith("/api/exercise-responses/", StringComparison.Ordinal))
        {
            using var exercise = await fixture.SecretariatClient.PostAsJsonAsync("api/exercises", ExerciseBody(x));
            Assert.True(exercise.StatusCode == HttpStatusCode.Created, await exercise.Content.ReadAsStringAsync());
            exerciseId = (await exercise.ReadJsonAsync())["id"]!.GetValue<string>();
            using (await fixture.SecretariatClient.PostAsync($"api/exercises/{exerciseId}/start", null))
            {
            }

            var inject = (await CampaignHelpers.MessagesToAsync(fixture.Smtp, [pocEmail], 1, TimeSpan.FromSeconds(60)))[0];
            link = System.Text.RegularExpressions.Regex.Match(inject.TextBody ?? string.Empty, @"https?://[^\s/]+/exercise/[A-Za-z0-9_\-]+").Value;
            using var read = await fixture.SecretariatClient.GetAsync($"api/exercises/{exerciseId}");
            exerciseETag = read.Headers.ETag!.ToString();
        }

        string? outreachId = null;
        if (operation.Path.StartsWith("/api/outreach/", StringComparison.Ordinal))
        {
            using var outreach = await fixture.SecretariatClient.PostAsJsonAsync("api/outreach", OutreachBody(x));
            Assert.True(outreach.StatusCode == HttpStatusCode.Accepted, await outreach.Content.ReadAsStringAsync());
            outreachId = (await outreach.ReadJsonAsync())["id"]!.GetValue<string>();
        }

        string? importId = null;
        if (operation.Path.StartsWith("/api/imports/", StringComparison.Ordinal))
        {
            using var import = await fixture.SecretariatClient.PostAsJsonAsync("api/imports", ImportBody(x));
            Assert.True(import.StatusCode == HttpStatusCode.Created, await import.Content.ReadAsStringAsync());
            importId = (await import.ReadJsonAsync())["id"]!.GetValue<string>();
        }

        string? resourceId = null, resourceETag = null;
        if (operation.Path.StartsWith("/api/resources/", StringComparison.Ordinal) || operation.Id == "RecordTraining")
        {
            using var resource = await fixture.SecretariatClient.PostAsJsonAsync("api/resources", ResourceBody());
            Assert.True(resource.StatusCode == HttpStatusCode.Created, await resource.Content.ReadAsStringAsync());
            resourceId = (await resource.ReadJsonAsync())["id"]!.GetValue<string>();
            resourceETag = resource.Headers.ETag!.ToString();
        }

        if (operation.Id == "GetNoteVerbaleDocument")
        {
            using var form = NoteVerbaleBody(pocId);
            using var recorded = await fixture.SecretariatClient.SendAsync(form);
            Assert.True(recorded.StatusCode == HttpStatusCode.OK, await recorded.Content.ReadAsStringAsync());
            etag = recorded.Headers.ETag!.ToString();
        }

        return new World(x, y, pocId, etag, (await assignment.ReadJsonAsync())["id"]!.GetValue<string>(), campaignId, scheduleId, link, clients, communicationId, meetingId, meetingETag, pocEmail,
            exerciseId, exerciseETag, outreachId, importId, resourceId, resourceETag, operation.Id == "SetParticipantEncryption" ? await ParticipantETagAsync(x) : null);
    }

    /// <summary>Read last: creating and retiring the world's POCs changes the participant's row (its counts).</summary>
    private async Task<string> ParticipantETagAsync(string code)
    {
        using var read = await fixture.SecretariatClient.GetAsync($"api/participants/{code}/encryption");
        return read.Headers.ETag!.ToString();
    }

    private static object ExerciseBody(string participant) => new
    {
        name = "Matrix exercise",
        players = new { participants = new[] { participant } },
        controllers = new[] { "matrix.control@example.org" },
        injects = new[] { new { at = "PT0S", title = "Matrix inject", message = "Acknowledge please.", expects = "Acknowledge", respondWithin = "PT300S", to = "AllPlayers" } },
    };

    private static JsonObject MeetingBody(string participant)
    {
        var body = MeetingHelpers.LaunchMeeting([participant], DateTime.UtcNow.Year + 1);
        body["invitees"]!["kinds"] = new JsonArray();
        return body;
    }

    private static object CommunicationBody(string to)
        => new { to, type = "RequestForInformation", urgency = "Routine", subject = "Matrix", body = "Matrix text", respondBy = "PT24H" };

    /// <summary>X has a technical POC only and focal points: someone to write to about its missing diplomatic POC.</summary>
    private static object OutreachBody(string participant)
        => new { scope = new { nominationStatus = new[] { "TechnicalOnly" }, regions = Array.Empty<string>(), participants = new[] { participant } }, reminders = Array.Empty<string>() };

    /// <summary>One new entry for X, in the exchange format of regional directories.</summary>
    private static object ImportBody(string participant) => new
    {
        directory = "Matrix directory",
        entries = new[]
        {
            new
            {
                country = participant, representative = "Matrix Newcomer", team_name = "Regional CERT", email = $"import-{Guid.NewGuid():N}@example.org",
                languages = "en", timezone = "Europe/Vienna", business_hours = "24/7",
            },
        },
    };
    private static object ResourceBody() => new { title = "POC 101", link = "https://learning.example.org/poc-101", language = "en", kind = "Tutorial" };

    private static HttpRequestMessage NoteVerbaleBody(string pocId)
        => NoteVerbaleTests.Form(pocId, "NV/MATRIX/1", "2025-02-03", System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"));

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
            var p when p.StartsWith("/api/exercises/", StringComparison.Ordinal) => world.ExerciseId,
            var p when p.StartsWith("/api/outreach/", StringComparison.Ordinal) => world.OutreachId,
            var p when p.StartsWith("/api/imports/", StringComparison.Ordinal) => world.ImportId,
            var p when p.StartsWith("/api/resources/", StringComparison.Ordinal) => world.ResourceId,
            _ => null,
        };
        var path = operation.Path.TrimStart('/').Replace("{id}", id).Replace("{code}", id).Replace("{n}", "1")
            .Replace("{token}", world.Link is null ? "AAAAAAAAAAAAAAAAAAAAAAAA" : CampaignHelpers.TokenOf(world.Link));
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
            "PutMissionContacts" => JsonContent.Create(new { contacts = new[] { new { name = "Counsellor", email = $"mission-{Guid.NewGuid():N}@example.org" } } }),
            "CreateOutreach" => JsonContent.Create(OutreachBody(world.X)),
            "CreateImport" => JsonContent.Create(ImportBody(world.X)),
            "RecordMeetingAttendance" => JsonContent.Create(new { attendees = new[] { world.PocEmail } }),
            "CreateExercise" or "UpdateExercise" => JsonContent.Create(ExerciseBody(world.X)),
            "AddExerciseObservation" => JsonContent.Create(new { participant = world.X, text = "Matrix observation" }),
            "RespondToExercise" => JsonContent.Create(new { response = "Acknowledge" }),
            "ReorderMeetingSpeakers" => JsonContent.Create(new { items = Array.Empty<object>() }),
            "CreateResource" or "UpdateResource" => JsonContent.Create(ResourceBody()),
            "RecordTraining" => JsonContent.Create(new { resourceId = world.ResourceId }),
            "RecordNoteVerbale" => NoteVerbaleBody(world.PocId).Content,
            "SetParticipantEncryption" => JsonContent.Create(new { requireEncryption = true }),
            _ => null,
        };
        if (operation.Id is "UpdatePoc" or "RetirePoc")
        {
            request.Headers.TryAddWithoutValidation("If-Match", world.ETag);
        }

        if (operation.Id is "SetParticipantEncryption")
        {
            request.Headers.TryAddWithoutValidation("If-Match", world.ParticipantETag);
        }

        if (operation.Id is "PutMissionContacts")
        {
            request.Headers.TryAddWithoutValidation("If-Match", "W/\"mission-none\"");
        }

        if (operation.Id is "UpdateMeeting" or "ReorderMeetingSpeakers")
        {
            request.Headers.TryAddWithoutValidation("If-Match", world.MeetingETag);
        }

        if (operation.Id is "UpdateResource")
        {
            request.Headers.TryAddWithoutValidation("If-Match", world.ResourceETag);
        }

        if (operation.Id is "UpdateExercise")
        {
            request.Headers.TryAddWithoutValidation("If-Match", world.ExerciseETag);
        }

        return request;
    }
}
