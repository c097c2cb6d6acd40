namespace PocDirectory.Functions.Outreach;

/// <summary>
/// The words of outreach that are not in a message: the letters' words are the "outreach.*" keys of
/// Email/Texts/{language}.json, rendered in each recipient's language (decision 0035).
/// </summary>
public static class OutreachTexts
{
    /// <summary>The title outreach shows when its subject is not the Secretariat's own: the English subject of the letter.</summary>
    public static string Subject => Email.MessageTexts.English["outreach.subject"];

    public const string ClosedMessage = "This outreach is closed; its letter can no longer be acknowledged.";

    /// <summary>The key of the sentence that says what the participant has not nominated.</summary>
    public static string MissingKey(Missing missing) => missing switch
    {
        Missing.NoPoc => "outreach.missing.noPoc",
        Missing.NoTechnicalPoc => "outreach.missing.noTechnicalPoc",
        _ => "outreach.missing.noDiplomaticPoc",
    };
}
