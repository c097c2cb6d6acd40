using System.Globalization;

namespace PocDirectory.Functions.Email;

/// <summary>
/// The words the layout itself writes around a feature's texts, one instance per language (<see cref="MessageTexts.Layout"/>).
/// </summary>
/// <param name="Language">The BCP 47 tag written as the HTML document's language.</param>
/// <param name="Greeting">A format with the recipient's name as {0}.</param>
/// <param name="InYourTimeZone">A format with the time's label as {0}, for the line in the recipient's zone.</param>
public sealed record EmailLayoutTexts(
    string Language,
    CultureInfo Culture,
    string Greeting,
    string Colleague,
    string InYourTimeZone,
    string ReferenceLabel,
    string CopyLink,
    string AboutDirectory)
{
    /// <summary>The layout's words in English, from Email/Texts/en.json.</summary>
    public static EmailLayoutTexts English => MessageTexts.English.Layout;

    /// <summary>Arabic: the HTML is dir="rtl" and the plain text's lines start with a right-to-left mark.</summary>
    public bool RightToLeft { get; init; }

    /// <summary>The .NET format of a date with its time ("d MMMM yyyy HH:mm"), with the language's month names.</summary>
    public string DateTimeFormat { get; init; } = "d MMMM yyyy HH:mm";
}
