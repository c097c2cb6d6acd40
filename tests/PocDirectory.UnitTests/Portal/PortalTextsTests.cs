using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PocDirectory.TestSupport;

namespace PocDirectory.UnitTests.Portal;

/// <summary>
/// The portal's six language files (portal/i18n/{language}.js) as Node reads them, through scripts/i18n-missing.mjs
/// --dump: the same keys as English, the same placeholders, every plural form the language's own rules
/// (Intl.PluralRules) ask for, and a header that says a UN translator must review the translation (decision 0035).
/// </summary>
public sealed partial class PortalTextsTests
{
    private static readonly Lazy<JsonObject> _dump = new(Dump);

    public static TheoryData<string> Translations => new("ar", "zh", "fr", "ru", "es");

    private static JsonObject English => Texts("en");

    [Fact]
    public void The_portal_has_the_six_UN_languages()
        => Assert.Equal(["ar", "zh", "en", "fr", "ru", "es"], _dump.Value.Select(l => l.Key));

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_language_has_every_key_of_English_and_no_other(string language)
    {
        var keys = Texts(language).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(English.Select(t => t.Key).Order(StringComparer.Ordinal), keys);
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_text_has_the_placeholders_of_its_English_text(string language)
    {
        var texts = Texts(language);
        foreach (var (key, english) in English)
        {
            var wanted = Forms(english!).Select(Placeholders).ToHashSet();
            Assert.All(Forms(texts[key]!), form => Assert.True(wanted.Contains(Placeholders(form)), $"{language} {key}: '{form}' has other placeholders than '{Forms(english!).First()}'."));
            Assert.All(Forms(texts[key]!), form => Assert.False(string.IsNullOrWhiteSpace(form), $"{language} {key} is empty."));
        }
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_plural_text_has_every_form_the_languages_plural_rules_choose(string language)
    {
        var texts = Texts(language);
        var categories = _dump.Value[language]!["pluralCategories"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        var plurals = English.Where(t => t.Value is JsonObject).Select(t => t.Key).ToList();

        Assert.NotEmpty(plurals);
        Assert.All(plurals, key =>
        {
            var forms = Assert.IsType<JsonObject>(texts[key]);
            Assert.True(categories.All(forms.ContainsKey), $"{language} {key} lacks {string.Join(", ", categories.Where(c => !forms.ContainsKey(c)))}.");
        });
    }

    [Fact]
    public void Arabic_and_Russian_have_the_plural_forms_English_lacks()
    {
        Assert.Equal(["few", "many", "one", "other", "two", "zero"], PluralCategories("ar").Order(StringComparer.Ordinal));
        Assert.Equal(["few", "many", "one", "other"], PluralCategories("ru").Order(StringComparer.Ordinal));
        Assert.Equal(["other"], PluralCategories("zh"));
        Assert.Equal("{count} дней", Texts("ru")["units.d"]!["many"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_translation_is_translated_and_lists_enum_values_in_the_English_order(string language)
    {
        var texts = Texts(language);
        Assert.NotEqual(English["signIn.intro"]!.GetValue<string>(), texts["signIn.intro"]!.GetValue<string>());
        Assert.NotEqual(English["language.label"]!.GetValue<string>(), texts["language.label"]!.GetValue<string>());

        // The portal lists an enum's values (regions, days...) in the order its text file gives them.
        static IEnumerable<string> Enums(JsonObject t) => t.Select(x => x.Key).Where(k => k.StartsWith("enums.", StringComparison.Ordinal));
        Assert.Equal(Enums(English), Enums(texts));
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Every_translation_says_in_its_header_that_a_UN_translator_must_review_it(string language)
    {
        var header = File.ReadLines(Path.Combine(RepoPaths.Root, "portal", "i18n", $"{language}.js")).First();

        Assert.StartsWith("//", header, StringComparison.Ordinal);
        Assert.Contains("reviewed by a UN translator", header, StringComparison.OrdinalIgnoreCase);
    }

    private static List<string> PluralCategories(string language)
        => [.. _dump.Value[language]!["pluralCategories"]!.AsArray().Select(c => c!.GetValue<string>())];

    private static JsonObject Texts(string language) => _dump.Value[language]!["texts"]!.AsObject();

    private static IEnumerable<string> Forms(JsonNode text)
        => text is JsonObject forms ? forms.Select(f => f.Value!.GetValue<string>()) : [text.GetValue<string>()];

    private static string Placeholders(string text) => string.Join(' ', Placeholder().Matches(text).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Placeholder();

    private static JsonObject Dump()
    {
        using var node = Process.Start(new ProcessStartInfo("node", ["scripts/i18n-missing.mjs", "--dump"])
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("node could not be started.");
        var output = node.StandardOutput.ReadToEnd();
        var error = node.StandardError.ReadToEnd();
        node.WaitForExit();
        Assert.True(node.ExitCode == 0, $"node scripts/i18n-missing.mjs --dump failed: {error}");
        return JsonNode.Parse(output)!.AsObject();
    }
}
