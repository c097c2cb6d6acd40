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
    string? CustomBody,
    string Language = MessageTexts.Fallback);

/// <summary>Tells a participant's contact which of its POCs have not acknowledged a campaign.</summary>
public sealed record EscalationEmailModel(
    string CampaignId,
    string CampaignName,
    string Reference,
    string RecipientName,
    string Email,
    string ParticipantName,
    IReadOnlyList<string> UnansweredPocNames,
    DateTimeOffset Deadline,
    string Language = MessageTexts.Fallback);

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
/// A campaign's emails in the recipient's language: the words are the "campaign.*" keys of Email/Texts/{language}.json,
/// and <see cref="EmailTemplate"/> lays them out (plain text and encoded HTML, times in UTC and the recipient's zone,
/// the reference, the footer). The Secretariat's custom subject and body are sent as written.
/// </summary>
public static class CampaignEmails
{

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

        var t = MessageTexts.For(m.Language);
        var subject = string.IsNullOrWhiteSpace(m.CustomSubject) ? t.Format("campaign.ping.subject", m.Reference) : m.CustomSubject;
        var email = EmailTemplate.Create(m.Step > 0 ? t.Format("campaign.reminder.subject", m.Step, subject) : subject, m.Reference, t).Greeting(m.PocName);
        if (m.Step > 0)
        {
            email.Paragraph(t["campaign.reminder.text"], lead: t.Format("campaign.reminder.lead", m.Step));
        }

        // The Secretariat's text replaces only the opening; the link, deadline and reference below are always sent,
        // so a custom body can never produce a message the POC cannot act on.
        if (string.IsNullOrWhiteSpace(m.CustomBody))
        {
            email.Paragraph(t.Format("campaign.ping.intro", m.CampaignName));
        }
        else
        {
            email.Paragraphs(m.CustomBody);
        }

        var pocKey = MessageKeys.Hash($"{MessageKeys.Address(m.Email)}\n{link.AbsoluteUri}");
        return email
            .Link(t.Format("campaign.ping.link", m.Reference), link)
            .Time(t["campaign.deadline"], m.Deadline, m.TimeZone)
            .Reference()
            .Paragraph(t["campaign.ping.noReply"])
            .Footer(t["campaign.ping.footer"])
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
        var t = MessageTexts.For(m.Language);
        return EmailTemplate.Create(t.Format("campaign.escalation.subject", m.ParticipantName, m.Reference), m.Reference, t)
            .Greeting(m.RecipientName)
            .Paragraph(t.Format("campaign.escalation.intro", m.ParticipantName, m.CampaignName))
            .Bullets(m.UnansweredPocNames)
            .Time(t["campaign.deadline"], m.Deadline)
            .Reference()
            .Paragraph(t["campaign.escalation.action"])
            .Footer(t.Format("campaign.escalation.footer", m.ParticipantName))
            .Build(m.Email, m.RecipientName, key);
    }

    /// <summary>The name a focal point is greeted by in an escalation ("focal point of Norway"), in English.</summary>
    public static string FocalPointOf(string participantName) => MessageTexts.English.Format("campaign.escalation.focalPoint", participantName);

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
        // The Secretariat works in English; its summary is in English like the report it links to.
        var t = MessageTexts.English;
        return EmailTemplate.Create(t.Format("campaign.summary.subject", m.CampaignName, m.Reference), m.Reference, t)
            .Paragraph(t.Format("campaign.summary.finished", m.CampaignName))
            .Reference()
            .Fact(t["campaign.summary.inScope"], Count(m.InScope))
            .Fact(t["campaign.summary.acknowledged"], Count(m.Acknowledged) + rate)
            .Fact(t["campaign.summary.noResponse"], Count(m.NoResponse))
            .Fact(t["campaign.summary.undeliverable"], Count(m.Undeliverable))
            .Link(t.Format("campaign.summary.link", m.Reference), report)
            .Footer(t["campaign.summary.footer"])
            .Build(m.Email, null, $"campaign/{m.CampaignId}/summary/{MessageKeys.Hash(MessageKeys.Address(m.Email))}");
    }

    /// <summary>"10 June 2024 14:00 UTC"; kept for the campaign pages that quote a deadline (<see cref="EmailFormat.FormatUtc"/>).</summary>
    internal static string FormatUtc(DateTimeOffset at) => EmailFormat.FormatUtc(at);

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);
}
