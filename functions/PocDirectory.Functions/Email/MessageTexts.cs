using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace PocDirectory.Functions.Email;

/// <summary>
/// The fixed words of every message in one of the six UN languages, read from the embedded Email/Texts/{language}.json
/// (one flat object of keys: "layout.greeting", "campaign.ping.subject"...; every file has the same keys, a unit test
/// checks it, and the same {n} placeholders). A feature writes <c>texts["campaign.deadline"]</c> or
/// <c>texts.Format("campaign.ping.link", reference)</c> and passes <see cref="Layout"/> to <see cref="EmailTemplate.Create(string, string, MessageTexts)"/>.
/// Free text written by people is never looked up here: it is sent as written (decision 0029).
/// </summary>
public sealed class MessageTexts
{
    /// <summary>The six UN languages, in the UN's order; English is the fallback.</summary>
    public static readonly IReadOnlyList<string> Languages = ["ar", "zh", "en", "fr", "ru", "es"];

    public const string Fallback = "en";

    private static readonly FrozenDictionary<string, MessageTexts> _all = Languages.ToFrozenDictionary(l => l, Load, StringComparer.Ordinal);

    private readonly FrozenDictionary<string, string> _texts;

    private MessageTexts(string language, FrozenDictionary<string, string> texts)
    {
        Language = language;
        _texts = texts;
        Culture = CultureFor(language);
        RightToLeft = language == "ar";
        Layout = new EmailLayoutTexts(
            Language: language,
            Culture: Culture,
            Greeting: this["layout.greeting"],
            Colleague: this["layout.colleague"],
            InYourTimeZone: this["layout.inYourTimeZone"],
            ReferenceLabel: this["layout.reference"],
            CopyLink: this["layout.copyLink"],
            AboutDirectory: this["layout.aboutDirectory"])
        {
            RightToLeft = RightToLeft,
            DateTimeFormat = this["format.dateTime"],
        };
    }

    public static MessageTexts English => _all[Fallback];

    /// <summary>The BCP 47 tag of the language ("ar"), written as Content-Language and the HTML lang.</summary>
    public string Language { get; }

    /// <summary>The language's culture (ICU month and day names), or the invariant culture where ICU has none (decision 0029).</summary>
    public CultureInfo Culture { get; }

    public bool RightToLeft { get; }

    public EmailLayoutTexts Layout { get; }

    /// <summary>All keys of this language, for the test that every language has the same ones.</summary>
    public IReadOnlyCollection<string> Keys => _texts.Keys;

    /// <exception cref="KeyNotFoundException">No such text: a typo in a feature, caught by its unit tests.</exception>
    public string this[string key] => _texts.TryGetValue(key, out var text) ? text : throw new KeyNotFoundException($"No message text '{key}' in {Language}.");

    public string Format(string key, params object?[] values) => string.Format(Culture, this[key], values);

    /// <summary>The texts of one of the six languages; any other tag gets English.</summary>
    public static MessageTexts For(string? language) => language is not null && _all.TryGetValue(language, out var texts) ? texts : English;

    /// <summary>
    /// The first of a person's operational languages (BCP 47 tags, in their order) that is one of the six, by its
    /// primary subtag ("fr-CA" is French, "zh-Hant" Chinese); English when none is.
    /// </summary>
    public static string Choose(IEnumerable<string?>? languages)
    {
        foreach (var tag in languages ?? [])
        {
            if (string.IsNullOrWhiteSpace(tag))
            {
                continue;
            }

            var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
            if (_all.ContainsKey(primary))
            {
                return primary;
            }
        }

        return Fallback;
    }

    /// <summary>
    /// English keeps the invariant culture (its dates have always read "10 June 2024"). The others need ICU: without it
    /// (invariant globalization mode) the culture cannot be made and the dates fall back to invariant month names,
    /// while the words around them stay translated; a message is never held back for want of a culture.
    /// </summary>
    private static CultureInfo CultureFor(string language)
    {
        if (language == Fallback)
        {
            return CultureInfo.InvariantCulture;
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(language);
            return culture.Name.Length == 0 ? CultureInfo.InvariantCulture : culture;
        }
        catch (CultureNotFoundException)
        {
            return CultureInfo.InvariantCulture;
        }
    }

    private static MessageTexts Load(string language)
    {
        using var stream = typeof(MessageTexts).Assembly.GetManifestResourceStream($"email-texts.{language}.json")
            ?? throw new InvalidOperationException($"The message texts for {language} are not embedded.");
        var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException($"The message texts for {language} are empty.");
        return new MessageTexts(language, texts.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
