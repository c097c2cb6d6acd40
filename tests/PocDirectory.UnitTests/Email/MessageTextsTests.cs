using System.Globalization;
using System.Text.RegularExpressions;
using PocDirectory.Functions.Campaigns;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Email;
using PocDirectory.Functions.Meetings;
using PocDirectory.Functions.Outreach;
using PocDirectory.Functions.Reconfirmation;
using PocDirectory.UnitTests.Meetings;

namespace PocDirectory.UnitTests.Email;

public sealed partial class MessageTextsTests
{
    private static readonly DateTimeOffset _deadline = new(2027, 5, 10, 14, 0, 0, TimeSpan.Zero);

    public static TheoryData<string> OtherLanguages => new(MessageTexts.Languages.Where(l => l != "en"));

    [Fact]
    public void The_six_UN_languages_are_there_in_the_UN_order()
        => Assert.Equal(["ar", "zh", "en", "fr", "ru", "es"], MessageTexts.Languages);

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void Every_language_has_the_same_keys_as_English(string language)
    {
        var texts = MessageTexts.For(language);

        Assert.Equal(language, texts.Language);
        Assert.Equal(MessageTexts.English.Keys.Order(StringComparer.Ordinal), texts.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void Every_text_has_the_same_placeholders_as_in_English_and_is_translated(string language)
    {
        var texts = MessageTexts.For(language);
        foreach (var key in MessageTexts.English.Keys)
        {
            Assert.True(
                Placeholders(MessageTexts.English[key]).SetEquals(Placeholders(texts[key])),
                $"{language} {key}: '{texts[key]}' has other placeholders than '{MessageTexts.English[key]}'.");
            Assert.False(string.IsNullOrWhiteSpace(texts[key]), $"{language} {key} is empty.");
        }

        // A file copied from English and never translated would pass the checks above.
        Assert.NotEqual(MessageTexts.English["layout.aboutDirectory"], texts["layout.aboutDirectory"]);
    }

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void Every_translation_says_in_its_header_that_a_UN_translator_must_review_it(string language)
    {
        var review = MessageTexts.For(language)["_review"];
        Assert.NotEqual(MessageTexts.English["_review"], review);
        Assert.Contains(language switch { "fr" => "traducteur de l'ONU", "es" => "traductor de las Naciones Unidas", "ru" => "переводчиком ООН", "zh" => "联合国翻译", _ => "مترجم من الأمم المتحدة" }, review, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "fr" }, "fr")]
    [InlineData(new[] { "de", "ar" }, "ar")]
    [InlineData(new[] { "zh-Hant", "en" }, "zh")]
    [InlineData(new[] { "es-419" }, "es")]
    [InlineData(new[] { "RU" }, "ru")]
    [InlineData(new[] { "de" }, "en")]
    [InlineData(new string[0], "en")]
    public void The_language_is_the_first_operational_language_among_the_six_else_English(string[] languages, string expected)
        => Assert.Equal(expected, MessageTexts.Choose(languages));

    [Fact]
    public void Unknown_language_gets_English_texts()
        => Assert.Same(MessageTexts.English, MessageTexts.For("de"));

    [Fact]
    public void The_runner_has_ICU_so_dates_use_the_languages_own_month_names()
    {
        Assert.False(CultureInfo.GetCultureInfo("fr").Name.Length == 0, "Invariant globalization mode is on: the runner needs ICU.");
        Assert.Equal("10 mai 2027 14:00 UTC", EmailFormat.FormatUtc(_deadline, MessageTexts.For("fr").Layout));
        Assert.Equal("10 мая 2027 14:00 UTC", EmailFormat.FormatUtc(_deadline, MessageTexts.For("ru").Layout));
        Assert.Equal("2027年5月10日 14:00 UTC", EmailFormat.FormatUtc(_deadline, MessageTexts.For("zh").Layout));
        Assert.Equal("10 de mayo de 2027 14:00 UTC", EmailFormat.FormatUtc(_deadline, MessageTexts.For("es").Layout));
        Assert.Equal("10 May 2027 14:00 UTC", EmailFormat.FormatUtc(_deadline, MessageTexts.English.Layout));
    }

    [Fact]
    public void French_ping_is_French_around_the_Secretariats_own_text_which_is_sent_as_written()
    {
        var message = CampaignEmails.Ping(Ping("fr") with { CustomBody = "Texte libre, not translated." });

        Assert.Equal("fr", message.Language);
        Assert.StartsWith("Répertoire mondial des points de contact", message.Subject, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"fr\">", message.Html, StringComparison.Ordinal);
        Assert.Contains("Bonjour Ana,", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("Texte libre, not translated.", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("Date limite: 10 mai 2027 14:00 UTC", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("Date limite dans votre fuseau horaire: 10 mai 2027 16:00 (Europe/Paris, UTC+02:00)", message.PlainText, StringComparison.Ordinal);
        Assert.DoesNotContain("Dear", message.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public void Arabic_message_is_right_to_left_in_HTML_and_plain_text_with_its_link_intact()
    {
        var message = CampaignEmails.Ping(Ping("ar"));

        Assert.Equal("ar", message.Language);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", message.Html, StringComparison.Ordinal);
        Assert.Contains("الموعد النهائي", message.PlainText, StringComparison.Ordinal);
        var lines = message.PlainText.Split('\n').Where(l => l.Length > 0).ToList();
        Assert.All(lines.Where(l => !l.StartsWith("http", StringComparison.Ordinal)), l => Assert.Equal('\u200F', l[0]));
        Assert.Contains("https://poc.example/ack/TOKEN", lines);
        Assert.DoesNotContain("dir=", CampaignEmails.Ping(Ping("en")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_message_in_another_language_keeps_its_idempotency_key()
        => Assert.Equal(CampaignEmails.Ping(Ping("en")).IdempotencyKey, CampaignEmails.Ping(Ping("zh")).IdempotencyKey);

    [Theory]
    [MemberData(nameof(OtherLanguages))]
    public void Every_converted_message_renders_in_every_language_with_no_English_layout_words(string language)
    {
        var meeting = MeetingCalendarTests.Meeting(sequence: 0);
        var template = new CommunicationTemplate("01ABC", "COM-1", CommunicationType.IncidentNotification, Urgency.Urgent, _deadline, "Iceland",
            new CommunicationSender("ISL", "Jon", "jon@cert.example.is", [], "ISL-1"), "Scanning", "Free text.");
        var thread = "https://poc.example/communications/01ABC";
        EmailMessage[] messages =
        [
            CampaignEmails.Ping(Ping(language)),
            CampaignEmails.Ping(Ping(language) with { Step = 1 }),
            CampaignEmails.Escalation(new EscalationEmailModel("c1", "Check", "PING-1", "Kari", "kari@cert.example", "Norway", ["Ana"], _deadline, language)),
            MeetingEmails.Message(new MeetingEmailModel(meeting, MeetingMessage.Invite, "m1-invite-1", "Ana", "ana@cert.example", "Asia/Singapore", new Uri("https://poc.example/rsvp/T"), 0, null, "X", language)),
            MeetingEmails.Message(new MeetingEmailModel(meeting, MeetingMessage.Cancel, "m1-cancel-1", "Ana", "ana@cert.example", "UTC", new Uri("https://poc.example/rsvp/T"), 0, null, "X", language)),
            MeetingEmails.Confirmation(new RegistrationConfirmationModel(meeting, "Ana", "ana@cert.example", Attendance.Online, _deadline, language)),
            CommunicationEmails.Communication(new CommunicationEmailModel(template, "Kari", "kari@cert.example", "Europe/Oslo", "https://poc.example/ack/T", 1, language)),
            CommunicationEmails.Escalation(new CommunicationEscalationEmailModel(template, "Kari", "kari@cert.example", "Norway", 2, thread, language)),
            CommunicationEmails.SenderNotice(new SenderNoticeEmailModel("01ABC", "COM-1", "Jon", "jon@cert.example", "Norway", 2, "sent to the focal points", thread, language)),
            CommunicationEmails.Reply(new ReplyEmailModel("01ABC", "COM-1", "r1", "Kari", "kari@cert.example", "Iceland", "Free text.", true, thread, language)),
            OutreachEmails.Letter(Outreach(language)),
            OutreachEmails.Letter(Outreach(language) with { Step = 1, CustomBody = "Free text." }),
            ReconfirmationEmails.Request(Reconfirmation(language)),
            ReconfirmationEmails.Request(Reconfirmation(language) with { Step = 1 }),
            ReconfirmationEmails.Overdue(new OverdueEmailModel("r1", "CONF-1", "focal@mission.example", "Norway", ["Ana"], language)),
        ];

        var texts = MessageTexts.For(language);
        Assert.All(messages, m =>
        {
            Assert.Equal(language, m.Language);
            Assert.Contains($"<html lang=\"{language}\"", m.Html, StringComparison.Ordinal);
            Assert.Contains(texts["layout.aboutDirectory"], m.PlainText, StringComparison.Ordinal);
            Assert.DoesNotContain("Dear ", m.PlainText, StringComparison.Ordinal);
            Assert.DoesNotContain("Reference:", m.PlainText, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void French_reconfirmation_dates_its_last_confirmation_in_French_and_keeps_the_English_one_as_it_was()
    {
        var french = ReconfirmationEmails.Request(Reconfirmation("fr"));
        var english = ReconfirmationEmails.Request(Reconfirmation("en"));

        Assert.Equal("fr", french.Language);
        Assert.StartsWith("Veuillez confirmer", french.Subject, StringComparison.Ordinal);
        Assert.Contains("confirmées pour la dernière fois le 1 mars 2027 09:30 UTC.", french.PlainText, StringComparison.Ordinal);
        Assert.Contains("Merci de confirmer avant le: 10 mai 2027 14:00 UTC", french.PlainText, StringComparison.Ordinal);
        Assert.Contains("were last confirmed on 1 March 2027 09:30 UTC.", english.PlainText, StringComparison.Ordinal);
        Assert.Equal(english.IdempotencyKey, french.IdempotencyKey);
    }

    [Fact]
    public void Arabic_outreach_letter_is_right_to_left_and_names_the_participant_inside_the_Arabic_sentence()
    {
        var message = OutreachEmails.Letter(Outreach("ar"));

        Assert.Equal("ar", message.Language);
        Assert.Contains("<html lang=\"ar\" dir=\"rtl\">", message.Html, StringComparison.Ordinal);
        Assert.StartsWith("تسمية جهات اتصال", message.Subject, StringComparison.Ordinal);
        Assert.Contains("سمّى Norway جهة اتصال دبلوماسية", message.PlainText, StringComparison.Ordinal);
        Assert.Contains("https://poc.example/ack/TOKEN", message.PlainText.Split('\n'));
    }

    private static OutreachEmailModel Outreach(string language) => new(
        "o1", "OUT-1", null, null, "Norway", Missing.NoTechnicalPoc, "Counsellor", "cyber@mission.example", 0,
        new Uri("https://poc.example/ack/TOKEN"), new Uri("https://poc.example/#/"), language);

    private static ReconfirmationEmailModel Reconfirmation(string language) => new(
        "r1", "CONF-1", "Ana", "ana@cert.example", "Europe/Paris", new DateTimeOffset(2027, 3, 1, 9, 30, 0, TimeSpan.Zero), 0,
        new Uri("https://poc.example/confirm/TOKEN"), new Uri("https://poc.example/#/pocs/p1"), _deadline, language);

    private static PingEmailModel Ping(string language) => new(
        "c1", "Spring check", "PING-2027-05-10-7K3M", "Ana", "ana@cert.example", "Europe/Paris", _deadline, "https://poc.example/ack/TOKEN", 0, null, null, language);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
