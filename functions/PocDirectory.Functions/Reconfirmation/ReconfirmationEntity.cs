using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Delivery;

namespace PocDirectory.Functions.Reconfirmation;

/// <summary>One round of re-confirmation: the POCs found stale at one look, asked together (partition "round", row the newest-first id).</summary>
public sealed class ReconfirmationEntity : ITableEntity
{
    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Reference { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>{participant: [pocId]} as JSON.</summary>
    public string Pocs { get; set; } = "{}";

    public string State { get; set; } = nameof(DeliveryState.Scheduled);

    public DateTimeOffset? Deadline { get; set; }

    public string? FailedStep { get; set; }

    [IgnoreDataMember]
    public DeliveryState StateValue => Enum.Parse<DeliveryState>(State);

    [IgnoreDataMember]
    public IReadOnlyDictionary<string, List<string>> PocsByParticipant => JsonSerializer.Deserialize<Dictionary<string, List<string>>>(Pocs, ApiJson.Options)!;
}

/// <summary>Receipt of a confirmation through a link: the POC and its new lastConfirmedAt, nothing else.</summary>
public sealed record ConfirmationReceipt(string PocId, DateTimeOffset LastConfirmedAt, string Reference);
