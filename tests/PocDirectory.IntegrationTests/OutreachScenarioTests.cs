using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>A runner of its own on the in-memory Durable backend, with outreach reminders of seconds.</summary>
public sealed class OutreachFixture : DirectoryFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Runner:Durable:Backend"] = "InMemory",
        ["Outreach:MinimumReminder"] = "00:00:05",
        ["Outreach:CloseAfterLastReminder"] = "00:00:10",
    };
}

[CollectionDefinition(Name)]
public sealed class OutreachCollection : ICollectionFixture<OutreachFixture>
{
    public const string Name = "Outreach on the in-memory backend";
}

/// <summary>Issue 18, item 2, through the real runner and real SMTP.</summary>
[Collection(OutreachCollection.Name)]
public sealed class OutreachScenarioTests(OutreachFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Outreach_ToThreeWithoutATechnicalPoc_ReachesTheirMissionContacts_OneNominates_TheReminderReachesOnlyTheOtherTwo()
    {
        var codes = new List<string>();
        var contacts = new Dictionary<string, string>();
        for (var i = 0; i < 3; i++)
        {
            var code = await fixture.NewParticipantAsync();
            await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(code, kind: "Diplomatic"));
            contacts[code] = $"mission-{Guid.NewGuid():N}@example.org";
            await PutMissionAsync(code, contacts[code]);
            codes.Add(code);
        }

        // The reminder is 40 s after the letter: the nomination below comes well before it.
        using var sent = await fixture.SecretariatClient.PostAsJsonAsync("api/outreach", new
        {
            scope = new { nominationStatus = new[] { "None", "DiplomaticOnly", "TechnicalOnly" }, regions = Array.Empty<string>(), participants = codes },
            subject = (string?)null, body = (string?)null, reminders = new[] { "PT40S" },
        });
        Assert.True(sent.StatusCode == HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        var id = (await sent.ReadJsonAsync())["id"]!.GetValue<string>();

        // Each participant's mission contact gets the letter, saying that its technical POC is missing and how to nominate.
        var letters = await CampaignHelpers.MessagesToAsync(fixture.Smtp, contacts.Values.ToList(), 3, Timeout);
        foreach (var code in codes)
        {
            var letter = letters.Single(m => CampaignHelpers.AddressOf(m) == contacts[code]);
            var text = letter.TextBody ?? string.Empty;
            Assert.Contains($"Test organisation {code} has nominated a diplomatic point of contact but no technical point of contact yet.", text, StringComparison.Ordinal);
            Assert.Contains("note verbale", text, StringComparison.Ordinal);
            Assert.Contains("/ack/", text, StringComparison.Ordinal);
            Assert.Equal(0, CampaignHelpers.StepOf(letter));
        }

        // The first one nominates its technical POC.
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(codes[0], kind: "Technical"));
        var shown = await OutreachAsync(id);
        var first = Row(shown, codes[0]);
        Assert.Equal("NoTechnicalPoc", first["missing"]!.GetValue<string>());
        Assert.NotNull(first["contactedAt"]);
        Assert.True(first["nominatedAt"]!.GetValue<DateTimeOffset>() >= before);
        Assert.All(codes.Skip(1), c => Assert.Null(Row(shown, c)["nominatedAt"]));

        // The reminder goes to the other two; once the outreach has closed, nothing more is sent to anyone.
        var reminders = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [contacts[codes[1]], contacts[codes[2]]], 4, Timeout);
        Assert.Equal(2, reminders.Count(m => CampaignHelpers.StepOf(m) == 1));
        JsonObject closed = null!;
        await Wait.UntilAsync(async () => (closed = await OutreachAsync(id))["state"]!.GetValue<string>() == "Closed", Timeout, () => $"Outreach {id} did not close: {closed}");
        Assert.Single(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == contacts[codes[0]]);
        Assert.Null(Row(closed, codes[0])["remindedAt"]);
        Assert.All(codes.Skip(1), c => Assert.NotNull(Row(closed, c)["remindedAt"]));
        Assert.All(codes.Skip(1), c => Assert.Equal(2, fixture.Smtp.Messages.Count(m => CampaignHelpers.AddressOf(m) == contacts[c])));
    }

    [Fact]
    public async Task Outreach_ScopeThatSelectsNobody_Is422_NothingStoredOrSent()
    {
        // A participant lacking a technical POC but with no mission contact and no focal point: nobody to write to.
        var code = await fixture.NewParticipantAsync();
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(code, kind: "Diplomatic"));
        var listed = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/outreach"))!["items"]!.AsArray().Count;
        var messages = fixture.Smtp.Messages.Count;

        using var refused = await fixture.SecretariatClient.PostAsJsonAsync("api/outreach", new
        {
            scope = new { nominationStatus = new[] { "DiplomaticOnly" }, regions = Array.Empty<string>(), participants = new[] { code } }, reminders = new[] { "PT20S" },
        });
        await PocBodies.AssertProblemAsync(refused, HttpStatusCode.UnprocessableContent);
        Assert.Equal(listed, (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/outreach"))!["items"]!.AsArray().Count);
        Assert.Equal(messages, fixture.Smtp.Messages.Count);
    }

    [Theory]
    [InlineData("""{"reminders": ["P14D"]}""", "scope")]
    [InlineData("""{"scope": {"nominationStatus": ["Both"], "regions": []}, "reminders": []}""", "scope.nominationStatus")]
    [InlineData("""{"scope": {"nominationStatus": ["None"], "regions": []}, "reminders": ["PT1S"]}""", "reminders[0]")]
    [InlineData("""{"scope": {"nominationStatus": ["None"], "regions": []}, "reminders": ["fortnight"]}""", "reminders[0]")]
    [InlineData("""{"scope": {"nominationStatus": ["None"], "regions": []}, "reminders": ["PT60S", "PT30S"]}""", "reminders")]
    public async Task Outreach_BadInput_Is400NamingTheField_NothingStored(string body, string field)
    {
        var listed = (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/outreach"))!["items"]!.AsArray().Count;
        using var refused = await fixture.SecretariatClient.PostAsync("api/outreach", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await PocBodies.AssertProblemAsync(refused, HttpStatusCode.BadRequest, field);
        Assert.Equal(listed, (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/outreach"))!["items"]!.AsArray().Count);
    }

    private async Task PutMissionAsync(string code, string email)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, $"api/participants/{code}/mission")
        {
            Content = JsonContent.Create(new { contacts = new[] { new { name = "Counsellor (Cyber)", email } } }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", "W/\"mission-none\"");
        using var saved = await fixture.SecretariatClient.SendAsync(put);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> OutreachAsync(string id) => (await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/outreach/{id}"))!;

    private static JsonObject Row(JsonObject outreach, string code)
        => outreach["participants"]!.AsArray().Single(p => p!["code"]!.GetValue<string>() == code)!.AsObject();
}
