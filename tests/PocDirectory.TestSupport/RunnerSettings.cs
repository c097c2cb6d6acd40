using System.Globalization;
using System.Security.Cryptography;

namespace PocDirectory.TestSupport;

/// <summary>The local runner's settings for tests and benchmarks: every required setting, fresh random keys, short windows.</summary>
public static class RunnerSettings
{
    public const string Secretariat = "secretariat@example.org";

    /// <summary>The directory's OpenPGP key for this test process: made once (RSA generation takes a moment), never written to disk.</summary>
    public static readonly Lazy<string> SigningKey = new(() => TestPgpKeys.Generate("POC Directory tests <pgp@poc-directory.test>").SecretKey);

    public static Dictionary<string, string?> For(Azurite azurite, int smtpPort) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Auth:Audience"] = "api://poc-directory-tests",
        ["Auth:DevSigningKey"] = LocalRunner.NewDevSigningKey(),
        ["Auth:BootstrapSecretariat"] = Secretariat,
        ["Email:Provider"] = "Smtp",
        ["Email:SenderAddress"] = "pings@poc-directory.test",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
        ["Campaigns:AcknowledgementKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Campaigns:MinimumResponseWindow"] = "00:00:05",
        ["Campaigns:MinimumScheduleInterval"] = "00:00:04",
        ["Campaigns:SendBatchSize"] = "10",
        ["Campaigns:FirstRetryDelay"] = "00:00:01",
        ["Campaigns:SendAttempts"] = "3",
        ["CampaignSchedulerSchedule"] = "*/2 * * * * *",
        ["CoverageSnapshotSchedule"] = "0 5 0 * * *",
        ["PgpExpiryNoticeSchedule"] = "*/3 * * * * *",
        ["Pgp:SigningKey"] = SigningKey.Value,

        // Tests create thousands of records from one user; the limits have a test of their own.
        ["RateLimits:AnonymousPerMinute"] = "1000000",
        ["RateLimits:WritesPerMinute"] = "1000000",

        // Several runners share two cores in a test run. The in-memory Durable backend runs at most ProcessorCount
        // activities at once, so each runner is told of 64 to let campaigns fan out. (The runner runs the workstation GC,
        // as the worker does in Azure, so 64 "processors" do not mean 64 GC heaps.)
        [ProcessorCountVariable] = "64",
    };

    /// <summary>Environment variables of the .NET runtime (no ':' in them, so they pass to the runner as they are).</summary>
    public const string ProcessorCountVariable = "DOTNET_PROCESSOR_COUNT";

    /// <summary>A second runner on the same storage must not pick up the first one's scheduled campaigns.</summary>
    public static Dictionary<string, string?> Isolated(this Dictionary<string, string?> settings)
    {
        settings["Runner:Durable:Backend"] = "InMemory";
        settings["CampaignSchedulerSchedule"] = "0 0 0 1 1 *";
        return settings;
    }
}
