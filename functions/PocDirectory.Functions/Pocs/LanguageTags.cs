using System.Buffers;
using System.Globalization;
using System.Text;

namespace PocDirectory.Functions.Pocs;

public static class LanguageTags
{
    // Far longer than any tag the supported shape can produce with a few variants; stops pathological input early.
    private const int MaxLength = 64;

    private const string ShapeError = "Languages must be BCP 47 language tags, e.g. en, fr, zh-Hant or es-419.";

    private static readonly SearchValues<char> _asciiLetters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly SearchValues<char> _asciiLettersAndDigits =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    // Known languages come from ICU's locale data. Without ICU (invariant globalization mode) every lookup fails,
    // which would reject every language as unknown; failing loudly names the real problem instead.
    private static readonly Lazy<bool> _cultureDataAvailable = new(() => TryGetPredefinedCulture("en", out _));

    public static bool TryNormalise(string? tag, out string normalised, out string? error)
    {
        normalised = string.Empty;

        if (string.IsNullOrWhiteSpace(tag))
        {
            error = "Enter a language tag, e.g. en, fr or zh-Hant.";
            return false;
        }

        if (tag.Contains('_', StringComparison.Ordinal))
        {
            // Locale identifiers from operating systems (en_US) are the most common near miss.
            error = "Separate the parts of a language tag with '-', not '_', e.g. en-US.";
            return false;
        }

        if (tag.Length > MaxLength || !TryCanonicalise(tag, out var canonical, out var language))
        {
            error = ShapeError;
            return false;
        }

        if (!IsKnownLanguage(language))
        {
            // Safe to echo: the subtag has already been checked to be two or three ASCII letters.
            error = string.Create(CultureInfo.InvariantCulture, $"'{language}' is not a known ISO 639 language code.");
            return false;
        }

        normalised = canonical;
        error = null;
        return true;
    }

    private static bool TryCanonicalise(string tag, out string canonical, out string language)
    {
        canonical = string.Empty;
        language = string.Empty;

        var parts = tag.Split('-');
        var index = 0;

        if (!IsLetters(parts[index], 2, 3))
        {
            return false;
        }

        language = Lower(parts[index++]);
        var builder = new StringBuilder(language, tag.Length);

        if (index < parts.Length && IsLetters(parts[index], 4, 4))
        {
            var script = parts[index++];
            builder.Append('-').Append(Upper(script[..1])).Append(Lower(script[1..]));
        }

        if (index < parts.Length && (IsLetters(parts[index], 2, 2) || IsDigits(parts[index], 3)))
        {
            builder.Append('-').Append(Upper(parts[index++]));
        }

        var variants = new HashSet<string>(StringComparer.Ordinal);
        while (index < parts.Length && IsVariant(parts[index]))
        {
            var variant = Lower(parts[index++]);

            // RFC 5646 forbids repeating a variant; such a tag is not well-formed.
            if (!variants.Add(variant))
            {
                return false;
            }

            builder.Append('-').Append(variant);
        }

        if (index != parts.Length)
        {
            return false;
        }

        canonical = builder.ToString();
        return true;
    }

    private static bool IsKnownLanguage(string language)
    {
        if (TryGetPredefinedCulture(language, out var culture))
        {
            // "und" resolves to the invariant culture, which is not a language.
            return culture.Name.Length > 0;
        }

        if (!_cultureDataAvailable.Value)
        {
            throw new InvalidOperationException(
                "Culture data is unavailable (invariant globalization mode?), so language tags cannot be checked.");
        }

        return false;
    }

    private static bool TryGetPredefinedCulture(string name, out CultureInfo culture)
    {
        try
        {
            culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return true;
        }
        catch (CultureNotFoundException)
        {
            culture = CultureInfo.InvariantCulture;
            return false;
        }
    }

    // Variants are 5-8 alphanumerics, or 4 starting with a digit (RFC 5646, section 2.2.5).
    private static bool IsVariant(string part) =>
        (part.Length is >= 5 and <= 8 && IsAlphanumeric(part))
        || (part.Length == 4 && char.IsAsciiDigit(part[0]) && IsAlphanumeric(part));

    private static bool IsLetters(string part, int min, int max) =>
        part.Length >= min && part.Length <= max && part.AsSpan().IndexOfAnyExcept(_asciiLetters) < 0;

    private static bool IsDigits(string part, int length) =>
        part.Length == length && part.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;

    private static bool IsAlphanumeric(string part) => part.AsSpan().IndexOfAnyExcept(_asciiLettersAndDigits) < 0;

    private static string Lower(string part) => string.Create(part.Length, part, static (dest, src) => Ascii.ToLower(src, dest, out _));

    private static string Upper(string part) => string.Create(part.Length, part, static (dest, src) => Ascii.ToUpper(src, dest, out _));
}
