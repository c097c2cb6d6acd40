using PocDirectory.Functions.Pocs;

namespace PocDirectory.UnitTests.Pocs;

public sealed class LanguageTagsTests
{
    private const string ShapeError = "Languages must be BCP 47 language tags, e.g. en, fr, zh-Hant or es-419.";

    [Theory]
    [InlineData("en", "en")]
    [InlineData("fr", "fr")]
    [InlineData("ar", "ar")]
    [InlineData("ru", "ru")]
    [InlineData("zh-Hans", "zh-Hans")]
    [InlineData("es-419", "es-419")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("yue", "yue")]
    [InlineData("sr-Latn-RS", "sr-Latn-RS")]
    [InlineData("de-CH-1996", "de-CH-1996")]
    [InlineData("sl-rozaj-biske", "sl-rozaj-biske")]
    public void TryNormalise_WellFormedKnownTag_ReturnsCanonicalTag(string tag, string expected)
    {
        var ok = LanguageTags.TryNormalise(tag, out var normalised, out var error);

        Assert.True(ok, error);
        Assert.Null(error);
        Assert.Equal(expected, normalised);
    }

    [Theory]
    [InlineData("EN-gb", "en-GB")]
    [InlineData("zh-hant-tw", "zh-Hant-TW")]
    [InlineData("ZH-HANS", "zh-Hans")]
    [InlineData("Fr-ca", "fr-CA")]
    [InlineData("DE-ch-1996", "de-CH-1996")]
    public void TryNormalise_MixedCase_ReturnsCanonicalCasing(string tag, string expected)
    {
        var ok = LanguageTags.TryNormalise(tag, out var normalised, out var error);

        Assert.True(ok, error);
        Assert.Equal(expected, normalised);
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("qq-GB")]
    [InlineData("und")]
    public void TryNormalise_UnknownLanguage_ReturnsFalseNamingTheCode(string tag)
    {
        var ok = LanguageTags.TryNormalise(tag, out var normalised, out var error);

        Assert.False(ok);
        Assert.Equal(string.Empty, normalised);
        Assert.Equal($"'{tag.Split('-')[0]}' is not a known ISO 639 language code.", error);
    }

    [Theory]
    [InlineData("english")]
    [InlineData("e")]
    [InlineData("en-")]
    [InlineData("-en")]
    [InlineData("en--GB")]
    [InlineData("en GB")]
    [InlineData(" en")]
    [InlineData("en-GB-GB")]
    [InlineData("en-Latn-Latn")]
    [InlineData("en-GBR")]
    [InlineData("de-1996-1996")]
    [InlineData("en-x-private")]
    [InlineData("12")]
    [InlineData("ｅｎ")]
    public void TryNormalise_MalformedTag_ReturnsFalseWithShapeError(string tag)
    {
        var ok = LanguageTags.TryNormalise(tag, out var normalised, out var error);

        Assert.False(ok);
        Assert.Equal(string.Empty, normalised);
        Assert.Equal(ShapeError, error);
    }

    [Fact]
    public void TryNormalise_OverlongTag_ReturnsFalseWithShapeError()
    {
        var tag = "en" + string.Concat(Enumerable.Repeat("-abcdefgh", 8));

        var ok = LanguageTags.TryNormalise(tag, out _, out var error);

        Assert.False(ok);
        Assert.Equal(ShapeError, error);
    }

    [Theory]
    [InlineData("en_US")]
    [InlineData("zh_Hant_TW")]
    public void TryNormalise_Underscore_ReturnsFalseWithSeparatorHint(string tag)
    {
        var ok = LanguageTags.TryNormalise(tag, out _, out var error);

        Assert.False(ok);
        Assert.Equal("Separate the parts of a language tag with '-', not '_', e.g. en-US.", error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void TryNormalise_Missing_ReturnsFalseWithPrompt(string? tag)
    {
        var ok = LanguageTags.TryNormalise(tag, out var normalised, out var error);

        Assert.False(ok);
        Assert.Equal(string.Empty, normalised);
        Assert.Equal("Enter a language tag, e.g. en, fr or zh-Hant.", error);
    }
}
