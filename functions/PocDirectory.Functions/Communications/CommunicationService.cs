using System.Text.Json;
using Azure.Data.Tables;
using FluentValidation;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Audit;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Exercises;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;
using PocDirectory.Functions.Storage;

namespace PocDirectory.Functions.Communications;

/// <summary>
/// Sends, reads, answers and lists communications between participants (issue 15). Delivery, links, timers and
/// acknowledgements go through the delivery core; who sees what is <see cref="Visibility"/>'s.
/// </summary>
public sealed class CommunicationService(
    CommunicationStore communications,
    CommunicationDelivery feature,
    ParticipantStore participants,
    PocStore pocs,
    IValidator<CommunicationInput> validator,
    IValidator<ReplyInput> replyValidator,
    DeliveryService deliveries,
    DeliveryStore recipients,
    IEmailSender email,
    PortalLinks portal,
    AuditLog audit,
    IOptions<CommunicationOptions> options,
    ExerciseStore exercises,
    ExercisePlayers players,
    TimeProvider time)
{
    private const string NotFound = "There is no communication with this id that you may see.";

    public async Task<Communication> SendAsync(Caller caller, CommunicationInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        validator.ThrowIfInvalid(input);
        var from = SendingParty(caller, input.From);
        var to = input.To!.ToUpperInvariant();
        if (to == from)
        {
            throw RequestValidationException.For("to", "A communication goes to another participant than your own.");
        }

        var receiving = await participants.FindAsync(to, cancellationToken) ?? throw RequestValidationException.For("to", $"There is no participant with code '{to}'.");
        if (input.InReplyTo is { } earlier && await FindVisibleAsync(caller, earlier, Confidential.CommunicationContent, cancellationToken) is null)
        {
            throw RequestValidationException.For("inReplyTo", "There is no communication with this id that you may see.");
        }

        if (input.ExerciseId is { } exerciseId)
        {
            await ExerciseService.ValidateExerciseCommunicationAsync(exercises, players, exerciseId, from, cancellationToken);
        }

        var kinds = (input.Kinds ?? []).Distinct().Order().ToList();
        var reached = 0;
        await foreach (var poc in pocs.AllAsync(to, cancellationToken))
        {
            reached += poc.Status == PocStatus.Active && (kinds.Count == 0 || kinds.Contains(poc.Kind)) ? 1 : 0;
        }

        if (reached == 0)
        {
            throw new UnprocessableContentException($"{to} has no active point of contact of the requested kinds; the communication cannot be delivered.");
        }

        var settings = options.Value;
        var now = time.GetUtcNow();
        var id = StorageKeys.NewestFirstId(now);
        var target = settings.TargetFor(input.Urgency!.Value);
        var respondBy = CommunicationInputValidator.Duration(input.RespondBy);
        var plan = CommunicationDelivery.Plan(kinds);

        // The acknowledgement links work until the respond-by time, and at least one target after the last escalation step.
        var window = respondBy > target * (plan.Count + 1) ? respondBy : target * (plan.Count + 1);
        var (senderName, senderPhones, senderPocId) = await SenderAsync(caller, from, cancellationToken);
        var communication = new CommunicationEntity
        {
            RowKey = id,
            Reference = $"COM-{now:yyyyMMdd}-{id[^6..]}",
            From = from,
            To = to,
            ToRegion = receiving.Region,
            Kinds = JsonSerializer.Serialize(kinds, ApiJson.Options),
            Type = input.Type!.Value.ToString(),
            Urgency = input.Urgency.Value.ToString(),
            SentAt = now,
            RespondBy = now + respondBy,
            AcknowledgeBy = now + target,
            DeliveryDeadline = now + window,
            InReplyTo = input.InReplyTo,
            Subject = input.Subject!.Trim(),
            Body = input.Body!,
            ContentExpiresAt = now + settings.ContentRetention,
            SenderName = senderName,
            SenderEmail = caller.Email,
            SenderPhones = JsonSerializer.Serialize(senderPhones, ApiJson.Options),
            SenderPocId = senderPocId,
            ExerciseId = input.ExerciseId,
        };
        await communications.AddAsync(communication, audit.Entry(caller, "Communication.Sent", "Communication", id, null, communication.ToMetadata()), cancellationToken);
        await deliveries.StartAsync(CommunicationDelivery.Of(id), CommunicationDelivery.FirstStepName, window, [target],
            Enumerable.Range(1, plan.Count).Select(i => target * i).ToList(), durable, cancellationToken);
        return await ViewAsync(caller, communication, cancellationToken);
    }

    public async Task<Communication> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var communication = await FindVisibleAsync(caller, id, Confidential.CommunicationMetadata, cancellationToken) ?? throw new NotFoundException(NotFound);
        return await ViewAsync(caller, communication, cancellationToken);
    }

    /// <summary>The caller's participant's communications, newest first: received (inbox), sent, or both; the Secretariat's metadata of all.</summary>
    public async Task<ListPage<Communication>> ListAsync(
        Caller caller, Box? box, CommunicationStatus? status, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var parties = caller.OwnParticipants().ToList();
        if (caller.IsSecretariat)
        {
            parties.Add(Visibility.SecretariatParty);
        }

        var filters = new List<string>();
        if (!caller.IsSecretariat || box is not null)
        {
            var column = box switch { Box.Inbox => new[] { "To" }, Box.Sent => ["From"], _ => ["From", "To"] };
            var clauses = parties.SelectMany(p => column.Select(c => $"{c} eq '{p.Replace("'", "''", StringComparison.Ordinal)}'")).ToList();
            filters.Add(clauses.Count == 0 ? "From eq ''" : string.Join(" or ", clauses));
        }

        if (status is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"Status eq {status.ToString()}"));
        }

        var query = communications.QueryAsync(filters.Count == 0 ? null : string.Join(" and ", filters.Select(f => $"({f})")), cancellationToken);
        return await TablePages.FirstAsync(query, continuationToken, pageSize, c => Summary(caller, c));
    }

    /// <summary>A signed-in receiving POC acknowledges receipt in the portal instead of through the link.</summary>
    public async Task<AcknowledgementReceipt> AcknowledgeAsync(Caller caller, string id, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var communication = await FindVisibleAsync(caller, id, Confidential.CommunicationMetadata, cancellationToken) ?? throw new NotFoundException(NotFound);
        foreach (var role in caller.Roles.Where(r => r.Role == Role.Poc && r.PocId is not null))
        {
            if (await recipients.FindAsync(CommunicationDelivery.Of(id), role.PocId!, cancellationToken) is not null)
            {
                var receipt = await deliveries.AcknowledgeAsync(feature, id, role.PocId!, caller.Email, durable, cancellationToken);
                await communications.ChangeAsync(communication.RowKey, e =>
                {
                    if (e.AcknowledgedAt is not null)
                    {
                        return false;
                    }

                    e.AcknowledgedAt = receipt.AcknowledgedAt;
                    e.Status = e.StatusValue == CommunicationStatus.Sent ? nameof(CommunicationStatus.Acknowledged) : e.Status;
                    return true;
                }, null, cancellationToken);
                return receipt;
            }
        }

        throw new ForbiddenException("Only a point of contact this communication was sent to can acknowledge its receipt; reply to it instead.");
    }

    /// <summary>A reply by a focal point or POC of either side; it reaches the other side, and the first one from the receiving side stops the escalation.</summary>
    public async Task<CommunicationReply> ReplyAsync(Caller caller, string id, ReplyInput input, DurableTaskClient durable, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var communication = await FindVisibleAsync(caller, id, Confidential.CommunicationMetadata, cancellationToken) ?? throw new NotFoundException(NotFound);
        if (!caller.SeesCommunication(communication.From, communication.To, Confidential.CommunicationContent))
        {
            throw new ForbiddenException("Only the focal points and points of contact of the two participants may reply.");
        }

        replyValidator.ThrowIfInvalid(input);
        if (communication.StatusValue == CommunicationStatus.Closed)
        {
            throw new ConflictException($"Communication {communication.Reference} is closed; start a new one with inReplyTo to follow it up.");
        }

        var side = caller.ViewerOfParty(communication.To) == Viewer.OwnParticipant ? communication.To : communication.From;
        var now = time.GetUtcNow();
        var reply = new CommunicationReplyEntity
        {
            PartitionKey = StorageKeys.ThreadPartition(id),
            RowKey = StorageKeys.SortableId(now),
            Participant = side,
            AuthorName = caller.Name,
            AuthorEmail = caller.Email,
            At = now,
            Closes = input.Closes ?? false,
            Body = input.Body,
        };
        await communications.AddReplyAsync(reply, audit.Entry(caller, "Communication.Replied", "CommunicationReply", $"{id}/{reply.RowKey}", null,
            new { communicationId = id, participant = side, at = now, closes = reply.Closes }), cancellationToken);

        var fromReceiver = side == communication.To;
        var updated = await communications.ChangeAsync(id, e =>
        {
            if (fromReceiver)
            {
                e.FirstReplyAt ??= now;
                e.StopRequested = e.StopRequested || e.DeliveryStateValue != DeliveryState.Closed;
            }

            if (reply.Closes)
            {
                (e.Status, e.ClosedAt) = (nameof(CommunicationStatus.Closed), now);
            }
            else if (e.StatusValue != CommunicationStatus.Closed)
            {
                e.Status = nameof(CommunicationStatus.Replied);
            }

            return true;
        }, (before, after) => audit.Entry(caller, reply.Closes ? "Communication.Closed" : "Communication.Updated", "Communication", id, before, after), cancellationToken);

        if (fromReceiver && updated is { DeliveryState: not nameof(DeliveryState.Closed) })
        {
            // An answer from the receiving side shows it arrived: no more reminders or escalation.
            await deliveries.SignalAsync(CommunicationDelivery.Of(id), DeliveryOrchestrator.Cancel, durable, cancellationToken);
        }

        await NotifyOtherSideAsync(communication, reply, fromReceiver, cancellationToken);
        return reply.ToModel(content: true);
    }

    /// <summary>Erases the content of every communication whose retention has run out; the metadata stays. Run by a timer.</summary>
    public async Task<int> EraseExpiredContentAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var erased = 0;
        await foreach (var expired in communications.QueryAsync(TableClient.CreateQueryFilter($"ContentExpiresAt le {now}"), cancellationToken))
        {
            if (expired.ContentErasedAt is not null)
            {
                continue;
            }

            await communications.EraseRepliesAsync(expired.RowKey, cancellationToken);
            if (await communications.ChangeAsync(expired.RowKey, e => e.EraseContent(now),
                    (before, after) => audit.Entry(Caller.System, "Communication.ContentErased", "Communication", expired.RowKey, before, after), cancellationToken) is not null)
            {
                erased++;
            }
        }

        return erased;
    }

    /// <summary>The communications the caller's statistics cover: all for the Secretariat, those its participant received otherwise.</summary>
    public async Task<CommunicationStats> StatsAsync(Caller caller, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        caller.RequireDirectoryAccess();
        var filters = new List<string>();
        if (from is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"SentAt ge {from.Value}"));
        }

        if (to is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"SentAt lt {to.Value}"));
        }

        var found = new List<CommunicationEntity>();
        await foreach (var c in communications.QueryAsync(filters.Count == 0 ? null : string.Join(" and ", filters), cancellationToken))
        {
            // Exercise traffic never counts in the statistics (issue 17).
            if (c.ExerciseId is null && (caller.IsSecretariat || caller.ViewerOf(c.To) == Viewer.OwnParticipant))
            {
                found.Add(c);
            }
        }

        return CommunicationStatsBuilder.Build(from, to, found, options.Value);
    }

    private async Task NotifyOtherSideAsync(CommunicationEntity c, CommunicationReplyEntity reply, bool fromReceiver, CancellationToken cancellationToken)
    {
        var thread = portal.Page("communications", c.RowKey).AbsoluteUri;
        var fromName = await feature.NameOfAsync(reply.Participant, cancellationToken);
        IEnumerable<(string Email, string Name, string Language)> whom = fromReceiver
            ? (await feature.SenderSideAsync(c, cancellationToken)).Select(s => (s.Email, s.Name, MessageTexts.Fallback))
            : (await recipients.ListAsync(CommunicationDelivery.Of(c.RowKey), cancellationToken))
                .SelectMany(r => r.EmailList.Select(e => (e, r.FullName, r.Language ?? MessageTexts.Fallback)));
        foreach (var (address, name, language) in whom.DistinctBy(w => w.Email, StringComparer.OrdinalIgnoreCase))
        {
            await email.SendAsync(CommunicationDelivery.Marked(c, CommunicationEmails.Reply(new ReplyEmailModel(
                c.RowKey, c.Reference, reply.RowKey, name, address, fromName, reply.Body ?? string.Empty, reply.Closes, thread, language))), cancellationToken);
        }
    }

    /// <summary>The communication when the caller may see <paramref name="data"/> of it; null (so 404) for a third participant.</summary>
    private async Task<CommunicationEntity?> FindVisibleAsync(Caller caller, string id, Confidential data, CancellationToken cancellationToken)
        => await communications.FindAsync(id, cancellationToken) is { } c && caller.SeesCommunication(c.From, c.To, data) ? c : null;

    private async Task<Communication> ViewAsync(Caller caller, CommunicationEntity c, CancellationToken cancellationToken)
    {
        var rows = await recipients.ListAsync(CommunicationDelivery.Of(c.RowKey), cancellationToken);
        var acknowledged = rows.Where(r => r.OutcomeValue == RecipientOutcome.Acknowledged).OrderBy(r => r.AcknowledgedAt).ToList();
        var metadata = c.ToMetadata();
        if (metadata.AcknowledgedAt is null && acknowledged.Count > 0)
        {
            metadata = metadata with
            {
                AcknowledgedAt = acknowledged[0].AcknowledgedAt,
                Status = metadata.Status == CommunicationStatus.Sent ? CommunicationStatus.Acknowledged : metadata.Status,
            };
        }

        if (!caller.SeesCommunication(c.From, c.To, Confidential.CommunicationContent))
        {
            return metadata;
        }

        var replies = await communications.RepliesAsync(c.RowKey, cancellationToken);
        return metadata with
        {
            Subject = c.Subject,
            Body = c.Body,
            Sender = new CommunicationSender(c.From, c.SenderName, c.SenderEmail ?? string.Empty, JsonSerializer.Deserialize<List<string>>(c.SenderPhones, ApiJson.Options)!, c.SenderPocId),
            Acknowledgements = acknowledged.Select(r => new CommunicationAcknowledgement(r.RecipientId, r.Participant, r.Kind, r.FullName, r.AcknowledgedAt!.Value)).ToList(),
            Replies = replies.Select(r => r.ToModel(content: true)).ToList(),
        };
    }

    private static Communication Summary(Caller caller, CommunicationEntity c)
        => caller.SeesCommunication(c.From, c.To, Confidential.CommunicationContent) ? c.ToMetadata() with { Subject = c.Subject } : c.ToMetadata();

    /// <summary>The participant the caller sends for: the named one (which must be its own), its only one, or the Secretariat itself.</summary>
    private static string SendingParty(Caller caller, string? from)
    {
        var own = caller.OwnParticipants();
        if (from is not null)
        {
            return own.Contains(from.ToUpperInvariant()) ? from.ToUpperInvariant()
                : throw new ForbiddenException($"You may send only on behalf of a participant you are focal point or POC of, not {from.ToUpperInvariant()}.");
        }

        return own.Count switch
        {
            1 => own.First(),
            0 when caller.IsSecretariat => Visibility.SecretariatParty,
            0 => throw new ForbiddenException("Only a focal point or POC of a participant, or the Secretariat, may send a communication."),
            _ => throw RequestValidationException.For("from", "You belong to several participants: say which one you send for."),
        };
    }

    /// <summary>The sender's name and phones: from its POC record when it sends as a POC of the participant.</summary>
    private async Task<(string? Name, IReadOnlyList<string> Phones, string? PocId)> SenderAsync(Caller caller, string from, CancellationToken cancellationToken)
    {
        foreach (var role in caller.Roles.Where(r => r.Role == Role.Poc && r.PocId is not null))
        {
            if (StorageKeys.TryParticipantOfPocId(role.PocId!, out var code) && code == from && await pocs.FindAsync(role.PocId!, cancellationToken) is { } poc)
            {
                return (poc.Value.FullName, poc.Value.Phones.Select(p => p.Number).ToList(), poc.Value.Id);
            }
        }

        return (caller.Name, [], null);
    }
}
