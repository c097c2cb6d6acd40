using System.Security.Cryptography;
using Azure.Data.Tables;

using PocDirectory.Functions.Roles;

namespace PocDirectory.Functions.Storage;

/// <summary>Every table name, partition key and row key is made here, so the layout can be read in one place.</summary>
public static class StorageKeys
{
    /// <summary>Participants and their POCs. A participant's row and its POCs share a partition, so a POC change and the
    /// participant's nomination counts commit in one entity group transaction.</summary>
    public const string DirectoryTable = "Directory";

    /// <summary>Role assignments, partitioned by user email so resolving a caller is one partition query.</summary>
    public const string RoleAssignmentsTable = "RoleAssignments";

    /// <summary>The audit log, partitioned by day (newest first) so recent entries and time ranges are cheap.</summary>
    public const string AuditTable = "Audit";

    /// <summary>Campaigns (one partition: there are tens a year) and their schedules; compiled reports are blobs.</summary>
    public const string CampaignsTable = "Campaigns";

    /// <summary>One partition per campaign: a row per POC in scope, plus an index row per POC still unanswered.</summary>
    public const string CampaignResultsTable = "CampaignResults";

    /// <summary>
    /// An index of started deliveries (partition "delivery", row "{feature}-{id}", the table and partition of its
    /// recipients), so the audit sweep can find every recipients partition with short key-range reads.
    /// </summary>
    public const string DeliveriesTable = "Deliveries";

    public const string DeliveryIndexPartition = "delivery";

    public const string DeliveryIndexTableColumn = "RecipientsTable";

    public const string DeliveryIndexPartitionColumn = "RecipientsPartition";

    /// <summary>
    /// Communications between participants (partition "communication", row the newest-first id) and their threads'
    /// replies (partition "thread|{id}"), so a communication and its replies are two short reads.
    /// </summary>
    public const string CommunicationsTable = "Communications";

    /// <summary>One partition per communication's delivery: a row per receiving POC (the delivery core's rows).</summary>
    public const string CommunicationRecipientsTable = "CommunicationRecipients";

    public const string CommunicationPartition = "communication";

    public static string ThreadPartition(string communicationId) => "thread|" + communicationId;

    /// <summary>Meetings: one partition per meeting, holding its row ("meeting") and a row per delivery ("delivery|{kind}-{n}").</summary>
    public const string MeetingsTable = "Meetings";

    /// <summary>Registrations ("reg|{inviteeId}") and attendees ("att|{key}") of a meeting, one partition per meeting: confidential.</summary>
    public const string MeetingRegistrationsTable = "MeetingRegistrations";

    /// <summary>The delivery core's recipient rows of every meeting delivery, one partition per delivery.</summary>
    public const string MeetingRecipientsTable = "MeetingRecipients";

    public const string MeetingRowKey = "meeting";

    public const string MeetingDeliveryRowKeyPrefix = "delivery|";

    public const string RegistrationRowKeyPrefix = "reg|";

    public const string RegistrationRowKeyEnd = "reg}";

    public const string AttendeeRowKeyPrefix = "att|";

    public const string AttendeeRowKeyEnd = "att}";

    /// <summary>
    /// Exercises: one partition per exercise, holding its row ("exercise"), a row per delivery of an inject or a dry run
    /// ("inject|{key}"), the players' replies ("reply|{key}|{recipient}") and the controllers' observations ("obs|{participant}").
    /// </summary>
    public const string ExercisesTable = "Exercises";

    /// <summary>The delivery core's recipient rows of every exercise delivery, one partition per delivery.</summary>
    public const string ExerciseRecipientsTable = "ExerciseRecipients";

    public const string ExerciseRowKey = "exercise";

    public const string ExerciseInjectRowKeyPrefix = "inject|";

    public const string ExerciseInjectRowKeyEnd = "inject}";

    public const string ExerciseReplyRowKeyPrefix = "reply|";

    public const string ExerciseReplyRowKeyEnd = "reply}";

    public const string ExerciseObservationRowKeyPrefix = "obs|";

    public const string ExerciseObservationRowKeyEnd = "obs}";

    /// <summary>Idempotency keys of creates, partitioned by caller (decision 0017).</summary>
    public const string IdempotencyTable = "Idempotency";

