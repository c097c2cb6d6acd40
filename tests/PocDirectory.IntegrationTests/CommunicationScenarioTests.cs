using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MimeKit;
using PocDirectory.TestSupport;

namespace PocDirectory.IntegrationTests;

/// <summary>A runner of its own on the in-memory Durable backend, with acknowledgement targets of seconds.</summary>
public sealed class CommunicationFixture : DirectoryFixture
{
    public const int MaximumBodyLength = 1000;

    /// <summary>Short next to the default year, long next to any test: the runner's hourly timer never erases a test's content.</summary>
    public const string ContentRetention = "02:00:00";

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Runner:Durable:Backend"] = "InMemory",
        ["Communications:UrgentAcknowledgementTarget"] = "00:00:03",
        ["Communications:PriorityAcknowledgementTarget"] = "00:00:20",
        ["Communications:RoutineAcknowledgementTarget"] = "00:00:40",
        ["Communications:MinimumRespondBy"] = "00:00:10",
        ["Communications:MaximumRespondBy"] = "30.00:00:00",
        ["Communications:MaximumBodyLength"] = "1000",
        ["Communications:ContentRetention"] = ContentRetention,
    };
}

[CollectionDefinition(Name)]
public sealed class CommunicationCollection : ICollectionFixture<CommunicationFixture>
{
    public const string Name = "Communications on the in-memory backend";
}

