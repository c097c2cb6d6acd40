using PocDirectory.Functions.Api;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Security;

/// <summary>Kinds of a participant's data that are shared with some callers and not others (DESIGN decision 13).</summary>
public enum Confidential
{
    /// <summary>The contact details the directory exists to share: names, positions, addresses, phones, keys, languages, hours.</summary>
    Contacts,

    /// <summary>How a POC answers pings: lastPingOutcome, lastAcknowledgedAt, missedPings, and the list filtered by missedPings.</summary>
    PingPerformance,

    /// <summary>Retired POC records, kept as history.</summary>
    RetiredRecords,

    /// <summary>Who created and last changed a record (createdBy, updatedBy).</summary>
    RecordAuthors,

    /// <summary>
    /// What a communication says: subject, body, replies, and who sent, acknowledged and replied (names, addresses).
    /// For the two parties to it only (the sending and the receiving participant).
    /// </summary>
    CommunicationContent,

    /// <summary>That a communication exists: reference, participants, type, urgency, times, escalation steps, and the statistics.</summary>
    CommunicationMetadata,
    /// <summary>A participant's answers to a meeting's invitation (attend in person, online, declined, wishes to speak).</summary>
    Registrations,

    /// <summary>The contacts of a participant's Permanent Mission (or an organisation's secretariat): for outreach, kept by the Secretariat.</summary>
    MissionContacts,

    /// <summary>A regional directory's entries for a participant while they wait in the review area (decision 0042).</summary>
    ImportEntries,
    /// <summary>The note verbale a POC was nominated by: its reference, date and scanned document (decision 0036).</summary>
    NoteVerbale,
}

/// <summary>How a caller stands to the participant whose data it asks for.</summary>
public enum Viewer
{
    Secretariat,

    /// <summary>A focal point of the participant, or a POC of one of its (active) records.</summary>
    OwnParticipant,

    /// <summary>A focal point or POC of some other participant.</summary>
    OtherParticipant,
}

/// <summary>
/// What each caller sees of each participant's data, written once. Services ask <see cref="Sees"/> (or use the
/// helpers below) and never decide confidentiality themselves; the README's visibility table and the integration test
/// that walks it are made from <see cref="Table"/>. A new kind of confidential data (communications content,
/// registrations, mission contacts: not for other participants) is a new <see cref="Confidential"/> value and a row here.
/// </summary>
public static class Visibility
{
    public static IReadOnlyDictionary<Confidential, IReadOnlySet<Viewer>> Table { get; } = new Dictionary<Confidential, IReadOnlySet<Viewer>>
    {
        [Confidential.Contacts] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant, Viewer.OtherParticipant },
        [Confidential.PingPerformance] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
        [Confidential.RetiredRecords] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
        [Confidential.RecordAuthors] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
        [Confidential.CommunicationContent] = new HashSet<Viewer> { Viewer.OwnParticipant },
        [Confidential.CommunicationMetadata] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
        [Confidential.Registrations] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
        [Confidential.MissionContacts] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
        [Confidential.ImportEntries] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
        [Confidential.NoteVerbale] = new HashSet<Viewer> { Viewer.Secretariat, Viewer.OwnParticipant },
    };

    /// <summary>The sending side of a communication the Secretariat sent on its own behalf: there it is its own participant.</summary>
    public const string SecretariatParty = "SECRETARIAT";

    /// <summary>How a caller stands to one party of a communication (a participant, or the Secretariat as sender).</summary>
    public static Viewer ViewerOfParty(this Caller caller, string party)
        => party == SecretariatParty ? (caller.IsSecretariat ? Viewer.OwnParticipant : Viewer.OtherParticipant) : caller.ViewerOf(party);

    /// <summary>Whether the caller sees <paramref name="data"/> of a communication between <paramref name="from"/> and <paramref name="to"/>: as either party.</summary>
    public static bool SeesCommunication(this Caller caller, string from, string to, Confidential data)
        => Table[data].Contains(caller.ViewerOfParty(from)) || Table[data].Contains(caller.ViewerOfParty(to));

    public static Viewer ViewerOf(this Caller caller, string participant)
        => caller.IsSecretariat ? Viewer.Secretariat
            : caller.OwnParticipants().Contains(participant.ToUpperInvariant()) ? Viewer.OwnParticipant
            : Viewer.OtherParticipant;

    public static bool Sees(this Caller caller, string participant, Confidential data) => Table[data].Contains(caller.ViewerOf(participant));

    /// <summary>The participants a caller belongs to: those it is focal point of, and those whose POC it is.</summary>
    public static IReadOnlySet<string> OwnParticipants(this Caller caller)
        => caller.Roles
            .Select(r => r.Role switch
            {
                Role.FocalPoint => r.Participant,
                Role.Poc when StorageKeys.TryParticipantOfPocId(r.PocId ?? string.Empty, out var code) => code,
                _ => null,
            })
            .OfType<string>().Select(c => c.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The POC as this caller may see it; null when the caller may not see the record at all.</summary>
    public static Poc? Show(this Caller caller, Poc poc)
    {
        if (poc.Status == PocStatus.Retired && !caller.Sees(poc.Participant, Confidential.RetiredRecords))
        {
            return null;
        }

        if (!caller.Sees(poc.Participant, Confidential.PingPerformance))
        {
            poc = poc with { LastPingOutcome = null, LastAcknowledgedAt = null, MissedPings = null };
        }

        if (poc.Source?.NoteVerbale is not null && !caller.Sees(poc.Participant, Confidential.NoteVerbale))
        {
            // The kind stays: that a nomination came through official channels is no secret; its letter is.
            poc = poc with { Source = poc.Source with { NoteVerbale = null } };
        }

        return caller.Sees(poc.Participant, Confidential.RecordAuthors) ? poc : poc with { CreatedBy = null, UpdatedBy = null };
    }

    /// <summary>
    /// The list query narrowed to what the caller may see: a filter on ping performance only for a participant whose
    /// performance the caller sees, and retired records only of participants whose retired records it sees.
    /// </summary>
    public static PocQuery Restrict(this Caller caller, PocQuery query)
    {
        if (query.MissedPings is not null && !caller.IsSecretariat
            && (query.Participant is null || !caller.Sees(query.Participant, Confidential.PingPerformance)))
        {
            throw new ForbiddenException("Only the Secretariat may list stale contacts across participants; a focal point or POC may list those of its own participant (add participant=<code>).");
        }

        return caller.IsSecretariat ? query : query with { RetiredVisibleFor = caller.OwnParticipants() };
    }
}
