using System.Globalization;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Imports;

/// <summary>Between the exchange columns and the directory's POC fields (docs/import-format.md).</summary>
public static class ExchangeMapping
{
    private const string TwentyFourSeven = "24/7";

    /// <summary>The exchange column each POC input field comes from, for naming a failing field as the sender wrote it.</summary>
    public static IReadOnlyDictionary<string, string> ColumnOfField { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["participant"] = "country",
        ["kind"] = "kind",
        ["rank"] = "rank",
        ["fullName"] = "representative",
        ["position"] = "position",
        ["organisation"] = "team_name",
        ["emails"] = "email",
        ["phones"] = "telephone",
        ["languages"] = "languages",
        ["timeZone"] = "timezone",
        ["availability"] = "business_hours",
        ["pgpPublicKey"] = "pgp_key",
    };

    public static ExchangeEntry FromPoc(Poc poc) => new(
        poc.Participant, poc.Kind.ToString(), poc.Rank.ToString(), poc.FullName, poc.Position, poc.Organisation, string.Join("; ", poc.Emails),
        Phones(poc, PhoneType.Office), Phones(poc, PhoneType.Mobile), Phones(poc, PhoneType.DutyLine), string.Join("; ", poc.Languages), poc.TimeZone,
        Describe(poc.Availability), poc.PgpPublicKey);

    /// <summary>
    /// The entry as a POC input. Optional columns left empty take the value of <paramref name="existing"/> (a list
    /// without keys does not remove a POC's key); kind and rank default to Technical and Primary for a new POC.
    /// </summary>
    public static PocInput ToInput(ExchangeEntry entry, Poc? existing)
    {
        var phones = new List<PhoneInput?>();
        phones.AddRange(Split(entry.Telephone).Select(n => new PhoneInput(n, PhoneType.Office)));
        phones.AddRange(Split(entry.Mobile).Select(n => new PhoneInput(n, PhoneType.Mobile)));
        phones.AddRange(Split(entry.EmergencyPhone).Select(n => new PhoneInput(n, PhoneType.DutyLine)));
        var noPhones = entry.Telephone is null && entry.Mobile is null && entry.EmergencyPhone is null;
        return new PocInput(
            entry.Country?.ToUpperInvariant(),
            entry.Kind is null ? existing?.Kind ?? PocKind.Technical : ParseEnum<PocKind>(entry.Kind),
            entry.Rank is null ? existing?.Rank ?? PocRank.Primary : ParseEnum<PocRank>(entry.Rank),
            entry.Representative,
            entry.Position ?? existing?.Position,
            entry.TeamName,
            Split(entry.Email).ToList<string?>(),
            noPhones && existing is not null ? existing.Phones.Select(p => (PhoneInput?)new PhoneInput(p.Number, p.Type)).ToList() : phones,
            entry.Languages is null && existing is not null ? existing.Languages.ToList<string?>() : Split(entry.Languages).ToList<string?>(),
            entry.Timezone ?? existing?.TimeZone,
            ParseAvailability(entry.BusinessHours) ?? (entry.BusinessHours is null && existing is not null ? Input(existing.Availability) : null),
            entry.PgpKey ?? existing?.PgpPublicKey);
    }

    /// <summary>"24/7", or the days and hours as "Mon,Tue,Wed,Thu,Fri 09:00-17:00" (the CSV export's form); null when it is neither.</summary>
    public static AvailabilityInput? ParseAvailability(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Trim() == TwentyFourSeven)
        {
            return new AvailabilityInput(AvailabilityType.TwentyFourSeven, null, null, null);
        }

        var parts = text.Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
        var hours = parts.Length == 2 ? parts[1].Split('-', StringSplitOptions.TrimEntries) : [];
        var days = parts[0].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Enum.GetValues<DayOfWeek>().Cast<DayOfWeek?>().FirstOrDefault(v => v.ToString()![..3].Equals(d, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        return hours.Length == 2 && days.Count > 0 && days.All(d => d is not null)
            ? new AvailabilityInput(AvailabilityType.BusinessHours, days.Select(d => d!.Value).ToList(), hours[0], hours[1])
            : new AvailabilityInput(AvailabilityType.BusinessHours, null, null, null);
    }

    public static string Describe(Availability availability) => availability.Type == AvailabilityType.TwentyFourSeven
        ? TwentyFourSeven
        : string.Create(CultureInfo.InvariantCulture, $"{string.Join(",", (availability.Days ?? []).Select(d => d.ToString()[..3]))} {availability.Start}-{availability.End}");

    /// <summary>The exchange columns in which the entry differs from the POC; empty optional columns are not compared.</summary>
    public static IReadOnlyList<string> Differences(ExchangeEntry incoming, Poc existing)
    {
        var current = FromPoc(existing);
        return ExchangeEntry.Columns
            .Where(column => incoming[column] is { } value && !SameValue(column, value, current[column]))
            .ToList();
    }

    private static bool SameValue(string column, string incoming, string? existing) => column switch
    {
        "email" => SameSet(incoming, existing, StringComparer.OrdinalIgnoreCase),
        "telephone" or "mobile" or "emergency_phone" => SameSet(Digits(incoming), Digits(existing), StringComparer.Ordinal),
        "languages" => SameSet(incoming, existing, StringComparer.OrdinalIgnoreCase),
        "business_hours" => string.Equals(Normalise(incoming), Normalise(existing), StringComparison.OrdinalIgnoreCase),
        "pgp_key" => string.Equals(incoming.ReplaceLineEndings("\n").Trim(), existing?.ReplaceLineEndings("\n").Trim(), StringComparison.Ordinal),
        _ => string.Equals(incoming.Trim(), existing?.Trim(), StringComparison.OrdinalIgnoreCase),
    };

    private static string? Normalise(string? hours) => ParseAvailability(hours) is { Type: not null } a
        ? a.Type == AvailabilityType.TwentyFourSeven ? TwentyFourSeven : $"{string.Join(",", a.Days ?? [])} {a.Start}-{a.End}"
        : hours;

    private static string Digits(string? numbers) => string.Join(";", Split(numbers).Select(n => new string(n.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray())));

    private static bool SameSet(string? a, string? b, StringComparer comparer) => Split(a).ToHashSet(comparer).SetEquals(Split(b));

    private static IEnumerable<string> Split(string? list)
        => (list ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string? Phones(Poc poc, PhoneType type)
        => string.Join("; ", poc.Phones.Where(p => p.Type == type).Select(p => p.Number)) is { Length: > 0 } numbers ? numbers : null;

    private static AvailabilityInput Input(Availability a) => new(a.Type, a.Days, a.Start, a.End);

    private static T? ParseEnum<T>(string? text)
        where T : struct, Enum
        => Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !text!.Any(char.IsAsciiDigit) ? value : null;
}
