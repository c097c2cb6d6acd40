namespace PocDirectory.BrowserTests;

/// <summary>
/// A few POCs of real States, loaded once per run, so the pages (and their screenshots) show what the directory looks
/// like in use. People and numbers are invented. Only the report test pings them.
/// </summary>
public static class SampleData
{
    public static readonly string[] States = ["SGP", "CHE", "KEN", "BRA", "EST", "JPN"];

    public static readonly IReadOnlyList<(string Participant, string Kind, string Name, string Position, string Organisation, string Email, string Phone, string TimeZone, string[] Languages)> Pocs =
    [
        ("SGP", "Technical", "Lim Wei Ling", "Head, Incident Response", "Cyber Security Agency", "lim.weiling@sg.example.org", "+6561234567", "Asia/Singapore", ["en", "zh"]),
        ("SGP", "Diplomatic", "Tan Boon Kiat", "Deputy Director, International Cyber Policy", "Ministry of Foreign Affairs", "tan.boonkiat@sg.example.org", "+6563798000", "Asia/Singapore", ["en"]),
        ("CHE", "Technical", "Anna Müller", "Duty Officer", "National Cyber Security Centre", "anna.mueller@ch.example.org", "+41227917000", "Europe/Zurich", ["de", "fr", "en"]),
        ("CHE", "Diplomatic", "Luca Rossi", "Diplomatic Officer", "Federal Department of Foreign Affairs", "luca.rossi@ch.example.org", "+41313222111", "Europe/Zurich", ["fr", "it", "en"]),
        ("KEN", "Technical", "Wanjiru Kamau", "Lead Analyst", "National KE-CIRT/CC", "wanjiru.kamau@ke.example.org", "+254202222222", "Africa/Nairobi", ["en", "sw"]),
        ("BRA", "Diplomatic", "João Pereira", "Counsellor, Cyber Diplomacy", "Ministry of Foreign Affairs", "joao.pereira@br.example.org", "+556134111111", "America/Sao_Paulo", ["pt", "es", "en"]),
        ("EST", "Technical", "Kadri Tamm", "Head of CERT-EE", "Information System Authority", "kadri.tamm@ee.example.org", "+3726317000", "Europe/Tallinn", ["et", "en", "ru"]),
        ("JPN", "Technical", "Sato Haruki", "Senior Coordinator", "National Center of Incident Readiness", "sato.haruki@jp.example.org", "+81335813111", "Asia/Tokyo", ["ja", "en"]),
    ];

    public static async Task LoadAsync(DirectoryApi api)
    {
        foreach (var poc in Pocs)
        {
            await api.CreatePocAsync(BrowserTests.Pocs.Body(poc.Participant, poc.Name, poc.Email, poc.Kind, poc.Organisation, poc.Position, poc.Phone, poc.TimeZone, poc.Languages));
        }
    }
}
