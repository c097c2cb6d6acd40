using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.Bench;

/// <summary>The benchmarks' data, made through the API as a Secretariat user would: one participant and its POCs.</summary>
public static class BenchDirectory
{
    /// <summary>Creates a participant with <paramref name="pocCount"/> POCs, <paramref name="parallelism"/> requests at a time; returns its code and the POC ids in creation order.</summary>
    public static async Task<(string Participant, string[] PocIds)> CreateAsync(HttpClient api, int pocCount, int parallelism, string? pgpPublicKey = null)
    {
        var participant = "B" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using (var created = await api.PostAsJsonAsync("api/participants", new { code = participant, name = "Benchmark", type = "RegionalOrganisation" }))
        {
            await EnsureOkAsync(created);
        }

        var ids = new string[pocCount];
        await Parallel.ForEachAsync(Enumerable.Range(0, pocCount), new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, ct) =>
        {
            var body = JsonSerializer.SerializeToNode(PocBody(participant, i, position: null))!.AsObject();
            if (pgpPublicKey is not null)
            {
                body["pgpPublicKey"] = pgpPublicKey;
            }

            using var response = await api.PostAsJsonAsync("api/pocs", body, ct);
            await EnsureOkAsync(response);
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonObject>(ct))!["id"]!.GetValue<string>();
        });
        return (participant, ids);
    }

    /// <summary>POC number <paramref name="i"/>: half technical, half diplomatic, named "Person 0042", one address each.</summary>
    public static object PocBody(string participant, int i, string? position) => new
    {
        participant,
        kind = i % 2 == 0 ? "Technical" : "Diplomatic",
        rank = "Primary",
        fullName = string.Create(CultureInfo.InvariantCulture, $"Person {i:D4}"),
        position,
        organisation = "Org",
        emails = new[] { $"p{i}@bench.example.org" },
        languages = new[] { "en" },
        timeZone = "UTC",
        availability = new { type = "TwentyFourSeven" },
    };

    /// <summary>Fails with the method, address, status and body, so a benchmark that stops says why.</summary>
    public static async Task EnsureOkAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}
