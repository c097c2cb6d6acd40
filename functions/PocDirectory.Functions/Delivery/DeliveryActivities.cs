using Microsoft.Azure.Functions.Worker;

namespace PocDirectory.Functions.Delivery;

/// <summary>The I/O steps of <see cref="DeliveryOrchestrator"/>, for every feature; each is idempotent, so a retried or replayed step converges.</summary>
public sealed class DeliveryActivities(DeliveryWork work)
{
    public const string Snapshot = "DeliverySnapshot";
    public const string SendBatch = "DeliverySendBatch";
    public const string GiveUpBatch = "DeliveryGiveUpBatch";
    public const string Escalate = "DeliveryEscalate";
    public const string Close = "DeliveryClose";
    public const string RecordFailure = "DeliveryRecordFailure";
    public const string Resume = "DeliveryResume";

    [Function(Snapshot)]
    public Task<int> DeliverySnapshot([ActivityTrigger] SnapshotInput input, CancellationToken cancellationToken)
        => work.SnapshotAsync(input, cancellationToken);

    [Function(SendBatch)]
    public Task<BatchOutcome> DeliverySendBatch([ActivityTrigger] SendBatchInput input, CancellationToken cancellationToken)
        => work.SendBatchAsync(input, cancellationToken);

    [Function(GiveUpBatch)]
    public Task<int> DeliveryGiveUpBatch([ActivityTrigger] SendBatchInput input, CancellationToken cancellationToken)
        => work.GiveUpBatchAsync(input, cancellationToken);

    [Function(Escalate)]
    public Task<EscalationOutcome> DeliveryEscalate([ActivityTrigger] EscalateInput input, CancellationToken cancellationToken)
        => work.EscalateAsync(input, cancellationToken);

    [Function(Close)]
    public Task<DeliverySummary> DeliveryClose([ActivityTrigger] CloseInput input, CancellationToken cancellationToken)
        => work.CloseAsync(input, cancellationToken);

    [Function(RecordFailure)]
    public Task<bool> DeliveryRecordFailure([ActivityTrigger] StepFailure failure, CancellationToken cancellationToken)
        => work.RecordFailureAsync(failure, cancellationToken);

    [Function(Resume)]
    public Task<bool> DeliveryResume([ActivityTrigger] DeliveryRef delivery, CancellationToken cancellationToken)
        => work.ResumeAsync(delivery, cancellationToken);
}
