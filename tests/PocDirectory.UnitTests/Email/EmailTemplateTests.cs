using PocDirectory.Functions.Email;

namespace PocDirectory.UnitTests.Email;

public sealed class EmailTemplateTests
{
    private static readonly DateTimeOffset _deadline = new(2024, 6, 10, 14, 0, 0, TimeSpan.Zero);

    private static EmailTemplate Minimal(string subject = "Subject") => EmailTemplate.Create(subject, "REF-1").Footer("Why.");

    [Fact]
    public void Build_SmallMessage_RendersTheOneLayoutInTextAndHtml()
    {
        var email = EmailTemplate.Create("Check", "REF-1")
            .Greeting("Ada")
            .Paragraph("Line one\nline two", lead: "Note:")
            .Link("Open it", new Uri("https://pocs.example.org/x"))
            .Time("Deadline", _deadline, "Asia/Singapore")
            .Reference()
            .Bullets(["a", "b"])
            .Footer("You are listed.")
            .Build(" ada@example.org ", "Ada", "feature/1");

        Assert.Equal("ada@example.org", email.To);
        Assert.Equal("Ada", email.ToName);
        Assert.Equal("Check (REF-1)", email.Subject);
        Assert.Equal("feature/1", email.IdempotencyKey);
        Assert.Equal(
            "Dear Ada,\n\nNote: Line one\nline two\n\nOpen it:\nhttps://pocs.example.org/x\n\n"
            + "Deadline: 10 June 2024 14:00 UTC\nDeadline in your time zone: 10 June 2024 22:00 (Asia/Singapore, UTC+08:00)\nReference: REF-1\n\n"
            + "- a\n- b\n\n" + EmailLayoutTexts.English.AboutDirectory + " You are listed.\n",
            email.PlainText);
        Assert.Equal(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Check (REF-1)</title>\n</head>\n"
            + "<body style=\"font-family: Arial, Helvetica, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a;\">\n"
            + "<p>Dear Ada,</p>\n<p><strong>Note:</strong> Line one<br>\nline two</p>\n"
            + "<p><a href=\"https://pocs.example.org/x\" style=\"font-weight: bold;\">Open it</a></p>\n"
            + "<p style=\"color: #4a4a4a; font-size: 14px;\">If the link does not open, copy this address into your browser:<br>\nhttps://pocs.example.org/x</p>\n"
            + "<p><strong>Deadline:</strong> 10 June 2024 14:00 UTC<br>\n<strong>Deadline in your time zone:</strong> 10 June 2024 22:00 (Asia/Singapore, UTC+08:00)<br>\n"
            + "<strong>Reference:</strong> REF-1</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"
            + "<p style=\"color: #4a4a4a; font-size: 14px;\">" + EmailLayoutTexts.English.AboutDirectory.Replace("'", "&#39;", StringComparison.Ordinal) + " You are listed.</p>\n</body>\n</html>\n",
            email.Html);
    }

