using System.Globalization;
using PocDirectory.Functions.Email;

namespace PocDirectory.Functions.Campaigns;

/// <summary>A ping (step 0) or reminder (step n) to one address of one POC.</summary>
/// <param name="Reference">The short human reference of the campaign, e.g. "PING-2026-11-28-7K3M".</param>
/// <param name="TimeZone">The POC's IANA time zone id, e.g. "Asia/Singapore".</param>
/// <param name="Step">0 for the ping, n for reminder n.</param>
/// <param name="CustomSubject">The Secretariat's subject, replacing the default one.</param>
/// <param name="CustomBody">The Secretariat's text, replacing the default first paragraph.</param>
public sealed record PingEmailModel(
    string CampaignId,
    string CampaignName,
    string Reference,
    string PocName,
    string Email,
    string TimeZone,
    DateTimeOffset Deadline,
    string AcknowledgeUrl,
    int Step,
    string? CustomSubject,
    string? CustomBody);

/// <summary>Tells a participant's contact which of its POCs have not acknowledged a campaign.</summary>
public sealed record EscalationEmailModel(
    string CampaignId,
    string CampaignName,
    string Reference,
    string RecipientName,
    string Email,
    string ParticipantName,
    IReadOnlyList<string> UnansweredPocNames,
    DateTimeOffset Deadline);

/// <summary>The outcome of a campaign, for the Secretariat.</summary>
public sealed record SummaryEmailModel(
    string CampaignId,
    string CampaignName,
    string Reference,
    string Email,
    int InScope,
    int Acknowledged,
    int NoResponse,
    int Undeliverable,
    string ReportUrl);

/// <summary>
/// The texts of a campaign's emails; <see cref="EmailTemplate"/> lays them out (plain text and encoded HTML, times in
/// UTC and the recipient's zone, the reference, the footer).
/// </summary>
public static class CampaignEmails
{
    private const string DirectoryShortName = "Global POC Directory";

    /// <summary>The ping or reminder for one address of one POC.</summary>
    /// <remarks>
    /// The idempotency key is "campaign/{CampaignId}/poc/{key}/step/{Step}", the key being a hash of the address and the
    /// acknowledgement link. The link names the POC (its token is a deterministic MAC over campaign and POC), so a
    /// retried send repeats the key and the provider drops it, while one POC's several addresses, and two POCs that
    /// share a mailbox, each still get their own message.
    /// </remarks>
    /// <exception cref="ArgumentException">The acknowledgement URL is not an absolute https or http URL, or a required value is missing.</exception>
    public static EmailMessage Ping(PingEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.CampaignId, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Reference, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Email, nameof(m));
        ArgumentOutOfRangeException.ThrowIfNegative(m.Step, nameof(m));
        var link = EmailFormat.RequireWebUrl(m.AcknowledgeUrl, "AcknowledgeUrl", nameof(m));

        var subject = string.IsNullOrWhiteSpace(m.CustomSubject)
            ? $"{DirectoryShortName} communication check: please acknowledge ({m.Reference})"
            : m.CustomSubject;
        var email = EmailTemplate.Create(m.Step > 0 ? $"Reminder {m.Step}: {subject}" : subject, m.Reference).Greeting(m.PocName);
        if (m.Step > 0)
        {
            email.Paragraph("we have not yet received your acknowledgement of this communication check.", lead: $"Reminder {m.Step}:");
        }

        // The Secretariat's text replaces only the opening; the link, deadline and reference below are always sent,
        // so a custom body can never produce a message the POC cannot act on.
        if (string.IsNullOrWhiteSpace(m.CustomBody))
        {
            email.Paragraph(
                $"The UN Secretariat is checking that the points of contact in the {DirectoryShortName} can be reached "
                + $"(\"{m.CampaignName}\"). Please confirm that you received this message by acknowledging it before the deadline.");
        }
        else
        {
            email.Paragraphs(m.CustomBody);
        }

