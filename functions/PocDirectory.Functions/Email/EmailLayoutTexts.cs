using System.Globalization;

namespace PocDirectory.Functions.Email;

/// <summary>
/// The words the layout itself writes around a feature's texts. One instance per language; <see cref="English"/> is
/// the only one so far, and a later language parameter chooses another without touching the features' templates.
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
    public static EmailLayoutTexts English { get; } = new(
        Language: "en",
        Culture: CultureInfo.InvariantCulture,
        Greeting: "Dear {0},",
        Colleague: "colleague",
        InYourTimeZone: "{0} in your time zone",
        ReferenceLabel: "Reference",
        CopyLink: "If the link does not open, copy this address into your browser:",
        AboutDirectory:
            "The Global Intergovernmental Points of Contact Directory on ICT security is a confidential United Nations "
            + "directory through which States reach each other's points of contact on ICT security. Only its participants "
            + "and the UN Secretariat can see it.");
}
