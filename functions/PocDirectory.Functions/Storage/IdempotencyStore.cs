using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Storage;

public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>
    /// How long a try holds its key before another try may take over (its process died). Longer than any request may
    /// run (Azure's front end cuts HTTP requests at 230 s); a take-over cannot create twice, it only answers later.
    /// </summary>
    public TimeSpan InFlightLease { get; set; } = TimeSpan.FromMinutes(4);
}

/// <summary>
/// Idempotency-Key reservations (decision 0017): one row per caller and key in the Idempotency table, holding the
/// request's fingerprint, whether it is in flight or done, and the answer once done. Used by
/// <see cref="ApiHandler.RunCreateAsync{TBody}"/>; the marker in the change's own transaction is what makes a crash
/// between the save and the answer safe (<see cref="IdempotentRequest"/>).
/// </summary>
public sealed class IdempotencyStore(DirectoryTables tables, IOptions<IdempotencyOptions> options, TimeProvider time, ILogger<IdempotencyStore> logger)
{
    /// <summary>A key answers the same for this long after its first use (the draft leaves it to the server).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private const string InFlight = "InFlight";
    private const string Done = "Done";

    /// <summary>The fingerprint of a request: method, path and the exact body bytes.</summary>
    public static string Fingerprint(string method, string path, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{method} {path}\n"));
        hash.AppendData(body);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    /// <param name="answerReplay">
    /// How a repeated request is answered from the first one's stored answer; by default that answer byte for byte. When
    /// given, the answer is stored without its body (status and headers only): the replay rebuilds it, so no copy of a
    /// confidential body outlives the record it came from (decision 0021).
    /// </param>
    public async Task<ApiResult> RunAsync(
        Caller caller, string key, string fingerprint, int successStatus, string collectionPath, Func<Task<ApiResult>> create, CancellationToken cancellationToken,
        Func<StoredResponse, Task<ApiResult>>? answerReplay = null)
    {
        var storesBody = answerReplay is null;
        answerReplay ??= stored => Task.FromResult(stored.ToResult());
        var (reservation, replay) = await ReserveAsync(caller, key, fingerprint, cancellationToken);
        if (replay is not null)
        {
            return await answerReplay(replay);
        }

        var request = new IdempotentRequest(reservation.GetString("Token"), successStatus, collectionPath,
            (table, partition) => RecordMarkerPlaceAsync(reservation, table, partition, cancellationToken));
        IdempotentRequest.Current = request;
        try
        {
            var result = await create();
            var answer = StoredResponse.From(result);
            await (result.Status is >= 200 and < 300 ? CompleteAsync(reservation, storesBody ? answer : answer with { Body = null }) : ReleaseAsync(reservation));
            return result;
        }
        catch (IdempotentReplayException earlier)
        {
            await CompleteAsync(reservation, earlier.Response);
            return await answerReplay(earlier.Response);
        }
        catch (Exception) when (request.CommittedResponse is { } committed)
        {
            // Saved, then failed (e.g. the campaign's orchestration did not start): this try answers the failure, and a
            // retry with the key gets what was created instead of creating it again.
            await CompleteAsync(reservation, committed);
            throw;
        }
        catch (Exception)
        {
            // Nothing was saved: the key is free again, e.g. for the same form corrected after a 400.
            await ReleaseAsync(reservation);
            throw;
        }
        finally
        {
            IdempotentRequest.Current = null;
        }
    }

    private async Task<(TableEntity Reservation, StoredResponse? Replay)> ReserveAsync(Caller caller, string key, string fingerprint, CancellationToken cancellationToken)
    {
        // Per person, not per address: the subject (tenant + object id) is who the caller is; a recycled address is not.
        var partition = StorageKeys.UserPartition(caller.Subject ?? caller.Email);

        // Hashed: keys may hold characters a row key may not, and stored keys should not be guessable from the table.
        var rowKey = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var lease = options.Value.InFlightLease;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var now = time.GetUtcNow();
            var fresh = new TableEntity(partition, rowKey)
            {
                ["Fingerprint"] = fingerprint,
                ["Token"] = StorageKeys.SortableId(now),
                ["CreatedAt"] = now,
                ["LeaseUntil"] = now + lease,
                ["State"] = InFlight,
            };
            try
            {
                fresh.ETag = (await tables.Idempotency.AddEntityAsync(fresh, cancellationToken)).Headers.ETag ?? ETag.All;
                return (fresh, null);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                // The key was used before: see how.
            }

            var found = await tables.Idempotency.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
            if (!found.HasValue)
            {
                continue;
            }

            var existing = found.Value!;
            if (existing.GetDateTimeOffset("CreatedAt") + Retention <= now)
            {
                // Its first use is older than the retention: the key starts afresh.
                if (await TryReplaceAsync(fresh, existing.ETag, cancellationToken))
                {
                    return (fresh, null);
                }

                continue;
            }

            if (existing.GetString("Fingerprint") != fingerprint)
            {
                throw new UnprocessableContentException(
                    "This Idempotency-Key was already used for a different request (another body or route). Send a new key with a new request.");
            }

            if (existing.GetString("State") == Done)
            {
                return (existing, StoredResponse.ReadFrom(existing));
            }

            if (existing.GetDateTimeOffset("LeaseUntil") > now)
            {
                throw new ConflictException("A request with this Idempotency-Key is still being processed. Wait for its answer, or retry in a moment.");
            }

            // The try that held the key stopped without finishing (its process died). If it had saved, its marker says
            // so and holds its answer; otherwise this try takes over, with the same token, so that should the dead try's
            // commit still land (it cannot after a crash, but a slow try might), this one meets its marker instead.
            if (await DeadTrysAnswerAsync(existing, cancellationToken) is { } saved)
            {
                await CompleteAsync(existing, saved);
                return (existing, saved);
            }

            existing["LeaseUntil"] = now + lease;
            if (await TryReplaceAsync(existing, existing.ETag, cancellationToken))
            {
                return (existing, null);
            }
        }

        throw new ServiceBusyException("Many requests with this Idempotency-Key arrived at once. Nothing was changed; try again in a moment.", TimeSpan.FromSeconds(1));
    }