        var pocKey = MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{link.AbsoluteUri}");
        return email
            .Link($"Acknowledge this message (reference {m.Reference})", link)
            .Time("Deadline", m.Deadline, m.TimeZone)
            .Reference()
            .Paragraph("Acknowledging through the link is all that is needed; no reply email is needed.")
            .Footer("You receive this message because you are listed in it as a point of contact. Please do not "
                + "forward it: anyone with the link can acknowledge on your behalf.")
            .Build(m.Email, m.PocName, $"campaign/{m.CampaignId}/poc/{pocKey}/step/{m.Step}");
    }

    /// <summary>
    /// Sent at the deadline to a participant's contacts: which of its POCs did not acknowledge, so someone can reach
    /// them through national channels.
    /// </summary>
    public static EmailMessage Escalation(EscalationEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.CampaignId, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Reference, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Email, nameof(m));
        ArgumentNullException.ThrowIfNull(m.UnansweredPocNames, nameof(m));

        // One escalation per recipient and participant per campaign: a retry is dropped, a person who looks after
        // two participants still gets both.
        var key = $"campaign/{m.CampaignId}/escalation/{MessageKeys.Hash($"{m.ParticipantName.Trim()}\n{MessageKeys.Address(m.Email)}")}";
        return EmailTemplate.Create($"{DirectoryShortName}: points of contact of {m.ParticipantName} did not acknowledge ({m.Reference})", m.Reference)
            .Greeting(m.RecipientName)
            .Paragraph(
                $"The following points of contact of {m.ParticipantName} did not acknowledge the communication check "
                + $"\"{m.CampaignName}\" of the {DirectoryShortName} by its deadline:")
            .Bullets(m.UnansweredPocNames)
            .Time("Deadline", m.Deadline)
            .Reference()
            .Paragraph(
                "Please check with them through your national channels that they can still be reached and, if their "
                + "details have changed, update them in the directory. No reply email is needed.")
            .Footer($"You receive this message as a contact of {m.ParticipantName} in the directory.")
            .Build(m.Email, m.RecipientName, key);
    }

    /// <summary>The outcome of a campaign, for the Secretariat.</summary>
    /// <exception cref="ArgumentException">The report URL is not an absolute https or http URL, or a required value is missing.</exception>
    public static EmailMessage Summary(SummaryEmailModel m)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentException.ThrowIfNullOrWhiteSpace(m.CampaignId, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Reference, nameof(m));
        ArgumentException.ThrowIfNullOrWhiteSpace(m.Email, nameof(m));
        var report = EmailFormat.RequireWebUrl(m.ReportUrl, "ReportUrl", nameof(m));

        // Rounded down, so a summary never reports a better response rate than was reached.
        var rate = m.InScope > 0 ? $" ({m.Acknowledged * 100 / m.InScope}%)" : string.Empty;
        return EmailTemplate.Create($"{DirectoryShortName}: results of {m.CampaignName} ({m.Reference})", m.Reference)
            .Paragraph($"The communication check \"{m.CampaignName}\" has finished.")
            .Reference()
            .Fact("In scope", Count(m.InScope))
            .Fact("Acknowledged", Count(m.Acknowledged) + rate)
            .Fact("No response", Count(m.NoResponse))
            .Fact("Undeliverable", Count(m.Undeliverable))
            .Link($"Open the full report for {m.Reference}", report)
            .Footer("This summary describes contacts in the directory; please treat it as confidential.")
            .Build(m.Email, null, $"campaign/{m.CampaignId}/summary/{MessageKeys.Hash(MessageKeys.Address(m.Email))}");
    }

    /// <summary>"10 June 2024 14:00 UTC"; kept for the campaign pages that quote a deadline (<see cref="EmailFormat.FormatUtc"/>).</summary>
    internal static string FormatUtc(DateTimeOffset at) => EmailFormat.FormatUtc(at);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
