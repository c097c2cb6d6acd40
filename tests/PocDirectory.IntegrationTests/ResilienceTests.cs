using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>Limits and outages, each with a runner of its own so the shared one is not disturbed.</summary>
[Collection(DirectoryCollection.Name)]
public sealed class ResilienceTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task RateLimit_WritesAndAnonymousAcknowledgements_Get429WithRetryAfter_ReadsDoNot()
    {
        var settings = DirectoryFixture.Settings(fixture.Azurite);
        settings.Isolated();
        settings["RateLimits:AnonymousPerMinute"] = "5";
        settings["RateLimits:WritesPerMinute"] = "5";
        await using var runner = await LocalRunner.StartAsync(settings);

        // Signing in is itself an anonymous write (locally), so it comes first.
        using var secretariat = await runner.ClientForAsync(DirectoryFixture.Secretariat);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await runner.Http.PostAsync($"api/acknowledgements/no-such-token-{i}", null);
            FaultLedger.Observe(response);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await PocBodies.AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
                Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is missing");
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.NotFound, 4).Append(HttpStatusCode.TooManyRequests).Append(HttpStatusCode.TooManyRequests), statuses);

        var writes = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await secretariat.PostAsJsonAsync("api/participants", new { code = "R" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), name = "Org", type = "RegionalOrganisation" });
            FaultLedger.Observe(response);
            writes.Add(response.StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Created, 5).Append(HttpStatusCode.TooManyRequests), writes);
        for (var i = 0; i < 20; i++)
        {
            using var read = await secretariat.GetAsync("api/participants?type=RegionalOrganisation");
            FaultLedger.Observe(read);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        FaultLedger.Flush();
    }

    [Fact]
    public async Task StorageOutage_ApiFailsFastWith503_AndRecoversWithDataIntact()
    {
        await using var azurite = await Azurite.StartAsync(persistent: true);
        var settings = DirectoryFixture.Settings(azurite);
        settings.Isolated();
        await using var runner = await LocalRunner.StartAsync(settings);
        using var secretariat = await runner.ClientForAsync(DirectoryFixture.Secretariat);
        var (poc, _) = await PocBodies.CreateAsync(secretariat, PocBodies.Valid("CHE", fullName: "Survives the outage"));
        var id = poc["id"]!.GetValue<string>();

        azurite.Stop();
        foreach (var request in new Func<HttpRequestMessage>[]
                 {
                     () => new HttpRequestMessage(HttpMethod.Get, $"api/pocs/{id}"),
                     () => new HttpRequestMessage(HttpMethod.Post, "api/pocs") { Content = JsonContent.Create(PocBodies.Valid("CHE")) },
                 })
        {
            var clock = Stopwatch.StartNew();
            using var response = await secretariat.SendAsync(request());
            FaultLedger.Observe(response);
            await PocBodies.AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Took {clock.Elapsed} to fail");
        }

        using (var health = await runner.Http.GetAsync("api/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await azurite.StartProcessAsync();
        await Wait.UntilAsync(async () => (await runner.Http.GetAsync("api/health")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30), () => "Health did not recover");
        var (after, _) = await PocBodies.GetAsync(secretariat, id);
        Assert.Equal("Survives the outage", after["fullName"]!.GetValue<string>());
        var list = await secretariat.GetFromJsonAsync<JsonObject>("api/pocs?participant=CHE&q=outage");
        Assert.Single(list!["items"]!.AsArray());
        FaultLedger.OutageSurvived();
    }
}
