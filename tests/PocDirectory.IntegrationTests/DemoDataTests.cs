using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.Demo;
using PocDirectory.TestSupport;
using Xunit.Abstractions;

namespace PocDirectory.IntegrationTests;

/// <summary>
/// A stack of its own: the demo fills the whole directory (its campaign and meeting reach every POC), which would
/// change what other tests count on the shared one.
/// </summary>
public sealed class DemoFixture : DirectoryFixture
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Runner:Durable:Backend"] = "InMemory",
    };
}

[CollectionDefinition(Name)]
public sealed class DemoCollection : ICollectionFixture<DemoFixture>
{
    public const string Name = "Demo data on a directory of its own";
}

/// <summary>Issue 20 item 6: ./run.sh --demo's sample data, made through the API on an empty directory, and a rerun that changes nothing.</summary>
[Collection(DemoCollection.Name)]
public sealed class DemoDataTests(DemoFixture fixture, ITestOutputHelper output)
{
    /// <summary>Long enough that every answering POC's acknowledgement is in before the window closes, on a loaded machine too.</summary>
    private static readonly DemoSettings Settings = new("PT150S", TimeSpan.FromMinutes(4));

    [Fact]
    public async Task Demo_OnAnEmptyDirectory_MakesTheSampleData_RerunChangesNothing()
    {
        using var api = new DemoApi(fixture.Runner.BaseAddress);
        var mailbox = new TestSmtpMailbox(fixture.Smtp);

        var first = await new DemoSeeder(api, mailbox, Settings, output.WriteLine).RunAsync(CancellationToken.None);

        // The fixed seed makes the same people every time: these figures change only when the sample data does.
        Assert.Equal(120, DemoDirectory.Participants.Count);
        Assert.Equal(280, DemoDirectory.Pocs.Count);
        var answering = DemoDirectory.Pocs.Count(p => p.AcknowledgesPing);
        Assert.Equal(214, answering);
        Assert.Equal(new DemoSummary(
            PocsCreated: 280, RolesGranted: 3, CampaignsCreated: 1, PingsAcknowledged: answering, MeetingsCreated: 1, Registrations: 94,
            CommunicationsCreated: 1, CommunicationAnswers: 2, ExercisesCreated: 1, ExerciseResponses: 11), first);

        // What the directory shows: only what the demo made is counted (the reference participants have no POCs of their own).
        var secretariat = fixture.SecretariatClient;
        var pocs = 0;
        foreach (var code in DemoDirectory.Participants.Select(p => p.Code))
        {
            pocs += (await DemoApi.ListAsync(secretariat, $"api/pocs?participant={code}&pageSize=500", CancellationToken.None)).Count;
        }

        Assert.Equal(280, pocs);

        var campaign = Assert.Single(await DemoApi.ListAsync(secretariat, "api/campaigns", CancellationToken.None));
        Assert.Equal("Completed", campaign["status"]!.GetValue<string>());
        var report = (await secretariat.GetFromJsonAsync<JsonObject>($"api/campaigns/{campaign["id"]}/report"))!;
        Assert.Equal(280, report["overall"]!["inScope"]!.GetValue<int>());
        Assert.Equal(answering, report["overall"]!["acknowledged"]!.GetValue<int>());
        Assert.Equal(280 - answering, report["overall"]!["noResponse"]!.GetValue<int>());
        Assert.Equal(["ECOWAS", "MDA", "MLI", "PHL", "TON"], report["participantsWithNoResponse"]!.AsArray().Select(p => p!.GetValue<string>()).Order(StringComparer.Ordinal));

        var meeting = Assert.Single(await DemoApi.ListAsync(secretariat, "api/meetings", CancellationToken.None));
        Assert.Equal("Invited", meeting["status"]!.GetValue<string>());
        var meetingRead = (await secretariat.GetFromJsonAsync<JsonObject>($"api/meetings/{meeting["id"]}"))!;
        Assert.Equal(DemoSeeder.Agenda.Select(a => a.Item), meetingRead["agenda"]!.AsArray().Select(a => a!["item"]!.GetValue<string>()));
        var registrations = await DemoApi.ListAsync(secretariat, $"api/meetings/{meeting["id"]}/registrations?pageSize=500", CancellationToken.None);
        Assert.Equal(94, registrations.Count(r => r["attendance"] is not null));

        var sender = await fixture.Runner.ClientForAsync(DemoSeeder.SenderFocalPoint);
        var sent = Assert.Single(await DemoApi.ListAsync(sender, "api/communications?box=Sent", CancellationToken.None));
        var thread = (await sender.GetFromJsonAsync<JsonObject>($"api/communications/{sent["id"]}"))!;
        Assert.Equal("Replied", thread["status"]!.GetValue<string>());
        Assert.Single(thread["acknowledgements"]!.AsArray());
        Assert.Single(thread["replies"]!.AsArray());

        var exercise = Assert.Single(await DemoApi.ListAsync(secretariat, "api/exercises", CancellationToken.None));
        Assert.Equal("Ended", exercise["status"]!.GetValue<string>());

        // A rerun finds everything and makes nothing: no write, no mail.
        var mails = fixture.Smtp.Messages.Count;
        var audit = await AuditCountAsync();
        var second = await new DemoSeeder(api, mailbox, Settings, output.WriteLine).RunAsync(CancellationToken.None);
        Assert.True(second.NothingChanged, second.ToString());
        Assert.Equal(mails, fixture.Smtp.Messages.Count);
        Assert.Equal(audit, await AuditCountAsync());
        Assert.Single(await DemoApi.ListAsync(secretariat, "api/campaigns", CancellationToken.None));
        Assert.Single(await DemoApi.ListAsync(secretariat, "api/meetings", CancellationToken.None));
        Assert.Single(await DemoApi.ListAsync(secretariat, "api/exercises", CancellationToken.None));
    }

    private async Task<int> AuditCountAsync()
        => (await DemoApi.ListAsync(fixture.SecretariatClient, "api/audit?pageSize=500", CancellationToken.None)).Count;

    /// <summary>The test's SMTP server read the way the demo reads smtp4dev.</summary>
    private sealed class TestSmtpMailbox(TestSmtpServer smtp) : IDemoMailbox
    {
        public Task<IReadOnlyList<DemoMail>> FindAsync(Func<string, bool> subject, CancellationToken cancellationToken)
            => Task.FromResult<IReadOnlyList<DemoMail>>(smtp.Messages
                .Where(m => subject(m.Subject ?? string.Empty))
                .SelectMany(m => m.To.Mailboxes.Select(to => new DemoMail(to.Address, m.Subject ?? string.Empty, m.TextBody ?? string.Empty)))
                .ToList());
    }
}
