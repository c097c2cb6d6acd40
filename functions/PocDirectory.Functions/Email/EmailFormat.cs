using System.Globalization;
using System.Text;

namespace PocDirectory.Functions.Email;

/// <summary>How the directory's messages write times, links and lines.</summary>
public static class EmailFormat
{
    /// <summary>"10 June 2024 14:00 UTC".</summary>
    public static string FormatUtc(DateTimeOffset at) => FormatUtc(at, EmailLayoutTexts.English);

    /// <summary>The time in UTC in the language's format and month names ("10 juin 2024 14:00 UTC").</summary>
    public static string FormatUtc(DateTimeOffset at, EmailLayoutTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return at.UtcDateTime.ToString(texts.DateTimeFormat, texts.Culture) + " UTC";
    }

    /// <summary>
    /// "10 June 2024 22:00 (Asia/Singapore, UTC+08:00)", or null when the zone is unknown here: the UTC line is always
    /// shown, and a second line claiming the recipient lives in UTC would be wrong.
    /// </summary>
    public static string? FormatLocal(DateTimeOffset at, string? timeZoneId) => FormatLocal(at, timeZoneId, EmailLayoutTexts.English);

    /// <summary>The time in the recipient's zone in the language's format, or null when the zone is unknown here.</summary>
    public static string? FormatLocal(DateTimeOffset at, string? timeZoneId, EmailLayoutTexts texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (string.IsNullOrWhiteSpace(timeZoneId))
        {
            return null;
        }

        var id = timeZoneId.Trim();
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var clock = local.ToString(texts.DateTimeFormat, texts.Culture);
        return $"{clock} ({id}, UTC{sign}{offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture)})";
    }

    /// <summary>The URL a message may link to: absolute, https or http (never javascript:, data: or a relative path).</summary>
    /// <exception cref="ArgumentException">It is anything else; the message names <paramref name="what"/>.</exception>
    public static Uri RequireWebUrl(string? url, string what, string paramName)
        => Uri.TryCreate(url, UriKind.Absolute, out var uri) && IsWebUrl(uri)
            ? uri
            : throw new ArgumentException($"{what} must be an absolute https or http URL.", paramName);

    internal static bool IsWebUrl(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    /// <summary>Headers may not hold line breaks; a pasted subject or a name with a newline would otherwise break or inject them.</summary>
    internal static string SingleLine(string value)
    {
        var builder = new StringBuilder(value.Length);
        var pendingSpace = false;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Blank lines separate paragraphs; single line breaks are kept within one; trailing spaces go.</summary>
    internal static List<string> SplitParagraphs(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var paragraphs = new List<string>();
        var current = new List<string>();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n').Append(string.Empty))
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                current.Add(line.TrimEnd());
            }
            else if (current.Count > 0)
            {
                paragraphs.Add(string.Join('\n', current));
                current.Clear();
            }
        }

        return paragraphs;
    }
}
