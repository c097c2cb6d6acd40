using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Campaigns and their schedules in Table Storage, their reports in Blob Storage; the POCs' rows are the delivery core's (DeliveryStore).</summary>
public sealed class CampaignStore(DirectoryTables tables, BlobServiceClient blobs, AuditLog audit)
{
    private readonly BlobContainerClient _reports = blobs.GetBlobContainerClient(StorageKeys.CampaignReportsContainer);

    public Task AddAsync(CampaignEntity campaign, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.Add, campaign)], entry, cancellationToken);

    public async Task<CampaignEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return null;
        }

        var response = await tables.Campaigns.GetEntityIfExistsAsync<CampaignEntity>(StorageKeys.CampaignPartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<IReadOnlyList<CampaignEntity>> ListAsync(string? status, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.CampaignPartition}") + " and " + StorageKeys.SkipsChangeRows;
        if (status is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Status eq {status}");
        }

        var found = new List<CampaignEntity>();
        await foreach (var entity in tables.Campaigns.QueryAsync<CampaignEntity>(filter, cancellationToken: cancellationToken))
        {
            found.Add(entity);
        }

        // Ids are time-ordered; newest first is what the Secretariat wants to see.
        return found.OrderByDescending(c => c.RowKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>Merges the changed campaign if it is still at its ETag; a concurrent change gets 412.</summary>
    public Task UpdateAsync(CampaignEntity campaign, CancellationToken cancellationToken)
        => tables.Campaigns.UpdateEntityAsync(campaign, campaign.ETag, TableUpdateMode.Merge, cancellationToken);

    /// <summary>As <see cref="UpdateAsync(CampaignEntity, CancellationToken)"/>, with the change's audit entry in its transaction.</summary>
    public Task UpdateAsync(CampaignEntity campaign, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.UpdateMerge, campaign, campaign.ETag)], entry, cancellationToken);

    /// <summary>
    /// Reads the whole campaign, applies <paramref name="change"/> (which returns false when there is nothing to do) and
    /// writes it back at the ETag it read with the audit entry <paramref name="entry"/> makes of before and after, in one
    /// transaction, again on a lost race; returns the campaign before and after, or null when nothing changed.
    /// </summary>
    public async Task<(Campaign Before, CampaignEntity After)?> ChangeAsync(
        string id, Func<CampaignEntity, bool> change, Func<Campaign, Campaign, AuditRecord> entry, CancellationToken cancellationToken)
    {
        Campaign? before = null;
        var after = await ConditionalChange.ApplyAsync(
            async () =>
            {
                var read = await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Campaign {id} does not exist.");
                before = read.ToModel();
                return read;
            },
            change,
            // Replace, not merge: a merge leaves properties set to null (a cleared failure) as they were.
            campaign => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, campaign, campaign.ETag)],
                entry(before!, campaign.ToModel()), cancellationToken));
        return after is null ? null : (before!, after);
    }

    /// <summary>The report as one blob: thousands of undeliverable POCs make it megabytes, beyond any table entity.</summary>
    public async Task SaveReportAsync(CampaignReport report, CancellationToken cancellationToken)
    {
        await _reports.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await _reports.GetBlobClient(StorageKeys.CampaignReportBlob(report.CampaignId))
            .UploadAsync(BinaryData.FromObjectAsJson(report, ApiJson.Options), overwrite: true, cancellationToken);
    }

    public async Task<CampaignReport?> FindReportAsync(string campaignId, CancellationToken cancellationToken)
    {
        try
        {
            var content = await _reports.GetBlobClient(StorageKeys.CampaignReportBlob(campaignId)).DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToObjectFromJson<CampaignReport>(ApiJson.Options);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Not compiled yet (or no container yet: no campaign has closed).
            return null;
        }
    }

    public Task AddScheduleAsync(CampaignScheduleEntity schedule, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.Add, schedule)], entry, cancellationToken);

    public async Task<IReadOnlyList<CampaignScheduleEntity>> ListSchedulesAsync(CancellationToken cancellationToken)
    {
        var found = new List<CampaignScheduleEntity>();
        await foreach (var entity in tables.Campaigns.QueryAsync<CampaignScheduleEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {StorageKeys.CampaignSchedulePartition}") + " and " + StorageKeys.SkipsChangeRows,
                           cancellationToken: cancellationToken))
        {
            found.Add(entity);
        }

        return found;
    }

    public async Task<CampaignScheduleEntity?> FindScheduleAsync(string id, CancellationToken cancellationToken)
    {
        if (id.Length is 0 or > 64 || !id.All(char.IsAsciiLetterOrDigit))
        {
            return null;
        }

        var response = await tables.Campaigns.GetEntityIfExistsAsync<CampaignScheduleEntity>(StorageKeys.CampaignSchedulePartition, id, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>If-match: two schedulers that both saw an occurrence record it once.</summary>
    public Task UpdateScheduleAsync(CampaignScheduleEntity schedule, CancellationToken cancellationToken)
        => tables.Campaigns.UpdateEntityAsync(schedule, schedule.ETag, TableUpdateMode.Replace, cancellationToken);

    public Task DeleteScheduleAsync(CampaignScheduleEntity schedule, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Campaigns, [new TableTransactionAction(TableTransactionActionType.Delete, schedule, schedule.ETag)], entry, cancellationToken);
}
