namespace PocDirectory.Functions.Reconfirmation;

/// <summary>
/// The words of re-confirmation that are not in a message: the messages' words are the "reconfirmation.*" keys of
/// Email/Texts/{language}.json, rendered in each POC's language (decision 0035).
/// </summary>
public static class ReconfirmationTexts
{
    public const string ClosedMessage = "This confirmation link has expired. Sign in to the portal to confirm your details.";

    public const string Title = "Re-confirmation of details";
}
