using PocDirectory.Functions.Campaigns;

namespace PocDirectory.UnitTests.Campaigns;

public sealed class CampaignEmailsTests
{
    private const string Hostile = "<img src=x onerror=alert(1)>";
    private const string EncodedHostile = "&lt;img src=x onerror=alert(1)&gt;";
    private const string AckUrl = "https://pocs.example.org/ack/AQpjYW1wYWlnbi0x";

    private static readonly DateTimeOffset _deadline = new(2024, 6, 10, 14, 0, 0, TimeSpan.Zero);

    private static readonly PingEmailModel _ping = new(
        CampaignId: "01JDCAMPAIGN7K3M",
        CampaignName: "June 2024 communication check",
        Reference: "PING-2024-06-03-7K3M",
        PocName: "Tan Wei Ling",
        Email: "wei.ling@csa.gov.sg",
        TimeZone: "Asia/Singapore",
        Deadline: _deadline,
        AcknowledgeUrl: AckUrl,
        Step: 0,
        CustomSubject: null,
        CustomBody: null);

    private static readonly EscalationEmailModel _escalation = new(
        CampaignId: "01JDCAMPAIGN7K3M",
        CampaignName: "June 2024 communication check",
        Reference: "PING-2024-06-03-7K3M",
        RecipientName: "Focal Point",
        Email: "focal@mfa.gov.sg",
        ParticipantName: "Singapore",
        UnansweredPocNames: ["Tan Wei Ling", "Lim Boon Keng"],
        Deadline: _deadline);

    private static readonly SummaryEmailModel _summary = new(
        CampaignId: "01JDCAMPAIGN7K3M",
        CampaignName: "June 2024 communication check",
        Reference: "PING-2024-06-03-7K3M",
        Email: "secretariat@un.org",
        InScope: 120,
        Acknowledged: 91,
        NoResponse: 25,
        Undeliverable: 4,
        ReportUrl: "https://pocs.example.org/#/campaigns/01JDCAMPAIGN7K3M/report");

