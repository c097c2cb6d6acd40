using Microsoft.Extensions.Hosting;

namespace PocDirectory.Functions.Audit;

/// <summary>
/// Moves committed audit entries from their outbox rows to the Audit table after the request has been answered
/// (decision 0040): a change's answer waits for its one transaction, not for the move. One mover takes whatever has
/// queued, so the entries that arrive while a move is on its way go together in the next one (decision 0043): a burst
/// of writes costs a few transactions, not two calls per write. At shutdown what is queued is still moved; what a crash
/// loses from the queue is still in its outbox, and <see cref="AuditLog.MoveOutboxAsync"/> moves it.
/// </summary>
public sealed class AuditOutboxMover(AuditLog audit) : BackgroundService
{
    /// <summary>Enough for several transactions' worth; more would only hold entries back from the log for longer.</summary>
    private const int MostPerMove = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await audit.QueuedMoves.WaitToReadAsync(stoppingToken))
            {
                await audit.MoveQueuedAsync(Queued(), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: move what is already queued, then leave the rest (none, normally) to the sweep.
            for (var queued = Queued(); queued.Count > 0; queued = Queued())
            {
                await audit.MoveQueuedAsync(queued, CancellationToken.None);
            }
        }
    }

    private List<OutboxItem> Queued()
    {
        var items = new List<OutboxItem>();
        while (items.Count < MostPerMove && audit.QueuedMoves.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }
}
