using System.Runtime.Serialization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.OpenApi;

namespace PocDirectory.Functions.Participants;

/// <summary>A contact of a participant's Permanent Mission (or an organisation's secretariat): an address for outreach, not a user.</summary>
/// <param name="Language">Optional: the BCP 47 tag of the language outreach letters to this contact are written in (one of the six UN languages; any other is English).</param>
public sealed record MissionContact(string Name, string Email, string? Phone, string? Language = null);

/// <summary>A participant's mission contacts, kept by the Secretariat; an empty list when none are recorded yet.</summary>
public sealed record MissionContacts(IReadOnlyList<MissionContact> Contacts);

public sealed record MissionContactInput(string? Name, string? Email, string? Phone, string? Language = null);

/// <summary>The whole list, replaced at once (PUT with If-Match).</summary>
public sealed record MissionContactsInput(IReadOnlyList<MissionContactInput?>? Contacts) : IApiExample<MissionContactsInput>
{
    public static MissionContactsInput Example { get; } = new(
        [new MissionContactInput("First Secretary (Cyber)", "cyber@mission.example.org", "+41227001234", "fr")]);
}

/// <summary>The mission contacts' row, in the participant's own partition beside its POCs.</summary>
public sealed class MissionContactsEntity : ITableEntity
{
    /// <summary>The version of a participant that has no mission contacts yet: a PUT that creates the first list sends it.</summary>
    public const string NoneETag = "W/\"mission-none\"";

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Contacts { get; set; } = "[]";

    [IgnoreDataMember]
    public IReadOnlyList<MissionContact> ContactList => JsonSerializer.Deserialize<List<MissionContact>>(Contacts, ApiJson.Options)!;

    public MissionContacts ToModel() => new(ContactList);
}
