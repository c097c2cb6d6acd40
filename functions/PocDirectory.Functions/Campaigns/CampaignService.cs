using System.Globalization;
using FluentValidation;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Campaigns;

/// <summary>What an acknowledgement answers: enough for the POC to see it counted, nothing about anyone else.</summary>
public sealed record AcknowledgementReceipt(string CampaignId, string CampaignName, string Reference, DateTimeOffset AcknowledgedAt);

/// <summary>Creates, starts, cancels and reads campaigns, and records acknowledgements.</summary>
public sealed class CampaignService(
    CampaignStore campaigns,
    ParticipantStore participants,
    IValidator<CampaignInput> validator,
    AcknowledgementTokens tokens,
    AuditLog audit,
    IOptions<CampaignOptions> options,
    TimeProvider time,
    ILogger<CampaignService> logger)
{
    private const string InvalidLink = "This acknowledgement link is not valid. Use the link from the most recent message, or ask the Secretariat.";

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

    /// <summary>
    /// Starts the campaign's orchestration. The instance id comes from the campaign id and a start is refused when that
    /// instance exists in any state, so the scheduler and the create route together still run a campaign once.
    /// </summary>
    public async Task StartAsync(CampaignEntity campaign, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var instanceId = StorageKeys.CampaignInstanceId(campaign.RowKey);
        if (await durable.GetInstanceAsync(instanceId, cancellationToken) is not null)
        {
            return;
        }

        var settings = options.Value;
        var input = new PingCampaignInput(
            campaign.RowKey,
            campaign.Window.TotalSeconds,
            campaign.ReminderOffsets.Select(r => r.TotalSeconds).ToList(),
            campaign.Escalate,
            settings.MaxParallelBatches,
            settings.SendAttempts,
            settings.FirstRetryDelay.TotalSeconds);
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(
                PingCampaignOrchestrator.Name,
                input,
                new StartOrchestrationOptions(instanceId).WithDedupeStatuses(Enum.GetValues<OrchestrationRuntimeStatus>()),
                cancellationToken);
            logger.LogInformation("Campaign {CampaignId} started", campaign.RowKey);
        }
        catch (Exception e) when (e is global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException
                                       or Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.AlreadyExists })
        {
            // Another start won the race; the campaign runs once.
            logger.LogInformation("Campaign {CampaignId} was already started", campaign.RowKey);
        }
    }

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
        return campaign.ToModel(await campaigns.ProgressAsync(id, cancellationToken));
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
        var instanceId = StorageKeys.CampaignInstanceId(id);
        var started = await durable.GetInstanceAsync(instanceId, cancellationToken) is not null;
        if (!started)
        {
            campaign.Status = nameof(CampaignStatus.Cancelled);
            campaign.CompletedAt = time.GetUtcNow();
        }

        await campaigns.UpdateAsync(campaign, audit.Entry(caller, "Campaign.CancelRequested", "Campaign", id, before, campaign.ToModel()), cancellationToken);
        if (started)
        {
            await durable.RaiseEventAsync(instanceId, PingCampaignOrchestrator.SignalEvent, PingCampaignOrchestrator.Cancel, cancellationToken);
        }

        return campaign.ToModel();
    }

    /// <summary>A failed campaign: compile the report from what happened so far, recording the pings missed until then.</summary>
    public Task<Campaign> CloseAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
        => DecideAsync(caller, id, PingCampaignOrchestrator.Close, "Campaign.CloseRequested", durable, cancellationToken);

    /// <summary>A failed campaign: run the step that failed again, and carry on from there.</summary>
    public Task<Campaign> RetryAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
        => DecideAsync(caller, id, PingCampaignOrchestrator.Retry, "Campaign.RetryRequested", durable, cancellationToken);

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

        await durable.RaiseEventAsync(StorageKeys.CampaignInstanceId(id), PingCampaignOrchestrator.SignalEvent, decision, cancellationToken);
        await audit.RecordEventAsync(caller, action, "Campaign", id, new { failedStep = campaign.FailedStep }, cancellationToken);
        return campaign.ToModel();
    }

    public async Task<ListPage<CampaignResult>> ResultsAsync(Caller caller, string id, PingOutcome? outcome, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        await FindAsync(id, cancellationToken);
        return await campaigns.ResultsPageAsync(id, outcome, pageSize, continuationToken, cancellationToken);
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

        var results = new List<CampaignResult>();
        await foreach (var row in campaigns.AllResultsAsync(id, cancellationToken))
        {
            results.Add(row.ToModel());
        }

        return CampaignReportBuilder.Build(id, results, time.GetUtcNow());
    }

    /// <summary>The anonymous acknowledgement link. Unknown, tampered and foreign tokens all get the same 404.</summary>
    public async Task<AcknowledgementReceipt> AcknowledgeByLinkAsync(string token, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        if (!tokens.TryRead(token, out var claim))
        {
            throw new NotFoundException(InvalidLink);
        }

        var campaign = await campaigns.FindAsync(claim!.CampaignId, cancellationToken) ?? throw new NotFoundException(InvalidLink);
        return await AcknowledgeAsync(campaign, claim.PocId, "acknowledgement-link", durable, cancellationToken);
    }

    /// <summary>A signed-in POC acknowledges in the portal instead of through the link.</summary>
    public async Task<AcknowledgementReceipt> AcknowledgeAsCallerAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var campaign = await FindAsync(id, cancellationToken);
        foreach (var role in caller.Roles.Where(r => r.Role == Roles.Role.Poc && r.PocId is not null))
        {
            if (await campaigns.FindResultAsync(id, role.PocId!, cancellationToken) is not null)
            {
                return await AcknowledgeAsync(campaign, role.PocId!, caller.Email, durable, cancellationToken);
            }
        }

        throw new ForbiddenException("You are not a POC pinged by this campaign.");
    }

    private async Task<AcknowledgementReceipt> AcknowledgeAsync(CampaignEntity campaign, string pocId, string actor, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var row = await campaigns.FindResultAsync(campaign.RowKey, pocId, cancellationToken) ?? throw new NotFoundException(InvalidLink);
        var acknowledgedAt = row.OutcomeValue == PingOutcome.Acknowledged ? row.AcknowledgedAt!.Value : await RecordAcknowledgementAsync(campaign, row, actor, cancellationToken);
        await WakeIfNobodyIsLeftAsync(campaign, durable);
        return Receipt(campaign, acknowledgedAt);
    }

    private async Task<DateTimeOffset> RecordAcknowledgementAsync(CampaignEntity campaign, CampaignResultEntity row, string actor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // A failed campaign still takes answers until its deadline: the failure was ours, not the POC's.
        if (campaign.CampaignStatus is not (CampaignStatus.Running or CampaignStatus.Failed) || campaign.Deadline is null || now > campaign.Deadline)
        {
            throw new GoneException(campaign.Deadline is { } deadline
                ? $"This ping closed on {deadline.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC; it can no longer be acknowledged. The Secretariat will be in touch."
                : "This ping is closed; it can no longer be acknowledged.");
        }

        var entry = audit.Entry(new Caller(actor, null, []), "Campaign.Acknowledged", "CampaignResult", $"{campaign.RowKey}/{row.PocId}",
            null, new { pocId = row.PocId, acknowledgedAt = now });
        if (await campaigns.ResolveAsync(campaign.RowKey, row.PocId, r =>
            {
                r.Outcome = nameof(PingOutcome.Acknowledged);
                r.AcknowledgedAt = now;
                r.AcknowledgedAfterStep = Math.Max(r.LastStepSent, CampaignSteps.Ping);
            }, cancellationToken, lastRead: row, entry: entry))
        {
            return now;
        }

        // Lost a race: either the same POC acknowledged a moment ago (harmless) or the deadline closed it.
        var current = await campaigns.FindResultAsync(campaign.RowKey, row.PocId, cancellationToken);
        return current?.OutcomeValue == PingOutcome.Acknowledged
            ? current.AcknowledgedAt!.Value
            : throw new GoneException("This ping is closed; it can no longer be acknowledged.");
    }

    /// <summary>
    /// Ends the campaign's wait early once nobody is left to answer. Every acknowledging call checks, not only the one that
    /// recorded the last answer: that call may have failed after its write (a timeout answered 503, the client retried and
    /// found the answer already there), and a campaign must not then wait for its deadline. A signal more than once is
    /// harmless (the orchestration takes the first). It is not tied to the request: the answer is recorded whatever the
    /// client does now, so neither its leaving nor a failure here turns the receipt into an error; the deadline still closes
    /// the campaign if the signal never arrives.
    /// </summary>
    private async Task WakeIfNobodyIsLeftAsync(CampaignEntity campaign, DurableTaskClient durable)
    {
        // A failed campaign waits for the Secretariat's decision; everyone having answered meanwhile closes it too.
        if (campaign.CampaignStatus is not (CampaignStatus.Running or CampaignStatus.Failed))
        {
            return;
        }

        try
        {
            if (!await campaigns.AnyPendingAsync(campaign.RowKey, CancellationToken.None))
            {
                await durable.RaiseEventAsync(StorageKeys.CampaignInstanceId(campaign.RowKey), PingCampaignOrchestrator.SignalEvent,
                    PingCampaignOrchestrator.AllAcknowledged, CancellationToken.None);
            }
        }
        catch (Exception e) when (e is Azure.RequestFailedException or Grpc.Core.RpcException or TimeoutException)
        {
            logger.LogWarning(e, "Campaign {CampaignId}: could not signal that everyone has answered; it closes at its deadline", campaign.RowKey);
        }
    }

    private static AcknowledgementReceipt Receipt(CampaignEntity campaign, DateTimeOffset at) => new(campaign.RowKey, campaign.Name, campaign.Reference, at);

    private async Task<CampaignEntity> FindAsync(string id, CancellationToken cancellationToken)
        => await campaigns.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no campaign with id '{id}'.");
}
