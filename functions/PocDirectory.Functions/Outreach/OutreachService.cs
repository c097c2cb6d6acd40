using System.Globalization;
using System.Text.Json;
using FluentValidation;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Outreach;

/// <summary>Outreach to participants that have not nominated (both kinds of) POCs: the Secretariat's, start to report.</summary>
public sealed class OutreachService(
    OutreachStore store,
    ParticipantStore participants,
    MissionContactService missions,
    RoleStore roles,
    PocStore pocs,
    DeliveryService deliveries,
    DeliveryStore recipients,
    IValidator<OutreachInput> validator,
    IOptions<OutreachOptions> options,
    AuditLog audit,
    TimeProvider time)
{
    public async Task<OutreachRound> CreateAsync(Caller caller, OutreachInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        validator.ThrowIfInvalid(input);
        var scope = input.Scope!;
        var statuses = scope.NominationStatus is { Count: > 0 } s ? s : [NominationStatus.None, NominationStatus.DiplomaticOnly, NominationStatus.TechnicalOnly];
        var only = scope.Participants is { Count: > 0 } p ? p.Select(c => c!.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal) : null;
        var inScope = (await participants.ListAsync(cancellationToken))
            .Where(x => statuses.Contains(x.NominationStatus) && MissingOf(x) is not null)
            .Where(x => scope.Regions is not { Count: > 0 } || (x.Region is { } region && scope.Regions.Contains(region)))
            .Where(x => only is null || only.Contains(x.Code))
            .ToList();

        // Only participants with someone to write to: a mission contact or a focal point.
        var withContacts = await missions.ListAsync(inScope.Select(x => x.Code), cancellationToken);
        var withFocalPoints = (await roles.ListAsync(null, Role.FocalPoint, null, cancellationToken)).Select(a => a.Participant).OfType<string>()
            .Select(c => c.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
        var targets = inScope.Where(x => withContacts.ContainsKey(x.Code) || withFocalPoints.Contains(x.Code))
            .Select(x => new OutreachTarget(x.Code, x.Name, MissingOf(x)!.Value))
            .OrderBy(t => t.Code, StringComparer.Ordinal)
            .ToList();
        if (targets.Count == 0)
        {
            throw new UnprocessableContentException(
                $"The scope selects nobody to write to: of {inScope.Count} participants in it, none has a mission contact or a focal point. Record mission contacts first (PUT /api/participants/{{code}}/mission).");
        }

        var now = time.GetUtcNow();
        var id = StorageKeys.NewestFirstId(now);
        var reminders = (input.Reminders ?? []).Select(r => r!).ToList();
        var entity = new OutreachEntity
        {
            PartitionKey = StorageKeys.OutreachPartition,
            RowKey = id,
            Reference = $"OUT-{now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{id[^4..]}",
            Subject = string.IsNullOrWhiteSpace(input.Subject) ? null : input.Subject.Trim(),
            Body = string.IsNullOrWhiteSpace(input.Body) ? null : input.Body,
            Reminders = JsonSerializer.Serialize(reminders, ApiJson.Options),
            Targets = JsonSerializer.Serialize(targets, ApiJson.Options),
            CreatedAt = now,
            CreatedBy = caller.Email,
        };
        var created = ToModel(entity, []);
        await store.AddAsync(entity, audit.Entry(caller, "Outreach.Created", "Outreach", id, null, created with { Participants = [] }), cancellationToken);

        var offsets = reminders.Select(OutreachInputValidator.Offset).ToList();
        var window = (offsets.Count == 0 ? TimeSpan.Zero : offsets[^1]) + options.Value.CloseAfterLastReminder;
        await deliveries.StartAsync(OutreachDelivery.Of(id), OutreachDelivery.FirstStepName, window, offsets, [], durable, cancellationToken);
        return created;
    }

    public async Task<ListPage<OutreachRound>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        return new ListPage<OutreachRound>((await store.ListAsync(cancellationToken)).Select(o => ToModel(o, [])).ToList(), null);
    }

    /// <summary>Per participant: contacted (first letter sent), reminded (last reminder sent), nominated since (the POC that filled the gap).</summary>
    public async Task<OutreachRound> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var entity = await store.FindAsync(id, cancellationToken) ?? throw new NotFoundException($"There is no outreach with id '{id}'.");
        var rows = (await recipients.ListAsync(OutreachDelivery.Of(id), cancellationToken)).ToLookup(r => r.Participant, StringComparer.Ordinal);
        var current = (await participants.ListAsync(cancellationToken)).ToDictionary(x => x.Code, StringComparer.Ordinal);
        var shown = new List<OutreachParticipant>();
        foreach (var target in entity.TargetList)
        {
            var sent = rows[target.Code].ToList();
            var contactedAt = sent.Where(r => r.FirstSentAt is not null).Select(r => r.FirstSentAt).Min();
            var remindedAt = sent.Where(r => r.LastStepSent >= 1 && r.LastSentAt is not null).Select(r => r.LastSentAt).Max();
            var nominatedAt = current.TryGetValue(target.Code, out var now) && !OutreachDelivery.StillLacks(target.Missing, now)
                ? await NominatedAtAsync(target, cancellationToken)
                : null;
            shown.Add(new OutreachParticipant(target.Code, target.Name, target.Missing, contactedAt, remindedAt, nominatedAt));
        }

        return ToModel(entity, shown);
    }

    /// <summary>When the gap was filled: the earliest creation among the active POCs that fill it.</summary>
    private async Task<DateTimeOffset?> NominatedAtAsync(OutreachTarget target, CancellationToken cancellationToken)
    {
        DateTimeOffset? first = null;
        await foreach (var poc in pocs.AllAsync(target.Code, cancellationToken))
        {
            var fills = poc.Status == PocStatus.Active && target.Missing switch
            {
                Missing.NoPoc => true,
                Missing.NoTechnicalPoc => poc.Kind == PocKind.Technical,
                _ => poc.Kind == PocKind.Diplomatic,
            };
            if (fills && (first is null || poc.CreatedAt < first))
            {
                first = poc.CreatedAt;
            }
        }

        return first;
    }

    private static Missing? MissingOf(Participant participant) => OutreachDelivery.MissingOf(participant.NominationStatus);

    private static OutreachRound ToModel(OutreachEntity o, IReadOnlyList<OutreachParticipant> shown)
        => new(o.RowKey, o.Reference, o.Subject, o.StateValue, o.CreatedAt, o.CreatedBy, o.Deadline, o.ReminderList, shown);
}
