using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>Access that follows people when they change jobs: retirement, revocation, recycled addresses.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class AccessControlTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task RetiredPoc_LosesItsRole_AndItsTokenNoLongerReadsTheDirectory()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        var email = $"leaving-{Guid.NewGuid():N}@example.org";
        using var assigned = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email, role = "Poc", pocId });
        var assignmentId = (await assigned.ReadJsonAsync())["id"]!.GetValue<string>();
        using var leaving = await fixture.Runner.ClientForAsync(email);
        using (var before = await leaving.GetAsync($"api/pocs?participant={y}"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await PocBodies.RetireAsync(fixture.SecretariatClient, pocId, etag);

        using (var after = await leaving.GetAsync($"api/pocs?participant={y}"))
        {
            await PocBodies.AssertProblemAsync(after, HttpStatusCode.Forbidden);
        }

        Assert.Empty((await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/role-assignments?email={email}"))!["items"]!.AsArray());
        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=RoleAssignment&entityId={assignmentId}");
        Assert.Contains(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "RoleAssignment.Deleted");
    }

    [Fact]
    public async Task PocRoleLeftBehind_PointingAtARetiredRecord_GrantsNothing()
    {
        var x = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        await PocBodies.RetireAsync(fixture.SecretariatClient, pocId, etag);

        // As if removing the role at retirement had failed half-way: the row is written straight into storage.
        var email = $"left-behind-{Guid.NewGuid():N}@example.org";
        var roles = new TableClient(fixture.Azurite.ConnectionString, "RoleAssignments");
        await roles.AddEntityAsync(new TableEntity(Uri.EscapeDataString(email), "LEFTBEHIND" + Guid.NewGuid().ToString("N")[..8])
        {
            ["Email"] = email, ["Role"] = "Poc", ["PocId"] = pocId, ["CreatedAt"] = DateTimeOffset.UtcNow, ["CreatedBy"] = DirectoryFixture.Secretariat,
        });
        using var user = await fixture.Runner.ClientForAsync(email);

        using var list = await user.GetAsync("api/pocs");
        await PocBodies.AssertProblemAsync(list, HttpStatusCode.Forbidden);
        using var edit = await user.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"api/pocs/{pocId}/confirm"));
        await PocBodies.AssertProblemAsync(edit, HttpStatusCode.Forbidden);
        Assert.Empty((await user.GetFromJsonAsync<JsonObject>("api/me"))!["roles"]!.AsArray());
    }

    [Fact]
    public async Task RevokedFocalPoint_RefusedWrite_Gets403_ChangesNothing_AndIsAudited()
    {
        var x = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        var email = $"revoked-{Guid.NewGuid():N}@example.org";
        using var assigned = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email, role = "FocalPoint", participant = x });
        using var user = await fixture.Runner.ClientForAsync(email);
        using (await user.GetAsync("api/me"))
        {
        }

        using (var revoked = await fixture.SecretariatClient.DeleteAsync($"api/role-assignments/{(await assigned.ReadJsonAsync())["id"]}"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        var before = (await PocBodies.GetAsync(fixture.SecretariatClient, pocId)).Poc.ToJsonString();
        using (var put = await user.SendAsync(PocBodies.Put(pocId, PocBodies.Valid(x).With("position", "Changed after leaving"), etag)))
        {
            await PocBodies.AssertProblemAsync(put, HttpStatusCode.Forbidden);
        }

        Assert.Equal(before, (await PocBodies.GetAsync(fixture.SecretariatClient, pocId)).Poc.ToJsonString());
        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?actor={email}&entityType=Request");
        var refused = Assert.Single(audit!["items"]!.AsArray());
        Assert.Equal("Request.Refused", refused!["action"]!.GetValue<string>());
        Assert.Equal($"PUT /api/pocs/{pocId}", refused["entityId"]!.GetValue<string>());
    }

    /// <summary>
    /// Two Secretariat users give the same person the same role at the same moment: one assignment, so that revoking it
    /// revokes the role (a second row would keep granting it). Revoked, the role can be given again.
    /// </summary>
    [Fact]
    public async Task SameRoleGivenTwiceAtOnce_OneIsCreated_TheOtherIs409_AndRevokingItRevokesTheRole()
    {
        var x = await fixture.NewParticipantAsync();
        var email = $"twice-{Guid.NewGuid():N}@example.org";
        var body = new { email, role = "FocalPoint", participant = x };
        using var start = new SemaphoreSlim(0);
        var creates = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", body);
        })).ToList();
        start.Release(creates.Count);
        var responses = await Task.WhenAll(creates);

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r != created))
        {
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.Conflict);
        }

        var held = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/role-assignments?email={email}"))!["items"]!.AsArray();
        var id = Assert.Single(held)!["id"]!.GetValue<string>();
        Assert.Equal((await created.ReadJsonAsync())["id"]!.GetValue<string>(), id);

        using (var revoked = await fixture.SecretariatClient.DeleteAsync($"api/role-assignments/{id}"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        Assert.Empty((await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/role-assignments?email={email}"))!["items"]!.AsArray());
        using (var again = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", body))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        }

        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task RecycledAddress_AnotherPersonWithTheSameEmail_InheritsNoRole_AndTheBindingIsAudited()
    {
        var x = await fixture.NewParticipantAsync();
        var email = $"recycled-{Guid.NewGuid():N}@example.org";
        using var assigned = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments", new { email, role = "FocalPoint", participant = x });
        var assignmentId = (await assigned.ReadJsonAsync())["id"]!.GetValue<string>();

        // The first person to sign in with the address is bound to the assignment...
        using var first = await fixture.Runner.ClientForAsync(email);
        var me = await first.GetFromJsonAsync<JsonObject>("api/me");
        var subject = $"{Jwt.DevTenantId}/{Jwt.DevObjectId(email)}";
        Assert.Equal(subject, me!["subject"]!.GetValue<string>());
        Assert.Equal(subject, Assert.Single(me["roles"]!.AsArray())!["subject"]!.GetValue<string>());

        // ...so a later owner of the same address (another object id) holds nothing.
        using var successor = new HttpClient { BaseAddress = fixture.Runner.BaseAddress };
        var anotherPerson = Jwt.DevClaims(fixture.Runner, email).With("oid", Guid.NewGuid().ToString());
        successor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Jwt.SignDev(fixture.Runner, anotherPerson));
        Assert.Empty((await successor.GetFromJsonAsync<JsonObject>("api/me"))!["roles"]!.AsArray());
        using (var list = await successor.GetAsync($"api/pocs?participant={x}"))
        {
            await PocBodies.AssertProblemAsync(list, HttpStatusCode.Forbidden);
        }

        using (var create = await successor.PostAsJsonAsync("api/pocs", PocBodies.Valid(x)))
        {
            await PocBodies.AssertProblemAsync(create, HttpStatusCode.Forbidden);
        }

        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=RoleAssignment&entityId={assignmentId}");
        var bound = Assert.Single(audit!["items"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "RoleAssignment.Bound");
        Assert.Equal(email, bound!["actor"]!.GetValue<string>());
        Assert.Contains(bound["changes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "subject" && c["after"]!.GetValue<string>() == subject);
    }

    [Theory]
    [InlineData("no tid")]
    [InlineData("no oid")]
    [InlineData("tid of another tenant")]
    [InlineData("no scp")]
    [InlineData("ID token")]
    public async Task SecretariatsAddress_InATokenWithoutTheRightIdentity_CannotWrite_AndNothingIsWritten(string what)
    {
        var x = await fixture.NewParticipantAsync();
        var claims = Jwt.DevClaims(fixture.Runner, DirectoryFixture.Secretariat);
        claims = what switch
        {
            "no tid" => claims.Without("tid"),
            "no oid" => claims.Without("oid"),
            "tid of another tenant" => claims.With("tid", Guid.NewGuid().ToString()),
            "no scp" => claims.Without("scp"),
            _ => claims.Without("scp").Without("azp").With("nonce", "n"),
        };
        using var client = new HttpClient { BaseAddress = fixture.Runner.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Jwt.SignDev(fixture.Runner, claims));

        using var create = await client.PostAsJsonAsync("api/pocs", PocBodies.Valid(x));

        await PocBodies.AssertProblemAsync(create, HttpStatusCode.Unauthorized);
        Assert.Empty((await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs?participant={x}"))!["items"]!.AsArray());
    }

    [Theory]
    [InlineData("Auth:Authority", "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0", "Auth:DevSigningKey must not be set together with Auth:Authority")]
    [InlineData("WEBSITE_INSTANCE_ID", "0123456789abcdef", "Auth:DevSigningKey must not be set when the app runs in Azure (WEBSITE_INSTANCE_ID is set)")]
    public async Task DevSigningKey_WithAnAuthorityOrInAzure_TheAppRefusesToStart(string setting, string value, string message)
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite).Isolated();
        settings[setting] = value;

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalRunner.StartAsync(settings));

        Assert.Contains("The local runner exited", refused.Message, StringComparison.Ordinal);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }
}
