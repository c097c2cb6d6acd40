using System.Text.Json;
using PocDirectory.Functions.Api;
using PocDirectory.Functions.Communications;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Roles;
using PocDirectory.Functions.Security;

namespace PocDirectory.UnitTests.Communications;

public sealed class CommunicationTests
{
    private static readonly DateTimeOffset Sent = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static CommunicationTemplate Template(string body = "We see <script>scanning</script>.") => new(
        "01ABC", "COM-20261201-ABCDEF", CommunicationType.RequestForAssistance, Urgency.Urgent, Sent.AddHours(24), "Iceland",
        new CommunicationSender("ISL", "Jon Example", "jon@cert.example.is", ["+3545551234"], "ISL-1"), "Scanning", body);

    [Fact]
    public void Communication_StatesTheTemplateFields_InTheirFixedOrder()
    {
        var message = CommunicationEmails.Communication(new CommunicationEmailModel(Template(), "Kari", "kari@cert.example.no", "Europe/Oslo", "https://portal.example.org/ack/TOKEN", 0));

        var labels = new[] { "Type: Request for assistance", "Urgency: Urgent", "Reference: COM-20261201-ABCDEF", "Respond by: 2 December 2026 10:00 UTC",
            "Respond by in your time zone: 2 December 2026 11:00 (Europe/Oslo, UTC+01:00)", "From: Iceland", "Sender: Jon Example (jon@cert.example.is, +3545551234)",
            "Subject: Scanning", "We see <script>scanning</script>.", "Acknowledge receipt:\nhttps://portal.example.org/ack/TOKEN" };
        var at = labels.Select(l => message.PlainText.IndexOf(l, StringComparison.Ordinal)).ToList();
        Assert.True(at.All(i => i >= 0), message.PlainText);
        Assert.Equal(at.Order(), at);
        Assert.DoesNotContain("<script>", message.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", message.Html, StringComparison.Ordinal);
        Assert.StartsWith("[Urgent] Request for assistance from Iceland", message.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void Reminder_HasItsOwnIdempotencyKey_AndSaysSo()
    {
        CommunicationEmailModel Model(int step) => new(Template(), "Kari", "kari@cert.example.no", "UTC", "https://portal.example.org/ack/TOKEN", step);
        var first = CommunicationEmails.Communication(Model(0));
        var reminder = CommunicationEmails.Communication(Model(1));

        Assert.NotEqual(first.IdempotencyKey, reminder.IdempotencyKey);
        Assert.Equal(first.IdempotencyKey, CommunicationEmails.Communication(Model(0)).IdempotencyKey);
        Assert.StartsWith("Reminder 1: ", reminder.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("kari@", first.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_HasTheOtherKindStep_OnlyWhenSentToOneKind()
    {
        Assert.Equal([CommunicationDelivery.StepKind.Reminder, CommunicationDelivery.StepKind.OtherKind, CommunicationDelivery.StepKind.FocalPoints],
            CommunicationDelivery.Plan([PocKind.Technical]));
        Assert.Equal([CommunicationDelivery.StepKind.Reminder, CommunicationDelivery.StepKind.FocalPoints], CommunicationDelivery.Plan([]));
        Assert.Equal([CommunicationDelivery.StepKind.Reminder, CommunicationDelivery.StepKind.FocalPoints], CommunicationDelivery.Plan([PocKind.Technical, PocKind.Diplomatic]));
    }

    [Fact]
    public void Metadata_CarriesNoContent_AndErasingKeepsTheMetadata()
    {
        var entity = Entity();
        var metadata = JsonSerializer.Serialize(entity.ToMetadata(), ApiJson.Options);
        Assert.DoesNotContain("Secret subject", metadata, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret body", metadata, StringComparison.Ordinal);
        Assert.DoesNotContain("jon@", metadata, StringComparison.Ordinal);

        Assert.True(entity.EraseContent(Sent.AddDays(400)));
        Assert.Null(entity.Subject);
        Assert.Null(entity.Body);
        Assert.True(entity.ToMetadata().ContentErased);
        Assert.Equal("COM-1", entity.ToMetadata().Reference);
        Assert.False(entity.EraseContent(Sent.AddDays(401)));
    }

    [Fact]
    public void Stats_MedianAndP90_AreNearestRank_AndWithinTargetCountsOnlyInTime()
    {
        var options = new CommunicationOptions();
        var communications = Enumerable.Range(1, 10).Select(i =>
        {
            var e = Entity();
            e.AcknowledgedAt = Sent.AddMinutes(i * 30);
            e.FirstReplyAt = i == 1 ? Sent.AddHours(5) : null;
            return e;
        }).ToList();

        var stats = CommunicationStatsBuilder.Build(null, null, communications, options);

        Assert.Equal(10, stats.Count);
        Assert.Equal(150 * 60, stats.TimeToAcknowledge.MedianSeconds);
        Assert.Equal(270 * 60, stats.TimeToAcknowledge.P90Seconds);
        Assert.Equal(1, stats.TimeToFirstReply.Count);
        Assert.Equal(0.4, stats.AcknowledgedWithinTarget); // Urgent: 2 hours; 30, 60, 90 and 120 minutes are within
        Assert.Equal(10, stats.ByUrgency["Urgent"]);
        Assert.Equal("NOR", Assert.Single(stats.ByReceivingParticipant).Key);
        Assert.Null(CommunicationStatsBuilder.Percentile([], 0.5));
    }

    [Fact]
    public void Visibility_ContentForTheTwoParties_MetadataForTheSecretariat_NothingForAThird()
    {
        var isl = new Caller("fp@isl", null, [new RoleAssignment("1", "fp@isl", Role.FocalPoint, "ISL", null, Sent, "s")]);
        var third = new Caller("fp@third", null, [new RoleAssignment("2", "fp@third", Role.FocalPoint, "DEU", null, Sent, "s")]);
        var secretariat = new Caller("s@un", null, [new RoleAssignment("3", "s@un", Role.Secretariat, null, null, Sent, "s")]);

        Assert.True(isl.SeesCommunication("ISL", "NOR", Confidential.CommunicationContent));
        Assert.False(secretariat.SeesCommunication("ISL", "NOR", Confidential.CommunicationContent));
        Assert.True(secretariat.SeesCommunication("ISL", "NOR", Confidential.CommunicationMetadata));
        Assert.False(third.SeesCommunication("ISL", "NOR", Confidential.CommunicationMetadata));
        Assert.True(secretariat.SeesCommunication(Visibility.SecretariatParty, "NOR", Confidential.CommunicationContent));
        Assert.False(isl.SeesCommunication(Visibility.SecretariatParty, "NOR", Confidential.CommunicationMetadata));
    }

    private static CommunicationEntity Entity() => new()
    {
        RowKey = "01ABC",
        Reference = "COM-1",
        From = "ISL",
        To = "NOR",
        ToRegion = "WesternEuropeanAndOthers",
        Type = nameof(CommunicationType.RequestForInformation),
        Urgency = nameof(Urgency.Urgent),
        SentAt = Sent,
        RespondBy = Sent.AddHours(24),
        AcknowledgeBy = Sent.AddHours(2),
        Subject = "Secret subject",
        Body = "Secret body",
        SenderEmail = "jon@cert.example.is",
        SenderName = "Jon",
    };
}
