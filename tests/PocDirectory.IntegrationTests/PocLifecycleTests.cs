using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

[Collection(DirectoryCollection.Name)]
public sealed class PocLifecycleTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task CreateReadUpdateConfirmRetire_FocalPoint_KeepsRecordAndNominationStatusInStep()
    {
        var participant = await fixture.NewParticipantAsync();
        using var focalPoint = await fixture.UserWithRoleAsync("FocalPoint", participant);

        Assert.Equal("None", await NominationStatusAsync(participant));
        var (technical, createdETag) = await PocBodies.CreateAsync(focalPoint, PocBodies.Valid(participant, "Technical"));
        Assert.Equal("TechnicalOnly", await NominationStatusAsync(participant));
        var (diplomatic, _) = await PocBodies.CreateAsync(focalPoint, PocBodies.Valid(participant, "Diplomatic", "Dora Diplomat"));
        Assert.Equal("Both", await NominationStatusAsync(participant));

        var id = technical["id"]!.GetValue<string>();
        Assert.StartsWith(participant + "-", id);
        Assert.Equal("Active", technical["status"]!.GetValue<string>());
        var (read, readETag) = await PocBodies.GetAsync(focalPoint, id);
        Assert.Equal(createdETag, readETag);
        Assert.Equal("Ada Example", read["fullName"]!.GetValue<string>());
        Assert.Equal("+41227917000", read["phones"]![0]!["number"]!.GetValue<string>());

        var changed = PocBodies.Valid(participant).With("fullName", "Ada Lovelace").With("languages", new JsonArray("EN-gb", "ar"));
        using (var update = await focalPoint.SendAsync(PocBodies.Put(id, changed, readETag)))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
            Assert.NotEqual(readETag, update.Headers.ETag!.ToString());
        }

        var (updated, updatedETag) = await PocBodies.GetAsync(focalPoint, id);
        Assert.Equal("Ada Lovelace", updated["fullName"]!.GetValue<string>());
        Assert.Equal(["en-GB", "ar"], updated["languages"]!.AsArray().Select(l => l!.GetValue<string>()));

        using (var confirm = await focalPoint.PostAsync($"api/pocs/{id}/confirm", null))
        {
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
            var confirmed = await confirm.ReadJsonAsync();
            Assert.True(confirmed["lastConfirmedAt"]!.GetValue<DateTimeOffset>() > updated["lastConfirmedAt"]!.GetValue<DateTimeOffset>());
            updatedETag = confirm.Headers.ETag!.ToString();
        }

        using (var retire = new HttpRequestMessage(HttpMethod.Delete, $"api/pocs/{id}"))
        {
            retire.Headers.TryAddWithoutValidation("If-Match", updatedETag);
            using var retired = await focalPoint.SendAsync(retire);
            Assert.Equal(HttpStatusCode.OK, retired.StatusCode);
            Assert.Equal("Retired", (await retired.ReadJsonAsync())["status"]!.GetValue<string>());
        }

        // Retiring keeps the record; it stops counting as a nomination.
        var (kept, _) = await PocBodies.GetAsync(focalPoint, id);
        Assert.Equal("Retired", kept["status"]!.GetValue<string>());
        Assert.Equal("Ada Lovelace", kept["fullName"]!.GetValue<string>());
        Assert.Equal("DiplomaticOnly", await NominationStatusAsync(participant));

        var participantBody = await (await fixture.SecretariatClient.GetAsync($"api/participants/{participant}")).ReadJsonAsync();
        Assert.NotNull(participantBody["firstNominatedAt"]);
        Assert.Equal(diplomatic["participant"]!.GetValue<string>(), participant);
    }

    [Fact]
    public async Task ListPocs_Filters_ByKindStatusLanguageAndText()
    {
        var participant = await fixture.NewParticipantAsync();
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, "Technical", "Tomás Técnico").With("languages", new JsonArray("es")));
        await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(participant, "Diplomatic", "Dina Diplomat").With("organisation", "Ministry of Foreign Affairs"));

        async Task<string[]> NamesAsync(string query)
        {
            var page = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs?participant={participant}&{query}");
            return page!["items"]!.AsArray().Select(p => p!["fullName"]!.GetValue<string>()).Order().ToArray();
        }

        Assert.Equal(["Dina Diplomat", "Tomás Técnico"], await NamesAsync(""));
        Assert.Equal(["Tomás Técnico"], await NamesAsync("kind=Technical"));
        Assert.Equal(["Tomás Técnico"], await NamesAsync("language=es"));
        Assert.Equal(["Dina Diplomat"], await NamesAsync("q=foreign"));
        Assert.Equal(["Dina Diplomat"], await NamesAsync("q=DINA&status=Active"));
        Assert.Empty(await NamesAsync("status=Retired"));
    }

    [Fact]
    public async Task CreateParticipant_ListsWithNominationStatusFilter()
    {
        var participant = await fixture.NewParticipantAsync();
        var none = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/participants?type=RegionalOrganisation&nominationStatus=None");
        Assert.Contains(none!["items"]!.AsArray(), p => p!["code"]!.GetValue<string>() == participant);

        var states = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/participants?type=MemberState");
        Assert.Equal(193, states!["items"]!.AsArray().Count);
        var weog = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/participants?region=WesternEuropeanAndOthers");
        Assert.Contains(weog!["items"]!.AsArray(), p => p!["code"]!.GetValue<string>() == "CHE");
        Assert.All(weog["items"]!.AsArray(), p => Assert.Equal("WesternEuropeanAndOthers", p!["region"]!.GetValue<string>()));
    }

    private async Task<string> NominationStatusAsync(string participant)
    {
        var body = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/participants/{participant}");
        return body!["nominationStatus"]!.GetValue<string>();
    }
}
