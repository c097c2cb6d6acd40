using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Delivery;

/// <summary>What became of one recipient of a delivery. Stored by name; campaigns show it as their PingOutcome.</summary>
public enum RecipientOutcome
{
    /// <summary>Sent (or about to be) and not answered yet.</summary>
    Pending,

    /// <summary>Answered through the link or the portal.</summary>
    Acknowledged,
    NoResponse,
    Undeliverable,
    Cancelled,
}

/// <summary>
/// A recipient's row in a delivery: contact details as snapshotted at the start, and what happened since. Campaign
/// results have always been stored in this shape; property names are the stored columns and stay.
/// Computed members carry [IgnoreDataMember]: the Tables SDK would otherwise try to store them.
/// </summary>
public sealed class RecipientEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Participant { get; set; } = string.Empty;

    public string? Region { get; set; }

    public string Kind { get; set; } = string.Empty;

    public string FullName { get; set; } = string.Empty;

    public string Emails { get; set; } = "[]";

    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// The language of the recipient's messages, chosen at snapshot: the first of its operational languages among the
    /// six UN languages, else English (<see cref="Email.MessageTexts.Choose"/>). Rows written before it read as English.
    /// </summary>
    public string? Language { get; set; }

    /// <summary>The recipient's business hours (an <see cref="Availability"/> as JSON), or null when it is reachable 24/7 or has none on file.</summary>
    public string? Hours { get; set; }

    /// <summary>Since when the current step's message waits for the recipient's business hours; null when none waits.</summary>
    public DateTimeOffset? HeldSince { get; set; }

    /// <summary>How many messages to this recipient were held for its business hours, and for how long in all.</summary>
    public int HeldMessages { get; set; }

    public double HeldSeconds { get; set; }

    /// <summary>
    /// The POC's armoured OpenPGP public key, taken at snapshot when it is valid then (decision 0034): its messages are
    /// encrypted to it. Looked up once per delivery, not once per message; null for no key, an expired one, or a non-POC.
    /// </summary>
    public string? PgpKey { get; set; }

    /// <summary>The POC's participant requires encryption (at snapshot): without <see cref="PgpKey"/> it gets no content.</summary>
    public bool RequireEncryption { get; set; }

    /// <summary>Which send activity handles this recipient; fixed at snapshot so every step sends the same batches.</summary>
    public int Batch { get; set; }

    public string Outcome { get; set; } = nameof(RecipientOutcome.Pending);

    /// <summary>The last message step sent (-1 before the first); a step is never sent twice to the same recipient.</summary>
    public int LastStepSent { get; set; } = -1;

    public DateTimeOffset? FirstSentAt { get; set; }

    /// <summary>When the last step (<see cref="LastStepSent"/>) went: a reminder's time, for features that show it.</summary>
    public DateTimeOffset? LastSentAt { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    public int? AcknowledgedAfterStep { get; set; }

    public string? UndeliverableReason { get; set; }

    /// <summary>The recipient's id in links: the POC id.</summary>
    [IgnoreDataMember]
    public string RecipientId => RowKey[StorageKeys.CampaignResultRowKeyPrefix.Length..];

    [IgnoreDataMember]
    public RecipientOutcome OutcomeValue => Enum.Parse<RecipientOutcome>(Outcome);

    [IgnoreDataMember]
    public Availability? HoursValue => Hours is null ? null : JsonSerializer.Deserialize<Availability>(Hours, ApiJson.Options);

    [IgnoreDataMember]
    public IReadOnlyList<string> EmailList => JsonSerializer.Deserialize<List<string>>(Emails, ApiJson.Options)!;

    public static RecipientEntity Snapshot(string deliveryId, Poc poc, Region? region, int batch, bool requireEncryption = false, DateTimeOffset? now = null) => new()
    {
        PgpKey = now is { } at ? PgpKeyStatuses.UsableKey(poc, at) : null,
        RequireEncryption = requireEncryption,
        PartitionKey = deliveryId,
        RowKey = StorageKeys.CampaignResultRowKey(poc.Id),
        Participant = poc.Participant,
        Region = region?.ToString(),
        Kind = poc.Kind.ToString(),
        FullName = poc.FullName,
        Emails = JsonSerializer.Serialize(poc.Emails, ApiJson.Options),
        TimeZone = poc.TimeZone,
        Language = Email.MessageTexts.Choose(poc.Languages),
        Hours = poc.Availability is { Type: AvailabilityType.BusinessHours } hours ? JsonSerializer.Serialize(hours, ApiJson.Options) : null,
        Batch = batch,
    };

    public static RecipientEntity Snapshot(string deliveryId, NamedRecipient recipient, Region? region, int batch) => new()
    {
        PartitionKey = deliveryId,
        RowKey = StorageKeys.CampaignResultRowKey(recipient.Id),
        Participant = recipient.Participant,
        Region = region?.ToString(),
        Kind = recipient.Kind,
        FullName = recipient.Name,
        Emails = JsonSerializer.Serialize(new[] { recipient.Email }, ApiJson.Options),
        TimeZone = recipient.TimeZone,
        Language = Email.MessageTexts.Choose([recipient.Language]),
        Batch = batch,
    };
}
