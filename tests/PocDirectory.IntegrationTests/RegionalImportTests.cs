using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>Issue 18, item 7: a regional directory's list in a review area, matched, and accepted entry by entry (decision 0042).</summary>
[Collection(DirectoryCollection.Name)]
public sealed class RegionalImportTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task Import_TwentyRows_ShowsFiveKnownThreeDifferingTwelveNew_AndAcceptingChangesOnlyWhatWasAccepted()
    {
        var x = await fixture.NewParticipantAsync();
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var body = PocBodies.Valid(x, fullName: Names[i]).With("emails", new JsonArray($"existing-{i}-{Guid.NewGuid():N}@cert.example.org"));
            ids.Add((await PocBodies.CreateAsync(fixture.SecretariatClient, body)).Poc["id"]!.GetValue<string>());
        }

        // The participant's own entries in the exchange format: five go back unchanged (Known), three changed (Differing).
        var exported = await ExportAsync(fixture.SecretariatClient, x);
        Assert.Equal(8, exported.Count);
        var entries = new JsonArray();
        foreach (var known in exported.Take(5))
        {
            entries.Add(known.DeepClone());
        }

        var changedPosition = (JsonObject)exported[5].DeepClone();
        changedPosition["position"] = "Deputy head";
        var changedPhone = (JsonObject)exported[6].DeepClone();
        changedPhone["telephone"] = "+41227917111";
        var sameNameNewAddress = (JsonObject)exported[7].DeepClone();
        sameNameNewAddress["email"] = $"moved-{Guid.NewGuid():N}@cert.example.org";
        sameNameNewAddress["representative"] = sameNameNewAddress["representative"]!.GetValue<string>().ToUpperInvariant();
        entries.Add(changedPosition);
        entries.Add(changedPhone);
        entries.Add(sameNameNewAddress);
        for (var i = 0; i < 12; i++)
        {
            entries.Add(NewEntry(x, $"Newcomer {(char)('A' + i)}{(char)('a' + i)}{(char)('k' + i)} Regional"));
        }

        var before = await SnapshotAsync(x);
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/imports", new { directory = "OSCE", reference = "CBM 3 list", entries });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var import = await created.ReadJsonAsync();
        var id = import["id"]!.GetValue<string>();
        Assert.Equal(12, import["counts"]!["new"]!.GetValue<int>());
        Assert.Equal(5, import["counts"]!["known"]!.GetValue<int>());
        Assert.Equal(3, import["counts"]!["differing"]!.GetValue<int>());

        // Read back, each entry is what it should be and sits beside the POC it was matched to.
        var read = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/imports/{id}");
        var byNumber = read!["entries"]!.AsArray().Select(e => e!.AsObject()).ToDictionary(e => e["number"]!.GetValue<int>());
        Assert.Equal(20, byNumber.Count);
        Assert.All(Enumerable.Range(1, 5), n => Assert.Equal("Known", byNumber[n]["match"]!.GetValue<string>()));
        Assert.All(Enumerable.Range(6, 3), n => Assert.Equal("Differing", byNumber[n]["match"]!.GetValue<string>()));
        Assert.All(Enumerable.Range(9, 12), n => Assert.Equal("New", byNumber[n]["match"]!.GetValue<string>()));
        Assert.Equal(["position"], byNumber[6]["differences"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(["telephone"], byNumber[7]["differences"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Contains("email", byNumber[8]["differences"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(exported[5]["position"]!.GetValue<string>(), byNumber[6]["existing"]!["position"]!.GetValue<string>());
        Assert.Equal("Deputy head", byNumber[6]["incoming"]!["position"]!.GetValue<string>());
        Assert.Null(byNumber[9]["existing"]);

        // Reading in changed nothing in the directory.
        Assert.Equal(before, await SnapshotAsync(x));

        // Accept one new and one differing entry, reject a known one: only those two change the directory.
        using (var accepted = await fixture.SecretariatClient.PostAsync($"api/imports/{id}/entries/9/accept", null))
        {
            Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        }

        using (var accepted = await fixture.SecretariatClient.PostAsync($"api/imports/{id}/entries/6/accept", null))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        using (var rejected = await fixture.SecretariatClient.PostAsync($"api/imports/{id}/entries/1/reject", null))
        {
            Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        }

        var after = await SnapshotAsync(x);
        Assert.Equal(9, after.Count);
        var updatedId = byNumber[6]["pocId"]!.GetValue<string>();
        Assert.All(before.Where(p => p.Key != updatedId), p => Assert.Equal(p.Value, after[p.Key]));
        var (updated, _) = await PocBodies.GetAsync(fixture.SecretariatClient, updatedId);
        Assert.Equal("Deputy head", updated["position"]!.GetValue<string>());
        Assert.Equal("Import", updated["source"]!["kind"]!.GetValue<string>());
        var newId = after.Keys.Single(k => !before.ContainsKey(k));
        var (newcomer, _) = await PocBodies.GetAsync(fixture.SecretariatClient, newId);
        Assert.Equal("Newcomer Aak Regional", newcomer["fullName"]!.GetValue<string>());
        Assert.Equal("OSCE", newcomer["source"]!["import"]!["directory"]!.GetValue<string>());
        Assert.Equal("CBM 3 list", newcomer["source"]!["import"]!["reference"]!.GetValue<string>());

        var decided = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/imports/{id}"))!["entries"]!.AsArray()
            .ToDictionary(e => e!["number"]!.GetValue<int>(), e => e!["decision"]!.GetValue<string>());
        Assert.Equal("Accepted", decided[9]);
        Assert.Equal("Rejected", decided[1]);
        Assert.Equal(17, decided.Values.Count(d => d == "Pending"));

        // A decision is final: a second accept, or accepting a rejected entry, is 409 and writes nothing.
        using (var twice = await fixture.SecretariatClient.PostAsync($"api/imports/{id}/entries/9/accept", null))
        {
            await PocBodies.AssertProblemAsync(twice, HttpStatusCode.Conflict);
        }

        using (var afterReject = await fixture.SecretariatClient.PostAsync($"api/imports/{id}/entries/1/accept", null))
        {
            await PocBodies.AssertProblemAsync(afterReject, HttpStatusCode.Conflict);
        }

        Assert.Equal(after, await SnapshotAsync(x));

        var audit = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/audit?entityType=Import"))!["items"]!.AsArray()
            .Select(e => (Action: e!["action"]!.GetValue<string>(), Entity: e["entityId"]!.GetValue<string>())).ToList();
        Assert.Contains(("Import.Created", id), audit);
        Assert.Contains(("ImportEntry.Accepted", $"{id}/9"), audit);
        Assert.Contains(("ImportEntry.Accepted", $"{id}/6"), audit);
        Assert.Contains(("ImportEntry.Rejected", $"{id}/1"), audit);
    }

    [Fact]
    public async Task Import_Csv_IsMatchedLikeJson_AndTheExchangeExportComesBackKnown()
    {
        var x = await fixture.NewParticipantAsync();
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x).With("emails", new JsonArray($"csv-{Guid.NewGuid():N}@cert.example.org")));
        var known = (await ExportAsync(fixture.SecretariatClient, x)).Single();
        var csv = new StringBuilder("country,representative,team_name,email,telephone,emergency_phone,languages,timezone,business_hours,position\n")
            .Append(Csv(known, "country", "representative", "team_name", "email", "telephone", "emergency_phone", "languages", "timezone", "business_hours", "position"))
            .Append($"{x},\"Ng, Ada\",National CERT,ng-{Guid.NewGuid():N}@cert.example.org,+41227917000,,en,Europe/Zurich,\"Mon,Tue,Wed,Thu,Fri 09:00-17:00\",\n")
            .ToString();
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/imports", new { directory = "OAS", csv });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var entries = (await created.ReadJsonAsync())["entries"]!.AsArray();
        Assert.Equal(["Known", "New"], entries.Select(e => e!["match"]!.GetValue<string>()));
        Assert.Equal("Ng, Ada", entries[1]!["incoming"]!["representative"]!.GetValue<string>());
    }

    private static IEnumerable<(string Body, string Field)> BadBodies(string x) =>
    [
        ($$"""{"directory": "OSCE", "csv": "country,representative,colour\n{{x}},A,blue\n"}""", "csv"),
        ($$"""{"directory": "OSCE", "csv": "country,representative\n{{x}},Un\"quoted\n"}""", "csv"),
        ($$"""{"directory": "OSCE", "csv": "country,representative\n{{x}},A,extra\n"}""", "csv"),
        ($$"""{"directory": "OSCE", "entries": [{"country": "{{x}}", "colour": "blue"}]}""", "$"),
        ($$"""{"directory": "OSCE", "entries": [{"country": "{{x}}", "representative": "A", "team_name": "CERT", "email": "not-an-address", "languages": "en", "timezone": "Europe/Zurich", "business_hours": "24/7"}]}""", "entries[0].email"),
        ($$"""{"directory": "OSCE", "entries": [{"country": "{{x}}", "representative": "A", "team_name": "CERT", "email": "a@example.org", "languages": "en", "timezone": "Europe/Zurich", "business_hours": "sometimes"}]}""", "entries[0].business_hours"),
        ("""{"directory": "OSCE", "entries": [{"country": "NOWHERE1", "representative": "A"}]}""", "entries[0].country"),
        ("""{"directory": "OSCE"}""", "entries"),
        ($$"""{"entries": [{"country": "{{x}}"}]}""", "directory"),
    ];

    [Fact]
    public async Task Import_BadInput_Is400NamingTheField_AndNothingIsStored()
    {
        var x = await fixture.NewParticipantAsync();
        foreach (var (body, field) in BadBodies(x))
        {
            using var refused = await fixture.SecretariatClient.PostAsync("api/imports", new StringContent(body, Encoding.UTF8, "application/json"));
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.BadRequest, field);
        }

        Assert.DoesNotContain(await ImportsAsync(fixture.SecretariatClient), i => i["participants"]!.AsArray().Any(p => p!.GetValue<string>() == x));
        Assert.Empty(await SnapshotAsync(x));
    }

    [Fact]
    public async Task Import_ByAFocalPoint_OnlyOfItsOwnParticipant_AndItSeesOnlyItsOwnEntries()
    {
        var x = await fixture.NewParticipantAsync();
        var y = await fixture.NewParticipantAsync();
        using var focalPointOfX = await fixture.UserWithRoleAsync("FocalPoint", x);

        // A row for another participant: 403, and neither participant's entries are stored.
        using (var refused = await focalPointOfX.PostAsJsonAsync("api/imports", new { directory = "ASEAN", entries = new[] { NewEntry(x, "Own Person"), NewEntry(y, "Other Person") } }))
        {
            await PocBodies.AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        }

        Assert.DoesNotContain(await ImportsAsync(fixture.SecretariatClient), i => i["participants"]!.AsArray().Any(p => p!.GetValue<string>() is var c && (c == x || c == y)));

        // The Secretariat imports both; X's focal point sees and decides X's entry only.
        using var created = await fixture.SecretariatClient.PostAsJsonAsync("api/imports", new { directory = "ASEAN", entries = new[] { NewEntry(x, "Own Person"), NewEntry(y, "Other Person") } });
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        var seen = await focalPointOfX.GetFromJsonAsync<JsonObject>($"api/imports/{id}");
        Assert.Equal([x], seen!["entries"]!.AsArray().Select(e => e!["participant"]!.GetValue<string>()));
        using (var other = await focalPointOfX.PostAsync($"api/imports/{id}/entries/2/accept", null))
        {
            await PocBodies.AssertProblemAsync(other, HttpStatusCode.NotFound);
        }

        Assert.Empty(await SnapshotAsync(y));
        using (var own = await focalPointOfX.PostAsync($"api/imports/{id}/entries/1/accept", null))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        Assert.Single(await SnapshotAsync(x));
    }

    private static readonly string[] Names = ["Amina Diallo", "Boris Petrov", "Chen Jing", "Dolores Ruiz", "Emeka Obi", "Farah Haddad", "Gunnar Lind", "Hoang Minh"];

    private static JsonObject NewEntry(string participant, string name) => new()
    {
        ["country"] = participant,
        ["kind"] = "Technical",
        ["representative"] = name,
        ["team_name"] = "Regional CERT",
        ["email"] = $"new-{Guid.NewGuid():N}@cert.example.org",
        ["emergency_phone"] = "+41227917000",
        ["languages"] = "en; fr",
        ["timezone"] = "Europe/Vienna",
        ["business_hours"] = "Mon,Tue,Wed,Thu,Fri 08:00-18:00",
    };

    private static string Csv(JsonObject entry, params string[] columns)
        => string.Join(',', columns.Select(c => entry[c]?.GetValue<string>() is { } v ? "\"" + v.Replace("\"", "\"\"") + "\"" : string.Empty)) + "\n";

    private static async Task<List<JsonObject>> ExportAsync(HttpClient client, string participant)
    {
        var document = await client.GetFromJsonAsync<JsonObject>($"api/export?format=exchange&participant={participant}");
        Assert.Equal("poc-directory-exchange/1", document!["format"]!.GetValue<string>());
        return document["entries"]!.AsArray().Select(e => e!.AsObject()).ToList();
    }

    private static async Task<List<JsonObject>> ImportsAsync(HttpClient client)
        => (await client.GetFromJsonAsync<JsonObject>("api/imports"))!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    /// <summary>The participant's POCs: id → the record as JSON text, to tell exactly what changed.</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync(string participant)
        => (await PocBodies.AllItemsAsync(fixture.SecretariatClient, $"api/pocs?participant={participant}"))
            .ToDictionary(p => p["id"]!.GetValue<string>(), p => p.ToJsonString());
}
