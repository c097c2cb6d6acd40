using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Http;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Api;

/// <summary>
/// The create being served under an Idempotency-Key (decision 0017), for the length of its handler. The first audited
/// change it commits carries a marker row in the same transaction, holding the answer that create gives; a later try of
/// the same request that commits into the same partition collides with the marker, so it cannot create a second record
/// and answers from the marker instead.
/// </summary>
public sealed class IdempotentRequest(string token, int successStatus, string collectionPath, Func<TableClient, string, Task> committingTo)
{
    private static readonly AsyncLocal<IdempotentRequest?> _current = new();

    /// <summary>Markers outlive the key's 24 hours by an hour, so a try at the end of the window still finds its marker.</summary>
    private static readonly TimeSpan MarkerLifetime = TimeSpan.FromHours(25);

    public static IdempotentRequest? Current
    {
        get => _current.Value;
        internal set => _current.Value = value;
    }

    /// <summary>What the change committed by this request answers, once it is committed.</summary>
    public StoredResponse? CommittedResponse { get; private set; }

    /// <summary>The marker for the request's first audited change; null for later ones (one create, one marker).</summary>
    internal TableEntity? MarkerFor(string partition, AuditRecord entry)
    {
        if (CommittedResponse is not null)
        {
            return null;
        }

        var body = entry.After is null ? null : JsonSerializer.Serialize(entry.After, entry.After.GetType(), ApiJson.Options);
        var marker = new TableEntity(partition, MarkerRowKey(token)) { ["CreatedAt"] = entry.At };
        new StoredResponse(successStatus, new Dictionary<string, string> { ["Location"] = $"{collectionPath}/{entry.EntityId}" }, body).WriteTo(marker);
        return marker;
    }

    /// <summary>Says where the marker is about to be written, so a try after a crash can look there before it runs anything.</summary>
    internal Task CommittingToAsync(TableClient table, string partition) => committingTo(table, partition);

    internal void Committed(TableEntity? marker)
    {
        if (marker is not null)
        {
            CommittedResponse = StoredResponse.ReadFrom(marker);
        }
    }

    /// <summary>The answer of the earlier try when <paramref name="marker"/> is there; null when the conflict was the change's own.</summary>
    internal async Task<Exception?> AlreadyCommittedAsync(TableClient table, TableEntity marker, CancellationToken cancellationToken)
    {
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(marker.PartitionKey, marker.RowKey, cancellationToken: cancellationToken);
        return existing.HasValue ? new IdempotentReplayException(StoredResponse.ReadFrom(existing.Value!)) : null;
    }

    public static string MarkerRowKey(string token) => StorageKeys.IdempotencyMarkerRowKeyPrefix + token;

    public static bool IsExpiredMarker(TableEntity row, DateTimeOffset now)
        => row.RowKey.StartsWith(StorageKeys.IdempotencyMarkerRowKeyPrefix, StringComparison.Ordinal)
           && row.GetDateTimeOffset("CreatedAt") is { } at && at + MarkerLifetime < now;
}

/// <summary>Thrown from a commit that met the marker of an earlier try: the create is done, this is its answer.</summary>
public sealed class IdempotentReplayException(StoredResponse response) : Exception("The request was carried out before.")
{
    public StoredResponse Response { get; } = response;
}

/// <summary>A create's answer as stored for replay: status, the Location and ETag headers, the JSON body.</summary>
public sealed record StoredResponse(int Status, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public static StoredResponse From(ApiResult result) => new(
        result.Status,
        new Dictionary<string, string>(result.Headers, StringComparer.OrdinalIgnoreCase),
        result.Body is null ? null : JsonSerializer.Serialize(result.Body, result.Body.GetType(), ApiJson.Options));

    public ApiResult ToResult()
    {
        var result = ApiResult.Json(Status, Body);
        foreach (var (name, value) in Headers)
        {
            result.WithHeader(name, value);
        }

        return result;
    }

    public void WriteTo(TableEntity entity)
    {
        entity["Status"] = Status;
        entity["Headers"] = JsonSerializer.Serialize(Headers);
        TableText.Write(entity, "Body", Body);
    }

    public static StoredResponse ReadFrom(TableEntity entity) => new(
        entity.GetInt32("Status") ?? StatusCodes.Status200OK,
        JsonSerializer.Deserialize<Dictionary<string, string>>(entity.GetString("Headers") ?? "{}") ?? [],
        TableText.Read(entity, "Body"));
}

/// <summary>The Idempotency-Key request header (IETF httpapi draft): a Structured Field string, quoted or not.</summary>
public static partial class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>The key, null when the header is absent; a malformed key is the caller's error (400).</summary>
    public static string? From(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Header, out var values))
        {
            return null;
        }

        var value = values.Count == 1 ? values[0]!.Trim() : string.Empty;
        if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
        {
            value = value[1..^1];
        }

        return WellFormed().IsMatch(value)
            ? value
            : throw RequestValidationException.For(Header,
                "Send one Idempotency-Key of 8 to 128 letters, digits, '-', '_', '.' or ':' (a UUID is a good key), quoted or not.");
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{8,128}$")]
    private static partial Regex WellFormed();
}
