using System.Globalization;
using FluentValidation;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>Creates, starts, cancels and reads campaigns; sending and answers go through the delivery core.</summary>
public sealed class CampaignService(
    CampaignStore campaigns,
    ParticipantStore participants,
    IValidator<CampaignInput> validator,
    DeliveryService deliveries,
    DeliveryStore recipients,
    LiveProgress progress,
    PingDelivery pings,
    AuditLog audit,
    TimeProvider time)
{
    public async Task<Campaign> CreateAsync(Caller caller, CampaignInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        await ValidateAsync(input, "", cancellationToken);

        var now = time.GetUtcNow();
        var campaign = await AddAsync(input, StorageKeys.SortableId(now), caller, caller.Email, null, now, cancellationToken)
            ?? throw new ConflictException("A campaign with this id already exists.");
        if (campaign.StartAt is null || campaign.StartAt <= now)
        {
            await StartAsync(campaign, durable, cancellationToken);
        }

        return campaign.ToModel();
    }

    /// <summary>The input's rules, and that every participant in its scope exists.</summary>
    internal async Task ValidateAsync(CampaignInput input, string fieldPrefix, CancellationToken cancellationToken)
    {
        try
        {
            validator.ThrowIfInvalid(input);
        }
        catch (RequestValidationException e) when (fieldPrefix.Length > 0)
        {
            throw new RequestValidationException(e.Errors.ToDictionary(p => fieldPrefix + p.Key, p => p.Value));
        }

        foreach (var code in (input.Scope?.Participants ?? []).Select(p => p!.ToUpperInvariant()).Distinct())
        {
            if (await participants.FindAsync(code, cancellationToken) is null)
            {
                throw RequestValidationException.For(fieldPrefix + "scope.participants", $"There is no participant with code '{code}'.");
            }
        }
    }

    /// <summary>
    /// Stores a new campaign from an input already validated, with its audit entry by <paramref name="actor"/>; null when
    /// the id is taken (a schedule occurrence created twice).
    /// </summary>
    internal async Task<CampaignEntity?> AddAsync(
        CampaignInput input, string id, Caller actor, string createdBy, string? scheduleId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var campaign = new CampaignEntity
        {
            RowKey = id,
            Reference = $"PING-{now:yyyyMMdd}-{id[^6..]}",
            Name = input.Name!.Trim(),
            Scope = System.Text.Json.JsonSerializer.Serialize(
                new CampaignScope(
                    (input.Scope?.Participants ?? []).Select(p => p!.ToUpperInvariant()).Distinct().ToList(),
                    (input.Scope?.Regions ?? []).Distinct().ToList(),
                    (input.Scope?.Kinds ?? []).Distinct().ToList()),
                ApiJson.Options),
            ResponseWindow = input.ResponseWindow!,
            Reminders = System.Text.Json.JsonSerializer.Serialize(input.Reminders ?? [], ApiJson.Options),
            Escalate = input.Escalate ?? false,
            StartAt = input.StartAt,
            Subject = input.Subject,
            Body = input.Body,
            Status = nameof(CampaignStatus.Scheduled),
            CreatedAt = now,
            CreatedBy = createdBy,
            ScheduleId = scheduleId,
        };
        try
        {
            await campaigns.AddAsync(campaign, audit.Entry(actor, "Campaign.Created", "Campaign", id, null, campaign.ToModel()), cancellationToken);
            return campaign;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    /// <summary>Starts the campaign's delivery; a campaign already started is left as it is, so it runs once.</summary>
    public Task StartAsync(CampaignEntity campaign, DurableTaskClient durable, CancellationToken cancellationToken)
        => deliveries.StartAsync(PingDelivery.Of(campaign.RowKey), PingDelivery.FirstStepName, campaign.Window, campaign.ReminderOffsets,
            campaign.Escalate ? [campaign.Window] : [], durable, cancellationToken);

    /// <summary>Starts every scheduled campaign whose start time has come; run by the scheduler timer.</summary>
    public async Task<int> StartDueAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = (await campaigns.ListAsync(nameof(CampaignStatus.Scheduled), cancellationToken))
            .Where(c => !c.CancelRequested && (c.StartAt is null || c.StartAt <= now)).ToList();
        foreach (var campaign in due)
        {
            await StartAsync(campaign, durable, cancellationToken);
        }

        return due.Count;
    }

    public async Task<ListPage<Campaign>> ListAsync(Caller caller, CampaignStatus? status, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var found = await campaigns.ListAsync(status?.ToString(), cancellationToken);
        return new ListPage<Campaign>(found.Select(c => c.ToModel()).ToList(), null);
    }

    public async Task<Campaign> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var campaign = await FindAsync(id, cancellationToken);
        return campaign.ToModel((await progress.ReadAsync(PingDelivery.Of(id), campaign.Status, cancellationToken)).ToCampaignProgress());
    }

    /// <summary>Stops a campaign: no further messages, the unanswered count as cancelled, and the report is compiled.</summary>
    public async Task<Campaign> CancelAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var campaign = await FindAsync(id, cancellationToken);
        if (campaign.CampaignStatus is CampaignStatus.Completed or CampaignStatus.Cancelled)
        {
            throw new ConflictException($"This campaign is already {campaign.Status.ToLowerInvariant()}.");
        }

        var before = campaign.ToModel();
        campaign.CancelRequested = true;
        var started = await deliveries.IsStartedAsync(PingDelivery.Of(id), durable, cancellationToken);
        if (!started)
        {
            campaign.Status = nameof(CampaignStatus.Cancelled);
            campaign.CompletedAt = time.GetUtcNow();
        }

        await campaigns.UpdateAsync(campaign, audit.Entry(caller, "Campaign.CancelRequested", "Campaign", id, before, campaign.ToModel()), cancellationToken);
        if (started)
        {
            await deliveries.SignalAsync(PingDelivery.Of(id), DeliveryOrchestrator.Cancel, durable, cancellationToken);
        }

        return campaign.ToModel();
    }

    /// <summary>A failed campaign: compile the report from what happened so far, recording the pings missed until then.</summary>
    public Task<Campaign> CloseAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
        => DecideAsync(caller, id, DeliveryOrchestrator.Close, "Campaign.CloseRequested", durable, cancellationToken);

    /// <summary>A failed campaign: run the step that failed again, and carry on from there.</summary>
    public Task<Campaign> RetryAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
        => DecideAsync(caller, id, DeliveryOrchestrator.Retry, "Campaign.RetryRequested", durable, cancellationToken);

    /// <summary>Hands the Secretariat's decision on a failed step to the orchestration that waits for it.</summary>
    private async Task<Campaign> DecideAsync(Caller caller, string id, string decision, string action, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var campaign = await FindAsync(id, cancellationToken);
        if (campaign.CampaignStatus != CampaignStatus.Failed)
        {
            throw new ConflictException($"Only a failed campaign can be closed or retried; this one is {campaign.Status.ToLowerInvariant()}."
                + (campaign.CampaignStatus is CampaignStatus.Running or CampaignStatus.Scheduled ? " To stop it, cancel it." : string.Empty));
        }

        await deliveries.SignalAsync(PingDelivery.Of(id), decision, durable, cancellationToken);
        await audit.RecordEventAsync(caller, action, "Campaign", id, new { failedStep = campaign.FailedStep }, cancellationToken);
        return campaign.ToModel();
    }

    public async Task<ListPage<CampaignResult>> ResultsAsync(Caller caller, string id, PingOutcome? outcome, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        await FindAsync(id, cancellationToken);
        var rows = recipients.QueryAsync(PingDelivery.Of(id), outcome is null ? null : Enum.Parse<RecipientOutcome>(outcome.ToString()!), pageSize, cancellationToken);
        return await TablePages.FirstAsync(rows, continuationToken, pageSize, r => r.ToCampaignResult());
    }

    /// <summary>The stored report once the campaign is closed; while it runs, the same report computed from live results.</summary>
    public async Task<CampaignReport> ReportAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        await FindAsync(id, cancellationToken);
        if (await campaigns.FindReportAsync(id, cancellationToken) is { } stored)
        {
            return stored;
        }

        var results = (await recipients.ListAsync(PingDelivery.Of(id), cancellationToken)).Select(r => r.ToCampaignResult()).ToList();
        return CampaignReportBuilder.Build(id, results, time.GetUtcNow());
    }

    /// <summary>The pings of running campaigns that the caller, as a POC, has not acknowledged yet (its home's "waiting for you").</summary>
    public async Task<IReadOnlyList<(string PocId, Campaign Campaign)>> PendingForCallerAsync(Caller caller, CancellationToken cancellationToken)
    {
        var pocIds = caller.Roles.Where(r => r.Role == Roles.Role.Poc && r.PocId is not null).Select(r => r.PocId!).ToList();
        var pending = new List<(string, Campaign)>();
        if (pocIds.Count == 0)
        {
            return pending;
        }

        foreach (var campaign in await campaigns.ListAsync(nameof(CampaignStatus.Running), cancellationToken))
        {
            foreach (var pocId in pocIds)
            {
                if (await recipients.FindAsync(PingDelivery.Of(campaign.RowKey), pocId, cancellationToken) is { OutcomeValue: RecipientOutcome.Pending })
                {
                    pending.Add((pocId, campaign.ToModel()));
                }
            }
        }

        return pending;
    }

    /// <summary>A signed-in POC acknowledges in the portal instead of through the link.</summary>
    public async Task<AcknowledgementReceipt> AcknowledgeAsCallerAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await FindAsync(id, cancellationToken);
        foreach (var role in caller.Roles.Where(r => r.Role == Roles.Role.Poc && r.PocId is not null))
        {
            if (await recipients.FindAsync(PingDelivery.Of(id), role.PocId!, cancellationToken) is not null)
            {
                return await deliveries.AcknowledgeAsync(pings, id, role.PocId!, caller.Email, durable, cancellationToken);
            }
        }

        throw new ForbiddenException("You are not a POC pinged by this campaign.");
    }

    private async Task<CampaignEntity> FindAsync(string id, CancellationToken cancellationToken)
        => await campaigns.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no campaign with id '{id}'.");
}
