using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PocDirectory.UnitTests.TestData;

namespace PocDirectory.IntegrationTests;

/// <summary>Malformed requests get a ProblemDetails naming the field, and leave the stored directory exactly as it was.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class BadInputTests(DirectoryFixture fixture)
{
    private sealed record Target(string Participant, string PocId, string ETag);

    private static readonly Dictionary<string, (Func<Target, HttpRequestMessage> Request, HttpStatusCode Status, string? Field)> Cases = new()
    {
        ["broken JSON"] = (t => Raw("POST", "api/pocs", "{\"participant\": "), HttpStatusCode.BadRequest, "$"),
        ["JSON array"] = (t => Raw("POST", "api/pocs", "[]"), HttpStatusCode.BadRequest, "$"),
        ["JSON null"] = (t => Raw("POST", "api/pocs", "null"), HttpStatusCode.BadRequest, "$"),
        ["empty body"] = (t => Raw("POST", "api/pocs", string.Empty), HttpStatusCode.BadRequest, "$"),
        ["text content type"] = (t => Raw("POST", "api/pocs", "{}", "text/plain"), HttpStatusCode.UnsupportedMediaType, null),
        ["body over 256 KiB"] = (t => Post(PocBodies.Valid(t.Participant).With("position", new string('x', 300_000))), HttpStatusCode.RequestEntityTooLarge, null),
        ["unknown kind"] = (t => Post(PocBodies.Valid(t.Participant).With("kind", "Military")), HttpStatusCode.BadRequest, "kind"),
        ["kind as number"] = (t => Post(PocBodies.Valid(t.Participant).With("kind", 1)), HttpStatusCode.BadRequest, "kind"),
        ["fullName as number"] = (t => Post(PocBodies.Valid(t.Participant).With("fullName", 42)), HttpStatusCode.BadRequest, "fullName"),
        ["fullName missing"] = (t => Post(PocBodies.Valid(t.Participant).Without("fullName")), HttpStatusCode.BadRequest, "fullName"),
        ["fullName too long"] = (t => Post(PocBodies.Valid(t.Participant).With("fullName", new string('a', 201))), HttpStatusCode.BadRequest, "fullName"),
        ["organisation too long"] = (t => Post(PocBodies.Valid(t.Participant).With("organisation", new string('o', 5000))), HttpStatusCode.BadRequest, "organisation"),
        ["unknown participant"] = (t => Post(PocBodies.Valid("ZZZZ9")), HttpStatusCode.BadRequest, "participant"),
        ["participant missing"] = (t => Post(PocBodies.Valid(t.Participant).Without("participant")), HttpStatusCode.BadRequest, "participant"),
        ["no emails"] = (t => Post(PocBodies.Valid(t.Participant).With("emails", new JsonArray())), HttpStatusCode.BadRequest, "emails"),
        ["invalid email"] = (t => Post(PocBodies.Valid(t.Participant).With("emails", new JsonArray("not-an-email"))), HttpStatusCode.BadRequest, "emails[0]"),
        ["email without dotted domain"] = (t => Post(PocBodies.Valid(t.Participant).With("emails", new JsonArray("a@localhost"))), HttpStatusCode.BadRequest, "emails[0]"),
        ["email with display name"] = (t => Post(PocBodies.Valid(t.Participant).With("emails", new JsonArray("Ada <ada@cert.example.org>"))), HttpStatusCode.BadRequest, "emails[0]"),
        ["too many emails"] = (t => Post(PocBodies.Valid(t.Participant).With("emails", new JsonArray(Enumerable.Range(0, 6).Select(i => (JsonNode?)$"p{i}@example.org").ToArray()))), HttpStatusCode.BadRequest, "emails"),
        ["emails as string"] = (t => Post(PocBodies.Valid(t.Participant).With("emails", "ada@cert.example.org")), HttpStatusCode.BadRequest, "emails"),
        ["phone not E.164"] = (t => Post(PocBodies.Valid(t.Participant).With("phones", Phones("0227917000", "Office"))), HttpStatusCode.BadRequest, "phones[0].number"),
        ["phone too short"] = (t => Post(PocBodies.Valid(t.Participant).With("phones", Phones("+1555", "Office"))), HttpStatusCode.BadRequest, "phones[0].number"),
        ["phone with letters"] = (t => Post(PocBodies.Valid(t.Participant).With("phones", Phones("+41 CALL ME", "Office"))), HttpStatusCode.BadRequest, "phones[0].number"),
        ["phone type unknown"] = (t => Post(PocBodies.Valid(t.Participant).With("phones", Phones("+41227917000", "Fax"))), HttpStatusCode.BadRequest, "phones[0].type"),
        ["no languages"] = (t => Post(PocBodies.Valid(t.Participant).With("languages", new JsonArray())), HttpStatusCode.BadRequest, "languages"),
        ["language as word"] = (t => Post(PocBodies.Valid(t.Participant).With("languages", new JsonArray("english"))), HttpStatusCode.BadRequest, "languages[0]"),
        ["language with underscore"] = (t => Post(PocBodies.Valid(t.Participant).With("languages", new JsonArray("en_US"))), HttpStatusCode.BadRequest, "languages[0]"),
        ["unknown time zone"] = (t => Post(PocBodies.Valid(t.Participant).With("timeZone", "Mars/Olympus_Mons")), HttpStatusCode.BadRequest, "timeZone"),
        ["Windows time zone id"] = (t => Post(PocBodies.Valid(t.Participant).With("timeZone", "W. Europe Standard Time")), HttpStatusCode.BadRequest, "timeZone"),
        ["business hours without days"] = (t => Post(PocBodies.Valid(t.Participant).With("availability", new JsonObject { ["type"] = "BusinessHours", ["start"] = "09:00", ["end"] = "17:00" })), HttpStatusCode.BadRequest, "availability.days"),
        ["business hours ending before start"] = (t => Post(PocBodies.Valid(t.Participant).With("availability", new JsonObject { ["type"] = "BusinessHours", ["days"] = new JsonArray("Monday"), ["start"] = "18:00", ["end"] = "09:00" })), HttpStatusCode.BadRequest, "availability.end"),
        ["availability without type"] = (t => Post(PocBodies.Valid(t.Participant).With("availability", new JsonObject())), HttpStatusCode.BadRequest, "availability.type"),
        ["malformed PGP key"] = (t => Post(PocBodies.Valid(t.Participant).With("pgpPublicKey", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nnot a key\n-----END PGP PUBLIC KEY BLOCK-----")), HttpStatusCode.BadRequest, "pgpPublicKey"),
        ["expired PGP key"] = (t => Post(PocBodies.Valid(t.Participant).With("pgpPublicKey", PgpKeys.Armoured(DateTimeOffset.UtcNow.AddYears(-3), TimeSpan.FromDays(365)))), HttpStatusCode.BadRequest, "pgpPublicKey"),
        ["PUT without If-Match"] = (t => PocBodies.Put(t.PocId, PocBodies.Valid(t.Participant).With("position", "Changed"), null), HttpStatusCode.PreconditionRequired, null),
        ["PUT with stale If-Match"] = (t => PocBodies.Put(t.PocId, PocBodies.Valid(t.Participant).With("position", "Changed"), "W/\"datetime'2001-01-01T00%3A00%3A00.0000000Z'\""), HttpStatusCode.PreconditionFailed, null),
        ["PUT moving participant"] = (t => PocBodies.Put(t.PocId, PocBodies.Valid("CHE").With("position", "Changed"), t.ETag), HttpStatusCode.BadRequest, "participant"),
        ["PUT invalid body"] = (t => PocBodies.Put(t.PocId, PocBodies.Valid(t.Participant).With("timeZone", "Nowhere"), t.ETag), HttpStatusCode.BadRequest, "timeZone"),
        ["PUT unknown POC"] = (t => PocBodies.Put(t.Participant + "-0000000000NOSUCHPOC000000", PocBodies.Valid(t.Participant), t.ETag), HttpStatusCode.NotFound, null),
        ["DELETE without If-Match"] = (t => new HttpRequestMessage(HttpMethod.Delete, $"api/pocs/{t.PocId}"), HttpStatusCode.PreconditionRequired, null),
        ["GET unknown POC"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/pocs/nonsense"), HttpStatusCode.NotFound, null),
        ["GET unknown participant"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/participants/QQQ9"), HttpStatusCode.NotFound, null),
        ["page size zero"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/pocs?pageSize=0"), HttpStatusCode.BadRequest, "pageSize"),
        ["unknown kind filter"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/pocs?kind=Nope"), HttpStatusCode.BadRequest, "kind"),
        ["forged continuation token"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/pocs?continuationToken=%25%25%25"), HttpStatusCode.BadRequest, "continuationToken"),
        ["unknown region filter"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/participants?region=Atlantis"), HttpStatusCode.BadRequest, "region"),
        ["audit date not ISO"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/audit?from=yesterday"), HttpStatusCode.BadRequest, "from"),
        ["export format unknown"] = (t => new HttpRequestMessage(HttpMethod.Get, "api/export?format=xml"), HttpStatusCode.BadRequest, "format"),
        ["focal point without participant"] = (t => Json("POST", "api/role-assignments", new JsonObject { ["email"] = "x@example.org", ["role"] = "FocalPoint" }), HttpStatusCode.BadRequest, "participant"),
        ["role for unknown POC"] = (t => Json("POST", "api/role-assignments", new JsonObject { ["email"] = "x@example.org", ["role"] = "Poc", ["pocId"] = "ABC-NOPE" }), HttpStatusCode.BadRequest, "pocId"),
        ["participant of State type"] = (t => Json("POST", "api/participants", new JsonObject { ["code"] = "NEWST", ["name"] = "New State", ["type"] = "MemberState" }), HttpStatusCode.BadRequest, "type"),
        ["participant code malformed"] = (t => Json("POST", "api/participants", new JsonObject { ["code"] = "no spaces!", ["name"] = "Org", ["type"] = "RegionalOrganisation" }), HttpStatusCode.BadRequest, "code"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task BadRequest_GetsProblemDetails_AndStoredDataIsUnchanged(string name)
    {
        var participant = await fixture.NewParticipantAsync();
        var (poc, etag) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant));
        var target = new Target(participant, poc["id"]!.GetValue<string>(), etag);
        var before = await SnapshotAsync(target);

        var (request, status, field) = Cases[name];
        using var message = request(target);
        using var response = await fixture.SecretariatClient.SendAsync(message);

        await PocBodies.AssertProblemAsync(response, status, field);
        Assert.Equal(before, await SnapshotAsync(target));
    }

    [Fact]
    public void Cases_AreAtLeastThirty() => Assert.True(Cases.Count >= 30);

    /// <summary>The participant's POCs, its counts and the POC's audit trail: all must survive a rejected request untouched.</summary>
    private async Task<string> SnapshotAsync(Target target)
    {
        var pocs = await fixture.SecretariatClient.GetStringAsync($"api/pocs?participant={target.Participant}");
        var participant = await fixture.SecretariatClient.GetStringAsync($"api/participants/{target.Participant}");
        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Poc&entityId={target.PocId}");
        return pocs + participant + audit!["items"]!.AsArray().Count;
    }

    private static JsonArray Phones(string number, string type) => new(new JsonObject { ["number"] = number, ["type"] = type });

    private static HttpRequestMessage Post(JsonObject body) => Json("POST", "api/pocs", body);

    private static HttpRequestMessage Json(string method, string path, JsonObject body)
        => new(new HttpMethod(method), path) { Content = JsonContent.Create(body) };

    private static HttpRequestMessage Raw(string method, string path, string body, string contentType = "application/json")
        => new(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
}
