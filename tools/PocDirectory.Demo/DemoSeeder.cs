using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PocDirectory.Demo;

/// <summary>What one run of the demo made; a run on a filled directory makes nothing.</summary>
public sealed record DemoSummary(
    int PocsCreated, int RolesGranted, int CampaignsCreated, int PingsAcknowledged, int MeetingsCreated, int Registrations,
    int CommunicationsCreated, int CommunicationAnswers, int ExercisesCreated, int ExerciseResponses)
{
    public bool NothingChanged => this == new DemoSummary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>How the demo runs: the ping campaign's response window (short locally, so the demo ends soon).</summary>
public sealed record DemoSettings(string PingResponseWindow = DemoSettings.DefaultPingWindow, TimeSpan? MailTimeout = null)
{
    /// <summary>Room to answer 214 pings whose links are read through smtp4dev's API; PT30S closed first.</summary>
    public const string DefaultPingWindow = "PT2M";

    public TimeSpan MailWait => MailTimeout ?? TimeSpan.FromMinutes(2);
}

/// <summary>
/// Fills a directory with the demo's sample data through the API, as the Secretariat, focal points and POCs would:
/// POCs of 120 participants, a ping campaign that POCs acknowledge through their links and that ends with a report, an
/// upcoming meeting with the launch meeting's agenda and some registrations, a communication thread, and an exercise.
/// Each step first looks for what it would make (by participant and address, by name or title) and skips what is there.
/// </summary>
public sealed partial class DemoSeeder(DemoApi api, IDemoMailbox mailbox, DemoSettings settings, Action<string> log)
{
    public const string Secretariat = "secretariat@example.org";
    public const string CampaignName = "Communication check, first quarter (demo)";
    public const string MeetingTitle = "Second meeting of the POCs (demo)";
    public const string ExerciseName = "Tabletop exercise: ransomware with cross-border effects (demo)";
    public const string CommunicationSubject = "Scanning of government networks from your address space";
    public const string Sender = "EST";
    public const string Receiver = "FIN";
    public const string SenderFocalPoint = "cyber.focal.point@mfa.ee.example";
    public const string ReceiverFocalPoint = "cyber.focal.point@mfa.fi.example";
    public const string ExerciseController = "exercise.control@un.example";

    /// <summary>The exercise's players: the Nordic-Baltic participants' technical POCs.</summary>
    public static readonly string[] ExercisePlayers = ["DNK", "EST", "FIN", "ISL", "NOR", "SWE"];

    /// <summary>Annex A of the Chair's letter: the launch meeting's schedule, kept for the next meeting.</summary>
    public static readonly (string Start, string End, string Item, string Speakers)[] Agenda =
    [
        ("10:00", "10:15", "Opening remarks", "USG of Disarmament Affairs (pre-recorded); OEWG Chair"),
        ("10:15", "10:45", "Launch of the Global POC Directory: live demonstration of the online portal; questions and answers", "Secretariat"),
        ("10:45", "11:00", "Preliminary findings of the initial background paper on capacities required for participation in the Global POC Directory", "Secretariat"),
        ("11:00", "11:20", "Panel of States and groups of States: experiences of selecting, nominating and onboarding POCs", "States"),
        ("11:20", "11:40", "Panel of regional organisations: assisting States in selecting, nominating and onboarding POCs in regional directories", "Regional organisations"),
        ("11:40", "12:40", "Reflections from States on selecting, nominating and onboarding POCs, and on their challenges and goals for the Directory", "POCs and delegations who wish to take the floor"),
        ("12:40", "12:50", "Briefing on the next \"ping\" test", "Secretariat"),
        ("12:50", "13:00", "Way forward (capacity-building, simulation exercise, expansion of participation) and closing remarks", "OEWG Chair"),
    ];

    private int _pocs;
    private int _roles;
    private int _campaigns;
    private int _acks;
    private int _late;
    private int _meetings;
    private int _registrations;
    private int _communications;
    private int _answers;
    private int _exercises;
    private int _responses;

    public async Task<DemoSummary> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var secretariat = await api.AsAsync(Secretariat, cancellationToken);
        await UntilAsync(async () => (await DemoApi.GetAsync(secretariat, "api/me", cancellationToken))!["roles"]!.AsArray().Any(r => r!["role"]!.GetValue<string>() == "Secretariat"),
            TimeSpan.FromSeconds(90), $"{Secretariat} to hold the Secretariat role", cancellationToken);
        if (clock.Elapsed > TimeSpan.FromSeconds(1))
        {
            log($"The Secretariat's role showed after {clock.Elapsed.TotalSeconds:F1} s");
        }

        var pocIds = await PocsAsync(secretariat, cancellationToken);
        log($"POCs: {_pocs} created, {DemoDirectory.Pocs.Count - _pocs} there already ({clock.Elapsed.TotalSeconds:F1} s)");
        await RolesAsync(secretariat, pocIds, cancellationToken);

        // The campaign waits out its response window; the other steps run meanwhile. The communication goes after the
        // campaign's pings, whose links share its page (the campaign's are told apart by its reference).
        var campaign = CampaignAsync(secretariat, cancellationToken);
        await Task.WhenAll(MeetingAsync(secretariat, cancellationToken), ExerciseAsync(secretariat, cancellationToken), campaign);
        await CommunicationAsync(cancellationToken);
        log($"Demo data ready in {clock.Elapsed.TotalSeconds:F1} s");
        return new DemoSummary(_pocs, _roles, _campaigns, _acks, _meetings, _registrations, _communications, _answers, _exercises, _responses);
    }

    /// <summary>Creates the POCs a participant lacks (matched by address), participants side by side, one participant's POCs in turn.</summary>
    private async Task<Dictionary<string, string>> PocsAsync(HttpClient secretariat, CancellationToken cancellationToken)
    {
        var ids = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await Parallel.ForEachAsync(DemoDirectory.Pocs.GroupBy(p => p.Participant), new ParallelOptions { MaxDegreeOfParallelism = 6, CancellationToken = cancellationToken },
            async (participant, ct) =>
            {
                var existing = await DemoApi.ListAsync(secretariat, $"api/pocs?participant={participant.Key}&pageSize=500", ct);
                foreach (var poc in existing)
                {
                    foreach (var email in poc["emails"]!.AsArray())
                    {
                        ids[email!.GetValue<string>()] = poc["id"]!.GetValue<string>();
                    }
                }

                foreach (var poc in participant.Where(p => !ids.ContainsKey(p.Email)))
                {
                    var created = await DemoApi.PostAsync(secretariat, "api/pocs", poc.Body, ct);
                    ids[poc.Email] = created!["id"]!.GetValue<string>();
                    Interlocked.Increment(ref _pocs);
                }
            });
        return new Dictionary<string, string>(ids, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The people who act in the communication: a focal point on each side, and the receiving technical POC as a user.</summary>
    private async Task RolesAsync(HttpClient secretariat, Dictionary<string, string> pocIds, CancellationToken cancellationToken)
    {
        var receiverPoc = ReceivingPoc();
        (string Email, string Role, string? Participant, string? PocId)[] wanted =
        [
            (SenderFocalPoint, "FocalPoint", Sender, null),
            (ReceiverFocalPoint, "FocalPoint", Receiver, null),
            (receiverPoc.Email, "Poc", null, pocIds[receiverPoc.Email]),
        ];
        foreach (var (email, role, participant, pocId) in wanted)
        {
            var held = await DemoApi.ListAsync(secretariat, $"api/role-assignments?email={Uri.EscapeDataString(email)}", cancellationToken);
            if (!held.Any(r => r["role"]!.GetValue<string>() == role))
            {
                await DemoApi.PostAsync(secretariat, "api/role-assignments", new { email, role, participant, pocId }, cancellationToken);
                _roles++;
            }
        }
    }

    private async Task CampaignAsync(HttpClient secretariat, CancellationToken cancellationToken)
    {
        var campaign = (await DemoApi.ListAsync(secretariat, "api/campaigns", cancellationToken)).FirstOrDefault(c => c["name"]?.GetValue<string>() == CampaignName);
        if (campaign is null)
        {
            campaign = (await DemoApi.PostAsync(secretariat, "api/campaigns", new
            {
                name = CampaignName,
                scope = new { participants = Array.Empty<string>(), regions = Array.Empty<string>(), kinds = Array.Empty<string>() },
                responseWindow = settings.PingResponseWindow,
                reminders = Array.Empty<string>(),
                escalate = false,
            }, cancellationToken))!.AsObject();
            _campaigns++;
            var reference = campaign["reference"]!.GetValue<string>();
            var answering = DemoDirectory.Pocs.Where(p => p.AcknowledgesPing).Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);

            // Each POC that answers follows the link in its own ping as soon as that ping is there, not once all have
            // come: on a slow machine the last pings may go out close to the window's end.
            var answered = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            await UntilAsync(async () =>
            {
                var fresh = (await LinksFoundAsync(s => s.Contains(reference, StringComparison.Ordinal), "ack", answering, cancellationToken))
                    .Where(link => !answered.Contains(link.Key)).ToList();
                await Parallel.ForEachAsync(fresh, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (link, ct) =>
                {
                    try
                    {
                        await DemoApi.PostAsync(api.Anonymous, $"api/acknowledgements/{link.Value}", null, ct);
                        Interlocked.Increment(ref _acks);
                    }
                    catch (DemoApiException e) when (e.Status == System.Net.HttpStatusCode.Gone)
                    {
                        // The window closed first (a slow machine): this POC shows as not answering, and the demo goes on.
                        Interlocked.Increment(ref _late);
                    }
                });
                answered.UnionWith(fresh.Select(link => link.Key));
                return answered.Count == answering.Count;
            }, settings.MailWait, $"{answering.Count} pings to answer (answered {answered.Count})", cancellationToken);
            log($"Campaign {reference}: {_acks} of {DemoDirectory.Pocs.Count} POCs acknowledged ({_late} too late); waiting for the window to close");
        }

        var id = campaign["id"]!.GetValue<string>();
        await UntilAsync(async () => (await DemoApi.GetAsync(secretariat, $"api/campaigns/{id}", cancellationToken))!["status"]!.GetValue<string>() is "Completed" or "Cancelled",
            TimeSpan.FromMinutes(5), $"campaign {id} to close", cancellationToken);
    }

    private async Task MeetingAsync(HttpClient secretariat, CancellationToken cancellationToken)
    {
        var meeting = (await DemoApi.ListAsync(secretariat, "api/meetings", cancellationToken)).FirstOrDefault(m => m["title"]?.GetValue<string>() == MeetingTitle);
        if (meeting is null)
        {
            // Six weeks ahead, on a Thursday, 10:00-13:00 in New York as the launch meeting was.
            var day = DateTime.UtcNow.Date.AddDays(42);
            day = day.AddDays(((int)DayOfWeek.Thursday - (int)day.DayOfWeek + 7) % 7);
            string Local(DateTime date, string time) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T" + time;
            meeting = (await DemoApi.PostAsync(secretariat, "api/meetings", new
            {
                title = MeetingTitle,
                format = "Hybrid",
                venue = "United Nations Headquarters, New York, Conference Room 4",
                timeZone = "America/New_York",
                start = Local(day, "10:00"),
                end = Local(day, "13:00"),
                connectionLink = "https://meet.un.example/poc-directory/second-meeting",
                invitees = new { participants = Array.Empty<string>(), regions = Array.Empty<string>(), kinds = new[] { "Diplomatic", "Technical" }, focalPoints = true },
                agenda = Agenda.Select(a => new { start = a.Start, end = a.End, item = a.Item, speakers = a.Speakers }),
                registrationDeadline = Local(day.AddDays(-7), "17:00"),
                reminders = new[] { "P7D", "P1D" },
            }, cancellationToken))!.AsObject();
            _meetings++;
        }

        var id = meeting["id"]!.GetValue<string>();
        if (meeting["status"]!.GetValue<string>() == "Draft")
        {
            await DemoApi.PostAsync(secretariat, $"api/meetings/{id}/invite", null, cancellationToken);
        }

        var registrations = await DemoApi.ListAsync(secretariat, $"api/meetings/{id}/registrations?pageSize=500", cancellationToken);
        if (registrations.Any(r => r["attendance"] is not null))
        {
            return;
        }

        // About a third answer: in person or online, a few decline, and some ask for the floor on the reflections item.
        var answering = DemoDirectory.Pocs.Where((_, i) => i % 3 == 0).ToList();
        var links = await LinksAsync(s => s.Contains(MeetingTitle, StringComparison.Ordinal), "rsvp", answering.Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase), cancellationToken);
        await Parallel.ForEachAsync(answering.Select((poc, i) => (poc, i)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (a, ct) =>
        {
            var attendance = (a.i % 7) switch { 0 => "Declined", 1 or 2 or 3 => "Online", _ => "InPerson" };
            var floor = attendance != "Declined" && a.i % 5 == 0;
            await DemoApi.PostAsync(api.Anonymous, $"api/rsvp/{links[a.poc.Email]}", new
            {
                attendance,
                delegationSize = attendance == "InPerson" ? 1 + (a.i % 3) : (int?)null,
                wishToTakeFloor = floor,
                agendaItem = floor ? 5 : (int?)null,
                note = (string?)null,
            }, ct);
            Interlocked.Increment(ref _registrations);
        });
        log($"Meeting: {_registrations} registrations");
    }

    private async Task CommunicationAsync(CancellationToken cancellationToken)
    {
        var sender = await api.AsAsync(SenderFocalPoint, cancellationToken);
        var sent = (await DemoApi.ListAsync(sender, "api/communications?box=Sent", cancellationToken)).FirstOrDefault(c => c["to"]?.GetValue<string>() == Receiver);
        if (sent is null)
        {
            sent = (await DemoApi.PostAsync(sender, "api/communications", new
            {
                to = Receiver,
                kinds = new[] { "Technical" },
                type = "RequestForInformation",
                urgency = "Priority",
                subject = CommunicationSubject,
                body = "Since 04:00 UTC our government networks see scanning of remote-access services from 198.51.100.0/24, which is announced from your country. "
                    + "Can you help identify the source, and tell us whether you see the same activity?",
                respondBy = "PT24H",
            }, cancellationToken))!.AsObject();
            _communications++;
        }

        var id = sent["id"]!.GetValue<string>();
        var receiver = await api.AsAsync(ReceivingPoc().Email, cancellationToken);
        var thread = (await DemoApi.GetAsync(receiver, $"api/communications/{id}", cancellationToken))!.AsObject();
        if (thread["status"]!.GetValue<string>() == "Sent")
        {
            await DemoApi.PostAsync(receiver, $"api/communications/{id}/acknowledge", null, cancellationToken);
            _answers++;
        }

        if (thread["replies"] is not JsonArray { Count: > 0 })
        {
            await DemoApi.PostAsync(receiver, $"api/communications/{id}/replies", new
            {
                body = "We see it too: the range belongs to a hosting provider here, and one of its customers' servers is compromised. "
                    + "We have asked the provider to take it offline and will share indicators within the day.",
                closes = false,
            }, cancellationToken);
            _answers++;
        }

    }

    private async Task ExerciseAsync(HttpClient secretariat, CancellationToken cancellationToken)
    {
        var exercise = (await DemoApi.ListAsync(secretariat, "api/exercises", cancellationToken)).FirstOrDefault(e => e["name"]?.GetValue<string>() == ExerciseName);
        if (exercise is not null)
        {
            return;
        }

        exercise = (await DemoApi.PostAsync(secretariat, "api/exercises", new
        {
            name = ExerciseName,
            description = "Staged scenario: ransomware in a shared cloud provider disrupts government services in several States; players confirm they are reachable and share what they see.",
            players = new { participants = ExercisePlayers, regions = Array.Empty<string>(), kinds = new[] { "Technical" } },
            controllers = new[] { ExerciseController },
            injects = new object[]
            {
                new { at = "PT0S", title = "Start of exercise", message = "The exercise has started. Please acknowledge that you received this inject.", expects = "Acknowledge", respondWithin = "PT30M", to = "AllPlayers", participants = Array.Empty<string>() },
                new
                {
                    at = "PT5S", title = "Situation report", message = "Several government services are encrypted; the ransom note names a shared cloud provider. Is your CERT seeing the same indicators?",
                    expects = "Reply", respondWithin = "PT30M", to = "AllPlayers", participants = Array.Empty<string>(), options = new[] { "Yes", "No", "Unknown" },
                },
            },
        }, cancellationToken))!.AsObject();
        _exercises++;
        var id = exercise["id"]!.GetValue<string>();
        await DemoApi.PostAsync(secretariat, $"api/exercises/{id}/start", null, cancellationToken);

        // The primary technical POC of each player answers; the alternates stay silent, as alternates often do.
        var players = DemoDirectory.Pocs.Where(p => ExercisePlayers.Contains(p.Participant) && p.Kind == "Technical").ToList();
        var answering = players.Where(p => p.Rank == "Primary").Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var acks = await LinksAsync(s => s.Contains("Start of exercise", StringComparison.Ordinal), "exercise", answering, cancellationToken);
        foreach (var token in acks.Values)
        {
            await DemoApi.PostAsync(api.Anonymous, $"api/exercise-responses/{token}", new { response = "Acknowledge" }, cancellationToken);
            _responses++;
        }

        var replying = players.Where(p => p.Rank == "Primary" && p.Participant != "ISL").Select(p => p.Email).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var replies = await LinksAsync(s => s.Contains("Situation report", StringComparison.Ordinal), "exercise", replying, cancellationToken);
        var n = 0;
        foreach (var (email, token) in replies.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var choice = n++ % 3 == 2 ? "Unknown" : "Yes";
            await DemoApi.PostAsync(api.Anonymous, $"api/exercise-responses/{token}", new
            {
                response = "Reply",
                text = choice == "Yes" ? "Yes: the same ransom note and indicators since this morning; our CERT has informed the provider." : "Not yet; we are checking with our largest hosting providers.",
                choice,
            }, cancellationToken);
            _responses++;
        }

        await DemoApi.PostAsync(secretariat, $"api/exercises/{id}/observations", new { participant = "ISL", text = "Acknowledged the first inject at once; no reply to the situation report within the exercise." }, cancellationToken);
        await DemoApi.PostAsync(secretariat, $"api/exercises/{id}/end", null, cancellationToken);
        log($"Exercise: {_responses} responses");
    }

    /// <summary>The token of the link on page <paramref name="page"/> in each of <paramref name="recipients"/>' messages, once all have arrived.</summary>
    private async Task<Dictionary<string, string>> LinksAsync(Func<string, bool> subject, string page, IReadOnlySet<string> recipients, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        await UntilAsync(async () =>
        {
            found = await LinksFoundAsync(subject, page, recipients, cancellationToken);
            return found.Count == recipients.Count;
        }, settings.MailWait, $"{recipients.Count} messages with /{page}/ links (have {found.Count})", cancellationToken);
        return found;
    }

    /// <summary>The /{page}/ link in the mailbox for each of <paramref name="recipients"/> whose message is there yet, by address.</summary>
    private async Task<Dictionary<string, string>> LinksFoundAsync(Func<string, bool> subject, string page, IReadOnlySet<string> recipients, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var mail in await mailbox.FindAsync(subject, cancellationToken))
        {
            var address = Address(mail.To);
            if (recipients.Contains(address) && !found.ContainsKey(address) && LinkPattern().Match(mail.Text) is { Success: true } match && match.Groups[1].Value == page)
            {
                found[address] = match.Groups[2].Value;
            }
        }

        return found;
    }

    /// <summary>Who reads and answers the communication: the receiver's primary technical POC, signed in.</summary>
    private static DemoPoc ReceivingPoc() => DemoDirectory.Pocs.First(p => p.Participant == Receiver && p.Kind == "Technical" && p.Rank == "Primary");

    private static string Address(string to)
    {
        var open = to.LastIndexOf('<');
        return open >= 0 ? to[(open + 1)..].TrimEnd('>', ' ') : to.Trim();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; a quarter of a second apart, which the mail catcher and runner bear.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"The demo waited {timeout.TotalSeconds:F0} s for {what}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    [GeneratedRegex(@"https?://[^\s/]+/(ack|rsvp|exercise)/([A-Za-z0-9_\-]+)")]
    private static partial Regex LinkPattern();
}
