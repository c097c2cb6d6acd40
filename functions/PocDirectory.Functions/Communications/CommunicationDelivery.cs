using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Exercises;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Communications;

/// <summary>
/// A communication as a feature of the delivery core: the receiving participant's POCs of the requested kinds get it
/// with a personal acknowledgement link; the first acknowledgement answers for all of them. Until then, at each
/// acknowledgement target: a reminder to the same POCs, then the other kind of POC, then the receiving participant's
/// focal points, the sender's side told at each step. Sending, links, timers and answers are the core's.
/// </summary>
public sealed class CommunicationDelivery(
    CommunicationStore communications,
    ParticipantStore participants,
    PocStore pocs,
    RoleStore roles,
    PortalLinks portal,
    AuditLog audit,
    TimeProvider time) : IDeliveryFeature
{
    public const string FeatureName = "communication";

    public const string FirstStepName = "Communication";

    /// <summary>The sending side of a communication the Secretariat sent on its own behalf.</summary>
    public const string SecretariatParty = Visibility.SecretariatParty;

    public enum StepKind
    {
        Reminder,
        OtherKind,
        FocalPoints,
    }

    public string Name => FeatureName;

    public LinkPurpose LinkPurpose => LinkPurpose.Acknowledge;

    public string RecipientsTable => StorageKeys.CommunicationRecipientsTable;

    public string AuditEntity => "Communication";

    public bool FirstAnswerEnds => true;

    public static DeliveryRef Of(string id) => new(FeatureName, id);

    /// <summary>The escalation steps of a communication: the other kind of POC only when it was sent to one kind.</summary>
    public static IReadOnlyList<StepKind> Plan(IReadOnlyList<PocKind> kinds)
        => kinds.Distinct().Count() == 1 ? [StepKind.Reminder, StepKind.OtherKind, StepKind.FocalPoints] : [StepKind.Reminder, StepKind.FocalPoints];

    public static string StepName(StepKind kind) => kind switch
    {
        StepKind.Reminder => "reminder to the same points of contact",
        StepKind.OtherKind => "sent to the other kind of point of contact",
        _ => "sent to the focal points",
    };

    public async Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken)
        => await communications.FindAsync(id, cancellationToken) is { } c ? Header(c) : null;

    /// <summary>The title is metadata (type and sender), never the subject: receipts and logs may show it.</summary>
    private static DeliveryHeader Header(CommunicationEntity c)
        => new($"{CommunicationEmails.Label(c.TypeValue)} from {c.From}", c.Reference, c.DeliveryStateValue, c.DeliveryDeadline, c.StopRequested, c.FailedStep,
            AtOnce: c.UrgencyValue != Urgency.Routine);

    public async Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var c = await RequireAsync(id, cancellationToken);
        if (c.DeliveryDeadline != deadline)
        {
            await communications.ChangeAsync(id, e => { e.DeliveryDeadline = deadline; return true; }, null, cancellationToken);
        }

        return new RecipientScope([c.To], [], c.KindList);
    }

    public async Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken)
    {
        var c = await RequireAsync(id, cancellationToken);
        var template = await TemplateAsync(c, cancellationToken);
        return m => Marked(c, CommunicationEmails.Communication(new CommunicationEmailModel(template, m.Recipient.FullName, m.Address, m.Recipient.TimeZone, m.Link.AbsoluteUri, m.Step,
            m.Recipient.Language ?? MessageTexts.Fallback)));
    }

    /// <summary>A message of a communication sent in an exercise carries the exercise markers (one place: <see cref="ExerciseEmails.Mark"/>).</summary>
    public static EmailMessage Marked(CommunicationEntity c, EmailMessage message) => c.ExerciseId is null ? message : ExerciseEmails.Mark(message);

    public async Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        var c = await RequireAsync(id, cancellationToken);
        var plan = Plan(c.KindList);
        if (level >= plan.Count || c.StopRequested || recipients.Any(r => r.OutcomeValue == RecipientOutcome.Acknowledged))
        {
            return [];
        }

        var step = level + 1;
        var kind = plan[level];
        var thread = portal.Page("communications", id).AbsoluteUri;
        var toName = await NameOfAsync(c.To, cancellationToken);
        var notices = new List<EscalationNotice>();
        if (kind != StepKind.Reminder)
        {
            var template = await TemplateAsync(c, cancellationToken);
            var reached = recipients.SelectMany(r => r.EmailList).ToHashSet(StringComparer.OrdinalIgnoreCase);
            IEnumerable<(string Email, string Name)> whom = kind == StepKind.OtherKind
                ? await OtherKindAsync(c, cancellationToken)
                : (await roles.ListAsync(null, Role.FocalPoint, c.To, cancellationToken)).Select(a => (a.Email, Name: $"focal point of {toName}"));
            var messages = whom.Where(w => !reached.Contains(w.Email)).DistinctBy(w => w.Email, StringComparer.OrdinalIgnoreCase)
                .Select(w => Marked(c, CommunicationEmails.Escalation(new CommunicationEscalationEmailModel(template, w.Name, w.Email, toName, step, thread))))
                .ToList();
            notices.Add(new EscalationNotice($"{step}-receiving", messages));
        }

        var senderNotices = (await SenderSideAsync(c, cancellationToken))
            .Select(s => Marked(c, CommunicationEmails.SenderNotice(new SenderNoticeEmailModel(id, c.Reference, s.Name, s.Email, toName, step, StepName(kind), thread))))
            .ToList();
        notices.Add(new EscalationNotice($"{step}-sender", senderNotices));

        var now = time.GetUtcNow();
        await communications.ChangeAsync(id, e =>
        {
            var steps = e.EscalationList.ToList();
            if (steps.Any(s => s.Step == step))
            {
                return false;
            }

            steps.Add(new EscalationStep(step, StepName(kind), now));
            e.Escalations = System.Text.Json.JsonSerializer.Serialize(steps, Api.ApiJson.Options);
            return true;
        }, (before, after) => audit.Entry(Caller.System, "Communication.Escalated", "Communication", id, before, after), cancellationToken);
        return notices;
    }

    public async Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        var first = recipients.Where(r => r.AcknowledgedAt is not null).Select(r => r.AcknowledgedAt!.Value).Order().Cast<DateTimeOffset?>().FirstOrDefault();
        await communications.ChangeAsync(id, e =>
        {
            if (e.DeliveryStateValue == DeliveryState.Closed)
            {
                return false;
            }

            e.DeliveryState = nameof(DeliveryState.Closed);
            e.AcknowledgedAt ??= first;
            if (e.AcknowledgedAt is not null && e.StatusValue == CommunicationStatus.Sent)
            {
                e.Status = nameof(CommunicationStatus.Acknowledged);
            }

            return true;
        }, (before, after) => audit.Entry(Caller.System, "Communication.DeliveryClosed", "Communication", id, before, after), cancellationToken);
        return new DeliverySummary(id, recipients.Count,
            recipients.Count(r => r.OutcomeValue == RecipientOutcome.Acknowledged), recipients.Count(r => r.OutcomeValue == RecipientOutcome.NoResponse),
            recipients.Count(r => r.OutcomeValue == RecipientOutcome.Undeliverable), recipients.Count(r => r.OutcomeValue == RecipientOutcome.Cancelled));
    }

    public Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken)
        => communications.ChangeAsync(id, e =>
        {
            e.DeliveryState = nameof(DeliveryState.Failed);
            (e.FailedStep, e.FailureReason) = (step, reason);
            return true;
        }, (before, after) => audit.Entry(Caller.System, "Communication.DeliveryFailed", "Communication", id, before, after), cancellationToken);

    public Task ResumeAsync(string id, CancellationToken cancellationToken)
        => communications.ChangeAsync(id, e =>
        {
            if (e.DeliveryStateValue != DeliveryState.Failed)
            {
                return false;
            }

            e.DeliveryState = nameof(DeliveryState.Running);
            (e.FailedStep, e.FailureReason) = (null, null);
            return true;
        }, null, cancellationToken);

    public string ClosedMessage(DeliveryHeader header)
        => $"Communication {header.Reference} can no longer be acknowledged by link: it was acknowledged or answered already, or its time ran out. Open it in the portal to reply.";

    /// <summary>The template of the communication's messages.</summary>
    public async Task<CommunicationTemplate> TemplateAsync(CommunicationEntity c, CancellationToken cancellationToken)
        => new(c.RowKey, c.Reference, c.TypeValue, c.UrgencyValue, c.RespondBy, await NameOfAsync(c.From, cancellationToken),
            new CommunicationSender(c.From, c.SenderName, c.SenderEmail ?? string.Empty,
                System.Text.Json.JsonSerializer.Deserialize<List<string>>(c.SenderPhones, Api.ApiJson.Options)!, c.SenderPocId),
            c.Subject ?? string.Empty, c.Body ?? string.Empty);

    /// <summary>The sender and the sending participant's active POCs, told at each escalation step and of replies.</summary>
    public async Task<IReadOnlyList<(string Email, string Name)>> SenderSideAsync(CommunicationEntity c, CancellationToken cancellationToken)
    {
        var side = new List<(string Email, string Name)>();
        if (c.SenderEmail is not null)
        {
            side.Add((c.SenderEmail, c.SenderName ?? string.Empty));
        }

        if (c.From != SecretariatParty)
        {
            await foreach (var poc in pocs.AllAsync(c.From, cancellationToken))
            {
                if (poc.Status == PocStatus.Active)
                {
                    side.AddRange(poc.Emails.Select(e => (e, poc.FullName)));
                }
            }
        }

        return side.DistinctBy(s => s.Email, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<string> NameOfAsync(string code, CancellationToken cancellationToken)
        => code == SecretariatParty ? "the UN Secretariat" : (await participants.FindAsync(code, cancellationToken))?.Name ?? code;

    private async Task<IReadOnlyList<(string Email, string Name)>> OtherKindAsync(CommunicationEntity c, CancellationToken cancellationToken)
    {
        var kinds = c.KindList;
        var found = new List<(string Email, string Name)>();
        await foreach (var poc in pocs.AllAsync(c.To, cancellationToken))
        {
            if (poc.Status == PocStatus.Active && !kinds.Contains(poc.Kind))
            {
                found.AddRange(poc.Emails.Select(e => (e, poc.FullName)));
            }
        }

        return found;
    }

    private async Task<CommunicationEntity> RequireAsync(string id, CancellationToken cancellationToken)
        => await communications.FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Communication {id} does not exist.");
}
