using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenTelemetry;

namespace PocDirectory.Functions.Telemetry;

/// <summary>
/// Takes out of every span what may name a person or act for one before it is exported: the path of a request (a link
/// token, an address in a route) becomes its route template, and the keys of a table entity in a storage call's URL
/// (a row key can be a hashed address, a token's id) become "(*)". Query strings are already redacted by the
/// instrumentations; they are cut here too, whatever an instrumentation version does.
/// </summary>
public sealed partial class PersonalDataRedactor : BaseProcessor<Activity>
{
    private static readonly string[] UrlTags = ["url.full", "http.url", "http.target", "url.path", "url.query", "server.request.url"];

    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var route = data.GetTagItem("http.route") as string;
        foreach (var tag in UrlTags)
        {
            if (data.GetTagItem(tag) is string value)
            {
                data.SetTag(tag, Redact(value, route));
            }
        }

        if (data.Kind == ActivityKind.Server && route is not null)
        {
            // "POST /api/acknowledgements/{token}", not the token itself.
            data.DisplayName = $"{data.GetTagItem("http.request.method")} {route}";
        }
    }

    /// <summary>
    /// A URL or path without its query, with table entity keys replaced, and, when the request matched a route, with the
    /// route template for the path (the path may hold a token or an address).
    /// </summary>
    public static string Redact(string url, string? route = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var cut = url.IndexOf('?', StringComparison.Ordinal);
        var path = cut < 0 ? url : url[..cut];
        if (route is not null)
        {
            var template = "/" + route.TrimStart('/');
            path = path.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(path, UriKind.Absolute, out var absolute) ? absolute.GetLeftPart(UriPartial.Authority) + template : template;
        }

        return EntityKeys().Replace(path, "(*)") + (cut < 0 ? "" : "?*");
    }

    // Pocs(PartitionKey='ISL',RowKey='...'), quotes escaped or not.
    [GeneratedRegex(@"\([^)/]*PartitionKey[^)/]*\)")]
    private static partial Regex EntityKeys();
}
