using System.Globalization;
using System.Text;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Imports;

/// <summary>How an incoming entry stands to the directory (decision 0042).</summary>
public enum ImportMatch
{
    /// <summary>No active POC of the participant shares an address or a similar name.</summary>
    New,

    /// <summary>An active POC shares an address and every column the entry fills holds the same value.</summary>
    Known,

    /// <summary>An active POC shares an address, or has a similar name, and some column differs.</summary>
    Differing,
}

public sealed record MatchResult(ImportMatch Match, Poc? Poc, IReadOnlyList<string> Differences);

/// <summary>
/// Matches an entry against the active POCs of its participant: first by e-mail address (any address in common,
/// ignoring case), then by similar name (the same words in any order, accents and case ignored, or at most two letters
/// apart). Only the participant's own POCs are compared: the same person nominated by two participants is two records.
/// </summary>
public static class ImportMatcher
{
    private const int MaxNameDistance = 2;

    public static MatchResult Match(ExchangeEntry entry, IReadOnlyList<Poc> activePocsOfParticipant)
    {
        var emails = (entry.Email ?? string.Empty).Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var byEmail = activePocsOfParticipant.FirstOrDefault(p => p.Emails.Any(emails.Contains));
        if (byEmail is not null)
        {
            var differences = ExchangeMapping.Differences(entry, byEmail);
            return new MatchResult(differences.Count == 0 ? ImportMatch.Known : ImportMatch.Differing, byEmail, differences);
        }

        // The same words first, so that of two near names (Anna, Anne) the exact one is the match.
        var byName = entry.Representative is { } name
            ? activePocsOfParticipant.FirstOrDefault(p => SameNames(name, p.FullName)) ?? activePocsOfParticipant.FirstOrDefault(p => SimilarNames(name, p.FullName))
            : null;
        return byName is null
            ? new MatchResult(ImportMatch.New, null, [])
            : new MatchResult(ImportMatch.Differing, byName, ExchangeMapping.Differences(entry, byName));
    }

    public static bool SameNames(string a, string b)
        => Words(a) is { Length: > 0 } wordsA && string.Join(' ', wordsA.Order(StringComparer.Ordinal)) == string.Join(' ', Words(b).Order(StringComparer.Ordinal));

    public static bool SimilarNames(string a, string b)
    {
        var (wordsA, wordsB) = (Words(a), Words(b));
        if (wordsA.Length == 0 || wordsB.Length == 0)
        {
            return false;
        }

        var sortedA = string.Join(' ', wordsA.Order(StringComparer.Ordinal));
        var sortedB = string.Join(' ', wordsB.Order(StringComparer.Ordinal));
        return sortedA == sortedB || Distance(string.Join(' ', wordsA), string.Join(' ', wordsB)) <= MaxNameDistance && Math.Min(sortedA.Length, sortedB.Length) > 2 * MaxNameDistance;
    }

    private static string[] Words(string name)
    {
        var plain = new StringBuilder();
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                plain.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
            }
        }

        return plain.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Levenshtein distance: letters inserted, removed or replaced.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
