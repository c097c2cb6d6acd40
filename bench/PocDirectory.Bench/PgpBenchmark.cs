using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PocDirectory.TestSupport;

namespace PocDirectory.Bench;

/// <summary>
/// What OpenPGP costs a delivery: the same campaign to N POCs without a key and to N POCs with one (PGP/MIME, signed
/// and encrypted), one after the other on one stack, each timed from its creation to its last ping accepted by SMTP.
/// The extra time per encrypted message is the difference over N; the plain send loop is the same-run baseline.
/// </summary>
public static class PgpBenchmark
{
    /// <returns>Encrypted over clear, and the extra milliseconds per encrypted message.</returns>
    public static async Task<(double Ratio, double ExtraMs)> RunAsync(int pocCount, string backend)
    {
        await using var stack = await BenchStack.StartAsync(backend);
        var (smtp, runner) = (stack.Smtp, stack.Runner);
        using var secretariat = await runner.ClientForAsync(RunnerSettings.Secretariat);
        var key = TestPgpKeys.Generate("Benchmark POC <pgp@bench.example.org>");
        var (warm, _) = await BenchDirectory.CreateAsync(secretariat, 20, parallelism: 8);
        var (plain, _) = await BenchDirectory.CreateAsync(secretariat, pocCount, parallelism: 8);
        var (keyed, _) = await BenchDirectory.CreateAsync(secretariat, pocCount, parallelism: 8, key.PublicKey);

        // A first small campaign warms the runner (JIT, connections) so that neither measured one pays for it.
        await TimeCampaignAsync(secretariat, smtp, warm, 20, "Warm-up");
        var clear = await TimeCampaignAsync(secretariat, smtp, plain, pocCount, "Clear");
        var encrypted = await TimeCampaignAsync(secretariat, smtp, keyed, pocCount, "Encrypted");
        var multipartEncrypted = smtp.Messages.TakeLast(pocCount).Count(m => m.Body is MimeKit.Cryptography.MultipartEncrypted);
        var baseline = await CampaignBenchmark.SmtpBaselineAsync(smtp.Port, pocCount);
        var extra = (encrypted - clear).TotalMilliseconds / pocCount;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"summary: {pocCount} pings ({backend}) in the clear {clear.TotalSeconds:F1} s, encrypted {encrypted.TotalSeconds:F1} s ({multipartEncrypted} multipart/encrypted) = "
            + $"{encrypted / clear:F2} x; extra {extra:F1} ms per encrypted message; plain send loop {baseline.TotalSeconds:F2} s"));
        return (encrypted / clear, extra);
    }

    /// <summary>A campaign to the participant's <paramref name="count"/> POCs, timed to its last ping accepted by SMTP (the subject names the campaign).</summary>
    private static async Task<TimeSpan> TimeCampaignAsync(HttpClient secretariat, TestSmtpServer smtp, string participant, int count, string name)
    {
        var seen = smtp.Messages.Count;
        var clock = Stopwatch.StartNew();
        using var created = await secretariat.PostAsJsonAsync("api/campaigns", new
        {
            name, subject = $"Benchmark {name}", scope = new { participants = new[] { participant } }, responseWindow = "PT30M",
        });
        await BenchDirectory.EnsureOkAsync(created);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        while (smtp.MessagesAfter(seen).Count(m => (m.Subject ?? string.Empty).StartsWith($"Benchmark {name}", StringComparison.Ordinal)) < count)
        {
            await Task.Delay(20);
        }

        var elapsed = clock.Elapsed;
        using var cancelled = await secretariat.PostAsync($"api/campaigns/{id}/cancel", null);
        return elapsed;
    }
}
