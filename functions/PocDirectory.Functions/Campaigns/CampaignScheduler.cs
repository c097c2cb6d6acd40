using FluentValidation;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Recurring campaigns, and the timer's work: create the campaigns whose occurrence has come, start those due.</summary>
public sealed class CampaignScheduler(
    CampaignStore store,
    CampaignService campaigns,
    IValidator<CampaignScheduleInput> validator,
    AuditLog audit,
    IOptions<CampaignOptions> options,
    TimeProvider time,
    ILogger<CampaignScheduler> logger)
{
    public async Task<CampaignSchedule> CreateAsync(Caller caller, CampaignScheduleInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        validator.ThrowIfInvalid(input);
        await campaigns.ValidateAsync(input.Campaign!, "campaign.", cancellationToken);
        var now = time.GetUtcNow();
        var schedule = new CampaignScheduleEntity
        {
            RowKey = StorageKeys.SortableId(now),
            Name = input.Name!.Trim(),
            Cron = input.Cron!.Trim(),
            Campaign = System.Text.Json.JsonSerializer.Serialize(input.Campaign, ApiJson.Options),
            CreatedAt = now,
            CreatedBy = caller.Email,
        };
        await store.AddScheduleAsync(schedule, audit.Entry(caller, "CampaignSchedule.Created", "CampaignSchedule", schedule.RowKey, null, schedule.ToModel()), cancellationToken);
        return schedule.ToModel();
    }

    public async Task<ListPage<CampaignSchedule>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        return new ListPage<CampaignSchedule>((await store.ListSchedulesAsync(cancellationToken)).Select(s => s.ToModel()).ToList(), null);
    }

    public async Task<CampaignSchedule> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        return (await FindAsync(id, cancellationToken)).ToModel();
    }

    /// <summary>Stops future occurrences; campaigns already created from the schedule are not touched.</summary>
    public async Task DeleteAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        for (var attempt = 1; ; attempt++)
        {
            var schedule = await FindAsync(id, cancellationToken);
            try
            {
                await store.DeleteScheduleAsync(schedule, audit.Entry(caller, "CampaignSchedule.Deleted", "CampaignSchedule", id, schedule.ToModel(), null), cancellationToken);
                return;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412 && attempt < 5)
            {
                // The scheduler recorded an occurrence between the read and the delete (the caller sent no If-Match, so
                // this is not their conflict): delete what is there now, and audit that.
            }
        }
    }

    /// <summary>
    /// Creates the campaign of each schedule whose occurrence has come, then starts every due campaign. The campaign id
    /// comes from the schedule and the occurrence, so two timers (or instances) that see the same occurrence create it once.
    /// After downtime only the latest missed occurrence is created: a burst of stale pings would help nobody.
    /// </summary>
    public async Task RunAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var schedule in await store.ListSchedulesAsync(cancellationToken))
        {
            DateTimeOffset? occurrence = null;
            for (var next = schedule.NextAfter(schedule.LastOccurrence ?? schedule.CreatedAt); next is not null && next <= now; next = schedule.NextAfter(next.Value))
            {
                occurrence = next;
            }

            // A schedule stored before the minimum interval was enforced must not ping everyone on every tick either.
            if (occurrence is not { } due || due - schedule.LastOccurrence < options.Value.MinimumScheduleInterval)
            {
                continue;
            }

            var id = $"{schedule.RowKey}-{due.UtcDateTime:yyyyMMddHHmmss}";
            var template = schedule.CampaignValue with { StartAt = null };
            if (await campaigns.AddAsync(template, id, Caller.System, schedule.CreatedBy, schedule.RowKey, now, cancellationToken) is not null)
            {
                logger.LogInformation("Schedule {ScheduleId} created campaign {CampaignId}", schedule.RowKey, id);
            }

            schedule.LastOccurrence = due;
            try
            {
                await store.UpdateScheduleAsync(schedule, cancellationToken);
            }
            catch (Azure.RequestFailedException e) when (e.Status is 412 or 404)
            {
                // Another run recorded it first, or the schedule was deleted meanwhile.
            }
        }

        await campaigns.StartDueAsync(durable, cancellationToken);
    }

    private async Task<CampaignScheduleEntity> FindAsync(string id, CancellationToken cancellationToken)
        => await store.FindScheduleAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no campaign schedule with id '{id}'.");
}
