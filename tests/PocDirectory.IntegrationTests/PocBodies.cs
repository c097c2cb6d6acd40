using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.IntegrationTests;

/// <summary>Test data builders for POC request bodies, and small helpers for reading API answers.</summary>
public static class PocBodies
{
    public static JsonObject Valid(string participant, string kind = "Technical", string fullName = "Ada Example") => new()
    {
        ["participant"] = participant,
        ["kind"] = kind,
        ["rank"] = "Primary",
        ["fullName"] = fullName,
        ["position"] = "Head of incident response",
        ["organisation"] = "National CERT",
        ["emails"] = new JsonArray("ada@cert.example.org"),
        ["phones"] = new JsonArray(new JsonObject { ["number"] = "+41227917000", ["type"] = "DutyLine" }),
        ["languages"] = new JsonArray("en", "fr"),
        ["timeZone"] = "Europe/Zurich",
        ["availability"] = new JsonObject { ["type"] = "TwentyFourSeven" },
        ["pgpPublicKey"] = null,
    };

    public static JsonObject With(this JsonObject body, string field, JsonNode? value)
    {
        var copy = (JsonObject)body.DeepClone();
        copy[field] = value;
        return copy;
    }

    public static JsonObject Without(this JsonObject body, string field)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove(field);
        return copy;
    }

    public static async Task<(JsonObject Poc, string ETag)> CreateAsync(HttpClient client, JsonObject body)
    {
        using var response = await client.PostAsJsonAsync("api/pocs", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return ((JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.ETag!.ToString());
    }

    public static async Task<(JsonObject Poc, string ETag)> GetAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"api/pocs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ((JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Headers.ETag!.ToString());
    }

    /// <summary>Retires the POC at the given version, as <paramref name="client"/> (which must be allowed to).</summary>
    public static async Task RetireAsync(HttpClient client, string id, string ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"api/pocs/{id}");
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await client.SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Retire failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static HttpRequestMessage Put(string id, JsonNode body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"api/pocs/{id}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    /// <summary>POSTs a JSON body exactly as given, with an Idempotency-Key header unless <paramref name="key"/> is null.</summary>
    public static async Task<HttpResponseMessage> PostWithKeyAsync(HttpClient client, string path, string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Every item of a paged list (<paramref name="path"/> has a query already), following its continuation tokens.</summary>
    public static async Task<List<JsonObject>> AllItemsAsync(HttpClient client, string path)
    {
        var items = new List<JsonObject>();
        string? next = null;
        do
        {
            var page = await client.GetFromJsonAsync<JsonObject>(path + (next is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(next)}"));
            items.AddRange(page!["items"]!.AsArray().Select(item => (JsonObject)item!));
            next = page["continuationToken"]?.GetValue<string>();
        }
        while (next is not null);
        return items;
    }

    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response)
        => (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>Asserts an RFC 9457 problem with the status and, for validation problems, an error naming the field.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("title").GetString()));
        Assert.StartsWith("https://", problem.RootElement.GetProperty("type").GetString());
        if (field is not null)
        {
            var errors = problem.RootElement.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"No error for '{field}' in {text}");
            Assert.True(messages.GetArrayLength() > 0);
        }
    }
}
