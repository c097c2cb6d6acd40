using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using PocDirectory.Functions.Delivery;
using PocDirectory.Functions.Email;

namespace PocDirectory.IntegrationTests.Delivery;

/// <summary>
/// A feature that exists only here, built on the delivery core with nothing but its content, its answer kind and its
/// report: a roll call of one participant's POCs. It shows what a new feature has to write (the class below), and that
/// sending, links, reminders, answers and closing come from the core.
/// </summary>
public sealed class RollCall : IDeliveryFeature
{
    private readonly ConcurrentDictionary<string, DeliveryHeader> _calls = new();

    public ConcurrentDictionary<string, DeliverySummary> Reports { get; } = new();

    public string Name => "rollcall";

    public LinkPurpose LinkPurpose => LinkPurpose.Acknowledge;

    public string RecipientsTable => "TestRollCalls";

    public string AuditEntity => "RollCall";

    public string Participant { get; set; } = string.Empty;

    public void Add(string id) => _calls[id] = new DeliveryHeader($"Roll call {id}", $"ROLL-{id}", DeliveryState.Scheduled, null, StopRequested: false);

    public Task<DeliveryHeader?> FindAsync(string id, CancellationToken cancellationToken) => Task.FromResult(_calls.GetValueOrDefault(id));

    public Task<RecipientScope> StartAsync(string id, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        _calls[id] = _calls[id] with { State = DeliveryState.Running, Deadline = deadline };
        return Task.FromResult(new RecipientScope([Participant], [], []));
    }

    public Task<Func<StepMessage, EmailMessage>> ComposeAsync(string id, CancellationToken cancellationToken) => Task.FromResult<Func<StepMessage, EmailMessage>>(m =>
        EmailTemplate.Create((m.Step == 0 ? "" : $"Reminder {m.Step}: ") + $"Roll call {id}", $"ROLL-{id}").Greeting(m.Recipient.FullName)
            .Paragraph("Please answer the roll call.").Link("Answer", m.Link).Time("Deadline", m.Deadline, m.Recipient.TimeZone).Reference()
            .Footer("You are a point of contact of the participant called.").Build(m.Address, m.Recipient.FullName, $"rollcall/{id}/{m.Recipient.RecipientId}/{m.Step}"));

    public Task<IReadOnlyList<EscalationNotice>> EscalationsAsync(string id, int level, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<EscalationNotice>>([]);

    public Task<DeliverySummary> CloseAsync(string id, bool cancelled, IReadOnlyList<RecipientEntity> recipients, CancellationToken cancellationToken)
    {
        int Count(RecipientOutcome outcome) => recipients.Count(r => r.OutcomeValue == outcome);
        _calls[id] = _calls[id] with { State = DeliveryState.Closed };
        return Task.FromResult(Reports[id] = new DeliverySummary(id, recipients.Count, Count(RecipientOutcome.Acknowledged), Count(RecipientOutcome.NoResponse),
            Count(RecipientOutcome.Undeliverable), Count(RecipientOutcome.Cancelled)));
    }

    public Task RecordFailureAsync(string id, string step, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ResumeAsync(string id, CancellationToken cancellationToken) => Task.CompletedTask;

    public string ClosedMessage(DeliveryHeader header) => "This roll call is closed.";
}

[Collection(DirectoryCollection.Name)]
public sealed class RollCallTests(DirectoryFixture fixture)
{
    [Fact]
    public async Task RollCall_SendsToItsScope_TakesAnswersThroughItsLinks_RemindsTheSilent_AndReports()
    {
        var pocs = await CampaignHelpers.PocsAsync(fixture.SecretariatClient, participants: 1, perParticipant: 3, label: "rollcall");
        var rollCall = new RollCall { Participant = pocs[0].Participant };
        await using var app = await InProcessDelivery.StartAsync(fixture, services => services.AddSingleton<IDeliveryFeature>(rollCall));
        var id = Guid.NewGuid().ToString("N")[..12];
        rollCall.Add(id);
        var deliveries = app.Get<DeliveryService>();

        // Two answer at once; the third only after its reminder, which ends the roll call long before its two minutes.
        await deliveries.StartAsync(new DeliveryRef("rollcall", id), "Roll call", TimeSpan.FromSeconds(120), [TimeSpan.FromSeconds(12)], [], app.Client, default);
        var first = await CampaignHelpers.MessagesToAsync(fixture.Smtp, pocs.Select(p => p.Email).ToList(), 3, TimeSpan.FromSeconds(30));
        foreach (var message in first.Take(2))
        {
            var receipt = await deliveries.AnswerByLinkAsync(CampaignHelpers.TokenOf(CampaignHelpers.LinkIn(message)), LinkPurpose.Acknowledge, app.Client, default);
            var again = await deliveries.AnswerByLinkAsync(CampaignHelpers.TokenOf(CampaignHelpers.LinkIn(message)), LinkPurpose.Acknowledge, app.Client, default);
            Assert.Equal(("rollcall", id, receipt.AcknowledgedAt), (again.Kind, again.Id, again.AcknowledgedAt));
        }

        var silent = CampaignHelpers.AddressOf(first[2]);
        var reminder = Assert.Single(await CampaignHelpers.MessagesToAsync(fixture.Smtp, [silent], 2, TimeSpan.FromSeconds(60)), m => m.Subject!.StartsWith("Reminder 1:", StringComparison.Ordinal));
        await deliveries.AnswerByLinkAsync(CampaignHelpers.TokenOf(CampaignHelpers.LinkIn(reminder)), LinkPurpose.Acknowledge, app.Client, default);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await app.Client.WaitForInstanceCompletionAsync($"rollcall-{id}", getInputsAndOutputs: true, wait.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(new DeliverySummary(id, 3, 3, 0, 0, 0), rollCall.Reports[id]);
        // The reminder goes to whoever had not answered when its batch read them: on a quiet machine only the silent POC.
        // On a loaded one an answer can land while its reminder is on its way; it then counts as given before the
        // reminder (it was), and that reminder is not counted as sent. Never is an answer credited to a reminder that
        // did not go to its POC, and the silent POC's answer is the reminder's.
        var reminded = fixture.Smtp.Messages.Where(m => m.Subject == $"Reminder 1: Roll call {id} (ROLL-{id})").Select(CampaignHelpers.AddressOf).ToHashSet();
        var rows = await app.Get<DeliveryStore>().ListAsync(new DeliveryRef("rollcall", id), default);
        Assert.Contains(silent, reminded);
        Assert.Equal(1, rows.Single(r => r.EmailList.Single() == silent).AcknowledgedAfterStep);
        Assert.All(rows, r => Assert.True(r.AcknowledgedAfterStep != 1 || reminded.Contains(r.EmailList.Single()), $"{r.RecipientId} is counted after a reminder it never got"));
        var creditedToReminder = rows.Count(r => r.AcknowledgedAfterStep == 1);
        var progress = await app.Get<DeliveryStore>().ProgressAsync(new DeliveryRef("rollcall", id), default);
        Assert.Equal(3, progress.SentByStep[0]);
        Assert.InRange(progress.SentByStep[1], creditedToReminder, reminded.Count);
        var audit = await fixture.SecretariatClient.GetFromJsonAsync<JsonObject>("api/audit?entityType=RollCallResult&pageSize=50");
        Assert.Equal(3, audit!["items"]!.AsArray().Count(e => e!["entityId"]!.GetValue<string>().StartsWith(id + "/", StringComparison.Ordinal)));
    }
}
