using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using PocDirectory.Functions;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Storage;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// What happens to a communication after it was sent: its content is erased when the retention runs out (the timer's
/// own service method, run on the app's clock moved forward), and a send repeated with its Idempotency-Key creates and
/// sends nothing more.
/// </summary>
[Collection(CommunicationCollection.Name)]
public sealed class CommunicationLifecycleTests(CommunicationFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Retention = TimeSpan.Parse(CommunicationFixture.ContentRetention, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ContentPastItsRetention_IsErased_AndTheMetadataStays()
    {
        var w = await CommunicationWorld.CreateAsync(fixture);
        var subject = $"Retained-{Guid.NewGuid():N}";
        var body = $"Body-{Guid.NewGuid():N}";
        var id = await SendAsync(w, subject, body);
        await CampaignHelpers.MessagesToAsync(fixture.Smtp, w.NorTechnical, 2, Timeout);
        using (var ack = await w.NorPoc.PostAsync($"api/communications/{id}/acknowledge", null))
        {
            Assert.True(ack.StatusCode == HttpStatusCode.OK, await ack.Content.ReadAsStringAsync());
        }

        using (var reply = await w.NorPoc.PostAsJsonAsync($"api/communications/{id}/replies", new { body = $"Reply-{body}" }))
        {
            Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        }

        // The acknowledgement ends the delivery; once it has, nothing but the erasure changes the record.
        JsonObject? kept = null;
        await Wait.UntilAsync(async () =>
        {
            kept = await w.IslFocalPoint.GetFromJsonAsync<JsonObject>($"api/communications/{id}");
            return !kept!["delivering"]!.GetValue<bool>();
        }, Timeout, () => $"The delivery did not end after the acknowledgement: {kept?.ToJsonString()}");
        var metadataBefore = JsonNode.Parse(await fixture.SecretariatClient.GetStringAsync($"api/communications/{id}"))!.AsObject();
        var sentAt = kept!["sentAt"]!.GetValue<DateTimeOffset>();

        // The timer's service method on the app's clock: a minute before the retention ends nothing goes; at its end the content does.
        var clock = new FakeTimeProvider(sentAt + Retention - TimeSpan.FromMinutes(1));
        await using var app = AppServices(clock);
        var service = app.GetRequiredService<CommunicationService>();
        await service.EraseExpiredContentAsync(CancellationToken.None);
        Assert.Equal(subject, (await w.IslFocalPoint.GetFromJsonAsync<JsonObject>($"api/communications/{id}"))!["subject"]!.GetValue<string>());

        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.True(await service.EraseExpiredContentAsync(CancellationToken.None) >= 1);

        // The parties see the thread's shape without its content: who replied and when, but no subject, body or reply text.
        var raw = await w.IslFocalPoint.GetStringAsync($"api/communications/{id}");
        Assert.DoesNotContain(subject, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(body, raw, StringComparison.Ordinal);
        var erased = JsonNode.Parse(raw)!;
        Assert.True(erased["contentErased"]!.GetValue<bool>());
        Assert.Null(erased["subject"]);
        Assert.Null(erased["body"]);
        var reply0 = Assert.Single(erased["replies"]!.AsArray())!;
        Assert.Null(reply0["body"]);
        Assert.Equal(w.Nor, reply0["participant"]!.GetValue<string>());
        Assert.Equal(kept["replies"]![0]!["at"]!.GetValue<DateTimeOffset>(), reply0["at"]!.GetValue<DateTimeOffset>());
        Assert.Single(erased["acknowledgements"]!.AsArray());
        Assert.DoesNotContain(subject, await w.NorPoc.GetStringAsync("api/communications?box=inbox"), StringComparison.Ordinal);

        // The metadata is what it was, except that it now says the content is gone.
        var metadataAfter = JsonNode.Parse(await fixture.SecretariatClient.GetStringAsync($"api/communications/{id}"))!.AsObject();
        Assert.False(metadataBefore["contentErased"]!.GetValue<bool>());
        metadataBefore["contentErased"] = true;
        Assert.True(JsonNode.DeepEquals(metadataBefore, metadataAfter), $"{metadataBefore.ToJsonString()}\n{metadataAfter.ToJsonString()}");

        // The erasure is audited as metadata, and a later run finds nothing more to do for it.
        var audit = await fixture.SecretariatClient.GetStringAsync($"api/audit?entityId={id}");
        Assert.Contains("Communication.ContentErased", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(subject, audit, StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromHours(1));
        await service.EraseExpiredContentAsync(CancellationToken.None);
        Assert.Equal(1, CountOf(await fixture.SecretariatClient.GetStringAsync($"api/audit?entityId={id}"), "Communication.ContentErased"));
        var stats = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/communications/stats?from={Uri.EscapeDataString(w.Start.ToString("O"))}");
        Assert.Equal(1, stats!["byReceivingParticipant"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == w.Nor)!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task SendRepeatedWithItsIdempotencyKey_AnswersTheSameCommunication_AndSendsNothingMore()
    {
        var w = await CommunicationWorld.CreateAsync(fixture);
        var input = new { to = w.Nor, kinds = new[] { "Technical" }, type = "RequestForAssistance", urgency = "Routine", subject = "Once", body = $"Only once, please ({w.Tag}).", respondBy = "PT1H" };
        var key = Guid.NewGuid().ToString();

        using var first = await PostWithKeyAsync(w.IslFocalPoint, input, key);
        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var created = await first.ReadJsonAsync();
        var id = created["id"]!.GetValue<string>();
        await CampaignHelpers.MessagesToAsync(fixture.Smtp, w.NorTechnical, 2, Timeout);

        using var again = await PostWithKeyAsync(w.IslFocalPoint, input, key);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        var replayed = await again.ReadJsonAsync();
        Assert.Equal(id, replayed["id"]!.GetValue<string>());
        Assert.Equal(created["reference"]!.GetValue<string>(), replayed["reference"]!.GetValue<string>());
        Assert.Equal("Once", replayed["subject"]!.GetValue<string>());

        // One communication, delivered once: one audit entry, one row in the lists, each POC one first message (reminders may follow).
        var sent = (await w.IslFocalPoint.GetFromJsonAsync<JsonObject>("api/communications?box=sent"))!["items"]!.AsArray();
        Assert.Equal([id], sent.Select(c => c!["id"]!.GetValue<string>()));
        Assert.Single((await w.NorPoc.GetFromJsonAsync<JsonObject>("api/communications?box=inbox"))!["items"]!.AsArray());
        Assert.Equal(1, CountOf(await fixture.SecretariatClient.GetStringAsync($"api/audit?entityId={id}"), "Communication.Sent"));
        var reference = created["reference"]!.GetValue<string>();
        Assert.All(w.NorTechnical, a => Assert.Single(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == a && CampaignHelpers.StepOf(m) == 0));
        Assert.All(fixture.Smtp.Messages.Where(m => CampaignHelpers.AddressOf(m).Contains(w.Tag, StringComparison.Ordinal)),
            m => Assert.Contains(reference, m.Subject + m.TextBody, StringComparison.Ordinal));

        // The key's reservation keeps status and Location, not a copy of the content that the retention would miss.
        var reservations = new TableClient(fixture.Azurite.ConnectionString, StorageKeys.IdempotencyTable);
        await foreach (var row in reservations.QueryAsync<TableEntity>())
        {
            Assert.DoesNotContain(((IDictionary<string, object>)row).Values, v => v is string text && text.Contains(input.body, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SendRepeatedByASenderWhoNowSeesOnlyMetadata_AnswersTheMetadata_AndSendsNothingMore()
    {
        var w = await CommunicationWorld.CreateAsync(fixture);

        // An ISL focal point sends, then moves to the Secretariat: it sees metadata of ISL's communications from then on.
        var email = $"isl-mover-{w.Tag}@example.org";
        var focalPoint = await CommunicationWorld.GrantAsync(fixture, email, "FocalPoint", w.Isl);
        using var mover = await fixture.Runner.ClientForAsync(email);
        var input = new { to = w.Nor, type = "IncidentNotification", urgency = "Routine", subject = $"Moved-{w.Tag}", body = $"Body-{w.Tag}", respondBy = "PT1H" };
        var key = Guid.NewGuid().ToString();
        using var first = await PostWithKeyAsync(mover, input, key);
        Assert.True(first.StatusCode == HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        var id = (await first.ReadJsonAsync())["id"]!.GetValue<string>();
        await CampaignHelpers.MessagesToAsync(fixture.Smtp, [.. w.NorTechnical, .. w.NorDiplomatic], 4, Timeout);
        await CommunicationWorld.GrantAsync(fixture, email, "Secretariat");
        using (var removed = await fixture.SecretariatClient.DeleteAsync($"api/role-assignments/{focalPoint}"))
        {
            Assert.True(removed.IsSuccessStatusCode, await removed.Content.ReadAsStringAsync());
        }

        // The stored answer held the subject and body; the replay is the communication as this caller may see it now.
        using var again = await PostWithKeyAsync(mover, input, key);
        var raw = await again.Content.ReadAsStringAsync();
        Assert.True(again.StatusCode == HttpStatusCode.Created, raw);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        Assert.Equal(id, JsonNode.Parse(raw)!["id"]!.GetValue<string>());
        Assert.DoesNotContain(input.subject, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(input.body, raw, StringComparison.Ordinal);
        Assert.Null(JsonNode.Parse(raw)!["sender"]);

        Assert.Single((await w.NorPoc.GetFromJsonAsync<JsonObject>("api/communications?box=inbox"))!["items"]!.AsArray());
        Assert.All([.. w.NorTechnical, .. w.NorDiplomatic], a => Assert.Single(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == a && CampaignHelpers.StepOf(m) == 0));
    }

    private static async Task<string> SendAsync(CommunicationWorld w, string subject, string body)
    {
        using var sent = await w.IslFocalPoint.PostAsJsonAsync("api/communications", new
        {
            to = w.Nor, kinds = new[] { "Technical" }, type = "RequestForInformation", urgency = "Routine", subject, body, respondBy = "PT1H",
        });
        Assert.True(sent.StatusCode == HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
        return (await sent.ReadJsonAsync())["id"]!.GetValue<string>();
    }

    private static async Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, object input, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/communications") { Content = JsonContent.Create(input) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    private static int CountOf(string text, string word)
        => text.Split(word, StringSplitOptions.None).Length - 1;

    /// <summary>The app's own services on the fixture's storage, with <paramref name="clock"/> as the one clock they read.</summary>
    private ServiceProvider AppServices(TimeProvider clock)
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite, fixture.Smtp.Port);
        settings["Campaigns:PublicBaseUrl"] = fixture.Runner.BaseAddress.ToString();
        settings["Communications:ContentRetention"] = CommunicationFixture.ContentRetention;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddPocDirectory(configuration);
        services.AddSingleton(clock);
        return services.BuildServiceProvider();
    }
}
