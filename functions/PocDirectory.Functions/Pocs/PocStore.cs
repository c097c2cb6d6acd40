using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Pocs;

/// <summary>A list query; <see cref="RetiredVisibleFor"/>, when set, limits retired records to those participants.</summary>
public sealed record PocQuery(
    string? Participant, PocKind? Kind, PocStatus? Status, string? Language, string? Text, int PageSize, string? ContinuationToken, int? MissedPings = null,
    IReadOnlySet<string>? RetiredVisibleFor = null, ConfirmationStatus? Confirmation = null);

/// <summary>A POC's part in a finished campaign, as it is recorded on the POC.</summary>
public sealed record PingOutcomeUpdate(string Participant, string PocId, string Outcome, bool Acknowledged, DateTimeOffset? AcknowledgedAt);

/// <summary>
/// POC rows and their participant's nomination counts. A change that moves the counts commits the POC and the
/// participant row in one entity group transaction, so the nomination status can never drift from the POCs.
/// </summary>
public sealed class PocStore(DirectoryTables tables, AuditLog audit, TimeProvider time) : IDisposable
{
    private readonly KeyedLock _participantRows = new();

    /// <summary>
    /// The version of each POC this instance last read or wrote (decision 0043). An edit names the version it was made
    /// on in If-Match; when that is the version kept here, it is what storage holds unless someone changed it since, and
    /// then the conditional write refuses with 412, as a read would have. So such an edit needs no read first.
    /// </summary>
    private readonly MemoryCache _versions = new(new MemoryCacheOptions { SizeLimit = 4_096, Clock = new CacheClock(time) });

    /// <summary>An edit session in the portal: the record read, then saved a few minutes later.</summary>
    private static readonly TimeSpan VersionKept = TimeSpan.FromMinutes(15);

    /// <summary>Concurrent nominations for one participant retry on its counts; a bulk load of many at once needs several tries.</summary>
    private const int MaxSummaryAttempts = 30;

    /// <summary>
    /// The campaign whose outcome a POC's row last recorded; kept only in storage (a replace through the API drops it,
    /// which at worst lets a crashed campaign's last step count a miss again for a POC edited in between).
    /// </summary>
    private const string LastPingCampaign = "LastPingCampaign";

