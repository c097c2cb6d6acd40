using System.Globalization;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Exercises;

/// <summary>
/// Exercises as a feature of the delivery core. Each inject is a delivery of its own, "{exerciseId}-i{n}", to the players
/// in its scope with a Respond link (/exercise/{token}) and a deadline of its respondWithin; a dry run is one delivery per
/// inject, "{exerciseId}-d{r}i{n}", to the controllers only. Sending, links, pacing, answers and retries are the core's;
/// the timeline that starts each inject at its offset is <see cref="ExerciseTimeline"/>.
/// </summary>
public sealed class ExerciseDelivery(ExerciseStore exercises) : IDeliveryFeature
{
    public const string FeatureName = "exercise";

    public const string FirstStepName = "Inject";

    public string Name => FeatureName;

    public LinkPurpose LinkPurpose => LinkPurpose.Respond;

    public string RecipientsTable => StorageKeys.ExerciseRecipientsTable;

    public string AuditEntity => "Exercise";

    public static string LiveKey(int inject) => $"i{inject}";

    public static string DryRunKey(int round, int inject) => $"d{round}i{inject}";

    public static DeliveryRef Of(string exerciseId, string key) => new(FeatureName, $"{exerciseId}-{key}");

    /// <summary>The exercise, the delivery key, the inject number and whether it is a dry run, of a delivery id; false for anything else.</summary>
    public static bool TrySplit(string deliveryId, out string exerciseId, out string key, out int inject, out bool dryRun)
    {
        var dash = deliveryId.IndexOf('-', StringComparison.Ordinal);
        exerciseId = dash > 0 ? deliveryId[..dash] : string.Empty;
        key = dash > 0 ? deliveryId[(dash + 1)..] : string.Empty;
        dryRun = key.StartsWith('d');
        var i = key.LastIndexOf('i');
        inject = 0;
        return dash > 0 && i >= 0 && int.TryParse(key.AsSpan(i + 1), NumberStyles.None, CultureInfo.InvariantCulture, out inject) && ExerciseStore.IsWellFormedId(exerciseId);
    }

    public async Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!TrySplit(id, out var exerciseId, out var key, out var number, out var dryRun) || await exercises.FindAsync(exerciseId, cancellationToken) is not { } exercise
            || await exercises.FindInjectAsync(exerciseId, key, cancellationToken) is not { } row)
        {
            return null;
        }

        var title = exercise.InjectList.FirstOrDefault(i => i.Number == number)?.Title ?? string.Empty;

        // An ended exercise takes no more answers and sends nothing more; a dry run is the controllers' and ends with its deadline.
        var ended = !dryRun && exercise.StatusValue == ExerciseStatus.Ended;
        return new DeliveryHeader($"{exercise.Name}: {title}", exercise.Reference, ended ? DeliveryState.Closed : row.StateValue, row.Deadline, ended, row.FailedStep);
    }

    public async Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        TrySplit(id, out var exerciseId, out var key, out var number, out var dryRun);
        var exercise = await exercises.FindAsync(exerciseId, cancellationToken) ?? throw new InvalidOperationException($"Exercise {exerciseId} does not exist.");
        var inject = exercise.InjectList.First(i => i.Number == number);
        var window = InjectWindow(inject);
        await exercises.ChangeInjectAsync(exerciseId, key, r =>
        {
            if (r.StateValue != DeliveryState.Scheduled)
            {
                return false;
            }

            (r.State, r.Deadline, r.StartedAt) = (nameof(DeliveryState.Running), deadline, deadline - window);
            return true;
        }, cancellationToken);

        if (dryRun)
        {
            return RecipientScope.Named(exercise.ControllerList.Select(c => new NamedRecipient(NamedRecipient.IdFor(c), "controller", "Controller", string.Empty, c)).ToList());
        }

        var players = exercise.PlayersValue;
        return inject.To == InjectTo.Participants
            ? new RecipientScope(inject.Participants, [], players.Kinds ?? [])
            : new RecipientScope(players.Participants ?? [], players.Regions ?? [], players.Kinds ?? []);
    }

    public async Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken)
    {
        TrySplit(id, out var exerciseId, out _, out var number, out var dryRun);
        var exercise = await exercises.FindAsync(exerciseId, cancellationToken) ?? throw new InvalidOperationException($"Exercise {exerciseId} does not exist.");
        var inject = exercise.InjectList.First(i => i.Number == number);
        return m => ExerciseEmails.Inject(new InjectEmailModel(
            exercise.Id, exercise.Reference, exercise.Name, inject, dryRun, id, m.Recipient.FullName, m.Address, m.Recipient.TimeZone, m.Link, m.Deadline, m.Step,
            m.Recipient.Language ?? MessageTexts.Fallback));
    }

    public Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<EscalationNotice>>([]);

    /// <summary>Closing records nothing on any POC: exercise answers never count as pings (missed pings, last acknowledgement) or confirmations.</summary>
    public async Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        TrySplit(id, out var exerciseId, out var key, out _, out _);
        await exercises.ChangeInjectAsync(exerciseId, key, r =>
        {
            r.State = nameof(DeliveryState.Closed);
            return true;
        }, cancellationToken);
        return new DeliverySummary(id, recipients.Count,
            recipients.Count(r => r.OutcomeValue == RecipientOutcome.Acknowledged), recipients.Count(r => r.OutcomeValue == RecipientOutcome.NoResponse),
            recipients.Count(r => r.OutcomeValue == RecipientOutcome.Undeliverable), recipients.Count(r => r.OutcomeValue == RecipientOutcome.Cancelled));
    }

    public Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken)
    {
        TrySplit(id, out var exerciseId, out var key, out _, out _);
        return exercises.ChangeInjectAsync(exerciseId, key, r =>
        {
            (r.State, r.FailedStep, r.FailureReason) = (nameof(DeliveryState.Failed), step, reason);
            return true;
        }, cancellationToken);
    }

    public Task ResumeAsync(string id, CancellationToken cancellationToken)
    {
        TrySplit(id, out var exerciseId, out var key, out _, out _);
        return exercises.ChangeInjectAsync(exerciseId, key, r =>
        {
            if (r.StateValue != DeliveryState.Failed)
            {
                return false;
            }

            (r.State, r.FailedStep, r.FailureReason) = (nameof(DeliveryState.Running), null, null);
            return true;
        }, cancellationToken);
    }

    public string ClosedMessage(DeliveryHeader header) => header.StopRequested
        ? "This exercise has ended; its injects can no longer be answered."
        : header.Deadline is { } deadline
            ? $"The time to answer this inject ended on {deadline.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC."
            : "This inject can no longer be answered.";

    public static TimeSpan InjectWindow(Inject inject) => ExerciseInputValidator.Duration(inject.RespondWithin);
}
