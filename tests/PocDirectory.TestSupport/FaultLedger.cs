using System.Globalization;
using System.Net;
using System.Text.Json;

namespace PocDirectory.TestSupport;

/// <summary>
/// What the fault tests of a test run survived: crashes, outages, requests tried, server errors, acknowledgements
/// lost, failed campaign steps closed and sends paced across campaigns. Tests add to it as they go; it is written to TestResults/fault-summary.json after every addition, so the file
/// holds the run's totals whenever the test process ends (xunit 2 has no assembly-level teardown; counts of single
/// requests are written at the next addition or at process exit), and test.sh prints its one-line summary. A test that sees a server error or a lost acknowledgement must also fail on its own: the
/// ledger reports, it does not judge.
/// </summary>
public static class FaultLedger
{
    private static readonly Lock _writeLock = new();
    private static long _crashes;
    private static long _outages;
    private static long _requests;
    private static long _serverErrors;
    private static long _unavailable;
    private static long _acknowledgementsLost;
    private static long _duplicateCreatesPrevented;
    private static long _failedStepsClosed;
    private static long _pacedSends;
    private static long _pacedMaxInAnyMinute;

    static FaultLedger() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Write();

    public static string SummaryPath { get; } = Path.Combine(RepoPaths.Root, "TestResults", "fault-summary.json");

    /// <summary>The runner was killed and the system was shown to be correct afterwards.</summary>
    public static void CrashSurvived() => Add(ref _crashes, 1);

    /// <summary>Storage went away and the system was shown to be correct afterwards.</summary>
    public static void OutageSurvived() => Add(ref _outages, 1);

    /// <summary>Requests a fault test sent and counted itself, with how many answered 5xx (503 counted apart, see <see cref="Observe"/>).</summary>
    public static void RequestsTried(int count, int serverErrors = 0, int unavailable = 0)
    {
        Interlocked.Add(ref _serverErrors, serverErrors);
        Interlocked.Add(ref _unavailable, unavailable);
        Add(ref _requests, count);
    }

    /// <summary>Counts one answer: 503 (storage unreachable, answered fast with Retry-After by design) apart from other 5xx.</summary>
    public static void Observe(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);

        // Per request: counted only; the file is rewritten at the next summary-level addition (or at exit), not thousands of times.
        Interlocked.Increment(ref _requests);
        if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
        {
            Interlocked.Increment(ref _unavailable);
        }
        else if ((int)response.StatusCode >= 500)
        {
            Interlocked.Increment(ref _serverErrors);
        }
    }

    /// <summary>A request that got no answer at all (the runner was being killed): tried, but neither success nor 5xx.</summary>
    public static void Unanswered() => Interlocked.Increment(ref _requests);

    /// <summary>Acknowledgements that were answered 2xx but are missing from the campaign's results.</summary>
    public static void AcknowledgementsLost(int count) => Add(ref _acknowledgementsLost, count);

    /// <summary>Creates sent again with their Idempotency-Key after the first try was saved, answered without a second record.</summary>
    public static void DuplicateCreatesPrevented(int count) => Add(ref _duplicateCreatesPrevented, count);

    /// <summary>A campaign step failed for good, the campaign showed it, and it was then closed or retried to the end.</summary>
    public static void FailedStepClosed() => Add(ref _failedStepsClosed, 1);

    /// <summary>Messages sent under the shared pace by campaigns running together, and the most that arrived in any 60 seconds.</summary>
    public static void PacedSends(int count, int maxInAnyMinute)
    {
        InterlockedMax(ref _pacedMaxInAnyMinute, maxInAnyMinute);
        Add(ref _pacedSends, count);
    }

    /// <summary>Writes the file now, after a test counted single requests with <see cref="Observe"/>.</summary>
    public static void Flush() => Write();

    /// <summary>A handler that counts every answer of a client into the ledger.</summary>
    public static DelegatingHandler Counting(HttpMessageHandler inner) => new CountingHandler(inner);

    /// <summary>The line test.sh prints before its pass/fail count.</summary>
    public static string Line()
    {
        var culture = CultureInfo.InvariantCulture;
        var unavailable = Interlocked.Read(ref _unavailable);
        var designed = unavailable > 0 ? string.Create(culture, $" (besides {unavailable:N0} fast 503s with Retry-After while storage was out of reach)") : string.Empty;
        var parts = new[]
        {
            string.Create(culture, $"{Interlocked.Read(ref _crashes):N0} crashes survived"),
            string.Create(culture, $"{Interlocked.Read(ref _outages):N0} outages survived"),
            string.Create(culture, $"{Interlocked.Read(ref _requests):N0} requests tried"),
            string.Create(culture, $"{Interlocked.Read(ref _serverErrors):N0} 5xx{designed}"),
            string.Create(culture, $"{Interlocked.Read(ref _acknowledgementsLost):N0} acknowledgements lost"),
            string.Create(culture, $"{Interlocked.Read(ref _failedStepsClosed):N0} failed steps closed"),
            string.Create(culture, $"{Interlocked.Read(ref _pacedSends):N0} paced sends (at most {Interlocked.Read(ref _pacedMaxInAnyMinute):N0} in any minute)"),
            string.Create(culture, $"{Interlocked.Read(ref _duplicateCreatesPrevented):N0} duplicate creates prevented"),
        };
        return "faults: " + string.Join(", ", parts);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static void Add(ref long counter, long count)
    {
        Interlocked.Add(ref counter, count);
        Write();
    }

    private static void Write()
    {
        lock (_writeLock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(SummaryPath)!);
            var json = JsonSerializer.Serialize(new
            {
                crashesSurvived = Interlocked.Read(ref _crashes),
                outagesSurvived = Interlocked.Read(ref _outages),
                requestsTried = Interlocked.Read(ref _requests),
                serverErrors = Interlocked.Read(ref _serverErrors),
                serviceUnavailable = Interlocked.Read(ref _unavailable),
                acknowledgementsLost = Interlocked.Read(ref _acknowledgementsLost),
                duplicateCreatesPrevented = Interlocked.Read(ref _duplicateCreatesPrevented),
                failedStepsClosed = Interlocked.Read(ref _failedStepsClosed),
                pacedSends = Interlocked.Read(ref _pacedSends),
                pacedMaxInAnyMinute = Interlocked.Read(ref _pacedMaxInAnyMinute),
                line = Line(),
            }, new JsonSerializerOptions { WriteIndented = true });

            // Written aside and moved, so a reader never sees half a file.
            var temporary = SummaryPath + ".tmp";
            File.WriteAllText(temporary, json);
            File.Move(temporary, SummaryPath, overwrite: true);
        }
    }

    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(request, cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                Unanswered();
                throw;
            }

            Observe(response);
            return response;
        }
    }
}
