using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PocDirectory.Demo;

/// <summary>A message as a POC would read it: to whom, its subject, its plain text (where the links are).</summary>
public sealed record DemoMail(string To, string Subject, string Text);

/// <summary>Where the demo reads the mail the system sent, to follow its links as the POCs would.</summary>
public interface IDemoMailbox
{
    /// <summary>The messages received so far whose subject <paramref name="subject"/> accepts.</summary>
    Task<IReadOnlyList<DemoMail>> FindAsync(Func<string, bool> subject, CancellationToken cancellationToken);
}

/// <summary>smtp4dev's API (run.sh's mail catcher): the list of messages, then the plain text of those wanted, each read once.</summary>
public sealed class Smtp4devMailbox(Uri baseAddress) : IDemoMailbox, IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    private readonly ConcurrentDictionary<string, DemoMail> _read = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<DemoMail>> FindAsync(Func<string, bool> subject, CancellationToken cancellationToken)
    {
        var wanted = new List<(string Id, string To, string Subject)>();
        for (var page = 1; ; page++)
        {
            var list = await _http.GetFromJsonAsync<JsonObject>($"api/messages?page={page}&pageSize=500&sortColumn=receivedDate&sortIsDescending=false", cancellationToken);
            foreach (var message in list!["results"]!.AsArray().Select(m => m!.AsObject()))
            {
                var title = message["subject"]?.GetValue<string>() ?? string.Empty;
                if (subject(title))
                {
                    foreach (var to in message["to"]!.AsArray())
                    {
                        wanted.Add((message["id"]!.ToString(), to!.GetValue<string>(), title));
                    }
                }
            }

            if (page >= list["pageCount"]!.GetValue<int>())
            {
                break;
            }
        }

        await Parallel.ForEachAsync(wanted.Where(w => !_read.ContainsKey(w.Id)).DistinctBy(w => w.Id),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (w, ct) =>
                _read[w.Id] = new DemoMail(w.To, w.Subject, await _http.GetStringAsync($"api/messages/{w.Id}/plaintext", ct)));
        return wanted.Select(w => _read[w.Id] with { To = w.To }).ToList();
    }

    public void Dispose() => _http.Dispose();
}
