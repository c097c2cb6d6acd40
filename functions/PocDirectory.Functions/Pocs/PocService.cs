using FluentValidation;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Pocs;

public sealed class PocService(
    PocStore store, ParticipantStore participants, RoleAssignmentService roles, IValidator<PocInput> validator, AuditLog audit, TimeProvider time)
{
    /// <summary>What the caller may see of the POC (<see cref="Visibility"/>); a record it may not see at all is not found.</summary>
    public async Task<Versioned<Poc>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var found = await FindAsync(id, cancellationToken);
        return caller.Show(found.Value) is { } shown ? found with { Value = Presented(shown) } : throw NotFound(id);
    }

    /// <summary>pgpKeyStatus is computed when shown, from the key's expiry and the app's clock; it is never stored.</summary>
    /// <summary>What a reader gets besides the stored record: the key's status now, and the source (records from before sources were kept came in by the portal).</summary>
    private Poc Presented(Poc poc) => poc with { PgpKeyStatus = PgpKeyStatuses.Of(poc, time.GetUtcNow()), Source = poc.Source ?? PocSource.Portal };

    public async Task<ListPage<Poc>> ListAsync(Caller caller, PocQuery query, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var page = await store.QueryAsync(caller.Restrict(query), cancellationToken);
        return page with { Items = page.Items.Select(caller.Show).OfType<Poc>().Select(Presented).ToList() };
    }

    public Task<Versioned<Poc>> CreateAsync(Caller caller, PocInput input, CancellationToken cancellationToken)
        => CreateAsync(caller, input, source: null, cancellationToken);

    /// <summary>A nomination with its source recorded (an accepted import entry, decision 0042); the same rules as any other.</summary>
    public async Task<Versioned<Poc>> CreateAsync(Caller caller, PocInput input, PocSource? source, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(input.Participant))
        {
            caller.RequireCanManage(input.Participant);
        }

        validator.ThrowIfInvalid(input);
        var participant = await participants.FindAsync(input.Participant!, cancellationToken)
            ?? throw RequestValidationException.For("participant", $"There is no participant with code '{input.Participant}'.");

        var now = time.GetUtcNow();
        var poc = Build(input, participant.PartitionKey, Storage.StorageKeys.NewPocId(participant.PartitionKey, now), now, caller) with
        {
            CreatedAt = now,
            CreatedBy = caller.Email,
            LastConfirmedAt = now,
            Source = source,
        };
        var etag = await store.AddAsync(poc, audit.Entry(caller, "Poc.Created", "Poc", poc.Id, null, poc), cancellationToken);
        return new Versioned<Poc>(Presented(poc), etag);
    }

    public Task<Versioned<Poc>> UpdateAsync(Caller caller, string id, string ifMatch, PocInput input, CancellationToken cancellationToken)
        => UpdateAsync(caller, id, ifMatch, input, source: null, cancellationToken);

    /// <summary>A replacement; with <paramref name="source"/> the record's source becomes it (an accepted import entry), else it is kept.</summary>
    public async Task<Versioned<Poc>> UpdateAsync(Caller caller, string id, string ifMatch, PocInput input, PocSource? source, CancellationToken cancellationToken)
    {
        var (current, version) = await store.FindForEditAsync(id, ifMatch, cancellationToken) ?? throw NotFound(id);
        caller.RequireCanEdit(current.Participant, current.Id);
        validator.ThrowIfInvalid(input);
        if (!string.Equals(input.Participant, current.Participant, StringComparison.OrdinalIgnoreCase))
        {
            throw RequestValidationException.For("participant", "A POC cannot move to another participant; retire it and nominate a new one.");
        }

        if (!caller.CanManage(current.Participant) && (input.Kind != current.Kind || input.Rank != current.Rank))
        {
            throw new ForbiddenException("Only the focal point or the Secretariat may change a POC's kind or rank.");
        }

        if (current.Status == PocStatus.Retired)
        {
            throw new ConflictException("This POC is retired; retired records are kept as history and cannot be edited.");
        }

        var now = time.GetUtcNow();
        var updated = Build(input, current.Participant, current.Id, now, caller) with
        {
            CreatedAt = current.CreatedAt,
            CreatedBy = current.CreatedBy,
            LastConfirmedAt = current.LastConfirmedAt,
            LastPingOutcome = current.LastPingOutcome,
            LastAcknowledgedAt = current.LastAcknowledgedAt,
            MissedPings = current.MissedPings,
            Confirmation = current.Confirmation,
            Source = source ?? current.Source,
        };
        RequireVersion(version, ifMatch);
        var etag = await store.ReplaceAsync(current, updated, ifMatch, audit.Entry(caller, "Poc.Updated", "Poc", id, current, updated), cancellationToken);
        return new Versioned<Poc>(Presented(updated), etag);
    }

    /// <summary>
    /// Retiring keeps the record and its history; it stops counting as a nomination, and the person loses the POC role
    /// that pointed at it (a role pointing at a retired record grants nothing even before it is removed).
    /// </summary>
    public async Task<Versioned<Poc>> RetireAsync(Caller caller, string id, string ifMatch, CancellationToken cancellationToken)
    {
        var (current, version) = await store.FindForEditAsync(id, ifMatch, cancellationToken) ?? throw NotFound(id);
        caller.RequireCanManage(current.Participant);
        if (current.Status == PocStatus.Retired)
        {
            throw new ConflictException("This POC is already retired.");
        }

        var now = time.GetUtcNow();
        var retired = current with { Status = PocStatus.Retired, RetiredAt = now, UpdatedAt = now, UpdatedBy = caller.Email };
        RequireVersion(version, ifMatch);
        var etag = await store.ReplaceAsync(current, retired, ifMatch, audit.Entry(caller, "Poc.Retired", "Poc", id, current, retired), cancellationToken);
        await roles.RevokePocRolesAsync(caller, id, cancellationToken);
        return new Versioned<Poc>(Presented(retired), etag);
    }

    /// <summary>The POC or its focal point states that the record is current; no If-Match, since nothing else changes.</summary>
    public async Task<Versioned<Poc>> ConfirmAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var current = await FindAsync(id, cancellationToken);
        caller.RequireCanEdit(current.Value.Participant, current.Value.Id);
        return await ConfirmAsync(caller, current, cancellationToken);
    }

    /// <summary>A confirmation through a re-confirmation link: audited like one in the portal, by the link as actor.</summary>
    public async Task<Versioned<Poc>> ConfirmByLinkAsync(string id, CancellationToken cancellationToken)
        => await ConfirmAsync(new Caller("confirmation-link", null, []), await FindAsync(id, cancellationToken), cancellationToken);

    private async Task<Versioned<Poc>> ConfirmAsync(Caller caller, Versioned<Poc> current, CancellationToken cancellationToken)
    {
        var id = current.Value.Id;
        if (current.Value.Status == PocStatus.Retired)
        {
            throw new ConflictException("This POC is retired; only active records can be confirmed.");
        }

        var now = time.GetUtcNow();
        var confirmed = current.Value with { LastConfirmedAt = now, UpdatedAt = now, UpdatedBy = caller.Email, Confirmation = ConfirmationStatus.Current };
        var etag = await store.ReplaceAsync(current.Value, confirmed, current.ETag,
            audit.Entry(caller, "Poc.Confirmed", "Poc", id, current.Value, confirmed), cancellationToken);
        return new Versioned<Poc>(Presented(confirmed), etag);
    }

    /// <summary>Any tag but the version just read is stale, whatever its form (another service's strong ETag, a tag of
    /// another POC): 412 here, before storage would refuse a tag it did not make with a 400. The conditional write
    /// still guards against a change between this read and the write.</summary>
    private static void RequireVersion(string current, string ifMatch)
    {
        if (!string.Equals(current, ifMatch, StringComparison.Ordinal))
        {
            throw new PreconditionFailedException(ProblemResults.StaleVersion);
        }
    }

    private async Task<Versioned<Poc>> FindAsync(string id, CancellationToken cancellationToken)
        => await store.FindAsync(id, cancellationToken) ?? throw NotFound(id);

    private static NotFoundException NotFound(string id) => new($"There is no POC with id '{id}'.");

    private Poc Build(PocInput input, string participant, string id, DateTimeOffset now, Caller caller)
    {
        string? fingerprint = null;
        DateTimeOffset? expiresAt = null;
        if (!string.IsNullOrEmpty(input.PgpPublicKey) && PgpPublicKey.TryParse(input.PgpPublicKey, now, out var key, out _))
        {
            fingerprint = key!.Fingerprint;
            expiresAt = key.ExpiresAt;
        }

        var availability = input.Availability!;
        return new Poc(
            Id: id,
            Participant: participant,
            Kind: input.Kind!.Value,
            Rank: input.Rank!.Value,
            FullName: input.FullName!.Trim(),
            Position: string.IsNullOrWhiteSpace(input.Position) ? null : input.Position.Trim(),
            Organisation: input.Organisation!.Trim(),
            Emails: input.Emails!.Select(e => e!.Trim()).ToList(),
            Phones: (input.Phones ?? []).Select(p => new Phone(p!.Number!, p.Type!.Value)).ToList(),
            Languages: input.Languages!.Select(l => LanguageTags.TryNormalise(l, out var tag, out _) ? tag : l!).ToList(),
            TimeZone: input.TimeZone!,
            Availability: availability.Type == AvailabilityType.TwentyFourSeven
                ? new Availability(AvailabilityType.TwentyFourSeven)
                : new Availability(AvailabilityType.BusinessHours, availability.Days, availability.Start, availability.End),
            PgpPublicKey: string.IsNullOrEmpty(input.PgpPublicKey) ? null : input.PgpPublicKey,
            PgpFingerprint: fingerprint,
            PgpExpiresAt: expiresAt,
            Status: PocStatus.Active,
            LastConfirmedAt: now,
            CreatedAt: now,
            CreatedBy: caller.Email,
            UpdatedAt: now,
            UpdatedBy: caller.Email,
            RetiredAt: null,
            Source: PocSource.Portal);
    }
}
