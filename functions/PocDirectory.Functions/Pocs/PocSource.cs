namespace PocDirectory.Functions.Pocs;

/// <summary>How a POC came into the directory (issue 18): entered in the portal, from a note verbale, or imported.</summary>
public enum PocSourceKind
{
    /// <summary>Nominated in the portal or through the API by the focal point or the Secretariat.</summary>
    Portal,

    /// <summary>Entered by the Secretariat from a note verbale received through official channels (decision 0036).</summary>
    NoteVerbale,

    /// <summary>Accepted from a regional directory's list.</summary>
    Import,
}

/// <summary>
/// Where a POC record comes from, shown on the POC. One record for every source, so each kind adds its details here:
/// <see cref="NoteVerbale"/> for <see cref="PocSourceKind.NoteVerbale"/>, <see cref="Import"/> for <see cref="PocSourceKind.Import"/>.
/// </summary>
public sealed record PocSource(PocSourceKind Kind, NoteVerbale? NoteVerbale, ImportSource? Import)
{
    public static PocSource Portal { get; } = new(PocSourceKind.Portal, null, null);
}

/// <summary>A note verbale by which a participant nominated a POC: its reference, its date and, when scanned, the document.</summary>
public sealed record NoteVerbale(string Reference, DateOnly Date, NoteVerbaleDocument? Document, DateTimeOffset RecordedAt, string? RecordedBy);

/// <summary>The scanned note verbale (PDF), kept in Blob Storage; download it at /api/pocs/{id}/note-verbale/document.</summary>
public sealed record NoteVerbaleDocument(string FileName, long Bytes, string Sha256);

/// <summary>The regional directory a POC was imported from.</summary>
public sealed record ImportSource(string Directory, string? Reference, DateTimeOffset ImportedAt);
