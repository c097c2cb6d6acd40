using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Role assignments, participants and development tokens are validated like every other input (a FluentValidation
/// validator beside it): each bad field gets a 400 naming it with its message, and nothing is stored or audited.
/// </summary>
[Collection(DirectoryCollection.Name)]
public sealed class InputValidationTests(DirectoryFixture fixture)
{
    private const string SignInAddress = "Required: the user's sign-in email address.";

    /// <summary>{email} stands for an address no other test uses; {poc} for an active POC's id.</summary>
    public static TheoryData<string, string, string> RoleAssignmentCases => new()
    {
        { """{"role": "Secretariat"}""", "email", SignInAddress },
        { """{"email": "not-an-address", "role": "Secretariat"}""", "email", SignInAddress },
        { """{"email": "Ada <{email}>", "role": "Secretariat"}""", "email", SignInAddress },
        { """{"email": "{email}"}""", "role", "Required: Secretariat, FocalPoint or Poc." },
        { """{"email": "{email}", "role": "FocalPoint"}""", "participant", "A focal point needs the participant's code." },
        { """{"email": "{email}", "role": "FocalPoint", "participant": "ZZZZ9"}""", "participant", "There is no participant with code 'ZZZZ9'." },
        { """{"email": "{email}", "role": "Secretariat", "participant": "SGP"}""", "participant", "Only a FocalPoint assignment names a participant." },
        { """{"email": "{email}", "role": "Poc"}""", "pocId", "A POC role needs the id of the POC record." },
        { """{"email": "{email}", "role": "Poc", "pocId": "SGP-NOPE"}""", "pocId", "There is no active POC with id 'SGP-NOPE'." },
        { """{"email": "{email}", "role": "FocalPoint", "participant": "SGP", "pocId": "{poc}"}""", "pocId", "Only a Poc assignment names a POC." },
    };

    public static TheoryData<string, string, string> ParticipantCases => new()
    {
        { """{"name": "Org", "type": "RegionalOrganisation"}""", "code", "Required: 2 to 10 letters or digits, e.g. OSCE." },
        { """{"code": "{code}", "type": "RegionalOrganisation"}""", "name", "Required, at most 200 characters." },
        { """{"code": "{code}", "name": "{long}", "type": "RegionalOrganisation"}""", "name", "Required, at most 200 characters." },
        { """{"code": "{code}", "name": "Org"}""", "type", "Only RegionalOrganisation participants can be added; States are reference data." },
    };

    public static TheoryData<string, string, string> DevTokenCases => new()
    {
        { "{}", "email", "Required: the email address to sign in as." },
        { """{"email": "secretariat"}""", "email", "Required: the email address to sign in as." },
        { """{"email": "secretariat@example.org", "name": "{long}"}""", "name", "At most 200 characters." },
    };

    [Theory]
    [MemberData(nameof(RoleAssignmentCases))]
    public async Task CreateRoleAssignment_BadField_400NamingIt_AndNothingStored(string body, string field, string message)
    {
        var email = $"validation-{Guid.NewGuid():N}@example.org";
        if (body.Contains("{poc}", StringComparison.Ordinal))
        {
            var (poc, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(await fixture.NewParticipantAsync()));
            body = body.Replace("{poc}", poc["id"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        var since = DateTimeOffset.UtcNow;

        using var response = await PostAsync(fixture.SecretariatClient, "api/role-assignments", body.Replace("{email}", email, StringComparison.Ordinal));

        await AssertOnlyErrorAsync(response, field, message);
        Assert.Empty((await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/role-assignments?email={email}"))!["items"]!.AsArray());
        Assert.DoesNotContain(email, (await AuditSinceAsync("RoleAssignment", since)).ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ParticipantCases))]
    public async Task CreateParticipant_BadField_400NamingIt_AndNothingStored(string body, string field, string message)
    {
        var code = "V" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var since = DateTimeOffset.UtcNow;

        using var response = await PostAsync(fixture.SecretariatClient, "api/participants",
            body.Replace("{code}", code, StringComparison.Ordinal).Replace("{long}", new string('n', 201), StringComparison.Ordinal));

        await AssertOnlyErrorAsync(response, field, message);
        using var stored = await fixture.SecretariatClient.GetAsync($"api/participants/{code}");
        Assert.Equal(HttpStatusCode.NotFound, stored.StatusCode);
        Assert.Empty(await AuditSinceAsync($"Participant&entityId={code}", since));
    }

    [Theory]
    [MemberData(nameof(DevTokenCases))]
    public async Task CreateDevToken_BadField_400NamingIt_AndNoToken(string body, string field, string message)
    {
        using var response = await PostAsync(fixture.Runner.Http, "api/dev/token", body.Replace("{long}", new string('n', 201), StringComparison.Ordinal));

        await AssertOnlyErrorAsync(response, field, message);
        Assert.Null(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["token"]);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string json)
        => client.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    private static async Task AssertOnlyErrorAsync(HttpResponseMessage response, string field, string message)
    {
        await PocBodies.AssertProblemAsync(response, HttpStatusCode.BadRequest, field);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.AsObject();
        Assert.Equal([field], errors.Select(e => e.Key));
        Assert.Equal(message, errors[field]!.AsArray().Single()!.GetValue<string>());
    }

    /// <summary>Other collections share the runner, so a test looks only for entries that could be its own.</summary>
    private async Task<JsonArray> AuditSinceAsync(string entityType, DateTimeOffset since)
    {
        var from = Uri.EscapeDataString(since.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        var log = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType={entityType}&from={from}");
        return log!["items"]!.AsArray();
    }
}
