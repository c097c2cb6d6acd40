using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Email;

/// <summary>
/// The one pace of the whole app. Every send of every instance (pings, reminders, escalations, summaries) takes the next
/// slot from one table row, so together they stay within Email:MaxPerMinute and Email:MaxPerHour, which are quotas of
/// the provider's subscription, not of a process. The row holds the time of the next free slot (a token bucket one token
/// deep); slots are spaced evenly, which keeps every rolling minute and hour under quota whatever window the provider
/// counts in. Updates are conditional on the row's ETag, so two senders never take the same slot.
/// </summary>
public sealed class EmailPace
{
    public const string TableName = "EmailPace";

    private const string RowPartition = "pace";

    private const string RowKey = "email";

    /// <summary>Each lost race means another instance took a slot; this many in a row means storage is misbehaving.</summary>
    private const int MaxAttempts = 50;

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _tableCreated;

    /// <summary>Senders of this instance take turns on the row; other instances are met by the ETag retries.</summary>
    private readonly KeyedLock _turn = new();

    /// <summary>The row as this instance last wrote it: while no other instance writes, the next slot needs no read.</summary>
    private PaceRow? _lastWritten;

    /// <summary>
    /// Slots this instance took in one write and hands out itself: at a fast pace (more than one send a second) a
    /// second's worth per write, so the pace costs a write a second rather than one per send. Unused ones are lost.
    /// </summary>
    private (DateTimeOffset Next, DateTimeOffset End) _block;

    public EmailPace(TableServiceClient service, IOptions<EmailOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        _table = service.GetTableClient(TableName);
        _time = time;
        Interval = options.Value.PaceInterval;
        _tableCreated = new Lazy<Task>(() => _table.CreateIfNotExistsAsync());
    }

    /// <summary>The time between two sends of the whole app.</summary>
    public TimeSpan Interval { get; }

    /// <summary>
    /// Takes the next free slot and returns its time. With <paramref name="sendBy"/>, a slot later than that is not taken:
    /// <see cref="EmailPaceDeferredException"/> tells the caller to hand the message to a later activity instead.
    /// </summary>
    public async Task<DateTimeOffset> ReserveAsync(DateTimeOffset? sendBy, CancellationToken cancellationToken)
    {
        await _tableCreated.Value.WaitAsync(cancellationToken);
        using var turn = await _turn.AcquireAsync(RowKey, cancellationToken);
        var now = _time.GetUtcNow();
        if (_block.Next < _block.End && _block.Next < now)
        {
            // A slot whose time has passed unused stays unused: taking it late could put two sends closer than the interval.
            _block.Next += Interval * Math.Ceiling((now - _block.Next) / Interval);
        }

        if (_block.Next < _block.End && !(_block.Next > sendBy))
        {
            var taken = _block.Next;
            _block.Next += Interval;
            return taken;
        }

        var perWrite = Math.Max(1, (int)(TimeSpan.FromSeconds(1) / Interval));
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var row = _lastWritten ?? await ReadAsync(cancellationToken);
            _lastWritten = null;
            now = _time.GetUtcNow();
            var slot = row.NextSlot > now ? row.NextSlot : now;
            if (slot > sendBy)
            {
                throw new EmailPaceDeferredException(slot);
            }

            var next = new PaceRow { PartitionKey = RowPartition, RowKey = RowKey, NextSlot = slot + (Interval * perWrite) };
            try
            {
                var response = row.ETag == default
                    ? await _table.AddEntityAsync(next, cancellationToken)
                    : await _table.UpdateEntityAsync(next, row.ETag, TableUpdateMode.Replace, cancellationToken);
                next.ETag = response.Headers.ETag ?? default;
                _lastWritten = next;
                _block = (slot + Interval, next.NextSlot);
                return slot;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another sender took this slot first: read the row again and take the one after.
            }
        }

        throw new EmailDeliveryException($"The shared email pace stayed contended for {MaxAttempts} attempts.", isPermanent: false);
    }

    private async Task<PaceRow> ReadAsync(CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<PaceRow>(RowPartition, RowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value! : new PaceRow { NextSlot = DateTimeOffset.MinValue };
    }

    private sealed class PaceRow : ITableEntity
    {
        public string PartitionKey { get; set; } = string.Empty;

        public string RowKey { get; set; } = string.Empty;

        public DateTimeOffset? Timestamp { get; set; }

        public ETag ETag { get; set; }

        public DateTimeOffset NextSlot { get; set; }
    }
}

/// <summary>
/// The message was not sent, because the shared pace has no slot for it before its <see cref="EmailMessage.SendBy"/>.
/// Not a failure: the caller sends it later (from another activity), and nothing counts it against the recipient.
/// </summary>
public sealed class EmailPaceDeferredException : Exception
{
    public EmailPaceDeferredException()
    {
    }

    public EmailPaceDeferredException(string message)
        : base(message)
    {
    }

    public EmailPaceDeferredException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EmailPaceDeferredException(DateTimeOffset nextSlot)
        : base($"The shared email pace has no slot before {nextSlot:O}.")
        => NextSlot = nextSlot;

    /// <summary>The earliest slot the pace could have given.</summary>
    public DateTimeOffset NextSlot { get; }
}
