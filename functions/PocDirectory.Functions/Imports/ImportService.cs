using System.Text.Json;
using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Imports;

/// <summary>
/// Regional directories' lists in a review area (decision 0042): read in and matched, never written to the directory
/// until the Secretariat or the participant's focal point accepts an entry; then the POC is created or updated through
/// <see cref="PocService"/>, with the import as its source.
/// </summary>
public sealed class ImportService(
    ImportStore store, PocStore pocStore, PocService pocs, ParticipantStore participants, IValidator<ImportInput> validator,
    IValidator<PocInput> pocValidator, AuditLog audit, TimeProvider time)
{
    public const string ExchangeDirectoryName = "Global POC Directory";

    public async Task<RegionalImport> CreateAsync(Caller caller, ImportInput input, CancellationToken cancellationToken)
    {
        if (!caller.IsSecretariat && !caller.Roles.Any(r => r.Role == Role.FocalPoint))
        {
            throw new ForbiddenException("Only the Secretariat or a focal point may import a regional directory's list.");
        }

        validator.ThrowIfInvalid(input);
        var incoming = input.Csv is { } csv ? ExchangeCsv.Read(csv) : input.Entries!.Select(e => e!).ToList();
        if (incoming.Count is 0 or > ImportInputValidator.MaxEntries)
        {
            throw RequestValidationException.For("csv", $"Between 1 and {ImportInputValidator.MaxEntries} rows under the header.");
        }

        var now = time.GetUtcNow();
        var id = StorageKeys.SortableId(now);
        var activeByParticipant = new Dictionary<string, IReadOnlyList<Poc>>(StringComparer.Ordinal);
        var entries = new List<ImportEntryEntity>();
        foreach (var (entry, index) in incoming.Select((e, i) => (e, i)))
        {
            var code = entry.Country?.ToUpperInvariant()
                ?? throw RequestValidationException.For($"entries[{index}].country", "Required: the participant's code, e.g. SGP.");
            caller.RequireCanManage(code);
            if (!activeByParticipant.TryGetValue(code, out var active))
            {
                _ = await participants.FindAsync(code, cancellationToken)
                    ?? throw RequestValidationException.For($"entries[{index}].country", $"There is no participant with code '{code}'.");
                active = await ActivePocsAsync(code, cancellationToken);
                activeByParticipant[code] = active;
            }

            var match = ImportMatcher.Match(entry, active);
            Validate(entry, ExchangeMapping.ToInput(entry, match.Poc), index);
            entries.Add(new ImportEntryEntity
            {
                PartitionKey = id,
                RowKey = ImportStore.EntryRowKey(index + 1),
                Number = index + 1,
                Participant = code,
                Match = match.Match.ToString(),
                Incoming = JsonSerializer.Serialize(entry, ApiJson.Options),
                PocId = match.Poc?.Id,
                Differences = JsonSerializer.Serialize(match.Differences, ApiJson.Options),
            });
        }

        var import = new ImportEntity
        {
            PartitionKey = id,
            Directory = input.Directory!.Trim(),
            Reference = string.IsNullOrWhiteSpace(input.Reference) ? null : input.Reference.Trim(),
            ImportedAt = now,
            ImportedBy = caller.Email ?? string.Empty,
            Participants = string.Join(',', activeByParticipant.Keys.Order(StringComparer.Ordinal)),
        };
        var created = await ShowAsync(caller, import, entries, withEntries: true, cancellationToken);
        await store.AddAsync(import, entries, audit.Entry(caller, "Import.Created", "Import", id, null, created with { Entries = null }), cancellationToken);
        return created;
    }

    public async Task<ListPage<RegionalImport>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        RequireReviewer(caller);
        var shown = new List<RegionalImport>();
        foreach (var import in (await store.ListAsync(cancellationToken)).Where(i => SeesAny(caller, i)))
        {
            shown.Add(await ShowAsync(caller, import, await store.EntriesAsync(import.PartitionKey, cancellationToken), withEntries: false, cancellationToken));
        }

        return new ListPage<RegionalImport>(shown, null);
    }

    public async Task<RegionalImport> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        RequireReviewer(caller);
        var import = await FindVisibleAsync(caller, id, cancellationToken);
        return await ShowAsync(caller, import, await store.EntriesAsync(id, cancellationToken), withEntries: true, cancellationToken);
    }

    /// <summary>Creates the new POC or updates the matched one with the entry's values, the import recorded as its source.</summary>
    public async Task<ImportEntry> AcceptAsync(Caller caller, string id, string number, CancellationToken cancellationToken)
    {
        var (import, entry) = await FindPendingAsync(caller, id, number, cancellationToken);
        var claimed = await store.ClaimAsync(entry, ImportStore.Accepting, cancellationToken) ?? throw AlreadyDecided(entry.Number);
        string pocId;
        try
        {
            var source = new PocSource(PocSourceKind.Import, null, new ImportSource(import.Directory, import.Reference, import.ImportedAt));
            if (claimed.PocId is null)
            {
                pocId = (await pocs.CreateAsync(caller, ExchangeMapping.ToInput(claimed.IncomingEntry, null), source, cancellationToken)).Value.Id;
            }
            else
            {
                var current = await pocStore.FindAsync(claimed.PocId, cancellationToken);
                if (current is null || current.Value.Status != PocStatus.Active)
                {
                    throw new ConflictException("The POC this entry was matched to has been retired since the import; reject the entry, or import the list again.");
                }

                pocId = (await pocs.UpdateAsync(caller, claimed.PocId, current.ETag, ExchangeMapping.ToInput(claimed.IncomingEntry, current.Value), source, cancellationToken)).Value.Id;
            }
        }
        catch
        {
            await store.ReleaseAsync(claimed, cancellationToken);
            throw;
        }

        return await DecideAsync(caller, claimed, ImportDecision.Accepted, pocId, cancellationToken);
    }

    /// <summary>Leaves the directory as it is; the entry stays in the review area as rejected.</summary>
    public async Task<ImportEntry> RejectAsync(Caller caller, string id, string number, CancellationToken cancellationToken)
    {
        var (_, entry) = await FindPendingAsync(caller, id, number, cancellationToken);
        try
        {
            return await DecideAsync(caller, entry, ImportDecision.Rejected, null, cancellationToken);
        }
        catch (Azure.Data.Tables.TableTransactionFailedException e) when (e.Status == 412)
        {
            throw AlreadyDecided(entry.Number);
        }
    }

    /// <summary>The active POCs in the exchange format: the whole directory (Secretariat) or one participant's (also its focal points).</summary>
    public async Task<ExchangeDocument> ExportAsync(Caller caller, string? participant, CancellationToken cancellationToken)
    {
        if (participant is null)
        {
            caller.RequireSecretariat();
        }
        else
        {
            caller.RequireCanManage(participant);
            _ = await participants.FindAsync(participant, cancellationToken) ?? throw new NotFoundException($"There is no participant with code '{participant}'.");
        }

        var entries = new List<ExchangeEntry>();
        await foreach (var poc in pocStore.AllAsync(participant, cancellationToken))
        {
            if (poc.Status == PocStatus.Active)
            {
                entries.Add(ExchangeMapping.FromPoc(poc));
            }
        }

        return new ExchangeDocument(ExchangeDocument.FormatName, ExchangeDirectoryName, time.GetUtcNow(), entries);
    }

    private async Task<ImportEntry> DecideAsync(Caller caller, ImportEntryEntity entry, ImportDecision decision, string? pocId, CancellationToken cancellationToken)
    {
        entry.Decision = decision.ToString();
        entry.DecidedAt = time.GetUtcNow();
        entry.DecidedBy = caller.Email;
        entry.ResultPocId = pocId;
        var shown = await ShowEntryAsync(entry, cancellationToken);
        await store.DecideAsync(entry, audit.Entry(caller, $"ImportEntry.{decision}", "Import", $"{entry.PartitionKey}/{entry.Number}", null, shown), cancellationToken);
        return shown;
    }

    private async Task<(ImportEntity Import, ImportEntryEntity Entry)> FindPendingAsync(Caller caller, string id, string text, CancellationToken cancellationToken)
    {
        RequireReviewer(caller);
        var import = await FindVisibleAsync(caller, id, cancellationToken);
        var number = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is > 0 and <= ImportInputValidator.MaxEntries ? n : 0;
        var entry = number == 0 ? null : await store.FindEntryAsync(id, number, cancellationToken);
        if (entry is null || !caller.Sees(entry.Participant, Confidential.ImportEntries))
        {
            throw new NotFoundException($"Import {id} has no entry {text}.");
        }

        caller.RequireCanManage(entry.Participant);
        return entry.Decision == nameof(ImportDecision.Pending) ? (import, entry) : throw AlreadyDecided(number);
    }

    private static ConflictException AlreadyDecided(int number) => new($"Entry {number} has already been decided; a decision is final.");

    private async Task<ImportEntity> FindVisibleAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var import = await store.FindAsync(id, cancellationToken);
        return import is not null && SeesAny(caller, import) ? import : throw new NotFoundException($"There is no import with id '{id}'.");
    }

    private static bool SeesAny(Caller caller, ImportEntity import) => import.ParticipantList.Any(p => caller.Sees(p, Confidential.ImportEntries));

    /// <summary>Reading follows <see cref="Confidential.ImportEntries"/> (the participant's own POCs too); deciding is for those who manage it.</summary>
    private static void RequireReviewer(Caller caller) => caller.RequireDirectoryAccess();

    private async Task<RegionalImport> ShowAsync(Caller caller, ImportEntity import, IReadOnlyList<ImportEntryEntity> entries, bool withEntries, CancellationToken cancellationToken)
    {
        var visible = entries.Where(e => caller.Sees(e.Participant, Confidential.ImportEntries)).OrderBy(e => e.Number).ToList();
        var counts = new ImportCounts(
            visible.Count(e => e.Match == nameof(ImportMatch.New)),
            visible.Count(e => e.Match == nameof(ImportMatch.Known)),
            visible.Count(e => e.Match == nameof(ImportMatch.Differing)),
            visible.Count(e => e.Decision is nameof(ImportDecision.Pending) or ImportStore.Accepting));
        List<ImportEntry>? shown = null;
        if (withEntries)
        {
            shown = [];
            foreach (var entry in visible)
            {
                shown.Add(await ShowEntryAsync(entry, cancellationToken));
            }
        }

        return new RegionalImport(import.PartitionKey, import.Directory, import.Reference, import.ImportedAt, import.ImportedBy,
            import.ParticipantList.Where(p => caller.Sees(p, Confidential.ImportEntries)).ToList(), counts, shown);
    }

    /// <summary>The entry beside the matched POC as it is now; contacts of an active POC are for every viewer (<see cref="Visibility"/>).</summary>
    private async Task<ImportEntry> ShowEntryAsync(ImportEntryEntity entry, CancellationToken cancellationToken)
    {
        var existing = entry.PocId is null ? null : await pocStore.FindAsync(entry.PocId, cancellationToken);
        return new ImportEntry(entry.Number, entry.Participant, Enum.Parse<ImportMatch>(entry.Match), entry.IncomingEntry, entry.PocId,
            existing is { Value.Status: PocStatus.Active } ? ExchangeMapping.FromPoc(existing.Value) : null, entry.DifferenceList,
            entry.Decision == ImportStore.Accepting ? ImportDecision.Pending : Enum.Parse<ImportDecision>(entry.Decision),
            entry.DecidedAt, entry.DecidedBy, entry.ResultPocId);
    }

    private async Task<IReadOnlyList<Poc>> ActivePocsAsync(string participant, CancellationToken cancellationToken)
    {
        var active = new List<Poc>();
        await foreach (var poc in pocStore.AllAsync(participant, cancellationToken))
        {
            if (poc.Status == PocStatus.Active)
            {
                active.Add(poc);
            }
        }

        return active;
    }

    /// <summary>The POC rules, failures named by the entry and the column the sender wrote: entries[3].email.</summary>
    private void Validate(ExchangeEntry entry, PocInput input, int index)
    {
        var result = pocValidator.Validate(input);
        if (result.IsValid)
        {
            return;
        }

        throw new RequestValidationException(result.Errors
            .GroupBy(e => $"entries[{index}].{ColumnOf(Validation.ClientFieldName(e.PropertyName), entry)}")
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray()));
    }

    private static string ColumnOf(string field, ExchangeEntry entry)
    {
        var head = field.Split('.', '[')[0];
        if (head == "phones" && field.Length > "phones[".Length && int.TryParse(field["phones[".Length..].Split(']')[0], out var i))
        {
            var columns = new[] { ("telephone", entry.Telephone), ("mobile", entry.Mobile), ("emergency_phone", entry.EmergencyPhone) }
                .SelectMany(c => (c.Item2 ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries).Select(_ => c.Item1)).ToList();
            return i < columns.Count ? columns[i] : "telephone";
        }

        return ExchangeMapping.ColumnOfField.TryGetValue(head, out var column) ? column : head;
    }
}
