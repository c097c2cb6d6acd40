using System.Globalization;
using System.Text;
using PocDirectory.Functions.Participants;
using PocDirectory.Functions.Pocs;
using PocDirectory.Functions.Security;

namespace PocDirectory.Functions.Export;

public sealed record DirectoryExport(DateTimeOffset ExportedAt, IReadOnlyList<Participant> Participants, IReadOnlyList<Poc> Pocs);

/// <summary>The whole directory for the Secretariat, as JSON or as a spreadsheet-safe CSV.</summary>
public sealed class ExportService(ParticipantStore participants, PocStore pocs, TimeProvider time)
{
    public async Task<DirectoryExport> ExportAsync(Caller caller, CancellationToken cancellationToken)
    {
        caller.RequireSecretariat();
        var allParticipants = (await participants.ListAsync(cancellationToken)).OrderBy(p => p.Code, StringComparer.Ordinal).ToList();
        var allPocs = new List<Poc>();
        await foreach (var poc in pocs.AllAsync(null, cancellationToken))
        {
            allPocs.Add(poc);
        }

        return new DirectoryExport(time.GetUtcNow(), allParticipants, allPocs);
    }

    public static string ToCsv(DirectoryExport export)
    {
        var names = export.Participants.ToDictionary(p => p.Code, StringComparer.Ordinal);
        string?[] header =
        [
            "participant", "participantName", "region", "id", "kind", "rank", "status", "fullName", "position", "organisation",
            "emails", "phones", "languages", "timeZone", "availability", "pgpFingerprint", "pgpExpiresAt", "lastConfirmedAt",
        ];
        return SpreadsheetCsv.Write(export.Pocs.Select(poc =>
        {
            names.TryGetValue(poc.Participant, out var participant);
            return new[]
            {
                poc.Participant, participant?.Name, participant?.Region?.ToString(), poc.Id, poc.Kind.ToString(), poc.Rank.ToString(),
                poc.Status.ToString(), poc.FullName, poc.Position, poc.Organisation, string.Join("; ", poc.Emails),
                string.Join("; ", poc.Phones.Select(p => $"{p.Type}: {p.Number}")), string.Join("; ", poc.Languages), poc.TimeZone,
                Describe(poc.Availability), poc.PgpFingerprint, poc.PgpExpiresAt?.ToString("O", CultureInfo.InvariantCulture),
                poc.LastConfirmedAt.ToString("O", CultureInfo.InvariantCulture),
            };
        }).Prepend(header));
    }

    private static string Describe(Availability availability) => availability.Type == AvailabilityType.TwentyFourSeven
        ? "24/7"
        : new StringBuilder()
            .Append(string.Join(",", (availability.Days ?? []).Select(d => d.ToString()[..3])))
            .Append(' ').Append(availability.Start).Append('-').Append(availability.End)
            .ToString();
}
