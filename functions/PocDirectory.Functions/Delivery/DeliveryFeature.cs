using PocDirectory.Functions.Email;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;

namespace PocDirectory.Functions.Delivery;

/// <summary>One delivery: a message that expects an answer, with its reminders and escalations, sent by one feature.</summary>
public sealed record DeliveryRef(string Feature, string Id)
{
    /// <summary>Derived from the delivery, so starting it twice cannot run it twice ("campaign-{id}" for campaigns).</summary>
    public string InstanceId => $"{Feature}-{Id}";
}

/// <summary>Where a delivery stands, as its feature records it.</summary>
public enum DeliveryState
{
    Scheduled,
    Running,

    /// <summary>A step failed after its retries; the delivery waits for the Secretariat's decision (decision 0015).</summary>
    Failed,
    Closed,
}

/// <summary>What the core needs to know of a delivery's record, which the feature keeps in its own table.</summary>
/// <param name="StopRequested">Cancelled: nothing more is sent or escalated, and what is left counts as cancelled.</param>
/// <param name="AtOnce">
/// Urgent: reminders go at once whatever the recipients' business hours. Otherwise a reminder to a recipient with
/// business hours waits for its next window (never past the deadline); the first message always goes at once.
/// </param>
public sealed record DeliveryHeader(string Title, string Reference, DeliveryState State, DateTimeOffset? Deadline, bool StopRequested, string? FailedStep = null, bool AtOnce = false);

/// <summary>
/// Who is in scope: the active POCs of these participants (all when empty), regions and kinds (all when empty); with
/// <paramref name="FocalPoints"/>, the focal points of the participants in scope too; and <paramref name="Others"/>,
/// people the feature names itself (a sender's POCs, a controller). With <paramref name="Keep"/>, only the recipients
/// of all that whose recipient id it keeps: a follow-up delivery to some of an earlier one's recipients (a meeting's
/// update to those who did not decline), or a second round to those not reached yet. With <paramref name="NamedOnly"/>,
/// only <paramref name="Others"/>: no POC and no focal point (an exercise's dry run to its controllers).
/// </summary>
public sealed record RecipientScope(
    IReadOnlyList<string> Participants, IReadOnlyList<Region> Regions, IReadOnlyList<PocKind> Kinds, bool FocalPoints = false,
    IReadOnlyList<NamedRecipient>? Others = null, Func<string, bool>? Keep = null, bool NamedOnly = false)
{
    /// <summary>Only the people named, nobody else.</summary>
    public static RecipientScope Named(IReadOnlyList<NamedRecipient> others) => new([], [], [], Others: others, NamedOnly: true);
}

/// <summary>A recipient who is not a POC; <paramref name="Id"/> is its id in links and rows (letters, digits, '-').</summary>
/// <param name="Language">The language of its messages (one of the six UN languages; anything else is English).</param>
public sealed record NamedRecipient(string Id, string Participant, string Kind, string Name, string Email, string TimeZone = "UTC", string Language = "en")
{
    /// <summary>An id for someone known only by address: a hash, so the address itself never appears in a link or a key.</summary>
    public static string IdFor(string email)
        => "x-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())).AsSpan(0, 10));
}

/// <summary>One message of a step to one address of one recipient, with the recipient's personal link.</summary>
/// <param name="Step">0 for the message itself, n for reminder n.</param>
public sealed record StepMessage(RecipientEntity Recipient, string Address, int Step, Uri Link, DateTimeOffset Deadline);

/// <summary>
/// One unit of escalation (for campaigns: one participant), sent whole or not at all; <paramref name="Key"/> records it
/// as done, so a resumed or retried escalation goes on where it stopped.
/// </summary>
public sealed record EscalationNotice(string Key, IReadOnlyList<EmailMessage> Messages);

/// <summary>The counts a delivery ends with, for the orchestration's output and logs.</summary>
public sealed record DeliverySummary(string Id, int InScope, int Acknowledged, int NoResponse, int Undeliverable, int Cancelled);

/// <summary>
/// What a feature supplies to the delivery core: its records (title, state, deadline), its content, whom to escalate to,
/// and what closing means for it (its report). The core owns everything else: the recipient snapshot, per-recipient
/// rows and outcomes, paced and idempotent sending, links, timers, answers and the wake-up (decision 0018).
/// </summary>
public interface IDeliveryFeature
{
    /// <summary>Short lowercase name, carried in links and activity inputs: "campaign".</summary>
    string Name { get; }

    /// <summary>What its links let a recipient do (and so which portal page and anonymous route they open).</summary>
    LinkPurpose LinkPurpose { get; }

    /// <summary>The table holding its recipient rows, one partition per delivery.</summary>
    string RecipientsTable { get; }

    /// <summary>
    /// True when one recipient's answer answers for all of them (a communication to a participant: one of its POCs
    /// acknowledging is enough): the delivery ends at the first answer, with no more reminders or escalation, and the
    /// others count as no response. False (the default) waits for everyone, as a campaign does.
    /// </summary>
    bool FirstAnswerEnds => false;

    /// <summary>Audit names: answers are audited as "{AuditEntity}.Acknowledged" on "{AuditEntity}Result" "{id}/{recipient}".</summary>
    string AuditEntity { get; }

    Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Before a reminder: which unanswered recipients still need one. An answer is not the only way a recipient stops
    /// being concerned (an outreach: its participant nominated since, through the portal). Null, the default: every
    /// unanswered recipient is reminded. A recipient left out stays Pending (its outcome is the feature's to read).
    /// </summary>
    Task<Func<RecipientEntity, bool>?> StillConcernedAsync(string id, CancellationToken cancellationToken)
        => Task.FromResult<Func<RecipientEntity, bool>?>(null);

    /// <summary>Marks the delivery running with its deadline (idempotent: a rerun finds it running) and says whom to snapshot.</summary>
    Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken);

    /// <summary>Loads what the messages need, once per send activity, and returns how to write each one.</summary>
    Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// At escalation <paramref name="level"/> (0 for the first), with everyone's rows: who is told about whom. Notice
    /// keys are unique across levels.
    /// </summary>
    Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken);

    /// <summary>After the core gave every unanswered recipient its final outcome: the feature's report, records and status.</summary>
    Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken);

    Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken);

    /// <summary>Back to running before a failed step runs again.</summary>
    Task ResumeAsync(string id, CancellationToken cancellationToken);

    /// <summary>The 410 text for an answer that came too late.</summary>
    string ClosedMessage(DeliveryHeader header);
}

/// <summary>The features by name, for activities and links that carry only the name.</summary>
public sealed class DeliveryFeatures(IEnumerable<IDeliveryFeature> features)
{
    private readonly Dictionary<string, IDeliveryFeature> _byName = features.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public IDeliveryFeature this[string name] => _byName.TryGetValue(name, out var feature)
        ? feature
        : throw new InvalidOperationException($"No delivery feature is named '{name}'.");

    public bool TryGet(string name, out IDeliveryFeature? feature) => _byName.TryGetValue(name, out feature);
}
