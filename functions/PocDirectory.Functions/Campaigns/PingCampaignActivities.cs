using Microsoft.Azure.Functions.Worker;

namespace PocDirectory.Functions.Campaigns;

/// <summary>The I/O steps of <see cref="PingCampaignOrchestrator"/>; each is idempotent, so a retried or replayed step converges.</summary>
public sealed class PingCampaignActivities(CampaignDelivery delivery, CampaignReporting reporting, CampaignFailures failures)
{
    public const string Snapshot = "SnapshotCampaign";
    public const string SendBatch = "SendCampaignBatch";
    public const string GiveUpBatch = "GiveUpCampaignBatch";
    public const string Escalate = "EscalateCampaign";
    public const string CompileReport = "CompileCampaignReport";
    public const string RecordFailure = "RecordCampaignFailure";
    public const string ResumeAfterFailure = "ResumeCampaignAfterFailure";

    [Function(Snapshot)]
    public Task<int> SnapshotCampaign([ActivityTrigger] SnapshotInput input, CancellationToken cancellationToken)
        => delivery.SnapshotAsync(input, cancellationToken);

    [Function(SendBatch)]
    public Task<BatchOutcome> SendCampaignBatch([ActivityTrigger] SendBatchInput input, CancellationToken cancellationToken)
        => delivery.SendBatchAsync(input, cancellationToken);

    [Function(GiveUpBatch)]
    public Task<int> GiveUpCampaignBatch([ActivityTrigger] SendBatchInput input, CancellationToken cancellationToken)
        => delivery.GiveUpBatchAsync(input, cancellationToken);

    [Function(Escalate)]
    public Task<EscalationOutcome> EscalateCampaign([ActivityTrigger] string campaignId, CancellationToken cancellationToken)
        => delivery.EscalateAsync(campaignId, cancellationToken);

    [Function(CompileReport)]
    public Task<CampaignSummary> CompileCampaignReport([ActivityTrigger] CompileInput input, CancellationToken cancellationToken)
        => reporting.CompileAsync(input, cancellationToken);

    [Function(RecordFailure)]
    public Task<bool> RecordCampaignFailure([ActivityTrigger] StepFailure failure, CancellationToken cancellationToken)
        => failures.RecordAsync(failure, cancellationToken);

    [Function(ResumeAfterFailure)]
    public Task<bool> ResumeCampaignAfterFailure([ActivityTrigger] string campaignId, CancellationToken cancellationToken)
        => failures.ResumeAsync(campaignId, cancellationToken);
}
