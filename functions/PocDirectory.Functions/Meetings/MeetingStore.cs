using Azure;
using Azure.Data.Tables;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Meetings;

/// <summary>Meetings and their deliveries' records in one table; registrations and attendees in another (confidential).</summary>
public sealed class MeetingStore(DirectoryTables tables, AuditLog audit)
{
    public static bool IsWellFormedId(string id) => id.Length is > 0 and <= 32 && id.All(char.IsAsciiLetterOrDigit);

    public Task AddAsync(MeetingEntity meeting, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.Meetings, [new TableTransactionAction(TableTransactionActionType.Add, meeting)], entry, cancellationToken);

    public async Task<MeetingEntity?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsWellFormedId(id))
        {
            return null;
        }

        var response = await tables.Meetings.GetEntityIfExistsAsync<MeetingEntity>(id, StorageKeys.MeetingRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<IReadOnlyList<MeetingEntity>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<MeetingEntity>();
        await foreach (var meeting in tables.Meetings.QueryAsync<MeetingEntity>(TableClient.CreateQueryFilter($"RowKey eq {StorageKeys.MeetingRowKey}"), cancellationToken: cancellationToken))
        {
            found.Add(meeting);
        }

        // Ids are time-ordered: newest first.
        return found.OrderByDescending(m => m.PartitionKey, StringComparer.Ordinal).ToList();
    }

    /// <summary>Replaces the meeting at the ETag it was read with (a concurrent change gets 412), with its audit entry.</summary>
    public async Task<string> ReplaceAsync(MeetingEntity meeting, AuditRecord entry, CancellationToken cancellationToken)
    {
        var response = await audit.CommitAsync(tables.Meetings, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, meeting, meeting.ETag)], entry, cancellationToken);
        return response.Value[0].Headers.ETag?.ToString() ?? string.Empty;
    }

    /// <summary>Writes the meeting and a new delivery record in one transaction: a change and the delivery it causes are recorded together.</summary>
    public Task<string> ReplaceWithDeliveryAsync(MeetingEntity meeting, MeetingDeliveryEntity delivery, AuditRecord entry, CancellationToken cancellationToken)
        => ReplaceWithDeliveriesAsync(meeting, [delivery], entry, cancellationToken);

    /// <summary>The meeting and new delivery records (an invitation round and its reminders) in one transaction.</summary>
    public async Task<string> ReplaceWithDeliveriesAsync(MeetingEntity meeting, IReadOnlyList<MeetingDeliveryEntity> deliveries, AuditRecord entry, CancellationToken cancellationToken)
    {
        var response = await audit.CommitAsync(tables.Meetings,
            [new TableTransactionAction(TableTransactionActionType.UpdateReplace, meeting, meeting.ETag),
                .. deliveries.Select(d => new TableTransactionAction(TableTransactionActionType.Add, d))],
            entry, cancellationToken);
        return response.Value[0].Headers.ETag?.ToString() ?? string.Empty;
    }

    public async Task<MeetingDeliveryEntity?> FindDeliveryAsync(string meetingId, string deliveryKey, CancellationToken cancellationToken)
    {
        var response = await tables.Meetings.GetEntityIfExistsAsync<MeetingDeliveryEntity>(
            meetingId, StorageKeys.MeetingDeliveryRowKeyPrefix + deliveryKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public async Task<IReadOnlyList<MeetingDeliveryEntity>> ListDeliveriesAsync(string meetingId, CancellationToken cancellationToken)
    {
        var found = new List<MeetingDeliveryEntity>();
        await foreach (var row in tables.Meetings.QueryAsync<MeetingDeliveryEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {meetingId} and RowKey ge {StorageKeys.MeetingDeliveryRowKeyPrefix} and RowKey lt {"delivery}"}"),
                           cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    /// <summary>
    /// Every delivery of every meeting still Scheduled and not stopped, read with one filtered query: the reminders waiting
    /// for their time, and any whose start never happened. Few rows, whatever the number of meetings.
    /// </summary>
    public async Task<IReadOnlyList<MeetingDeliveryEntity>> ListScheduledDeliveriesAsync(CancellationToken cancellationToken)
    {
        var found = new List<MeetingDeliveryEntity>();
        await foreach (var row in tables.Meetings.QueryAsync<MeetingDeliveryEntity>(
                           TableClient.CreateQueryFilter(
                               $"RowKey ge {StorageKeys.MeetingDeliveryRowKeyPrefix} and RowKey lt {"delivery}"} and State eq {nameof(DeliveryState.Scheduled)} and StopRequested eq false"),
                           cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    /// <summary>Changes a delivery's record (state, failure) at its ETag, again on a lost race; false when there is nothing to do.</summary>
    public Task ChangeDeliveryAsync(string meetingId, string deliveryKey, Func<MeetingDeliveryEntity, bool> change, CancellationToken cancellationToken)
        => ConditionalChange.ReplaceAsync(tables.Meetings,
            async () => await FindDeliveryAsync(meetingId, deliveryKey, cancellationToken) ?? throw new InvalidOperationException($"Meeting delivery {meetingId}-{deliveryKey} does not exist."),
            change, cancellationToken);

    public async Task<RegistrationEntity?> FindRegistrationAsync(string meetingId, string inviteeId, CancellationToken cancellationToken)
    {
        var response = await tables.MeetingRegistrations.GetEntityIfExistsAsync<RegistrationEntity>(
            meetingId, StorageKeys.RegistrationRowKeyPrefix + inviteeId, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    public Task<List<RegistrationEntity>> ListRegistrationsAsync(string meetingId, CancellationToken cancellationToken)
        => RangeAsync<RegistrationEntity>(meetingId, StorageKeys.RegistrationRowKeyPrefix, StorageKeys.RegistrationRowKeyEnd, cancellationToken);

    public Task<List<AttendeeEntity>> ListAttendeesAsync(string meetingId, CancellationToken cancellationToken)
        => RangeAsync<AttendeeEntity>(meetingId, StorageKeys.AttendeeRowKeyPrefix, StorageKeys.AttendeeRowKeyEnd, cancellationToken);

    /// <summary>Adds or replaces an answer, with its audit entry; replaced only at the version read, so two answers at once do not mix.</summary>
    public Task SaveRegistrationAsync(RegistrationEntity registration, bool isNew, AuditRecord entry, CancellationToken cancellationToken)
        => audit.CommitAsync(tables.MeetingRegistrations,
            [isNew
                ? new TableTransactionAction(TableTransactionActionType.Add, registration)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, registration, registration.ETag)],
            entry, cancellationToken);

    /// <summary>Upserts attendees in transactions of up to 99 rows (one is the audit entry's).</summary>
    public async Task SaveAttendeesAsync(string meetingId, IReadOnlyList<AttendeeEntity> attendees, Func<int, AuditRecord> entry, CancellationToken cancellationToken)
    {
        for (var i = 0; i < attendees.Count; i += 90)
        {
            var chunk = attendees.Skip(i).Take(90).Select(a => new TableTransactionAction(TableTransactionActionType.UpsertReplace, a)).ToList();
            await audit.CommitAsync(tables.MeetingRegistrations, chunk, entry(chunk.Count), cancellationToken);
        }
    }

    /// <summary>The delivery core's recipient rows of one of the meeting's deliveries (read-only here).</summary>
    public async Task<List<Delivery.RecipientEntity>> RecipientRowsAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var found = new List<Delivery.RecipientEntity>();
        await foreach (var row in tables.MeetingRecipients.QueryAsync<Delivery.RecipientEntity>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {deliveryId} and RowKey ge {StorageKeys.CampaignResultRowKeyPrefix} and RowKey lt {StorageKeys.CampaignResultRowKeyEnd}"),
                           cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }

    private async Task<List<T>> RangeAsync<T>(string meetingId, string from, string to, CancellationToken cancellationToken)
        where T : class, ITableEntity
    {
        var found = new List<T>();
        if (!IsWellFormedId(meetingId))
        {
            return found;
        }

        await foreach (var row in tables.MeetingRegistrations.QueryAsync<T>(
                           TableClient.CreateQueryFilter($"PartitionKey eq {meetingId} and RowKey ge {from} and RowKey lt {to}"), cancellationToken: cancellationToken))
        {
            found.Add(row);
        }

        return found;
    }
}