    [Fact]
    public void Build_EveryValue_IsHtmlEncodedInTheHtmlPart()
    {
        // One marker per place a feature can put text; each must come out encoded, none as markup.
        string V(int i) => $"<v{i} a=\"&'\">";
        var email = EmailTemplate.Create(V(0), V(1))
            .Greeting(V(2))
            .Paragraph(V(3), lead: V(4))
            .Paragraphs($"{V(5)}\n\n{V(6)}")
            .Bullets([V(7)])
            .Link(V(8), new Uri("https://pocs.example.org/ack?t=<v9>&x=\"y\""))
            .Fact(V(10), V(11))
            .Time(V(12), _deadline, "Europe/Berlin")
            .Reference()
            .Footer(V(13))
            .Build("a@example.org", V(14), "k");

        Assert.DoesNotContain("<v", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("=\"&'", email.Html, StringComparison.Ordinal);
        foreach (var i in new[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13 })
        {
            Assert.Contains($"&lt;v{i} a=&quot;&amp;&#39;&quot;&gt;", email.Html, StringComparison.Ordinal);
        }

        Assert.Contains("href=\"https://pocs.example.org/ack?t=%3Cv9%3E&amp;x=%22y%22\"", email.Html, StringComparison.Ordinal);

        // Plain text is not markup: values are kept as written.
        Assert.Contains($"Dear {V(2)},", email.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Fact_FollowingEachOther_FormOneList_AndAParagraphStartsAnother()
    {
        var email = Minimal().Fact("A", "1").Reference().Paragraph("p").Fact("B", "2").Build("a@example.org", null, "k");

        Assert.StartsWith("A: 1\nReference: REF-1\n\np\n\nB: 2\n\n", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("<p><strong>A:</strong> 1<br>\n<strong>Reference:</strong> REF-1</p>\n<p>p</p>\n<p><strong>B:</strong> 2</p>", email.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Europe/Berlin", "10 June 2024 16:00 (Europe/Berlin, UTC+02:00)")]
    [InlineData("America/New_York", "10 June 2024 10:00 (America/New_York, UTC-04:00)")]
    [InlineData("Pacific/Kiritimati", "11 June 2024 04:00 (Pacific/Kiritimati, UTC+14:00)")]
    [InlineData("Asia/Kathmandu", "10 June 2024 19:45 (Asia/Kathmandu, UTC+05:45)")]
    [InlineData(" Asia/Kathmandu ", "10 June 2024 19:45 (Asia/Kathmandu, UTC+05:45)")]
    [InlineData("Mars/Olympus_Mons", null)]
    [InlineData("../../etc/passwd", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Time_InAZone_ShowsUtcThenTheLocalTimeWithItsOffset_OnlyWhenTheZoneIsKnown(string? zone, string? local)
    {
        var email = Minimal().Time("Deadline", _deadline, zone).Build("a@example.org", null, "k");

        var expected = local is null ? "\n" : $"Deadline in your time zone: {local}\n\n";
        Assert.StartsWith("Deadline: 10 June 2024 14:00 UTC\n" + expected, email.PlainText, StringComparison.Ordinal);
        Assert.Equal(local is not null, email.PlainText.Contains("in your time zone", StringComparison.Ordinal));
    }

    [Fact]
    public void Time_GivenWithAnOffset_ShowsTheSameInstantInUtc()
    {
        var email = Minimal().Time("Starts", new DateTimeOffset(2024, 6, 10, 22, 0, 0, TimeSpan.FromHours(8))).Build("a@example.org", null, "k");

        Assert.StartsWith("Starts: 10 June 2024 14:00 UTC\n\n", email.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Check", "Check (REF-1)")]
    [InlineData("REF-1: check", "REF-1: check")]
    [InlineData("about ref-1", "about ref-1")]
    [InlineData("  Check  ", "Check (REF-1)")]
    public void Create_Subject_CarriesTheReferenceOnce(string subject, string expected)
    {
        Assert.Equal(expected, Minimal(subject).Build("a@example.org", null, "k").Subject);
    }

    [Fact]
    public void Build_SubjectAndNameWithLineBreaks_AreOneLine()
    {
        var email = Minimal("Test\r\nBcc: someone@example.org").Build("a@example.org", "Ada\n\tLovelace", "k");

        Assert.Equal("Test Bcc: someone@example.org (REF-1)", email.Subject);
        Assert.Equal("Ada Lovelace", email.ToName);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Greeting_NoName_AddressesAColleague(string? name)
    {
        var email = Minimal().Greeting(name).Build("a@example.org", name, "k");

        Assert.StartsWith("Dear colleague,\n", email.PlainText, StringComparison.Ordinal);
        Assert.Null(email.ToName);
    }

    [Fact]
    public void Paragraphs_BlankLinesSeparate_SingleBreaksStay_BlankTextAddsNothing()
    {
        var email = Minimal().Paragraphs("One\r\ntwo  \r\n\r\n \r\nThree").Paragraphs("  \n ").Build("a@example.org", null, "k");

        Assert.StartsWith("One\ntwo\n\nThree\n\n", email.PlainText, StringComparison.Ordinal);
        Assert.Contains("<p>One<br>\ntwo</p>\n<p>Three</p>\n<p style", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutFooter_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => EmailTemplate.Create("Check", "REF-1").Paragraph("p").Build("a@example.org", null, "k"));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://pocs.example.org/ack/x")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("file:///etc/passwd")]
    public void Link_NotHttpOrHttps_Throws(string url)
    {
        Assert.Throws<ArgumentException>(() => Minimal().Link("Open", new Uri(url)));
    }

    [Fact]
    public void Link_Relative_Throws()
    {
        Assert.Throws<ArgumentException>(() => Minimal().Link("Open", new Uri("/ack/x", UriKind.Relative)));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("/ack/AQpjYW1wYWlnbi0x")]
    [InlineData("ack/AQpjYW1wYWlnbi0x")]
    [InlineData("ftp://pocs.example.org/ack/x")]
    [InlineData("")]
    [InlineData(null)]
    public void RequireWebUrl_NotAnAbsoluteWebUrl_ThrowsNamingIt(string? url)
    {
        var e = Assert.Throws<ArgumentException>(() => EmailFormat.RequireWebUrl(url, "ReportUrl", "m"));

        Assert.StartsWith("ReportUrl must be an absolute https or http URL.", e.Message, StringComparison.Ordinal);
        Assert.Equal("m", e.ParamName);
    }

    [Theory]
    [InlineData("http://localhost:7071/ack/abc")]
    [InlineData("https://pocs.example.org/ack/abc")]
    public void RequireWebUrl_HttpOrHttps_IsAccepted(string url)
    {
        Assert.Equal(url, EmailFormat.RequireWebUrl(url, "Link", "m").AbsoluteUri);
    }

    [Fact]
    public void MessageKeys_SameMailboxWrittenDifferently_SameKey_AndNoAddressInIt()
    {
        var key = MessageKeys.Hash(MessageKeys.Address("wei.ling@csa.gov.sg"));

        Assert.Equal(key, MessageKeys.Hash(MessageKeys.Address(" Wei.Ling@CSA.gov.sg ")));
        Assert.NotEqual(key, MessageKeys.Hash(MessageKeys.Address("cert@csa.gov.sg")));
        Assert.Matches("^[0-9a-f]{16}$", key);
    }
}
