using System.Globalization;
using Azure;
using Azure.Data.Tables;
using CsvHelper;
using CsvHelper.Configuration;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Participants;

public sealed class ParticipantStore(DirectoryTables tables, AuditLog audit)
{
    public async Task<IReadOnlyList<Participant>> ListAsync(CancellationToken cancellationToken)
    {
        var found = new List<Participant>();
        await foreach (var entity in tables.Directory.QueryAsync<ParticipantEntity>(
                           TableClient.CreateQueryFilter($"RowKey eq {StorageKeys.ParticipantRowKey}"), cancellationToken: cancellationToken))
        {
            found.Add(entity.ToModel());
        }

        return found;
    }

    public async Task<ParticipantEntity?> FindAsync(string code, CancellationToken cancellationToken)
    {
        if (!IsWellFormedCode(code))
        {
            return null;
        }

        var response = await tables.Directory.GetEntityIfExistsAsync<ParticipantEntity>(
            StorageKeys.ParticipantPartition(code), StorageKeys.ParticipantRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Adds the participant with its audit entry; false when the code is taken.</summary>
    public Task<bool> TryAddAsync(ParticipantEntity entity, AuditRecord entry, CancellationToken cancellationToken)
        => AddedAsync(() => audit.CommitAsync(tables.Directory, [new TableTransactionAction(TableTransactionActionType.Add, entity)], entry, cancellationToken));

    /// <summary>Merges the participant's row at the version read (a stale one fails with 412) with its audit entry; returns the new ETag.</summary>
    public async Task<string> UpdateAsync(ParticipantEntity entity, ETag ifMatch, AuditRecord entry, CancellationToken cancellationToken)
    {
        var response = await audit.CommitAsync(tables.Directory, [new TableTransactionAction(TableTransactionActionType.UpdateMerge, entity, ifMatch)], entry, cancellationToken);
        return response.Value[0].Headers.ETag?.ToString() ?? throw new InvalidOperationException("Table storage returned no ETag.");
    }

    /// <summary>False when the code is taken.</summary>
    private static async Task<bool> AddedAsync(Func<Task> add)
    {
        try
        {
            await add();
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Adds the reference participants that are missing; never overwrites a stored one, so it is safe at every start.</summary>
    public async Task<int> SeedAsync(CancellationToken cancellationToken)
    {
        var existing = (await ListAsync(cancellationToken)).Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        var added = 0;
        foreach (var entity in ReferenceData().Where(e => !existing.Contains(e.PartitionKey)))
        {
            // Not audited: reference data ships with the app.
            added += await AddedAsync(() => tables.Directory.AddEntityAsync(entity, cancellationToken)) ? 1 : 0;
        }

        return added;
    }

    /// <summary>What <see cref="IsWellFormedCode"/> accepts, for validators and the OpenAPI document.</summary>
    public const string CodePattern = "^[A-Za-z0-9]{2,10}$";

    public static bool IsWellFormedCode(string code)
        => code.Length is >= 2 and <= 10 && code.All(c => char.IsAsciiLetterOrDigit(c));

    /// <summary>The 193 Member States, 2 observer States and the regional organisations shipped with the app.</summary>
    public static IReadOnlyList<ParticipantEntity> ReferenceData()
    {
        using var stream = typeof(ParticipantStore).Assembly.GetManifestResourceStream("participants.csv")
            ?? throw new InvalidOperationException("The participants reference data is missing from the assembly.");
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        return csv.GetRecords<ReferenceRow>()
            .Select(row => new ParticipantEntity
            {
                PartitionKey = StorageKeys.ParticipantPartition(row.Code),
                RowKey = StorageKeys.ParticipantRowKey,
                Name = row.Name,
                Type = Enum.Parse<ParticipantType>(row.Type).ToString(),
                Region = string.IsNullOrEmpty(row.Region) ? null : Enum.Parse<Region>(row.Region).ToString(),
            })
            .ToList();
    }

    private sealed class ReferenceRow
    {
        [CsvHelper.Configuration.Attributes.Name("code")]
        public string Code { get; set; } = string.Empty;

        [CsvHelper.Configuration.Attributes.Name("name")]
        public string Name { get; set; } = string.Empty;

        [CsvHelper.Configuration.Attributes.Name("type")]
        public string Type { get; set; } = string.Empty;

        [CsvHelper.Configuration.Attributes.Name("region")]
        public string Region { get; set; } = string.Empty;
    }
}
