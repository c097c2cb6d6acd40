using Azure;
using PocDirectory.Functions.Api;

namespace PocDirectory.Functions.Storage;

/// <summary>Pages of a Table query as the API lists them, with Table Storage's own continuation tokens.</summary>
public static class TablePages
{
    /// <summary>
    /// The first page that holds rows, or the last page. A filtered scan can answer with an empty page and a token, so
    /// empty pages are read past. A token the API did not hand out is the caller's error (400), not a server fault.
    /// </summary>
    public static async Task<ListPage<TOut>> FirstAsync<T, TOut>(AsyncPageable<T> query, string? continuationToken, int pageSize, Func<T, TOut> map)
        where T : notnull
    {
        try
        {
            await foreach (var page in query.AsPages(continuationToken, pageSize))
            {
                if (page.Values.Count > 0 || page.ContinuationToken is null)
                {
                    return new ListPage<TOut>(page.Values.Select(map).ToList(), page.ContinuationToken);
                }
            }
        }
        catch (Exception e) when (continuationToken is not null && e is RequestFailedException { Status: 400 } or ArgumentException or FormatException)
        {
            throw RequestValidationException.For("continuationToken", "Not a continuation token this API returned.");
        }

        return new ListPage<TOut>([], null);
    }
}