    public async Task<Versioned<Poc>?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!StorageKeys.TryParticipantOfPocId(id, out var participant) || !ParticipantStore.IsWellFormedCode(participant)
            || id.Length > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return null;
        }

        var response = await tables.Directory.GetEntityIfExistsAsync<PocEntity>(
            StorageKeys.ParticipantPartition(participant), StorageKeys.PocRowKey(id), cancellationToken: cancellationToken);
        return response.HasValue ? Remember(response.Value!.ToModel(), response.Value.ETag.ToString()) : null;
    }

    /// <summary>The POC as it is at <paramref name="ifMatch"/> when that is the version this instance knows, else as stored.</summary>
    public Task<Versioned<Poc>?> FindForEditAsync(string id, string ifMatch, CancellationToken cancellationToken)
        => _versions.TryGetValue(id, out Versioned<Poc>? known) && string.Equals(known!.ETag, ifMatch, StringComparison.Ordinal)
            ? Task.FromResult<Versioned<Poc>?>(known)
            : FindAsync(id, cancellationToken);

    private Versioned<Poc> Remember(Poc poc, string etag)
        => _versions.Set(poc.Id, new Versioned<Poc>(poc, etag), new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = VersionKept });

    public void Dispose() => _versions.Dispose();

    public async Task<ListPage<Poc>> QueryAsync(PocQuery query, CancellationToken cancellationToken)
    {
        var filter = ServerFilter(query);
        var matches = new List<PocEntity>(query.PageSize + 1);

        // Without in-memory filters every row the server returns is kept, so ask for one page and one more; with them,
        // larger server pages save round trips.
        var serverPage = query.Language is null && query.Text is null && query.Confirmation != ConfirmationStatus.Current ? query.PageSize + 1 : 1000;
        await foreach (var entity in tables.Directory.QueryAsync<PocEntity>(filter, maxPerPage: serverPage, cancellationToken: cancellationToken))
        {
            if (MatchesInMemory(entity, query))
            {
                matches.Add(entity);

                // One more than a page tells whether a next page exists without a second round trip.
                if (matches.Count > query.PageSize)
                {
                    break;
                }
            }
        }

        var hasMore = matches.Count > query.PageSize;
        var page = matches.Take(query.PageSize).ToList();
        return new ListPage<Poc>(page.Select(e => e.ToModel()).ToList(), hasMore ? EncodeToken(page[^1]) : null);
    }

    /// <summary>Every active POC of the given participants (all participants when empty), for campaigns and exports.</summary>
    public async IAsyncEnumerable<Poc> AllAsync(string? participant, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = RowRange(participant);
        await foreach (var entity in tables.Directory.QueryAsync<PocEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return entity.ToModel();
        }
    }

    /// <summary>
    /// Active POCs whose OpenPGP key expires after <paramref name="after"/> and no later than <paramref name="until"/>:
    /// filtered by the table service, so a look at a large directory reads only the few keyed rows it needs.
    /// </summary>
    public async IAsyncEnumerable<Poc> KeysExpiringAsync(DateTimeOffset after, DateTimeOffset until, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = $"{RowRange(null)} and {TableClient.CreateQueryFilter($"PgpExpiresAt gt {after} and PgpExpiresAt le {until} and Status eq {nameof(PocStatus.Active)}")}";
        await foreach (var entity in tables.Directory.QueryAsync<PocEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            yield return entity.ToModel();
        }
    }

    /// <summary>
    /// Records each POC's last ping outcome and its run of missed pings, a participant partition at a time in
    /// transactions of up to 100 merges. ETags keep a concurrent edit of the same POC from being overwritten: a
    /// transaction that meets one is redone from a fresh read. Each POC is marked with the campaign, and a POC already
    /// marked is left alone: the step that calls this can run twice (an activity is delivered at least once, and a
    /// crash before its completion is recorded runs it again), and a second run must not count the same miss twice.
    /// </summary>
    public async Task RecordPingOutcomesAsync(string campaignId, IEnumerable<PingOutcomeUpdate> updates, CancellationToken cancellationToken)
    {
        foreach (var participant in updates.GroupBy(u => u.Participant, StringComparer.Ordinal))
        {
            var byRowKey = participant.ToDictionary(u => StorageKeys.PocRowKey(u.PocId), StringComparer.Ordinal);
            for (var attempt = 1; byRowKey.Count > 0; attempt++)
            {
                var current = new List<TableEntity>();
                await foreach (var entity in tables.Directory.QueryAsync<TableEntity>(
                                   RowRange(participant.Key), select: ["PartitionKey", "RowKey", nameof(PocEntity.MissedPings), LastPingCampaign], cancellationToken: cancellationToken))
                {
                    if (byRowKey.ContainsKey(entity.RowKey) && entity.GetString(LastPingCampaign) != campaignId)
                    {
                        current.Add(entity);
                    }
                }

                // POCs that no longer exist (none are deleted today), or already hold this campaign's outcome, are done.
                byRowKey = byRowKey.Where(u => current.Any(c => c.RowKey == u.Key)).ToDictionary(u => u.Key, u => u.Value, StringComparer.Ordinal);
                foreach (var chunk in current.Chunk(100))
                {
                    var actions = chunk.Select(entity =>
                    {
                        var update = byRowKey[entity.RowKey];
                        var merge = new TableEntity(entity.PartitionKey, entity.RowKey)
                        {
                            ["LastPingOutcome"] = update.Outcome,
                            [nameof(PocEntity.MissedPings)] = update.Acknowledged ? 0 : (entity.GetInt32(nameof(PocEntity.MissedPings)) ?? 0) + 1,
                            [LastPingCampaign] = campaignId,
                        };
                        if (update.Acknowledged)
                        {
                            merge["LastAcknowledgedAt"] = update.AcknowledgedAt;
                        }

                        return new TableTransactionAction(TableTransactionActionType.UpdateMerge, merge, entity.ETag);
                    });
                    try
                    {
                        await tables.Directory.SubmitTransactionAsync(actions, cancellationToken);
                        foreach (var entity in chunk)
                        {
                            byRowKey.Remove(entity.RowKey);
                        }
                    }
                    catch (TableTransactionFailedException e) when (e.Status == 412 && attempt < MaxSummaryAttempts)
                    {
                        // Someone edited one of these POCs since the read; the next round reads them again.
                    }
                }
            }
        }
    }

    /// <summary>
    /// Sets the re-confirmation state of these POCs of one participant, each only while <paramref name="applies"/> holds
    /// for it as stored (not confirmed since the round began): a merge at the ETag read, so a confirmation that lands in
    /// between is never overwritten. Returns the ids changed.
    /// </summary>
    public async Task<IReadOnlyList<string>> SetConfirmationAsync(
        string participant, IReadOnlyCollection<string> pocIds, ConfirmationStatus status, Func<Poc, bool> applies, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        foreach (var id in pocIds)
        {
            for (var attempt = 1; ; attempt++)
            {
                var response = await tables.Directory.GetEntityIfExistsAsync<PocEntity>(
                    StorageKeys.ParticipantPartition(participant), StorageKeys.PocRowKey(id), cancellationToken: cancellationToken);
                if (!response.HasValue || response.Value is not { } entity || entity.Status != nameof(PocStatus.Active) || !applies(entity.ToModel()))
                {
                    break;
                }

                var merge = new TableEntity(entity.PartitionKey, entity.RowKey) { [nameof(PocEntity.Confirmation)] = status == ConfirmationStatus.Current ? null : status.ToString() };
                try
                {
                    await tables.Directory.UpdateEntityAsync(merge, entity.ETag, TableUpdateMode.Merge, cancellationToken);
                    changed.Add(id);
                    break;
                }
                catch (RequestFailedException e) when (e.Status == 412 && attempt < MaxSummaryAttempts)
                {
                    // Edited or confirmed since the read: decide again on what is there now.
                }
            }
        }

        return changed;
    }

    public Task<string> AddAsync(Poc poc, AuditRecord entry, CancellationToken cancellationToken)
        => CommitAsync(poc, TableTransactionActionType.Add, ETag.All, before: null, entry, cancellationToken);

    /// <summary>Replaces the POC if it is still at <paramref name="ifMatch"/>; otherwise throws <see cref="PreconditionFailedException"/>.</summary>
    public Task<string> ReplaceAsync(Poc before, Poc after, string ifMatch, AuditRecord entry, CancellationToken cancellationToken)
        => CommitAsync(after, TableTransactionActionType.UpdateReplace, new ETag(ifMatch), before, entry, cancellationToken);

    private async Task<string> CommitAsync(Poc poc, TableTransactionActionType action, ETag ifMatch, Poc? before, AuditRecord entry, CancellationToken cancellationToken)
    {
        var entity = PocEntity.From(poc);
        var (diplomatic, technical) = CountDelta(before, poc);
        if (diplomatic == 0 && technical == 0)
        {
            var response = await audit.CommitAsync(tables.Directory, [new TableTransactionAction(action, entity, ifMatch)], entry, cancellationToken);
            return await CommittedAsync(entity, response, cancellationToken);
        }

        // Writers of this instance take turns on the participant's counts; other instances are met by the retries below.
        using var turn = await _participantRows.AcquireAsync(entity.PartitionKey, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var participant = (await tables.Directory.GetEntityAsync<ParticipantEntity>(
                entity.PartitionKey, StorageKeys.ParticipantRowKey, cancellationToken: cancellationToken)).Value;
            participant.ActiveDiplomatic += diplomatic;
            participant.ActiveTechnical += technical;
            if (diplomatic > 0 || technical > 0)
            {
                participant.FirstNominatedAt ??= poc.UpdatedAt;
            }

            try
            {
                var response = await audit.CommitAsync(
                    tables.Directory,
                    [new TableTransactionAction(action, entity, ifMatch), new TableTransactionAction(TableTransactionActionType.UpdateMerge, participant, participant.ETag)],
                    entry,
                    cancellationToken);
                return await CommittedAsync(entity, response, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 412)
            {
                // Either the POC moved on (the caller's If-Match is stale) or another POC of the same participant changed
                // the counts first. Only the second is retried; the first is the caller's conflict to resolve.
                if (action != TableTransactionActionType.Add && !await StillAtAsync(entity, ifMatch, cancellationToken))
                {
                    throw new PreconditionFailedException(ProblemResults.StaleVersion);
                }

                if (attempt == MaxSummaryAttempts)
                {
                    // Not the caller's conflict: nothing was written, and trying again shortly will succeed.
                    throw new ServiceBusyException("Many changes to this participant's contacts are being saved at once. Nothing was changed; try again in a moment.", TimeSpan.FromSeconds(2));
                }

                // Jitter spreads writers that collided so they do not collide again in lock step.
                await Task.Delay(Random.Shared.Next(1, 5 * Math.Min(attempt, 10)), cancellationToken);
            }
        }
    }

    private async Task<bool> StillAtAsync(PocEntity entity, ETag ifMatch, CancellationToken cancellationToken)
    {
        var current = await tables.Directory.GetEntityIfExistsAsync<PocEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken);
        return current.HasValue && current.Value!.ETag == ifMatch;
    }

    /// <summary>The new version's tag, remembered with the record as storage now holds it.</summary>
    private async Task<string> CommittedAsync(PocEntity entity, Response<IReadOnlyList<Response>> response, CancellationToken cancellationToken)
    {
        var etag = response.Value[0].Headers.ETag?.ToString() ?? await CurrentETagAsync(entity, cancellationToken);
        Remember(entity.ToModel(), etag);
        return etag;
    }

    private async Task<string> CurrentETagAsync(PocEntity entity, CancellationToken cancellationToken)
        => (await tables.Directory.GetEntityAsync<PocEntity>(entity.PartitionKey, entity.RowKey, select: ["RowKey"], cancellationToken: cancellationToken))
            .Value.ETag.ToString();

    private static (int Diplomatic, int Technical) CountDelta(Poc? before, Poc after)
    {
        static (int, int) Count(Poc? p) => p is { Status: PocStatus.Active }
            ? (p.Kind == PocKind.Diplomatic ? 1 : 0, p.Kind == PocKind.Technical ? 1 : 0)
            : (0, 0);
        var (d0, t0) = Count(before);
        var (d1, t1) = Count(after);
        return (d1 - d0, t1 - t0);
    }

    private static string RowRange(string? participant)
    {
        var rows = TableClient.CreateQueryFilter($"RowKey ge {StorageKeys.PocRowKeyPrefix} and RowKey lt {StorageKeys.PocRowKeyEnd}");
        return participant is null
            ? rows
            : $"{TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ParticipantPartition(participant)}")} and {rows}";
    }

    private static string ServerFilter(PocQuery query)
    {
        var filters = new List<string> { RowRange(query.Participant) };
        if (query.Kind is { } kind)
        {
            filters.Add(TableClient.CreateQueryFilter($"Kind eq {kind.ToString()}"));
        }

        if (query.Status is { } status)
        {
            filters.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
        }

        if (query.RetiredVisibleFor is { } participants)
        {
            var visible = participants.Select(p => TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.ParticipantPartition(p)}"))
                .Prepend(TableClient.CreateQueryFilter($"Status eq {nameof(PocStatus.Active)}"));
            filters.Add("(" + string.Join(" or ", visible) + ")");
        }

        if (query.Confirmation is { } confirmation and not ConfirmationStatus.Current)
        {
            filters.Add(TableClient.CreateQueryFilter($"Confirmation eq {confirmation.ToString()}"));
        }

        if (query.MissedPings is { } missed)
        {
            filters.Add(TableClient.CreateQueryFilter($"MissedPings ge {missed}"));
        }

        if (query.ContinuationToken is not null)
        {
            // Keyset paging: resume strictly after the last row returned, whatever was filtered in memory.
            var (partition, row) = DecodeToken(query.ContinuationToken);
            filters.Add("(" + TableClient.CreateQueryFilter($"PartitionKey gt {partition} or (PartitionKey eq {partition} and RowKey gt {row})") + ")");
        }

        return string.Join(" and ", filters);
    }

    /// <summary>Table Storage has no "contains"; language and free text are matched here, on the rows the server filter returned.</summary>
    private static bool MatchesInMemory(PocEntity entity, PocQuery query)
    {
        if (query.Language is { } language
            && !JsonSerializer.Deserialize<List<string>>(entity.Languages, ApiJson.Options)!.Any(l =>
                string.Equals(l, language, StringComparison.OrdinalIgnoreCase) || l.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        if (query.Confirmation == ConfirmationStatus.Current && entity.Confirmation is not null)
        {
            return false;
        }

        return query.Text is not { } text
            || entity.FullName.Contains(text, StringComparison.OrdinalIgnoreCase)
            || entity.Organisation.Contains(text, StringComparison.OrdinalIgnoreCase);
    }

    private static string EncodeToken(PocEntity last)
        => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { last.PartitionKey, last.RowKey })))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (string Partition, string Row) DecodeToken(string token)
    {
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var keys = JsonSerializer.Deserialize<string[]>(Convert.FromBase64String(base64));
            return keys is [var partition, var row] ? (partition, row) : throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw RequestValidationException.For("continuationToken", "Not a continuation token this API returned.");
        }
    }
}