    /// <summary>Notes in the reservation where the create's marker goes, just before the create commits (its answer is in the marker).</summary>
    private async Task RecordMarkerPlaceAsync(TableEntity reservation, TableClient table, string partition, CancellationToken cancellationToken)
    {
        if (reservation.GetString("MarkerTable") == table.Name && reservation.GetString("MarkerPartition") == partition)
        {
            // Noted by an earlier attempt of the same commit (a store that retries on contention).
            return;
        }

        reservation["MarkerTable"] = table.Name;
        reservation["MarkerPartition"] = partition;
        reservation.ETag = (await tables.Idempotency.UpdateEntityAsync(reservation, ETag.All, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? ETag.All;
    }

    private async Task<StoredResponse?> DeadTrysAnswerAsync(TableEntity reservation, CancellationToken cancellationToken)
    {
        if (reservation.GetString("MarkerTable") is not { } table || reservation.GetString("MarkerPartition") is not { } partition)
        {
            return null;
        }

        var marker = await tables.Table(table).GetEntityIfExistsAsync<TableEntity>(
            partition, IdempotentRequest.MarkerRowKey(reservation.GetString("Token")), cancellationToken: cancellationToken);
        return marker.HasValue ? StoredResponse.ReadFrom(marker.Value!) : null;
    }

    private async Task<bool> TryReplaceAsync(TableEntity entity, ETag ifMatch, CancellationToken cancellationToken)
    {
        try
        {
            entity.ETag = (await tables.Idempotency.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, cancellationToken)).Headers.ETag ?? ETag.All;
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return false;
        }
    }

    /// <summary>
    /// Records the answer. If that fails the answer still goes out: the key stays in flight until its lease ends, and a
    /// retry then meets the marker of the saved change.
    /// </summary>
    private async Task CompleteAsync(TableEntity reservation, StoredResponse response)
    {
        var done = new TableEntity(reservation.PartitionKey, reservation.RowKey)
        {
            ["Fingerprint"] = reservation["Fingerprint"],
            ["Token"] = reservation["Token"],
            ["CreatedAt"] = reservation["CreatedAt"],
            ["State"] = Done,
        };
        response.WriteTo(done);
        await TryAsync(() => tables.Idempotency.UpsertEntityAsync(done, TableUpdateMode.Replace, CancellationToken.None), "record the answer of");
    }

    /// <summary>Frees the key after a try that saved nothing; if that fails, the key frees itself when its lease ends.</summary>
    private Task ReleaseAsync(TableEntity reservation)
        => TryAsync(() => tables.Idempotency.DeleteEntityAsync(reservation.PartitionKey, reservation.RowKey, reservation.ETag, CancellationToken.None), "release");

    private async Task TryAsync(Func<Task<Response>> write, string what)
    {
        try
        {
            await write();
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException or OperationCanceledException)
        {
            logger.LogWarning("Could not {What} an idempotent request: {Error}", what, e.GetType().Name);
        }
    }
}