    [Fact]
    public void Ping_FixedDeadline_ShowsUtcAndSingaporeTime()
    {
        var email = CampaignEmails.Ping(_ping);

        Assert.Contains("Deadline: 10 June 2024 14:00 UTC\n", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("Deadline in your time zone: 10 June 2024 22:00 (Asia/Singapore, UTC+08:00)\n", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("<strong>Deadline:</strong> 10 June 2024 14:00 UTC", email.Html, StringComparison.Ordinal);
        Assert.Contains("<strong>Deadline in your time zone:</strong> 10 June 2024 22:00 (Asia/Singapore, UTC+08:00)", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_FirstStep_SubjectHasReferenceAndNoReminder()
    {
        var email = CampaignEmails.Ping(_ping);

        Assert.Equal("Global POC Directory communication check: please acknowledge (PING-2024-06-03-7K3M)", email.Subject);
        Assert.DoesNotContain("Reminder", email.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_SecondReminder_SubjectAndBodySayReminder2()
    {
        var email = CampaignEmails.Ping(_ping with { Step = 2 });

        Assert.Equal("Reminder 2: Global POC Directory communication check: please acknowledge (PING-2024-06-03-7K3M)", email.Subject);
        Assert.Contains("Reminder 2: we have not yet received your acknowledgement", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("<strong>Reminder 2:</strong>", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_Default_ExplainsDirectoryAndNoReplyNeeded()
    {
        var email = CampaignEmails.Ping(_ping);

        foreach (var body in new[] { email.PlainText, email.Html })
        {
            Assert.Contains("Dear Tan Wei Ling,", body, StringComparison.Ordinal);
            Assert.Contains("confidential United Nations directory", body, StringComparison.Ordinal);
            Assert.Contains("Points of Contact Directory on ICT security", body, StringComparison.Ordinal);
            Assert.Contains("no reply email is needed", body, StringComparison.Ordinal);
            Assert.Contains("Reference: PING-2024-06-03-7K3M", body.Replace("<strong>", string.Empty, StringComparison.Ordinal).Replace("</strong>", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Contains(AckUrl, body, StringComparison.Ordinal);
        }

        Assert.Equal("wei.ling@csa.gov.sg", email.To);
        Assert.Equal("Tan Wei Ling", email.ToName);
    }

    [Fact]
    public void Ping_Html_HasLanguageAndDescriptiveLink()
    {
        var email = CampaignEmails.Ping(_ping);

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", email.Html, StringComparison.Ordinal);
        Assert.Contains(
            $"<a href=\"{AckUrl}\" style=\"font-weight: bold;\">Acknowledge this message (reference PING-2024-06-03-7K3M)</a>",
            email.Html,
            StringComparison.Ordinal);
        Assert.Contains("<title>Global POC Directory communication check: please acknowledge (PING-2024-06-03-7K3M)</title>", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_CustomBody_ReplacesOpeningAndKeepsLinkDeadlineReference()
    {
        var custom = "Dear colleagues,\r\nthis is the first test of the directory.\r\n\r\nThank you for your cooperation.";

        var email = CampaignEmails.Ping(_ping with { CustomBody = custom });

        Assert.Contains("this is the first test of the directory.", email.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("The UN Secretariat is checking", email.PlainText, StringComparison.Ordinal);
        Assert.Contains(AckUrl, email.PlainText, StringComparison.Ordinal);
        Assert.Contains("Deadline: 10 June 2024 14:00 UTC", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("Reference: PING-2024-06-03-7K3M", email.PlainText, StringComparison.Ordinal);

        Assert.Contains("<p>Dear colleagues,<br>\nthis is the first test of the directory.</p>\n<p>Thank you for your cooperation.</p>", email.Html, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{AckUrl}\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("10 June 2024 22:00 (Asia/Singapore, UTC+08:00)", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_CustomSubject_ReplacesDefaultAndKeepsReference()
    {
        var plain = CampaignEmails.Ping(_ping with { CustomSubject = "First test of the POC Directory" });
        var already = CampaignEmails.Ping(_ping with { CustomSubject = "PING-2024-06-03-7K3M: first test" });
        var reminder = CampaignEmails.Ping(_ping with { CustomSubject = "First test of the POC Directory", Step = 1 });

        Assert.Equal("First test of the POC Directory (PING-2024-06-03-7K3M)", plain.Subject);
        Assert.Equal("PING-2024-06-03-7K3M: first test", already.Subject);
        Assert.Equal("Reminder 1: First test of the POC Directory (PING-2024-06-03-7K3M)", reminder.Subject);
    }

    [Fact]
    public void Ping_HostileValues_AreHtmlEncoded()
    {
        var email = CampaignEmails.Ping(_ping with { PocName = Hostile, CampaignName = Hostile, CustomSubject = Hostile, Reference = "R<b>1" });
        var custom = CampaignEmails.Ping(_ping with { CustomBody = "<script>alert(1)</script> & \"quotes\"" });

        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", email.Html, StringComparison.Ordinal);
        Assert.Contains($"Dear {EncodedHostile},", email.Html, StringComparison.Ordinal);
        Assert.Contains($"<title>{EncodedHostile} (R&lt;b&gt;1)</title>", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", custom.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;", custom.Html, StringComparison.Ordinal);

        // Plain text is not markup: the name is kept as written.
        Assert.Contains($"Dear {Hostile},", email.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/ack/AQpjYW1wYWlnbi0x")]
    [InlineData("ack/AQpjYW1wYWlnbi0x")]
    [InlineData("ftp://pocs.example.org/ack/x")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("")]
    public void Ping_LinkNotAbsoluteHttpOrHttps_ThrowsArgumentException(string url)
    {
        Assert.Throws<ArgumentException>(() => CampaignEmails.Ping(_ping with { AcknowledgeUrl = url }));
    }

    [Fact]
    public void Ping_IdempotencyKey_StablePerCampaignRecipientAndStep()
    {
        var first = CampaignEmails.Ping(_ping).IdempotencyKey;

        Assert.Equal(first, CampaignEmails.Ping(_ping).IdempotencyKey);
        Assert.Equal(first, CampaignEmails.Ping(_ping with { Email = " Wei.Ling@CSA.gov.sg " }).IdempotencyKey);
        Assert.Equal(first, CampaignEmails.Ping(_ping with { CustomBody = "Changed text", PocName = "Dr Tan" }).IdempotencyKey);
        Assert.Matches("^campaign/01JDCAMPAIGN7K3M/poc/[0-9a-f]{16}/step/0$", first);
        Assert.DoesNotContain("wei.ling", first, StringComparison.OrdinalIgnoreCase);

        var keys = new[]
        {
            first,
            CampaignEmails.Ping(_ping with { Step = 1 }).IdempotencyKey,
            CampaignEmails.Ping(_ping with { Step = 2 }).IdempotencyKey,
            CampaignEmails.Ping(_ping with { Email = "cert@csa.gov.sg" }).IdempotencyKey,
            CampaignEmails.Ping(_ping with { CampaignId = "01JDOTHER" }).IdempotencyKey,
        };
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Matches("^campaign/01JDCAMPAIGN7K3M/poc/[0-9a-f]{16}/step/1$", keys[1]);
    }

    [Fact]
    public void Ping_TwoPocsSharingAMailbox_GetDifferentIdempotencyKeys()
    {
        // Each POC's link carries its own token; one key for both would let the provider drop the second message.
        var tokens = new PocDirectory.Functions.Delivery.DeliveryLinks(new byte[32]);
        var first = _ping with { AcknowledgeUrl = $"https://pocs.example.org/ack/{tokens.Create(new(PocDirectory.Functions.Delivery.LinkPurpose.Acknowledge, "campaign", "01JDCAMPAIGN7K3M", "SGP-1"))}" };
        var second = _ping with { AcknowledgeUrl = $"https://pocs.example.org/ack/{tokens.Create(new(PocDirectory.Functions.Delivery.LinkPurpose.Acknowledge, "campaign", "01JDCAMPAIGN7K3M", "SGP-2"))}" };

        Assert.NotEqual(CampaignEmails.Ping(first).IdempotencyKey, CampaignEmails.Ping(second).IdempotencyKey);
    }

    [Fact]
    public void Ping_NegativeStep_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CampaignEmails.Ping(_ping with { Step = -1 }));
    }

    [Fact]
    public void Escalation_UnansweredPocs_ListedInBothBodies()
    {
        var email = CampaignEmails.Escalation(_escalation);

        Assert.Equal("Global POC Directory: points of contact of Singapore did not acknowledge (PING-2024-06-03-7K3M)", email.Subject);
        Assert.Contains("- Tan Wei Ling\n- Lim Boon Keng\n", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("<ul>\n<li>Tan Wei Ling</li>\n<li>Lim Boon Keng</li>\n</ul>", email.Html, StringComparison.Ordinal);
        Assert.Contains("Deadline: 10 June 2024 14:00 UTC", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("No reply email is needed", email.PlainText, StringComparison.Ordinal);
        Assert.Equal("focal@mfa.gov.sg", email.To);
        Assert.Equal("Focal Point", email.ToName);
    }

    [Fact]
    public void Escalation_HostileNames_AreHtmlEncoded()
    {
        var email = CampaignEmails.Escalation(
            _escalation with { RecipientName = Hostile, ParticipantName = Hostile, UnansweredPocNames = [Hostile] });

        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"<li>{EncodedHostile}</li>", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Escalation_IdempotencyKey_StablePerRecipientAndParticipant()
    {
        var key = CampaignEmails.Escalation(_escalation).IdempotencyKey;

        Assert.Equal(key, CampaignEmails.Escalation(_escalation with { UnansweredPocNames = ["Tan Wei Ling"] }).IdempotencyKey);
        Assert.NotEqual(key, CampaignEmails.Escalation(_escalation with { Email = "other@mfa.gov.sg" }).IdempotencyKey);
        Assert.NotEqual(key, CampaignEmails.Escalation(_escalation with { ParticipantName = "Malaysia" }).IdempotencyKey);
        Assert.StartsWith("campaign/01JDCAMPAIGN7K3M/escalation/", key, StringComparison.Ordinal);
        Assert.DoesNotContain("focal", key, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_Counts_ShownWithRateRoundedDownAndReportLink()
    {
        var email = CampaignEmails.Summary(_summary);

        Assert.Equal("Global POC Directory: results of June 2024 communication check (PING-2024-06-03-7K3M)", email.Subject);
        Assert.Contains(
            "Reference: PING-2024-06-03-7K3M\nIn scope: 120\nAcknowledged: 91 (75%)\nNo response: 25\nUndeliverable: 4\n",
            email.PlainText,
            StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://pocs.example.org/#/campaigns/01JDCAMPAIGN7K3M/report\"", email.Html, StringComparison.Ordinal);
        Assert.Contains("<strong>Acknowledged:</strong> 91 (75%)", email.Html, StringComparison.Ordinal);
        Assert.Null(email.ToName);
        Assert.StartsWith("campaign/01JDCAMPAIGN7K3M/summary/", email.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_NothingInScope_ShowsNoRate()
    {
        var email = CampaignEmails.Summary(_summary with { InScope = 0, Acknowledged = 0, NoResponse = 0, Undeliverable = 0 });

        Assert.Contains("Acknowledged: 0\n", email.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_HostileCampaignName_IsHtmlEncoded()
    {
        var email = CampaignEmails.Summary(_summary with { CampaignName = Hostile });

        Assert.DoesNotContain("<img", email.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(EncodedHostile, email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_ReportUrlNotWeb_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => CampaignEmails.Summary(_summary with { ReportUrl = "javascript:alert(1)" }));
    }
}
