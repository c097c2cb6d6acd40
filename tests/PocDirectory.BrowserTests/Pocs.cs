using System.Text.Json.Nodes;

namespace PocDirectory.BrowserTests;

/// <summary>Test data builder for POC request bodies.</summary>
public static class Pocs
{
    public static JsonObject Body(
        string participant,
        string fullName,
        string email,
        string kind = "Technical",
        string organisation = "National CERT",
        string? position = "Head of incident response",
        string phone = "+41227917000",
        string timeZone = "Europe/Zurich",
        params string[] languages) => new()
        {
            ["participant"] = participant,
            ["kind"] = kind,
            ["rank"] = "Primary",
            ["fullName"] = fullName,
            ["position"] = position,
            ["organisation"] = organisation,
            ["emails"] = new JsonArray(email),
            ["phones"] = new JsonArray(new JsonObject { ["number"] = phone, ["type"] = "DutyLine" }),
            ["languages"] = new JsonArray([.. (languages.Length == 0 ? ["en"] : languages).Select(l => JsonValue.Create(l))]),
            ["timeZone"] = timeZone,
            ["availability"] = new JsonObject { ["type"] = "TwentyFourSeven" },
            ["pgpPublicKey"] = null,
        };

    /// <summary>The editable fields of a POC as the API returned it, to send back in a PUT.</summary>
    public static JsonObject InputFrom(JsonObject poc)
    {
        var body = new JsonObject();
        foreach (var field in new[] { "participant", "kind", "rank", "fullName", "position", "organisation", "emails", "phones", "languages", "timeZone", "availability", "pgpPublicKey" })
        {
            body[field] = poc[field]?.DeepClone();
        }

        return body;
    }

    public static string UniqueEmail(string prefix) => $"{prefix}-{Guid.NewGuid():N}@cert.example.org";
}
