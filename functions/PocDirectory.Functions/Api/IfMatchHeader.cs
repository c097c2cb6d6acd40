using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace PocDirectory.Functions.Api;

/// <summary>
/// Reads the If-Match header of an update: exactly one entity tag (RFC 9110 §8.8.3), the version the caller read.
/// It is checked here rather than left to Table Storage, which answers 400 to a tag not of its own making.
/// </summary>
public static partial class IfMatchHeader
{
    public const int MaxLength = 512;

    /// <summary>The caller's entity tag, as sent. Missing or <c>*</c> (any version) is refused with 428, since either
    /// would let the update silently overwrite a change the caller never saw; anything that cannot be a version is 400.</summary>
    public static string RequiredIfMatch(this HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0)
        {
            throw new PreconditionRequiredException("Send the If-Match header with the ETag you read, so a concurrent change is not overwritten.");
        }

        if (value == "*")
        {
            throw new PreconditionRequiredException("If-Match: * would overwrite whatever version is stored. Send the ETag you read, so a concurrent change is not overwritten.");
        }

        if (value.Length > MaxLength)
        {
            throw RequestValidationException.For("If-Match", $"The If-Match header must be at most {MaxLength} characters.");
        }

        return EntityTag().IsMatch(value)
            ? value
            : throw RequestValidationException.For("If-Match", "Must be the one ETag you read, exactly as the ETag header gave it (for example W/\"datetime'…'\").");
    }

    // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text: one tag, not a list.
    [GeneratedRegex("^(W/)?\"[\\x21\\x23-\\x7E\\x80-\\xFF]*\"$", RegexOptions.CultureInvariant)]
    private static partial Regex EntityTag();
}