    /// <summary>
    /// Rows the app keeps beside a change, in the change's own partition and transaction: audit entries not yet moved to
    /// the Audit table (decision 0004) and the markers of idempotent creates (decision 0017). Every other row key of the
    /// app sorts before '~', so <see cref="SkipsChangeRows"/> keeps them out of every partition query.
    /// </summary>
    public const string ChangeRowKeyStart = "~";

    public const string AuditOutboxRowKeyPrefix = "~audit|";

    public const string IdempotencyMarkerRowKeyPrefix = "~idem|";

    /// <summary>
    /// One row per role a user holds (role, participant, POC), added and deleted with the assignment in its transaction:
    /// a second assignment of the same role meets it and fails, however many are made at once.
    /// </summary>
    public static string RoleHeldRowKey(RoleAssignment assignment)
        => $"~role|{assignment.Role}|{assignment.Participant}|{assignment.PocId}";

    /// <summary>The filter every query over a whole partition (or table) adds, so it never reads an outbox row or a marker.</summary>
    public static string SkipsChangeRows { get; } = TableClient.CreateQueryFilter($"RowKey lt {ChangeRowKeyStart}");

    public const string CampaignPartition = "campaign";

    public const string CampaignSchedulePartition = "schedule";

    public const string CampaignResultRowKeyPrefix = "poc|";

    public const string CampaignResultRowKeyEnd = "poc}";

    /// <summary>"pending|{pocId}" rows exist while a POC has not answered, so "is anyone left?" is one short range read.</summary>
    public const string PendingRowKeyPrefix = "pending|";

    public const string PendingRowKeyEnd = "pending}";

    /// <summary>"escalated|{participant}" rows record whose escalation went out, so a resumed or retried escalation skips them.</summary>
    public const string EscalatedRowKeyPrefix = "escalated|";

    public const string EscalatedRowKeyEnd = "escalated}";

    /// <summary>
    /// "batch|{n:D6}" rows hold the row-key range of send batch n (From, To), so a batch is one range read, not a scan of
    /// the delivery's partition filtered on a property.
    /// </summary>
    public const string BatchRowKeyPrefix = "batch|";

    public const string BatchRowKeyEnd = "batch}";

    /// <summary>The blob container of compiled campaign reports, one blob per campaign: a report has no size limit there.</summary>
    public const string CampaignReportsContainer = "campaign-reports";

    public const string ParticipantRowKey = "participant";

    public const string PocRowKeyPrefix = "poc|";

    /// <summary>The first string that sorts after every "poc|..." row key.</summary>
    public const string PocRowKeyEnd = "poc}";

    /// <summary>Outreach letters (partition "outreach", row the newest-first id) and, in their own table, the delivery core's rows.</summary>
    public const string OutreachTable = "Outreach";

    public const string OutreachRecipientsTable = "OutreachRecipients";

    public const string OutreachPartition = "outreach";

    /// <summary>Re-confirmation rounds (partition "round") and the timer's last look (partition "check"); recipients in their own table.</summary>
    public const string ReconfirmationsTable = "Reconfirmations";

    public const string ReconfirmationRecipientsTable = "ReconfirmationRecipients";

    public const string ReconfirmationPartition = "round";

    public const string ReconfirmationCheckPartition = "check";

    public const string ReconfirmationCheckRowKey = "last";

    /// <summary>A participant's mission contacts: one row in its partition, beside its POCs (participation).</summary>
    public const string MissionContactsRowKey = "mission";

    /// <summary>Regional lists under review (decision 0042): a partition per import, its row and its entries.</summary>
    public const string ImportsTable = "Imports";

    public const string ImportRowKey = "import";

    public const string ImportEntryRowKeyPrefix = "entry|";

    public const string ImportEntryRowKeyEnd = "entry}";
    /// <summary>Scanned notes verbales (PDF), one blob per POC and recording: "{pocId}/{ticks}.pdf" (decision 0036).</summary>
    public const string NoteVerbaleContainer = "note-verbale";

    /// <summary>Onboarding resources: one partition of the Directory table (lower case, so no participant code can be it).</summary>
    public const string ResourcePartition = "resource";

    /// <summary>A POC's completion of a resource: "training|{pocId}|{resourceId}" in the POC's participant partition.</summary>
    public const string TrainingRowKeyPrefix = "training|";

