namespace PocDirectory.Functions.Pocs;

/// <summary>Settings of section "NoteVerbale": the largest scanned document the Secretariat may attach.</summary>
public sealed class NoteVerbaleOptions
{
    public const string Section = "NoteVerbale";

    /// <summary>A one- or two-page scan is well under this; a larger file is refused with 413 and nothing is stored.</summary>
    public long MaxDocumentBytes { get; set; } = 5 * 1024 * 1024;
}