/// <summary>Issue 15's "what must be shown", through the real runner and real SMTP.</summary>
[Collection(CommunicationCollection.Name)]
public sealed class CommunicationScenarioTests(CommunicationFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task UrgentRequest_EscalatesInOrder_IsAcknowledgedByLink_RepliedAndClosed_AndTheSecretariatSeesNoContent()
    {
        var w = await WorldAsync();
        var subject = $"Scanning-{Guid.NewGuid():N}";
        var body = $"Body-{Guid.NewGuid():N}: we see scanning from your address space since 04:00 UTC.";

        using var sent = await w.IslFocalPoint.PostAsJsonAsync("api/communications", new
        {
            to = w.Nor, kinds = new[] { "Technical" }, type = "RequestForInformation", urgency = "Urgent", subject, body, respondBy = "PT120S",
        });
        Assert.True(sent.StatusCode == HttpStatusCode.Created, await sent.Content.ReadAsStringAsync());
        var created = await sent.ReadJsonAsync();
        var id = created["id"]!.GetValue<string>();
        Assert.Equal(w.Isl, created["from"]!.GetValue<string>());
        Assert.Equal(w.Nor, created["to"]!.GetValue<string>());
        Assert.Equal("Sent", created["status"]!.GetValue<string>());
        Assert.StartsWith("COM-", created["reference"]!.GetValue<string>(), StringComparison.Ordinal);
        var reference = created["reference"]!.GetValue<string>();

        // Both technical POCs get it with a link, the template fields in their fixed order.
        var first = await CampaignHelpers.MessagesToAsync(fixture.Smtp, w.NorTechnical, 2, Timeout);
        foreach (var message in first.Take(2))
        {
            var text = message.TextBody ?? string.Empty;
            var order = new[] { "Type: Request for information", "Urgency: Urgent", $"Reference: {reference}", "Respond by: ", "Respond by in your time zone: ", "From: ", "Sender: ", $"Subject: {subject}", body }
                .Select(f => text.IndexOf(f, StringComparison.Ordinal)).ToList();
            Assert.True(order.All(i => i >= 0) && order.SequenceEqual(order.Order()), "Template fields out of order:\n" + text);
            Assert.Contains("/ack/", CampaignHelpers.LinkIn(message), StringComparison.Ordinal);
        }

        // Nobody acknowledges: reminder, then the diplomatic POCs, then the focal point; ISL is told at each step.
        var focal = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [w.NorFocalPointEmail], 1, Timeout);
        var all = fixture.Smtp.Messages;
        int IndexOf(Func<MimeMessage, bool> which) => all.ToList().FindIndex(m => which(m));
        var reminder = IndexOf(m => w.NorTechnical.Contains(CampaignHelpers.AddressOf(m)) && CampaignHelpers.StepOf(m) == 1);
        var diplomatic = IndexOf(m => w.NorDiplomatic.Contains(CampaignHelpers.AddressOf(m)));
        var focalPoint = IndexOf(m => CampaignHelpers.AddressOf(m) == w.NorFocalPointEmail);
        Assert.True(reminder >= 0 && diplomatic > reminder && focalPoint > diplomatic, $"Escalation out of order: reminder {reminder}, diplomatic {diplomatic}, focal point {focalPoint}");
        Assert.Equal(2, all.Count(m => w.NorDiplomatic.Contains(CampaignHelpers.AddressOf(m))));
        Assert.Contains(body, focal[0].TextBody ?? string.Empty, StringComparison.Ordinal);
        var told = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [w.IslFocalPointEmail], 3, Timeout);
        Assert.Equal([1, 2, 3], told.Select(m => StepOfNotice(m)).Order());

        // One NOR POC acknowledges by link; ISL sees who and when.
        var link = CampaignHelpers.LinkIn(first.First(m => CampaignHelpers.AddressOf(m) == w.NorTechnical[0]));
        using (var ack = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, link))
        {
            Assert.True(ack.StatusCode == HttpStatusCode.OK, await ack.Content.ReadAsStringAsync());
            var receipt = await ack.ReadJsonAsync();
            Assert.Equal("communication", receipt["kind"]!.GetValue<string>());
            Assert.Equal(id, receipt["id"]!.GetValue<string>());
            Assert.Equal(reference, receipt["reference"]!.GetValue<string>());
            Assert.False(string.IsNullOrEmpty(receipt["title"]!.GetValue<string>()));
            Assert.DoesNotContain(subject, receipt.ToJsonString(), StringComparison.Ordinal);
        }

        var seen = await w.IslFocalPoint.GetFromJsonAsync<JsonObject>($"api/communications/{id}");
        Assert.Equal("Acknowledged", seen!["status"]!.GetValue<string>());
        var acknowledgement = Assert.Single(seen["acknowledgements"]!.AsArray());
        Assert.Equal(w.NorTechnicalIds[0], acknowledgement!["recipientId"]!.GetValue<string>());
        Assert.NotNull(acknowledgement["acknowledgedAt"]);
        Assert.Equal(subject, seen["subject"]!.GetValue<string>());

        // NOR replies and closes; ISL's side gets the reply.
        using (var reply = await w.NorPoc.PostAsJsonAsync($"api/communications/{id}/replies", new { body = "Host identified and taken offline.", closes = true }))
        {
            Assert.True(reply.StatusCode == HttpStatusCode.Created, await reply.Content.ReadAsStringAsync());
        }

        var replied = await CampaignHelpers.MessagesToAsync(fixture.Smtp, [w.IslFocalPointEmail], 4, Timeout);
        Assert.Contains(replied, m => (m.TextBody ?? string.Empty).Contains("Host identified and taken offline.", StringComparison.Ordinal));
        var thread = await w.IslFocalPoint.GetFromJsonAsync<JsonObject>($"api/communications/{id}");
        Assert.Equal("Closed", thread!["status"]!.GetValue<string>());
        Assert.Equal("Host identified and taken offline.", Assert.Single(thread["replies"]!.AsArray())!["body"]!.GetValue<string>());
        Assert.NotNull(thread["firstReplyAt"]);
        Assert.Equal(3, thread["escalations"]!.AsArray().Count);

        // The Secretariat: metadata, never subject or body (raw JSON), in the item, the list and the audit log.
        var raw = await fixture.SecretariatClient.GetStringAsync($"api/communications/{id}");
        Assert.DoesNotContain(subject, raw, StringComparison.Ordinal);
        Assert.DoesNotContain(body, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Host identified", raw, StringComparison.Ordinal);
        Assert.Contains(reference, raw, StringComparison.Ordinal);
        var metadata = JsonNode.Parse(raw)!;
        Assert.Null(metadata["subject"]);
        Assert.Equal("Closed", metadata["status"]!.GetValue<string>());
        Assert.Equal(3, metadata["escalations"]!.AsArray().Count);
        var list = await fixture.SecretariatClient.GetStringAsync("api/communications?pageSize=500");
        Assert.DoesNotContain(subject, list, StringComparison.Ordinal);
        var audit = await fixture.SecretariatClient.GetStringAsync($"api/audit?entityId={id}");
        Assert.Contains("Communication.Sent", audit, StringComparison.Ordinal);
        Assert.DoesNotContain(subject, audit, StringComparison.Ordinal);
        Assert.DoesNotContain(body, audit, StringComparison.Ordinal);

        // A focal point of a third State sees nothing.
        using (var third = await w.ThirdFocalPoint.GetAsync($"api/communications/{id}"))
        {
            await PocBodies.AssertProblemAsync(third, HttpStatusCode.NotFound);
        }

        Assert.DoesNotContain(id, await w.ThirdFocalPoint.GetStringAsync("api/communications"), StringComparison.Ordinal);

        // The statistics show the times.
        var stats = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/communications/stats?from={Uri.EscapeDataString(w.Start.ToString("O"))}");
        var nor = stats!["byReceivingParticipant"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == w.Nor)!;
        Assert.Equal(1, nor["count"]!.GetValue<int>());
        Assert.True(nor["timeToAcknowledge"]!["medianSeconds"]!.GetValue<double>() > 0);
        Assert.True(nor["timeToAcknowledge"]!["p90Seconds"]!.GetValue<double>() > 0);
        Assert.True(nor["timeToFirstReply"]!["medianSeconds"]!.GetValue<double>() >= nor["timeToAcknowledge"]!["medianSeconds"]!.GetValue<double>());
        Assert.Equal(0.0, nor["acknowledgedWithinTarget"]!.GetValue<double>());
        var norOwn = await w.NorPoc.GetFromJsonAsync<JsonObject>("api/communications/stats");
        Assert.All(norOwn!["byReceivingParticipant"]!.AsArray(), g => Assert.Equal(w.Nor, g!["key"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AcknowledgedBeforeTheTarget_StopsTheEscalation_AndCountsWithinTarget()
    {
        var w = await WorldAsync();
        using var sent = await w.IslFocalPoint.PostAsJsonAsync("api/communications", new
        {
            to = w.Nor, kinds = Array.Empty<string>(), type = "IncidentNotification", urgency = "Priority", subject = "Heads-up", body = "An incident.", respondBy = "PT60S",
        });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);
        var id = (await sent.ReadJsonAsync())["id"]!.GetValue<string>();

        // Both kinds get it (kinds empty); the signed-in POC acknowledges in the portal.
        await CampaignHelpers.MessagesToAsync(fixture.Smtp, [.. w.NorTechnical, .. w.NorDiplomatic], 4, Timeout);
        using (var ack = await w.NorPoc.PostAsync($"api/communications/{id}/acknowledge", null))
        {
            Assert.True(ack.StatusCode == HttpStatusCode.OK, await ack.Content.ReadAsStringAsync());
        }

        // The first acknowledgement ends the delivery long before its target; a colleague's link is then refused as closed.
        JsonObject? seen = null;
        await Wait.UntilAsync(async () =>
        {
            seen = await w.IslFocalPoint.GetFromJsonAsync<JsonObject>($"api/communications/{id}");
            return !seen!["delivering"]!.GetValue<bool>();
        }, Timeout, () => $"The delivery did not end after the first acknowledgement: {seen?.ToJsonString()}");
        Assert.Equal("Acknowledged", seen!["status"]!.GetValue<string>());
        var link = CampaignHelpers.LinkIn((await CampaignHelpers.MessagesToAsync(fixture.Smtp, [w.NorTechnical[1]], 1, Timeout))[0]);
        using (var late = await CampaignHelpers.AcknowledgeAsync(fixture.Runner.Http, link))
        {
            await PocBodies.AssertProblemAsync(late, HttpStatusCode.Gone);
        }

        var stats = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>($"api/communications/stats?from={Uri.EscapeDataString(w.Start.ToString("O"))}");
        var nor = stats!["byReceivingParticipant"]!.AsArray().Single(g => g!["key"]!.GetValue<string>() == w.Nor)!;
        Assert.Equal(1.0, nor["acknowledgedWithinTarget"]!.GetValue<double>());
        Assert.True(stats["byUrgency"]!["Priority"]!.GetValue<int>() >= 1);

        // No reminder and no escalation went out: the colleagues had the communication once, nobody of the sending side
        // was told, and the focal point got nothing.
        Assert.All(new[] { w.NorTechnical[1], w.NorDiplomatic[0], w.NorDiplomatic[1] }, a => Assert.Single(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == a));
        Assert.DoesNotContain(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m) == w.NorFocalPointEmail || CampaignHelpers.AddressOf(m) == w.IslFocalPointEmail);
    }

    [Fact]
    public async Task BadInput_IsAProblem_AndNothingIsStoredOrSent()
    {
        var w = await WorldAsync();
        var empty = await fixture.NewParticipantAsync();
        object Body(string? to = null, string? type = "RequestForInformation", string? body = "Text", string respondBy = "PT1H", string? urgency = "Urgent",
            string? subject = "S", string? from = null, string[]? kinds = null, string? inReplyTo = null)
            => new Dictionary<string, object?>
            {
                ["to"] = to ?? w.Nor, ["type"] = type, ["urgency"] = urgency, ["subject"] = subject, ["body"] = body, ["respondBy"] = respondBy, ["from"] = from,
                ["kinds"] = kinds, ["inReplyTo"] = inReplyTo,
            };
        var cases = new (string Name, object Body, HttpStatusCode Status, string? Field)[]
        {
            ("unknown participant", Body(to: "ZZ99999"), HttpStatusCode.BadRequest, "to"),
            ("malformed participant code", Body(to: "not a code!"), HttpStatusCode.BadRequest, "to"),
            ("own participant", Body(to: w.Isl), HttpStatusCode.BadRequest, "to"),
            ("empty body", Body(body: ""), HttpStatusCode.BadRequest, "body"),
            ("no body", Body(body: null), HttpStatusCode.BadRequest, "body"),
            ("body over the limit", Body(body: new string('x', CommunicationFixture.MaximumBodyLength + 1)), HttpStatusCode.BadRequest, "body"),
            ("empty subject", Body(subject: " "), HttpStatusCode.BadRequest, "subject"),
            ("subject over the limit", Body(subject: new string('s', 201)), HttpStatusCode.BadRequest, "subject"),
            ("unknown type", Body(type: "Gossip"), HttpStatusCode.BadRequest, "type"),
            ("no type", Body(type: null), HttpStatusCode.BadRequest, "type"),
            ("unknown urgency", Body(urgency: "Whenever"), HttpStatusCode.BadRequest, "urgency"),
            ("no urgency", Body(urgency: null), HttpStatusCode.BadRequest, "urgency"),
            ("unknown kind", Body(kinds: ["Military"]), HttpStatusCode.BadRequest, "kinds[0]"),
            ("respond-by not a duration", Body(respondBy: "tomorrow"), HttpStatusCode.BadRequest, "respondBy"),
            ("respond-by too soon", Body(respondBy: "PT1S"), HttpStatusCode.BadRequest, "respondBy"),
            ("respond-by too late", Body(respondBy: "P400D"), HttpStatusCode.BadRequest, "respondBy"),
            ("in reply to a communication one cannot see", Body(inReplyTo: "01NOSUCHTHREAD"), HttpStatusCode.BadRequest, "inReplyTo"),
            ("on behalf of another participant", Body(from: w.Nor), HttpStatusCode.Forbidden, null),
            ("a participant without POCs", Body(to: empty), HttpStatusCode.UnprocessableEntity, null),
        };
        foreach (var (name, body, status, field) in cases)
        {
            using var response = await w.IslFocalPoint.PostAsJsonAsync("api/communications", body);
            Assert.True(response.StatusCode == status, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            await PocBodies.AssertProblemAsync(response, status, field);
        }

        // Nothing stored (the sender's list, the Secretariat's list, the receiver's inbox) and nothing sent to anyone.
        var sent = await w.IslFocalPoint.GetFromJsonAsync<JsonObject>("api/communications?box=sent");
        Assert.Empty(sent!["items"]!.AsArray());
        Assert.Empty((await w.NorPoc.GetFromJsonAsync<JsonObject>("api/communications?box=inbox"))!["items"]!.AsArray());
        var all = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/communications?pageSize=500");
        Assert.DoesNotContain(all!["items"]!.AsArray(), c => c!["from"]!.GetValue<string>() == w.Isl);
        Assert.DoesNotContain(fixture.Smtp.Messages, m => CampaignHelpers.AddressOf(m).Contains(w.Tag, StringComparison.Ordinal));

        // A closed thread takes no reply; a third participant cannot reply at all.
        using var created = await w.IslFocalPoint.PostAsJsonAsync("api/communications", Body());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync())["id"]!.GetValue<string>();
        using (var third = await w.ThirdFocalPoint.PostAsJsonAsync($"api/communications/{id}/replies", new { body = "Me too" }))
        {
            await PocBodies.AssertProblemAsync(third, HttpStatusCode.NotFound);
        }

        using (var thirdAck = await w.ThirdFocalPoint.PostAsync($"api/communications/{id}/acknowledge", null))
        {
            await PocBodies.AssertProblemAsync(thirdAck, HttpStatusCode.NotFound);
        }

        // The Secretariat sees the metadata but is no party: it may not write into the thread.
        using (var secretariat = await fixture.SecretariatClient.PostAsJsonAsync($"api/communications/{id}/replies", new { body = "Me too" }))
        {
            await PocBodies.AssertProblemAsync(secretariat, HttpStatusCode.Forbidden);
        }

        using (var longReply = await w.NorPoc.PostAsJsonAsync($"api/communications/{id}/replies", new { body = new string('r', CommunicationFixture.MaximumBodyLength + 1) }))
        {
            await PocBodies.AssertProblemAsync(longReply, HttpStatusCode.BadRequest, "body");
        }

        using (var emptyReply = await w.NorPoc.PostAsJsonAsync($"api/communications/{id}/replies", new { body = "" }))
        {
            await PocBodies.AssertProblemAsync(emptyReply, HttpStatusCode.BadRequest, "body");
        }

        using (var close = await w.IslFocalPoint.PostAsJsonAsync($"api/communications/{id}/replies", new { body = "Withdrawn.", closes = true }))
        {
            Assert.Equal(HttpStatusCode.Created, close.StatusCode);
        }

        using (var late = await w.NorPoc.PostAsJsonAsync($"api/communications/{id}/replies", new { body = "Too late" }))
        {
            await PocBodies.AssertProblemAsync(late, HttpStatusCode.Conflict);
        }

        var thread = await w.IslFocalPoint.GetFromJsonAsync<JsonObject>($"api/communications/{id}");
        Assert.Equal(["Withdrawn."], thread!["replies"]!.AsArray().Select(r => r!["body"]!.GetValue<string>()));
        Assert.DoesNotContain(fixture.Smtp.Messages, m => (m.TextBody ?? string.Empty).Contains("Too late", StringComparison.Ordinal)
            || (m.TextBody ?? string.Empty).Contains("Me too", StringComparison.Ordinal) || (m.TextBody ?? string.Empty).Contains("rrrrrrrrrr", StringComparison.Ordinal));
    }

    private static int StepOfNotice(MimeMessage message)
    {
        var subject = message.Subject ?? string.Empty;
        var at = subject.LastIndexOf("escalation step ", StringComparison.Ordinal);
        return at < 0 ? 0 : int.Parse(subject[(at + "escalation step ".Length)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private Task<CommunicationWorld> WorldAsync() => CommunicationWorld.CreateAsync(fixture);
}
