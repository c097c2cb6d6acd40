using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>Every route against every kind of caller. Each case gets fresh records, so an allowed write really succeeds.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class AuthorizationMatrixTests(DirectoryFixture fixture)
{
    public enum Who
    {
        Anonymous,
        Secretariat,
        FocalPointOfX,
        FocalPointOfY,
        PocOfX,
    }

    private sealed record World(string X, string Y, string PocId, string ETag, string AssignmentId, Dictionary<Who, HttpClient> Clients);

    private const int Ok = 200, Created = 201, NoContent = 204, Unauthorized = 401, Forbidden = 403;

    // route, method, then expected status for: Anonymous, Secretariat, FocalPointOfX, FocalPointOfY, PocOfX
    public static TheoryData<string, int, int, int, int, int> Routes => new()
    {
        { "GET me", Unauthorized, Ok, Ok, Ok, Ok },
        { "GET participants", Unauthorized, Ok, Ok, Ok, Ok },
        { "GET participants/{x}", Unauthorized, Ok, Ok, Ok, Ok },
        { "POST participants", Unauthorized, Created, Forbidden, Forbidden, Forbidden },
        { "GET pocs", Unauthorized, Ok, Ok, Ok, Ok },
        { "GET pocs/{poc}", Unauthorized, Ok, Ok, Ok, Ok },
        { "POST pocs", Unauthorized, Created, Created, Forbidden, Forbidden },
        { "PUT pocs/{poc}", Unauthorized, Ok, Ok, Forbidden, Ok },
        { "DELETE pocs/{poc}", Unauthorized, Ok, Ok, Forbidden, Forbidden },
        { "POST pocs/{poc}/confirm", Unauthorized, Ok, Ok, Forbidden, Ok },
        { "GET role-assignments", Unauthorized, Ok, Forbidden, Forbidden, Forbidden },
        { "POST role-assignments", Unauthorized, Created, Forbidden, Forbidden, Forbidden },
        { "DELETE role-assignments/{assignment}", Unauthorized, NoContent, Forbidden, Forbidden, Forbidden },
        { "GET audit", Unauthorized, Ok, Forbidden, Forbidden, Forbidden },
        { "GET export?format=csv", Unauthorized, Ok, Forbidden, Forbidden, Forbidden },
        { "GET export?format=json", Unauthorized, Ok, Forbidden, Forbidden, Forbidden },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_EachCaller_GetsExpectedStatus(string route, int anonymous, int secretariat, int focalPointOfX, int focalPointOfY, int pocOfX)
    {
        var expected = new Dictionary<Who, int>
        {
            [Who.Anonymous] = anonymous,
            [Who.Secretariat] = secretariat,
            [Who.FocalPointOfX] = focalPointOfX,
            [Who.FocalPointOfY] = focalPointOfY,
            [Who.PocOfX] = pocOfX,
        };

        foreach (var (who, status) in expected)
        {
            var world = await NewWorldAsync();
            using var request = Build(route, world);
            using var response = await world.Clients[who].SendAsync(request);
            Assert.True((int)response.StatusCode == status, $"{route} as {who}: expected {status}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            if (status >= 400)
            {
                await PocBodies.AssertProblemAsync(response, (HttpStatusCode)status);
            }

            foreach (var client in world.Clients.Values.Where(c => c != fixture.SecretariatClient && c != fixture.Runner.Http))
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task FocalPointOfY_CannotChangeAnyOfXsPocs_AndXsDataIsUnchanged()
    {
        var world = await NewWorldAsync();
        var before = (await PocBodies.GetAsync(fixture.SecretariatClient, world.PocId)).Poc.ToJsonString();
        var intruder = world.Clients[Who.FocalPointOfY];

        foreach (var route in new[] { "PUT pocs/{poc}", "DELETE pocs/{poc}", "POST pocs/{poc}/confirm", "POST pocs" })
        {
            using var response = await intruder.SendAsync(Build(route, world));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        // Even naming Y in the body of a PUT cannot move X's POC.
        using (var move = await intruder.SendAsync(PocBodies.Put(world.PocId, PocBodies.Valid(world.Y), world.ETag)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, move.StatusCode);
        }

        Assert.Equal(before, (await PocBodies.GetAsync(fixture.SecretariatClient, world.PocId)).Poc.ToJsonString());
        var xPocs = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs?participant={world.X}");
        Assert.Single(xPocs!["items"]!.AsArray());
    }

    [Fact]
    public async Task SignedInUserWithoutRole_SeesOnlyWhoTheyAre()
    {
        using var stranger = await fixture.Runner.ClientForAsync($"nobody-{Guid.NewGuid():N}@example.org");
        using (var me = await stranger.GetAsync("api/me"))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Empty((await me.ReadJsonAsync())["roles"]!.AsArray());
        }

        foreach (var path in new[] { "api/participants", "api/pocs" })
        {
            using var response = await stranger.GetAsync(path);
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.Forbidden);
        }
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
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }

        using var after = await user.GetAsync($"api/pocs?participant={x}");
        await PocBodies.AssertProblemAsync(after, HttpStatusCode.Forbidden);
    }

    private async Task<World> NewWorldAsync()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x));
        var pocId = poc["id"]!.GetValue<string>();
        using var assignment = await fixture.SecretariatClient.PostAsJsonAsync("api/role-assignments",
            new { email = $"victim-{Guid.NewGuid():N}@example.org", role = "FocalPoint", participant = x });
        var assignmentId = (await assignment.ReadJsonAsync())["id"]!.GetValue<string>();
        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = fixture.Runner.Http,
            [Who.Secretariat] = fixture.SecretariatClient,
            [Who.FocalPointOfX] = await fixture.UserWithRoleAsync("FocalPoint", x),
            [Who.FocalPointOfY] = await fixture.UserWithRoleAsync("FocalPoint", y),
            [Who.PocOfX] = await fixture.UserWithRoleAsync("Poc", pocId: pocId),
        };
        return new World(x, y, pocId, etag, assignmentId, clients);
    }

    private static HttpRequestMessage Build(string route, World world)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var method = new HttpMethod(route[..space]);
        var path = "api/" + route[(space + 1)..].Replace("{x}", world.X).Replace("{poc}", world.PocId).Replace("{assignment}", world.AssignmentId);
        var request = new HttpRequestMessage(method, path);
        switch (route)
        {
            case "POST participants":
                request.Content = JsonContent.Create(new { code = "T" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), name = "New organisation", type = "RegionalOrganisation" });
                break;
            case "POST pocs":
                request.Content = JsonContent.Create(PocBodies.Valid(world.X));
                break;
            case "PUT pocs/{poc}":
                request.Content = JsonContent.Create(PocBodies.Valid(world.X).With("position", "Updated"));
                request.Headers.TryAddWithoutValidation("If-Match", world.ETag);
                break;
            case "DELETE pocs/{poc}":
                request.Headers.TryAddWithoutValidation("If-Match", world.ETag);
                break;
            case "POST role-assignments":
                request.Content = JsonContent.Create(new { email = $"new-{Guid.NewGuid():N}@example.org", role = "FocalPoint", participant = world.X });
                break;
        }

        return request;
    }
}
