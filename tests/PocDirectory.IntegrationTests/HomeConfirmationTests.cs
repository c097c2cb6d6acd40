using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// Decision 0038: the homes say "due" and "overdue" exactly when re-confirmation does (stale after 20 s, overdue 30 s
/// after being asked, in this fixture), and confirming in one click from the home makes the POC current again.
/// </summary>
[Collection(ReconfirmationCollection.Name)]
public sealed class HomeConfirmationTests(ReconfirmationFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(150);

    [Fact]
    public async Task Homes_FollowTheReconfirmationState_DueThenOverdue_ConfirmedFromTheHomeIsCurrent()
    {
        var x = await fixture.NewParticipantAsync();
        var (a, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Diplomatic", "Home Confirming"));
        var (b, _) = await PocBodies.CreateAsync(fixture.SecretariatClient, PocBodies.Valid(x, "Technical", "Home Silent"));
        var aId = a["id"]!.GetValue<string>();
        var bId = b["id"]!.GetValue<string>();
        using var pocA = await fixture.UserWithRoleAsync("Poc", pocId: aId);
        using var focal = await fixture.UserWithRoleAsync("FocalPoint", x);

        // Younger than Directory:ReconfirmEvery and not asked: current, next asked 20 s after the last confirmation.
        var record = (await HomeOfAsync(pocA))["pocs"]![0]!["record"]!;
        Assert.Equal("Current", record["confirmation"]!["status"]!.GetValue<string>());
        Assert.Equal(a["lastConfirmedAt"]!.GetValue<DateTimeOffset>().AddSeconds(20), record["confirmation"]!["dueAt"]!.GetValue<DateTimeOffset>());

        // Asked by the timer: Due on the POC's home and on the focal point's, counted on the Secretariat's.
        await Wait.UntilAsync(async () => StatusOf(await HomeOfAsync(pocA)) == "Due", Timeout, () => $"{aId} never became due on its home.");
        Assert.Equal("Due", (await PocBodies.GetAsync(fixture.SecretariatClient, aId)).Poc["confirmation"]!.GetValue<string>());
        Assert.Equal("Due", FocalStatusOf(await HomeOfAsync(focal), aId));
        await AssertCountedAsync("confirmationsDue", "Due");

        // The home's one-click confirm (POST /api/pocs/{id}/confirm as the POC) makes it current everywhere.
        using (var confirmed = await pocA.PostAsync($"api/pocs/{aId}/confirm", null))
        {
            Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        }

        Assert.Equal("Current", StatusOf(await HomeOfAsync(pocA)));
        Assert.Equal("Current", FocalStatusOf(await HomeOfAsync(focal), aId));

        // The other one is not answered: Overdue once the round closes, on the focal point's home and in the Secretariat's count.
        await Wait.UntilAsync(async () => FocalStatusOf(await HomeOfAsync(focal), bId) == "Overdue", Timeout, () => $"{bId} never became overdue on the focal point's home.");
        await AssertCountedAsync("confirmationsOverdue", "Overdue");
    }

    private static string StatusOf(JsonObject home) => home["pocs"]![0]!["record"]!["confirmation"]!["status"]!.GetValue<string>();

    private static string FocalStatusOf(JsonObject home, string pocId)
        => home["participants"]![0]!["pocs"]!.AsArray().Single(p => p!["poc"]!["id"]!.GetValue<string>() == pocId)!["confirmation"]!["status"]!.GetValue<string>();

    /// <summary>The Secretariat's figure is the directory's own list in that state (other POCs of the fixture move on meanwhile, so read until both agree).</summary>
    private async Task AssertCountedAsync(string figure, string status)
    {
        int home = 0, listed = 0;
        await Wait.UntilAsync(async () =>
        {
            home = (await HomeOfAsync(fixture.SecretariatClient))["secretariat"]![figure]!.GetValue<int>();
            listed = await CountAsync(status);
            return home == listed && home >= 1;
        }, Timeout, () => $"The Secretariat's {figure} ({home}) never matched GET /api/pocs?confirmation={status} ({listed}).");
    }

    private async Task<int> CountAsync(string status)
    {
        var count = 0;
        string? token = null;
        do
        {
            var page = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/pocs?status=Active&confirmation={status}&pageSize=500"
                + (token is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(token)}"));
            count += page!["items"]!.AsArray().Count;
            token = page["continuationToken"]?.GetValue<string>();
        }
        while (token is not null);

        return count;
    }

    private static async Task<JsonObject> HomeOfAsync(HttpClient client)
    {
        using var response = await client.GetAsync("api/home");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }
}
