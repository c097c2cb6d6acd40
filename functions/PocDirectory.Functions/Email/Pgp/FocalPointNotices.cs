using Microsoft.Extensions.Logging;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Roles;

namespace PocDirectory.Functions.Email.Pgp;

/// <summary>
/// Tells every focal point of a participant about one of its POCs' keys: the notice that a message could not be sent
/// without one, and the notice that one expires soon. An address the mail service refuses for good is logged and
/// skipped; anything else (a transient failure, the shared pace deferring the send) is the caller's to retry.
/// </summary>
public sealed class FocalPointNotices(ParticipantStore participants, RoleStore roles, IEmailSender email, ILogger<FocalPointNotices> logger)
{
    /// <summary>Sends <paramref name="notice"/>(participant's name, focal point's address) to each; false when it has none.</summary>
    public async Task<bool> SendAsync(string participant, string kind, Func<string, string, EmailMessage> notice, CancellationToken cancellationToken)
    {
        var focalPoints = await roles.ListAsync(null, Role.FocalPoint, participant, cancellationToken);
        if (focalPoints.Count == 0)
        {
            return false;
        }

        var participantName = (await participants.FindAsync(participant, cancellationToken))?.Name ?? participant;
        foreach (var focal in focalPoints)
        {
            try
            {
                await email.SendAsync(notice(participantName, focal.Email), cancellationToken);
            }
            catch (EmailDeliveryException e) when (e.IsPermanent)
            {
                logger.LogWarning("A focal point's address of {Participant} was refused for the {Notice} notice", participant, kind);
            }
        }

        return true;
    }
}
