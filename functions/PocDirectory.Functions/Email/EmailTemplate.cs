namespace PocDirectory.Functions.Email;

/// <summary>
/// One message of the directory, composed by a feature from its own texts and rendered here into the one layout, as
/// plain text and HTML from the same blocks:
/// <code>
/// EmailTemplate.Create(subject, reference).Greeting(name).Paragraph(text).Link(label, url)
///     .Time("Deadline", deadline, zone).Reference().Footer(why).Build(to, toName, idempotencyKey)
/// </code>
/// Every value is HTML-encoded when the HTML part is written, so a feature passes raw text and can never inject markup;
/// every subject carries the reference; every message ends with the note on the directory and why the recipient gets it.
/// </summary>
public sealed class EmailTemplate
{
    private readonly List<EmailBlock> _blocks = [];
    private readonly string _subject;
    private readonly string _reference;
    private readonly EmailLayoutTexts _texts;
    private string? _footer;

    private EmailTemplate(string subject, string reference, EmailLayoutTexts texts)
    {
        _subject = subject;
        _reference = reference;
        _texts = texts;
    }

    /// <summary>Starts a message; the reference is appended to the subject unless the subject already holds it.</summary>
    /// <param name="texts">The layout's own words; English unless given (a language parameter can choose them later).</param>
    public static EmailTemplate Create(string subject, string reference, EmailLayoutTexts? texts = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var withReference = subject.Contains(reference, StringComparison.OrdinalIgnoreCase) ? subject : $"{subject.Trim()} ({reference})";
        return new EmailTemplate(withReference, reference, texts ?? EmailLayoutTexts.English);
    }

    /// <summary>Starts a message in a language: its layout words, dates, direction and Content-Language.</summary>
    public static EmailTemplate Create(string subject, string reference, MessageTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Create(subject, reference, texts.Layout);
    }

    /// <summary>"Dear {name}," or, without a name, "Dear colleague,".</summary>
    public EmailTemplate Greeting(string? name)
        => Add(new EmailBlock.Paragraph(string.Format(_texts.Culture, _texts.Greeting, string.IsNullOrWhiteSpace(name) ? _texts.Colleague : name.Trim())));

    /// <summary>A paragraph; line breaks in it are kept. The lead, when given, is set in bold before the text.</summary>
    public EmailTemplate Paragraph(string text, string? lead = null) => Add(new EmailBlock.Paragraph(text, lead));

    /// <summary>Text someone typed: blank lines separate paragraphs, single line breaks stay within one; blank text adds nothing.</summary>
    public EmailTemplate Paragraphs(string? text)
    {
        foreach (var paragraph in EmailFormat.SplitParagraphs(text))
        {
            Add(new EmailBlock.Paragraph(paragraph));
        }

        return this;
    }

    public EmailTemplate Bullets(IEnumerable<string> items) => Add(new EmailBlock.Bullets([.. items]));

    /// <summary>The one thing to click, with its address spelled out for clients that drop links.</summary>
    /// <exception cref="ArgumentException">The URL is not an absolute https or http URL.</exception>
    public EmailTemplate Link(string label, Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return EmailFormat.IsWebUrl(url)
            ? Add(new EmailBlock.Link(label, url))
            : throw new ArgumentException("The link must be an absolute https or http URL.", nameof(url));
    }

    /// <summary>"Label: value". Facts written one after another form one list.</summary>
    public EmailTemplate Fact(string label, string value)
    {
        if (_blocks.Count > 0 && _blocks[^1] is EmailBlock.Facts facts)
        {
            facts.Items.Add(new(label, value));
            return this;
        }

        return Add(new EmailBlock.Facts([new(label, value)]));
    }

    /// <summary>A time in UTC and, when the recipient's IANA zone is known here, in that zone with its offset at that time.</summary>
    public EmailTemplate Time(string label, DateTimeOffset at, string? timeZoneId = null)
    {
        Fact(label, EmailFormat.FormatUtc(at, _texts));
        return EmailFormat.FormatLocal(at, timeZoneId, _texts) is { } local
            ? Fact(string.Format(_texts.Culture, _texts.InYourTimeZone, label), local)
            : this;
    }

    /// <summary>The fact "Reference: {reference}".</summary>
    public EmailTemplate Reference() => Fact(_texts.ReferenceLabel, _reference);

    /// <summary>Why the recipient gets the message; it follows the note on what the directory is, at the end.</summary>
    public EmailTemplate Footer(string why)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(why);
        _footer = why;
        return this;
    }

    /// <summary>The message, rendered; the subject and the recipient's name are made single lines (headers cannot break).</summary>
    /// <exception cref="InvalidOperationException">No <see cref="Footer"/> was given: every message says why it was sent.</exception>
    public EmailMessage Build(string to, string? toName, string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(to);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        if (_footer is null)
        {
            throw new InvalidOperationException("Every message needs a footer saying why the recipient gets it.");
        }

        EmailBlock[] blocks = [.. _blocks, new EmailBlock.Note($"{_texts.AboutDirectory} {_footer}")];
        var subject = EmailFormat.SingleLine(_subject);
        var name = string.IsNullOrWhiteSpace(toName) ? null : EmailFormat.SingleLine(toName);
        return new EmailMessage(to.Trim(), name, subject, EmailLayout.RenderText(blocks, _texts), EmailLayout.RenderHtml(subject, blocks, _texts), idempotencyKey)
        {
            Language = _texts.Language,
        };
    }

    private EmailTemplate Add(EmailBlock block)
    {
        _blocks.Add(block);
        return this;
    }
}
