using System.Text.Json.Serialization;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Imports;

/// <summary>
/// One POC in the exchange format shared with regional directories (docs/import-format.md, decision 0042): the same
/// names as CSV columns and as JSON properties, every value a string, lists separated by semicolons. The names follow
/// the Trusted Introducer / FIRST team records where a field of theirs fits; an unknown name is refused.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ExchangeEntry(
    [property: JsonPropertyName("country")] string? Country,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("rank")] string? Rank,
    [property: JsonPropertyName("representative")] string? Representative,
    [property: JsonPropertyName("position")] string? Position,
    [property: JsonPropertyName("team_name")] string? TeamName,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("telephone")] string? Telephone,
    [property: JsonPropertyName("mobile")] string? Mobile,
    [property: JsonPropertyName("emergency_phone")] string? EmergencyPhone,
    [property: JsonPropertyName("languages")] string? Languages,
    [property: JsonPropertyName("timezone")] string? Timezone,
    [property: JsonPropertyName("business_hours")] string? BusinessHours,
    [property: JsonPropertyName("pgp_key")] string? PgpKey)
{
    /// <summary>The column names, in the order the CSV export writes them.</summary>
    public static IReadOnlyList<string> Columns { get; } =
    [
        "country", "kind", "rank", "representative", "position", "team_name", "email", "telephone", "mobile", "emergency_phone",
        "languages", "timezone", "business_hours", "pgp_key",
    ];

    public string? this[string column] => column switch
    {
        "country" => Country,
        "kind" => Kind,
        "rank" => Rank,
        "representative" => Representative,
        "position" => Position,
        "team_name" => TeamName,
        "email" => Email,
        "telephone" => Telephone,
        "mobile" => Mobile,
        "emergency_phone" => EmergencyPhone,
        "languages" => Languages,
        "timezone" => Timezone,
        "business_hours" => BusinessHours,
        "pgp_key" => PgpKey,
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "Not an exchange column."),
    };

    public static ExchangeEntry FromColumns(IReadOnlyDictionary<string, string?> values)
    {
        string? Get(string column) => values.TryGetValue(column, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        return new ExchangeEntry(Get("country"), Get("kind"), Get("rank"), Get("representative"), Get("position"), Get("team_name"), Get("email"),
            Get("telephone"), Get("mobile"), Get("emergency_phone"), Get("languages"), Get("timezone"), Get("business_hours"), Get("pgp_key"));
    }
}

/// <summary>A regional directory's list to review: its entries as JSON, or the same columns as CSV text (one of the two).</summary>
public sealed record ImportInput(string? Directory, string? Reference, IReadOnlyList<ExchangeEntry?>? Entries, string? Csv) : IApiExample<ImportInput>
{
    public static ImportInput Example { get; } = new("OSCE", "OSCE CBM 3 list, November 2026",
        [
            new ExchangeEntry("SGP", "Technical", "Alternate", "Lim Wei Jie", "Duty officer", "National CERT", "lim.weijie@cert.example.org",
                "+6561234568", null, null, "en", "Asia/Singapore", "Mon,Tue,Wed,Thu,Fri 09:00-18:00", null),
        ],
        null);
}

/// <summary>The exchange format as exported: the directory it comes from and its entries (round-trips through import).</summary>
public sealed record ExchangeDocument(string Format, string Directory, DateTimeOffset ExportedAt, IReadOnlyList<ExchangeEntry> Entries)
{
    public const string FormatName = "poc-directory-exchange/1";
}
