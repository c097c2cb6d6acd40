using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using FluentValidation;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Exercises;

/// <summary>
/// Simulation exercises (issue 17): drafts, dry runs, the run on its timeline, answers by link, observations and the
/// after-action report. Each inject is a delivery of the core (<see cref="ExerciseDelivery"/>); the Secretariat and the
/// exercise's named controllers (by the address they sign in with) manage it.
/// </summary>
public sealed class ExerciseService(
    ExerciseStore exercises,
    ExerciseDelivery feature,
    ExercisePlayers players,
    IValidator<ExerciseInput> validator,
    IValidator<ExerciseResponseInput> responseValidator,
    IValidator<ObservationInput> observationValidator,
    DeliveryService deliveries,
    DeliveryStore recipients,
    DeliveryLinks links,
    CommunicationStore communications,
    AuditLog audit,
    TimeProvider time)
{
    private const string NotFound = "There is no exercise with this id that you control.";
    private const string InvalidLink = "This link is not valid. Use the link from the most recent message, or ask the exercise controllers.";

    public async Task<Versioned<Exercise>> CreateAsync(Caller caller, ExerciseInput input, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        await ValidateAsync(input, cancellationToken);
        var now = time.GetUtcNow();
        var id = StorageKeys.SortableId(now);
        var exercise = new ExerciseEntity { PartitionKey = id, Reference = $"EXR-{now:yyyyMMdd}-{id[^6..]}", CreatedAt = now, CreatedBy = caller.Email };
        Apply(exercise, input);
        await exercises.AddAsync(exercise, audit.Entry(caller, "Exercise.Created", "Exercise", id, null, Audited(exercise)), cancellationToken);
        return await VersionedAsync(id, cancellationToken);
    }

    public async Task<Versioned<Exercise>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        await RequireControlledAsync(caller, id, cancellationToken);
        return await VersionedAsync(id, cancellationToken);
    }

    /// <summary>All exercises for the Secretariat; for anyone else, those they are a controller of (none for most).</summary>
    public async Task<ListPage<Exercise>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var found = (await exercises.ListAsync(cancellationToken)).Where(e => caller.IsSecretariat || e.IsController(caller.Email));
        return new ListPage<Exercise>(found.Select(e => e.ToModel(new Dictionary<int, ExerciseInjectEntity>())).ToList(), null);
    }

    /// <summary>
    /// The live injects that wait for the caller's own POC records (not yet acknowledged, still open), each with the
    /// caller's own response link, so the POC's home answers them on the link page like the email does.
    /// </summary>
    public async Task<IReadOnlyList<PendingInject>> PendingForCallerAsync(Caller caller, CancellationToken cancellationToken)
    {
        var pocIds = caller.Roles.Where(r => r.Role == Roles.Role.Poc && r.PocId is not null).Select(r => r.PocId!).Distinct().ToList();
        var pending = new List<PendingInject>();
        if (pocIds.Count == 0)
        {
            return pending;
        }

        var now = time.GetUtcNow();
        foreach (var exercise in (await exercises.ListAsync(cancellationToken)).Where(e => e.StatusValue is ExerciseStatus.Running or ExerciseStatus.Paused))
        {
            foreach (var row in (await exercises.ListInjectsAsync(exercise.Id, cancellationToken)).Where(r => !r.DryRun && r.StateValue == DeliveryState.Running && r.Deadline > now))
            {
                var inject = exercise.InjectList.First(i => i.Number == row.Number);
                var delivery = ExerciseDelivery.Of(exercise.Id, row.Key);
                foreach (var pocId in pocIds)
                {
                    if (await recipients.FindAsync(delivery, pocId, cancellationToken) is { OutcomeValue: RecipientOutcome.Pending })
                    {
                        var token = links.Create(new LinkClaim(LinkPurpose.Respond, ExerciseDelivery.FeatureName, delivery.Id, pocId, row.Deadline!.Value + DeliveryWork.LinkGrace));
                        pending.Add(new PendingInject(pocId, exercise.Id, exercise.Reference, exercise.Name, inject.Number, inject.Title, inject.Expects, row.Deadline.Value, token));
                    }
                }
            }
        }

        return pending;
    }

    /// <summary>The exercises running or paused now, as the caller may see them (all for the Secretariat).</summary>
    public async Task<IReadOnlyList<Exercise>> RunningAsync(Caller caller, CancellationToken cancellationToken)
    {
        var running = new List<Exercise>();
        foreach (var exercise in (await ListAsync(caller, cancellationToken)).Items.Where(e => e.Status is ExerciseStatus.Running or ExerciseStatus.Paused))
        {
            running.Add((await VersionedAsync(exercise.Id, cancellationToken)).Value);
        }

        return running;
    }

    /// <summary>Replaces a draft at the version read; a running or ended exercise cannot change (409).</summary>
    public async Task<Versioned<Exercise>> UpdateAsync(Caller caller, string id, string ifMatch, ExerciseInput input, CancellationToken cancellationToken)
    {
        var exercise = await RequireControlledAsync(caller, id, cancellationToken);
        if (exercise.StatusValue != ExerciseStatus.Draft)
        {
            throw new ConflictException($"Exercise {exercise.Reference} is {exercise.Status}: only a draft can be edited.");
        }

        await ValidateAsync(input, cancellationToken);
        var before = Audited(exercise);
        exercise.ETag = new Azure.ETag(ifMatch);
        Apply(exercise, input);
        await exercises.ReplaceAsync(exercise, audit.Entry(caller, "Exercise.Updated", "Exercise", id, before, Audited(exercise)), cancellationToken);
        return await VersionedAsync(id, cancellationToken);
    }

    /// <summary>Every inject at once to the controllers only (a delivery of its own per inject, round r): wording and links. Nothing counts.</summary>
    public async Task<Exercise> DryRunAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var exercise = await RequireControlledAsync(caller, id, cancellationToken);
        if (exercise.StatusValue == ExerciseStatus.Ended)
        {
            throw new ConflictException($"Exercise {exercise.Reference} has ended.");
        }

        if (exercise.ControllerList.Count == 0)
        {
            throw new ConflictException("The exercise names no controllers: a dry run goes to its controllers only.");
        }

        var changed = await exercises.ChangeAsync(id, e => { e.DryRuns++; return true; },
            e => audit.Entry(caller, "Exercise.DryRun", "Exercise", id, null, new { dryRun = e.DryRuns }), cancellationToken);
        var round = changed!.DryRuns;
        foreach (var inject in changed.InjectList)
        {
            var key = ExerciseDelivery.DryRunKey(round, inject.Number);
            await exercises.AddInjectAsync(new ExerciseInjectEntity { PartitionKey = id, RowKey = StorageKeys.ExerciseInjectRowKeyPrefix + key, Number = inject.Number, DryRun = true, ScheduledAt = time.GetUtcNow() }, cancellationToken);
            await deliveries.StartAsync(ExerciseDelivery.Of(id, key), ExerciseDelivery.FirstStepName, ExerciseDelivery.InjectWindow(inject), [], [], durable, cancellationToken);
        }

        return (await VersionedAsync(id, cancellationToken)).Value;
    }

    /// <summary>Draft → Running: the timeline starts, and delivers each inject at its offset from now.</summary>
    public async Task<Exercise> StartAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await RequireControlledAsync(caller, id, cancellationToken);
        var now = time.GetUtcNow();
        var started = await exercises.ChangeAsync(id, e =>
        {
            if (e.StatusValue != ExerciseStatus.Draft)
            {
                throw new ConflictException($"Exercise {e.Reference} is {e.Status}: only a draft can start.");
            }

            (e.Status, e.StartedAt) = (nameof(ExerciseStatus.Running), now);
            return true;
        }, e => audit.Entry(caller, "Exercise.Started", "Exercise", id, new { status = nameof(ExerciseStatus.Draft) }, new { status = e.Status, startedAt = now }), cancellationToken);
        var offsets = started!.InjectList.Select(i => ExerciseInputValidator.Duration(i.At).TotalSeconds).ToList();
        await durable.ScheduleNewOrchestrationInstanceAsync(ExerciseTimeline.Name, new ExerciseTimelineInput(id, offsets),
            new StartOrchestrationOptions(ExerciseTimeline.InstanceId(id)), cancellationToken);
        return (await VersionedAsync(id, cancellationToken)).Value;
    }

    public Task<Exercise> PauseAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
        => ControlAsync(caller, id, ExerciseTimeline.Pause, ExerciseStatus.Running, ExerciseStatus.Paused, durable, cancellationToken);

    public Task<Exercise> ResumeAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
        => ControlAsync(caller, id, ExerciseTimeline.Resume, ExerciseStatus.Paused, ExerciseStatus.Running, durable, cancellationToken);

    /// <summary>Running or Paused → Ended: the timeline stops, open injects stop reminding and take no more answers.</summary>
    public async Task<Exercise> EndAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var exercise = await ControlAsync(caller, id, ExerciseTimeline.End, null, ExerciseStatus.Ended, durable, cancellationToken);
        foreach (var row in await exercises.ListInjectsAsync(id, cancellationToken))
        {
            if (!row.DryRun && row.StateValue != DeliveryState.Closed)
            {
                await deliveries.SignalAsync(ExerciseDelivery.Of(id, row.Key), DeliveryOrchestrator.Cancel, durable, cancellationToken);
            }
        }

        return exercise;
    }

    /// <summary>The timeline's activity: records inject <paramref name="input"/>'s delivery and starts it on the core, unless the exercise ended.</summary>
    public async Task<bool> StartInjectAsync(StartInjectInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var exercise = await exercises.FindAsync(input.ExerciseId, cancellationToken) ?? throw new InvalidOperationException($"Exercise {input.ExerciseId} does not exist.");
        if (exercise.StatusValue == ExerciseStatus.Ended)
        {
            return false;
        }

        var inject = exercise.InjectList.First(i => i.Number == input.Number);
        var key = ExerciseDelivery.LiveKey(inject.Number);
        await exercises.AddInjectAsync(new ExerciseInjectEntity { PartitionKey = exercise.Id, RowKey = StorageKeys.ExerciseInjectRowKeyPrefix + key, Number = inject.Number, ScheduledAt = input.DueAt }, cancellationToken);
        await deliveries.StartAsync(ExerciseDelivery.Of(exercise.Id, key), ExerciseDelivery.FirstStepName, ExerciseDelivery.InjectWindow(inject), [], [], durable, cancellationToken);
        return true;
    }

    /// <summary>What an inject link opens: the inject for that player; tampered or foreign tokens get 404.</summary>
    public async Task<ExerciseResponseView> ResponseViewAsync(string token, CancellationToken cancellationToken)
    {
        var (exercise, inject, row, recipient, dryRun) = await ReadLinkAsync(token, cancellationToken);
        var reply = await exercises.FindReplyAsync(exercise.Id, row.Key, recipient.RecipientId, cancellationToken);
        var open = (dryRun || exercise.StatusValue != ExerciseStatus.Ended) && row.StateValue is DeliveryState.Running or DeliveryState.Failed
                   && row.Deadline is { } deadline && time.GetUtcNow() <= deadline;
        return new ExerciseResponseView(exercise.Id, exercise.Name, dryRun, inject.Number, inject.Title, inject.Message, inject.Expects, inject.ContactParticipant,
            inject.Options, row.Deadline, open, recipient.AcknowledgedAt, reply?.At);
    }

    /// <summary>
    /// An answer by link: Acknowledge goes through the core (recorded once, audited, the delivery woken when nobody is
    /// left); a Reply acknowledges too and keeps its text and choice. After the exercise's end or the inject's deadline: 410.
    /// </summary>
    public async Task<ExerciseResponseReceipt> RespondAsync(string token, ExerciseResponseInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        var (exercise, inject, row, recipient, dryRun) = await ReadLinkAsync(token, cancellationToken);
        if (!dryRun && exercise.StatusValue == ExerciseStatus.Ended)
        {
            throw new GoneException("This exercise has ended; its injects can no longer be answered.");
        }

        responseValidator.ThrowIfInvalid(input);
        if (input.Response == ExerciseResponseKind.Reply && inject.Expects != InjectExpects.Reply)
        {
            throw RequestValidationException.For("response", "This inject asks for an acknowledgement, not a reply.");
        }

        if (input.Choice is { } choice && !inject.Options.Contains(choice, StringComparer.Ordinal))
        {
            throw RequestValidationException.For("choice", inject.Options.Count == 0 ? "This inject offers no options." : $"Must be one of: {string.Join(", ", inject.Options)}.");
        }

        var now = time.GetUtcNow();
        if (input.Response == ExerciseResponseKind.Reply && (row.Deadline is not { } deadline || now > deadline))
        {
            throw new GoneException(feature.ClosedMessage(new DeliveryHeader(string.Empty, exercise.Reference, DeliveryState.Closed, row.Deadline, false)));
        }

        var receipt = await deliveries.AcknowledgeAsync(feature, ExerciseDelivery.Of(exercise.Id, row.Key).Id, recipient.RecipientId, "exercise-link", durable, cancellationToken);
        if (input.Response == ExerciseResponseKind.Acknowledge)
        {
            return new ExerciseResponseReceipt(exercise.Id, inject.Number, ExerciseResponseKind.Acknowledge, receipt.AcknowledgedAt);
        }

        var reply = new ExerciseReplyEntity
        {
            PartitionKey = exercise.Id,
            RowKey = ExerciseStore.ReplyRowKey(row.Key, recipient.RecipientId),
            Participant = recipient.Participant,
            RecipientId = recipient.RecipientId,
            DeliveryKey = row.Key,
            Text = input.Text!,
            Choice = input.Choice,
            At = now,
        };
        var entry = audit.Entry(new Caller("exercise-link", null, []), "Exercise.Replied", "ExerciseReply", $"{exercise.Id}/{row.Key}/{recipient.RecipientId}",
            null, new { inject = inject.Number, participant = recipient.Participant, choice = input.Choice, at = now });
        if (!await exercises.AddReplyAsync(reply, entry, cancellationToken))
        {
            throw new ConflictException("This inject was already answered from this link; the first reply stands.");
        }

        return new ExerciseResponseReceipt(exercise.Id, inject.Number, ExerciseResponseKind.Reply, now);
    }

    public async Task<Observation> ObserveAsync(Caller caller, string id, ObservationInput input, CancellationToken cancellationToken)
    {
        var exercise = await RequireControlledAsync(caller, id, cancellationToken);
        observationValidator.ThrowIfInvalid(input);
        var participant = input.Participant!.ToUpperInvariant();
        if (!await players.IsPlayerAsync(exercise.PlayersValue, participant, cancellationToken))
        {
            throw RequestValidationException.For("participant", $"{participant} does not play in this exercise.");
        }

        var now = time.GetUtcNow();
        var observation = new ExerciseObservationEntity
        {
            PartitionKey = id, RowKey = StorageKeys.ExerciseObservationRowKeyPrefix + participant, Participant = participant, Text = input.Text!.Trim(), Author = caller.Email, At = now,
        };
        await exercises.SaveObservationAsync(observation, audit.Entry(caller, "Exercise.Observed", "ExerciseObservation", $"{id}/{participant}", null, new { participant, at = now }), cancellationToken);
        return observation.ToModel();
    }

    /// <summary>The after-action report: per inject and participant, and per participant; dry runs never count.</summary>
    public async Task<ExerciseReport> ReportAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var exercise = await RequireControlledAsync(caller, id, cancellationToken);
        var rows = (await exercises.ListInjectsAsync(id, cancellationToken)).Where(r => !r.DryRun).ToDictionary(r => r.Number);
        var replies = (await exercises.ListRepliesAsync(id, cancellationToken)).ToLookup(r => r.DeliveryKey, StringComparer.Ordinal);
        var observations = (await exercises.ListObservationsAsync(id, cancellationToken)).Select(o => o.ToModel()).ToList();
        var roundTrips = await RoundTripsAsync(id, cancellationToken);
        var summaries = new List<InjectSummary>();
        var results = new List<InjectResult>();
        foreach (var inject in exercise.InjectList)
        {
            rows.TryGetValue(inject.Number, out var row);
            var recipientRows = row is null ? [] : await recipients.ListAsync(ExerciseDelivery.Of(id, row.Key), cancellationToken);
            var deliveredAt = recipientRows.Where(r => r.FirstSentAt is not null).Select(r => r.FirstSentAt).Min();
            summaries.Add(new InjectSummary(inject.Number, inject.Title, inject.Expects, inject.At, row?.ScheduledAt, deliveredAt,
                deliveredAt is { } d && row?.ScheduledAt is { } s ? Math.Round((d - s).TotalSeconds, 3) : null));
            var window = ExerciseDelivery.InjectWindow(inject);
            foreach (var participant in recipientRows.GroupBy(r => r.Participant).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var delivered = participant.Where(r => r.FirstSentAt is not null).Select(r => r.FirstSentAt).Min();
                var acknowledged = participant.Where(r => r.AcknowledgedAt is not null).Select(r => r.AcknowledgedAt).Min();
                var reply = row is null ? null : replies[row.Key].Where(r => r.Participant == participant.Key).OrderBy(r => r.At).FirstOrDefault();
                var trip = inject.Expects == InjectExpects.ContactParticipant && delivered is { } since
                    ? roundTrips.Where(t => t.From == participant.Key && t.To == inject.ContactParticipant && t.SentAt >= since).OrderBy(t => t.AcknowledgedAt).FirstOrDefault()
                    : null;
                DateTimeOffset? response = inject.Expects switch
                {
                    InjectExpects.Acknowledge => acknowledged,
                    InjectExpects.Reply => reply?.At,
                    _ => trip?.AcknowledgedAt,
                };
                var taken = response is { } r2 && delivered is { } d2 ? Math.Round((r2 - d2).TotalSeconds, 3) : (double?)null;
                results.Add(new InjectResult(inject.Number, participant.Key, participant.Count(), delivered, acknowledged, response,
                    taken is { } t2 && t2 <= window.TotalSeconds, taken, reply?.Choice, reply?.Text, trip?.CommunicationId));
            }
        }

        var scores = results.GroupBy(r => r.Participant).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var inTime = g.Count(r => r.InTime);
            var times = g.Where(r => r.InTime && r.SecondsTaken is not null).Select(r => r.SecondsTaken!.Value).Order().ToList();
            return new ParticipantScore(g.Key, g.Count(), inTime, Math.Round((double)inTime / g.Count(), 4), Median(times),
                observations.FirstOrDefault(o => o.Participant == g.Key)?.Text);
        }).ToList();
        return new ExerciseReport(id, exercise.Reference, exercise.Name, exercise.StatusValue, exercise.StartedAt, exercise.EndedAt, summaries, results, scores, observations);
    }

    public static string ToCsv(ExerciseReport report)
    {
        static string? Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture);
        static string? Number(double? n) => n?.ToString(CultureInfo.InvariantCulture);
        return Export.SpreadsheetCsv.Write(
            new[] { new[] { "inject", "participant", "recipients", "deliveredAt", "firstAcknowledgedAt", "firstResponseAt", "inTime", "secondsTaken", "choice", "communicationId", "observation" }.AsEnumerable<string?>() }
                .Concat(report.Results.Select(r => new[]
                {
                    r.Inject.ToString(CultureInfo.InvariantCulture), r.Participant, r.Recipients.ToString(CultureInfo.InvariantCulture), Time(r.DeliveredAt),
                    Time(r.FirstAcknowledgedAt), Time(r.FirstResponseAt), r.InTime ? "true" : "false", Number(r.SecondsTaken), r.Choice, r.CommunicationId,
                    report.Participants.FirstOrDefault(p => p.Participant == r.Participant)?.Observation,
                }.AsEnumerable())));
    }

    /// <summary>For Communications: the exercise a communication is marked with must be running, and the sender's participant play in it.</summary>
    public static async Task ValidateExerciseCommunicationAsync(ExerciseStore store, ExercisePlayers players, string exerciseId, string from, CancellationToken cancellationToken)
    {
        var exercise = await store.FindAsync(exerciseId, cancellationToken);
        if (exercise is null || exercise.StatusValue != ExerciseStatus.Running)
        {
            throw RequestValidationException.For("exerciseId", "There is no running exercise with this id.");
        }

        if (!await players.IsPlayerAsync(exercise.PlayersValue, from, cancellationToken))
        {
            throw RequestValidationException.For("exerciseId", $"{from} does not play in this exercise.");
        }
    }

    private sealed record RoundTrip(string CommunicationId, string From, string To, DateTimeOffset SentAt, DateTimeOffset AcknowledgedAt);

    /// <summary>The exercise's communications that the other side acknowledged: the round trips through the directory.</summary>
    private async Task<List<RoundTrip>> RoundTripsAsync(string id, CancellationToken cancellationToken)
    {
        var trips = new List<RoundTrip>();
        await foreach (var c in communications.QueryAsync(TableClient.CreateQueryFilter($"ExerciseId eq {id}"), cancellationToken))
        {
            var first = (await recipients.ListAsync(CommunicationDelivery.Of(c.RowKey), cancellationToken))
                .Where(r => r.AcknowledgedAt is not null).Select(r => r.AcknowledgedAt).Min() ?? c.AcknowledgedAt;
            if (first is { } at)
            {
                trips.Add(new RoundTrip(c.RowKey, c.From, c.To, c.SentAt, at));
            }
        }

        return trips;
    }

    private static double? Median(IReadOnlyList<double> sorted) => sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private async Task<Exercise> ControlAsync(Caller caller, string id, string signal, ExerciseStatus? from, ExerciseStatus to, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        await RequireControlledAsync(caller, id, cancellationToken);
        var now = time.GetUtcNow();
        string? before = null;
        await exercises.ChangeAsync(id, e =>
        {
            var ok = from is { } f ? e.StatusValue == f : e.StatusValue is ExerciseStatus.Running or ExerciseStatus.Paused;
            if (!ok)
            {
                throw new ConflictException($"Exercise {e.Reference} is {e.Status}: it cannot {signal.ToLowerInvariant()} now.");
            }

            before = e.Status;
            e.Status = to.ToString();
            e.PausedAt = to == ExerciseStatus.Paused ? now : null;
            e.EndedAt = to == ExerciseStatus.Ended ? now : e.EndedAt;
            return true;
        }, e => audit.Entry(caller, $"Exercise.{to}", "Exercise", id, new { status = before }, new { status = e.Status, at = now }), cancellationToken);
        await durable.RaiseEventAsync(ExerciseTimeline.InstanceId(id), ExerciseTimeline.ControlEvent, signal, cancellationToken);
        return (await VersionedAsync(id, cancellationToken)).Value;
    }

    private async Task<(ExerciseEntity Exercise, Inject Inject, ExerciseInjectEntity Row, RecipientEntity Recipient, bool DryRun)> ReadLinkAsync(string token, CancellationToken cancellationToken)
    {
        if (!links.TryRead(token, out var claim) || claim!.Purpose != LinkPurpose.Respond || claim.Feature != ExerciseDelivery.FeatureName
            || !ExerciseDelivery.TrySplit(claim.DeliveryId, out var exerciseId, out var key, out var number, out var dryRun)
            || await exercises.FindAsync(exerciseId, cancellationToken) is not { } exercise
            || exercise.InjectList.FirstOrDefault(i => i.Number == number) is not { } inject
            || await exercises.FindInjectAsync(exerciseId, key, cancellationToken) is not { } row
            || await recipients.FindAsync(ExerciseDelivery.Of(exerciseId, key), claim.RecipientId, cancellationToken) is not { } recipient)
        {
            throw new NotFoundException(InvalidLink);
        }

        if (claim.HasExpired(time.GetUtcNow()))
        {
            throw new GoneException("This link has expired; it can no longer be used.");
        }

        return (exercise, inject, row, recipient, dryRun);
    }

    private async Task<ExerciseEntity> RequireControlledAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var exercise = await exercises.FindAsync(id, cancellationToken);
        if (exercise is null && caller.IsSecretariat)
        {
            throw new NotFoundException(NotFound);
        }

        return exercise is not null && (caller.IsSecretariat || exercise.IsController(caller.Email))
            ? exercise
            : throw new ForbiddenException("Only the Secretariat and the exercise's controllers may see or steer it.");
    }

    private async Task ValidateAsync(ExerciseInput input, CancellationToken cancellationToken)
    {
        validator.ThrowIfInvalid(input);
        var scope = input.Players!;
        foreach (var code in scope.Participants ?? [])
        {
            if (!await players.ExistsAsync(code.ToUpperInvariant(), cancellationToken))
            {
                throw RequestValidationException.For("players.participants", $"There is no participant with code '{code.ToUpperInvariant()}'.");
            }
        }

        for (var i = 0; i < input.Injects!.Count; i++)
        {
            var inject = input.Injects[i];
            foreach (var code in (inject.Participants ?? []).Append(inject.ContactParticipant).OfType<string>())
            {
                if (!await players.IsPlayerAsync(scope, code.ToUpperInvariant(), cancellationToken))
                {
                    throw RequestValidationException.For($"injects[{i}]", $"{code.ToUpperInvariant()} does not play in this exercise.");
                }
            }
        }
    }

    private static void Apply(ExerciseEntity exercise, ExerciseInput input)
    {
        var scope = input.Players!;
        exercise.Name = input.Name!.Trim();
        exercise.Description = input.Description;
        exercise.Players = JsonSerializer.Serialize(new PlayerScope(
            (scope.Participants ?? []).Select(p => p.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList(),
            (scope.Regions ?? []).Distinct().Order().ToList(), (scope.Kinds ?? []).Distinct().Order().ToList()), ApiJson.Options);
        exercise.Controllers = JsonSerializer.Serialize((input.Controllers ?? []).Select(c => c.Trim().ToLowerInvariant()).Distinct().ToList(), ApiJson.Options);
        exercise.Injects = JsonSerializer.Serialize(input.Injects!.Select((i, n) => new Inject(
            n + 1, i.At!, i.Title!.Trim(), i.Message!, i.Expects!.Value, i.ContactParticipant?.ToUpperInvariant(), i.RespondWithin!, i.To!.Value,
            (i.Participants ?? []).Select(p => p.ToUpperInvariant()).Distinct().ToList(), i.Options ?? [])).ToList(), ApiJson.Options);
    }

    /// <summary>What the audit log keeps of an exercise: its shape, not the inject texts.</summary>
    private static object Audited(ExerciseEntity e) => new
    {
        name = e.Name, status = e.Status, players = e.PlayersValue, controllers = e.ControllerList.Count,
        injects = e.InjectList.Select(i => new { i.Number, i.At, i.Expects, i.RespondWithin, i.To }).ToList(),
    };

    private async Task<Versioned<Exercise>> VersionedAsync(string id, CancellationToken cancellationToken)
    {
        var exercise = await exercises.FindAsync(id, cancellationToken) ?? throw new NotFoundException(NotFound);
        var rows = (await exercises.ListInjectsAsync(id, cancellationToken)).Where(r => !r.DryRun).ToDictionary(r => r.Number);
        return new Versioned<Exercise>(exercise.ToModel(rows), exercise.ETag.ToString());
    }
}

/// <summary>Who plays in an exercise: a participant named in its players, or of a region named there.</summary>
public sealed class ExercisePlayers(ParticipantStore participants)
{
    public async Task<bool> ExistsAsync(string code, CancellationToken cancellationToken)
        => await participants.FindAsync(code, cancellationToken) is not null;

    public async Task<bool> IsPlayerAsync(PlayerScope scope, string code, CancellationToken cancellationToken)
    {
        if (scope.Participants?.Contains(code, StringComparer.OrdinalIgnoreCase) == true)
        {
            return true;
        }

        return scope.Regions is { Count: > 0 } regions && await participants.FindAsync(code, cancellationToken) is { } p
            && Enum.TryParse<Region>(p.Region, out var region) && regions.Contains(region);
    }
}