    public const string TrainingRowKeyEnd = "training}";

    public static string TrainingRowKey(string pocId, string resourceId) => $"{TrainingRowKeyPrefix}{pocId}|{resourceId}";

    /// <summary>That a POC's focal points were told its OpenPGP key expires soon: "pgpexpiry|{pocId}|{fingerprint}" in its participant partition.</summary>
    public static string PgpExpiryNoticeRowKey(string pocId, string fingerprint) => $"pgpexpiry|{pocId}|{fingerprint}";

    /// <summary>Daily coverage snapshots: partition "day", row "yyyy-MM-dd", so a date range is one key-range read.</summary>
    public const string CoverageHistoryTable = "CoverageHistory";

    public const string CoverageDayPartition = "day";

    public static string NoteVerbaleBlob(string pocId, DateTimeOffset recordedAt)
        => $"{pocId}/{recordedAt.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture)}.pdf";

    public static string ParticipantPartition(string code) => code.ToUpperInvariant();

    public static string CampaignResultRowKey(string pocId) => CampaignResultRowKeyPrefix + pocId;

    public static string PendingRowKey(string pocId) => PendingRowKeyPrefix + pocId;

    public static string EscalatedRowKey(string participant) => EscalatedRowKeyPrefix + participant;

    public static string BatchRowKey(int batch) => BatchRowKeyPrefix + batch.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static string CampaignReportBlob(string campaignId) => campaignId + ".json";

    /// <summary>The orchestration of a campaign has an id derived from the campaign's, so starting it twice cannot run it twice.</summary>
    public static string CampaignInstanceId(string campaignId) => "campaign-" + campaignId;

    public static string PocRowKey(string pocId) => PocRowKeyPrefix + pocId;

    public static string PocIdFromRowKey(string rowKey) => rowKey[PocRowKeyPrefix.Length..];

    /// <summary>POC ids start with the participant code ("SGP-01JD..."), so a POC is found by id with one point read.</summary>
    public static string NewPocId(string participantCode, DateTimeOffset now) => $"{participantCode.ToUpperInvariant()}-{SortableId(now)}";

    public static bool TryParticipantOfPocId(string pocId, out string participantCode)
    {
        var dash = pocId.IndexOf('-', StringComparison.Ordinal);
        participantCode = dash > 0 ? pocId[..dash] : string.Empty;
        return dash > 0 && dash < pocId.Length - 1;
    }

    /// <summary>Email addresses may hold characters that table keys forbid ('/', '#', '?'); escaping keeps them unique and legal.</summary>
    public static string UserPartition(string email) => Uri.EscapeDataString(email.Trim().ToLowerInvariant());

    /// <summary>
    /// The bootstrap assignment's id comes from the address, so instances that start together add one row, not one each;
    /// it is still an id of its own per person, so a hand-over leaves the predecessor's row removable.
    /// </summary>
    public static string BootstrapAssignmentId(string email)
        => "bootstrap-" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())).AsSpan(0, 10));

    public static string AuditPartition(DateTimeOffset at)
        => (99_999_999 - ((at.UtcDateTime.Year * 10_000) + (at.UtcDateTime.Month * 100) + at.UtcDateTime.Day)).ToString("D8", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Inverted ticks make the newest entry sort first within its day.</summary>
    public static string AuditRowKey(DateTimeOffset at, string id)
        => $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{id}";

    /// <summary>A time-ordered id: 10 characters of milliseconds and 16 of randomness (80 bits), Crockford base32.</summary>
    public static string SortableId(DateTimeOffset now)
    {
        Span<char> chars = stackalloc char[26];
        var ms = now.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(ms & 31)];
            ms >>= 5;
        }

        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        for (var i = 0; i < 16; i++)
        {
            chars[10 + i] = Crockford[random[i] & 31];
        }

        return new string(chars);
    }

    /// <summary>
    /// An id that sorts newest first: 10 characters of inverted milliseconds and 16 of randomness, Crockford base32, so
    /// a partition query lists the newest first.
    /// </summary>
    public static string NewestFirstId(DateTimeOffset now)
        => SortableId(DateTimeOffset.FromUnixTimeMilliseconds(Math.Max(0, (1L << 45) - 1 - now.ToUnixTimeMilliseconds())));

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
}
