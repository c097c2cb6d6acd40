using Microsoft.Extensions.Hosting;

namespace PocDirectory.Functions.Audit;

/// <summary>
/// Moves committed audit entries from their outbox rows to the Audit table after the request has been answered
/// (decision 0040): a change's answer waits for its one transaction, not for the move's two calls. A few movers run side
/// by side so a burst of writes does not queue behind one round trip at a time. At shutdown what is queued is still
/// moved; what a crash loses from the queue is still in its outbox, and <see cref="AuditLog.MoveOutboxAsync"/> moves it.
/// </summary>
public sealed class AuditOutboxMover(AuditLog audit) : BackgroundService
{
    private const int Movers = 4;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(Enumerable.Range(0, Movers).Select(_ => Task.Run(() => MoveAsync(stoppingToken), CancellationToken.None)));

    private async Task MoveAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var item in audit.QueuedMoves.ReadAllAsync(stoppingToken))
            {
                await audit.MoveQueuedAsync(item, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: move what is already queued, then leave the rest (none, normally) to the sweep.
            while (audit.QueuedMoves.TryRead(out var item))
            {
                await audit.MoveQueuedAsync(item, CancellationToken.None);
            }
        }
    }
}
