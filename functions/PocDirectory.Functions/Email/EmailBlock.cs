namespace PocDirectory.Functions.Email;

/// <summary>The pieces of a message, rendered by <see cref="EmailLayout"/>.</summary>
internal abstract record EmailBlock
{
    public sealed record Paragraph(string Text, string? Lead = null) : EmailBlock;

    /// <summary>Small print: what the directory is and why the recipient gets the message.</summary>
    public sealed record Note(string Text) : EmailBlock;

    /// <summary>"Label: value" lines; the template appends to the last one while facts follow each other.</summary>
    public sealed record Facts(List<KeyValuePair<string, string>> Items) : EmailBlock;

    public sealed record Bullets(IReadOnlyList<string> Items) : EmailBlock;

    public sealed record Link(string Label, Uri Url) : EmailBlock;
}
