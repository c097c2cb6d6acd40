using System.Globalization;
using System.Text;
using PhoneNumbers;

namespace PocDirectory.Demo;

/// <summary>A demo participant: an existing reference participant (or regional organisation) and where its POCs sit.</summary>
/// <param name="Region">ISO 3166 alpha-2 code for phone numbers; null for a regional organisation (no phone country).</param>
/// <param name="Names">The name pool its POCs are drawn from (<see cref="DemoDirectory.NamePools"/>).</param>
public sealed record DemoParticipant(string Code, string? Region, string TimeZone, string[] Languages, string Names);

/// <summary>One demo POC as the API's POST /api/pocs takes it.</summary>
public sealed record DemoPoc(
    string Participant, string Kind, string Rank, string FullName, string Position, string Organisation, string Email,
    string? Phone, string PhoneType, string[] Languages, string TimeZone, bool BusinessHours, bool AcknowledgesPing)
{
    public object Body => new
    {
        participant = Participant,
        kind = Kind,
        rank = Rank,
        fullName = FullName,
        position = Position,
        organisation = Organisation,
        emails = new[] { Email },
        phones = Phone is null ? Array.Empty<object>() : [new { number = Phone, type = PhoneType }],
        languages = Languages,
        timeZone = TimeZone,
        availability = BusinessHours
            ? new { type = "BusinessHours", days = (string[]?)["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"], start = (string?)"09:00", end = (string?)"17:00" }
            : new { type = "TwentyFourSeven", days = (string[]?)null, start = (string?)null, end = (string?)null },
    };
}

/// <summary>
/// The demo's sample directory: 120 of the reference participants, each with a diplomatic and a technical POC (every
/// third with a technical alternate too), in the six UN languages and others, in their own time zones. Everything is
/// drawn from one fixed seed, so every run (and the test) makes the same people.
/// </summary>
public static class DemoDirectory
{
    public const int Seed = 20240509;

    /// <summary>Code, phone region, IANA zone, languages (first is the working one), name pool.</summary>
    public static IReadOnlyList<DemoParticipant> Participants { get; } =
    [
        new("ARG", "AR", "America/Argentina/Buenos_Aires", ["es", "en"], "es"),
        new("AUS", "AU", "Australia/Canberra", ["en"], "en"),
        new("AUT", "AT", "Europe/Vienna", ["de", "en"], "de"),
        new("BEL", "BE", "Europe/Brussels", ["fr", "nl", "en"], "fr"),
        new("BGD", "BD", "Asia/Dhaka", ["bn", "en"], "south-asia"),
        new("BRA", "BR", "America/Sao_Paulo", ["pt", "en", "es"], "pt"),
        new("CAN", "CA", "America/Toronto", ["en", "fr"], "en"),
        new("CHE", "CH", "Europe/Zurich", ["de", "fr", "en"], "de"),
        new("CHL", "CL", "America/Santiago", ["es", "en"], "es"),
        new("CHN", "CN", "Asia/Shanghai", ["zh", "en"], "zh"),
        new("CIV", "CI", "Africa/Abidjan", ["fr"], "west-africa"),
        new("CMR", "CM", "Africa/Douala", ["fr", "en"], "west-africa"),
        new("COL", "CO", "America/Bogota", ["es"], "es"),
        new("CRI", "CR", "America/Costa_Rica", ["es", "en"], "es"),
        new("CZE", "CZ", "Europe/Prague", ["cs", "en"], "central-europe"),
        new("DEU", "DE", "Europe/Berlin", ["de", "en"], "de"),
        new("DNK", "DK", "Europe/Copenhagen", ["da", "en"], "nordic"),
        new("DOM", "DO", "America/Santo_Domingo", ["es"], "es"),
        new("DZA", "DZ", "Africa/Algiers", ["ar", "fr"], "ar"),
        new("ECU", "EC", "America/Guayaquil", ["es"], "es"),
        new("EGY", "EG", "Africa/Cairo", ["ar", "en"], "ar"),
        new("ESP", "ES", "Europe/Madrid", ["es", "en"], "es"),
        new("EST", "EE", "Europe/Tallinn", ["et", "en", "ru"], "nordic"),
        new("ETH", "ET", "Africa/Addis_Ababa", ["am", "en"], "east-africa"),
        new("FIN", "FI", "Europe/Helsinki", ["fi", "sv", "en"], "nordic"),
        new("FJI", "FJ", "Pacific/Fiji", ["en"], "pacific"),
        new("FRA", "FR", "Europe/Paris", ["fr", "en"], "fr"),
        new("GBR", "GB", "Europe/London", ["en"], "en"),
        new("GEO", "GE", "Asia/Tbilisi", ["ka", "en", "ru"], "caucasus"),
        new("GHA", "GH", "Africa/Accra", ["en"], "west-africa"),
        new("GRC", "GR", "Europe/Athens", ["el", "en"], "central-europe"),
        new("GTM", "GT", "America/Guatemala", ["es"], "es"),
        new("HUN", "HU", "Europe/Budapest", ["hu", "en"], "central-europe"),
        new("IDN", "ID", "Asia/Jakarta", ["id", "en"], "southeast-asia"),
        new("IND", "IN", "Asia/Kolkata", ["hi", "en"], "south-asia"),
        new("IRL", "IE", "Europe/Dublin", ["en", "ga"], "en"),
        new("IRN", "IR", "Asia/Tehran", ["fa", "en"], "fa"),
        new("IRQ", "IQ", "Asia/Baghdad", ["ar", "en"], "ar"),
        new("ISL", "IS", "Atlantic/Reykjavik", ["is", "en"], "nordic"),
        new("ISR", "IL", "Asia/Jerusalem", ["he", "en"], "en"),
        new("ITA", "IT", "Europe/Rome", ["it", "en"], "it"),
        new("JAM", "JM", "America/Jamaica", ["en"], "en"),
        new("JOR", "JO", "Asia/Amman", ["ar", "en"], "ar"),
        new("JPN", "JP", "Asia/Tokyo", ["ja", "en"], "ja"),
        new("KAZ", "KZ", "Asia/Almaty", ["kk", "ru", "en"], "ru"),
        new("KEN", "KE", "Africa/Nairobi", ["en", "sw"], "east-africa"),
        new("KGZ", "KG", "Asia/Bishkek", ["ky", "ru"], "ru"),
        new("KOR", "KR", "Asia/Seoul", ["ko", "en"], "ko"),
        new("KWT", "KW", "Asia/Kuwait", ["ar", "en"], "ar"),
        new("LBN", "LB", "Asia/Beirut", ["ar", "fr", "en"], "ar"),
        new("LKA", "LK", "Asia/Colombo", ["si", "ta", "en"], "south-asia"),
        new("LTU", "LT", "Europe/Vilnius", ["lt", "en"], "central-europe"),
        new("LUX", "LU", "Europe/Luxembourg", ["fr", "de", "lb"], "fr"),
        new("LVA", "LV", "Europe/Riga", ["lv", "en", "ru"], "central-europe"),
        new("MAR", "MA", "Africa/Casablanca", ["ar", "fr"], "ar"),
        new("MDA", "MD", "Europe/Chisinau", ["ro", "ru", "en"], "central-europe"),
        new("MEX", "MX", "America/Mexico_City", ["es", "en"], "es"),
        new("MLI", "ML", "Africa/Bamako", ["fr"], "west-africa"),
        new("MLT", "MT", "Europe/Malta", ["mt", "en"], "it"),
        new("MNG", "MN", "Asia/Ulaanbaatar", ["mn", "en", "ru"], "ru"),
        new("MUS", "MU", "Indian/Mauritius", ["en", "fr"], "south-asia"),
        new("MYS", "MY", "Asia/Kuala_Lumpur", ["ms", "en"], "southeast-asia"),
        new("NGA", "NG", "Africa/Lagos", ["en"], "west-africa"),
        new("NLD", "NL", "Europe/Amsterdam", ["nl", "en"], "de"),
        new("NOR", "NO", "Europe/Oslo", ["nb", "en"], "nordic"),
        new("NPL", "NP", "Asia/Kathmandu", ["ne", "en"], "south-asia"),
        new("NZL", "NZ", "Pacific/Auckland", ["en", "mi"], "en"),
        new("OMN", "OM", "Asia/Muscat", ["ar", "en"], "ar"),
        new("PAK", "PK", "Asia/Karachi", ["ur", "en"], "south-asia"),
        new("PAN", "PA", "America/Panama", ["es", "en"], "es"),
        new("PER", "PE", "America/Lima", ["es"], "es"),
        new("PHL", "PH", "Asia/Manila", ["en", "fil"], "southeast-asia"),
        new("POL", "PL", "Europe/Warsaw", ["pl", "en"], "central-europe"),
        new("PRT", "PT", "Europe/Lisbon", ["pt", "en"], "pt"),
        new("PRY", "PY", "America/Asuncion", ["es", "en"], "es"),
        new("QAT", "QA", "Asia/Qatar", ["ar", "en"], "ar"),
        new("ROU", "RO", "Europe/Bucharest", ["ro", "en", "fr"], "central-europe"),
        new("RUS", "RU", "Europe/Moscow", ["ru", "en"], "ru"),
        new("RWA", "RW", "Africa/Kigali", ["rw", "fr", "en"], "east-africa"),
        new("SAU", "SA", "Asia/Riyadh", ["ar", "en"], "ar"),
        new("SEN", "SN", "Africa/Dakar", ["fr", "wo"], "west-africa"),
        new("SGP", "SG", "Asia/Singapore", ["en", "zh", "ms"], "southeast-asia"),
        new("SLV", "SV", "America/El_Salvador", ["es"], "es"),
        new("SRB", "RS", "Europe/Belgrade", ["sr", "en", "ru"], "central-europe"),
        new("SVK", "SK", "Europe/Bratislava", ["sk", "en"], "central-europe"),
        new("SVN", "SI", "Europe/Ljubljana", ["sl", "en"], "central-europe"),
        new("SWE", "SE", "Europe/Stockholm", ["sv", "en"], "nordic"),
        new("THA", "TH", "Asia/Bangkok", ["th", "en"], "southeast-asia"),
        new("TJK", "TJ", "Asia/Dushanbe", ["tg", "ru"], "ru"),
        new("TON", "TO", "Pacific/Tongatapu", ["to", "en"], "pacific"),
        new("TTO", "TT", "America/Port_of_Spain", ["en"], "en"),
        new("TUN", "TN", "Africa/Tunis", ["ar", "fr"], "ar"),
        new("TUR", "TR", "Europe/Istanbul", ["tr", "en"], "tr"),
        new("TZA", "TZ", "Africa/Dar_es_Salaam", ["sw", "en"], "east-africa"),
        new("UGA", "UG", "Africa/Kampala", ["en", "sw"], "east-africa"),
        new("UKR", "UA", "Europe/Kyiv", ["uk", "en"], "ru"),
        new("URY", "UY", "America/Montevideo", ["es", "pt"], "es"),
        new("USA", "US", "America/New_York", ["en", "es"], "en"),
        new("UZB", "UZ", "Asia/Tashkent", ["uz", "ru"], "ru"),
        new("VNM", "VN", "Asia/Ho_Chi_Minh", ["vi", "en"], "southeast-asia"),
        new("VUT", "VU", "Pacific/Efate", ["en", "fr"], "pacific"),
        new("WSM", "WS", "Pacific/Apia", ["en"], "pacific"),
        new("ZAF", "ZA", "Africa/Johannesburg", ["en", "af", "zu"], "east-africa"),
        new("ZMB", "ZM", "Africa/Lusaka", ["en"], "east-africa"),
        new("ZWE", "ZW", "Africa/Harare", ["en", "sn"], "east-africa"),
        new("ARE", "AE", "Asia/Dubai", ["ar", "en"], "ar"),
        new("BRN", "BN", "Asia/Brunei", ["ms", "en"], "southeast-asia"),
        new("CUB", "CU", "America/Havana", ["es"], "es"),
        new("CYP", "CY", "Asia/Nicosia", ["el", "en"], "central-europe"),
        new("HRV", "HR", "Europe/Zagreb", ["hr", "en"], "central-europe"),
        new("KHM", "KH", "Asia/Phnom_Penh", ["km", "en", "fr"], "southeast-asia"),
        new("MDV", "MV", "Indian/Maldives", ["en"], "south-asia"),
        new("NAM", "NA", "Africa/Windhoek", ["en", "de"], "east-africa"),
        new("SYC", "SC", "Indian/Mahe", ["en", "fr"], "east-africa"),
        new("AU", null, "Africa/Addis_Ababa", ["en", "fr", "ar", "pt"], "east-africa"),
        new("EU", null, "Europe/Brussels", ["en", "fr", "de"], "fr"),
        new("OAS", null, "America/New_York", ["es", "en", "pt", "fr"], "es"),
        new("OSCE", null, "Europe/Vienna", ["en", "ru", "fr", "de"], "de"),
        new("ASEAN", null, "Asia/Jakarta", ["en"], "southeast-asia"),
        new("ECOWAS", null, "Africa/Lagos", ["en", "fr", "pt"], "west-africa"),
    ];

    /// <summary>Given names, then family names, of each pool.</summary>
    public static IReadOnlyDictionary<string, (string[] Given, string[] Family)> NamePools { get; } = new Dictionary<string, (string[], string[])>(StringComparer.Ordinal)
    {
        ["en"] = (["Olivia", "James", "Amelia", "William", "Grace", "Thomas", "Hannah", "Daniel"], ["Walker", "Bennett", "Hughes", "Carter", "Mitchell", "Reid", "Thompson", "Clarke"]),
        ["fr"] = (["Camille", "Julien", "Claire", "Mathieu", "Sophie", "Antoine", "Élodie", "Nicolas"], ["Lefèvre", "Moreau", "Dubois", "Girard", "Fontaine", "Rousseau", "Mercier", "Chevalier"]),
        ["es"] = (["Lucía", "Mateo", "Valentina", "Santiago", "Camila", "Diego", "Isabel", "Andrés"], ["García", "Fernández", "Rojas", "Morales", "Castillo", "Vargas", "Herrera", "Navarro"]),
        ["pt"] = (["Beatriz", "João", "Mariana", "Rafael", "Inês", "Tiago", "Larissa", "Gustavo"], ["Silva", "Santos", "Oliveira", "Costa", "Ferreira", "Almeida", "Ribeiro", "Carvalho"]),
        ["ar"] = (["Layla", "Omar", "Fatima", "Khalid", "Noor", "Youssef", "Mariam", "Ahmed"], ["Al-Hashimi", "Haddad", "Mansour", "El-Sayed", "Khoury", "Al-Farsi", "Nasser", "Saleh"]),
        ["ru"] = (["Anna", "Dmitry", "Elena", "Sergei", "Olga", "Alexei", "Natalia", "Ivan"], ["Ivanova", "Petrov", "Smirnova", "Volkov", "Kuznetsova", "Sokolov", "Orlova", "Morozov"]),
        ["zh"] = (["Wei", "Xiaoming", "Li Na", "Jun", "Mei", "Hao", "Yan", "Lei"], ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang"]),
        ["de"] = (["Lena", "Jonas", "Katharina", "Lukas", "Miriam", "Florian", "Anke", "Stefan"], ["Müller", "Schneider", "Becker", "Hoffmann", "Wagner", "Keller", "Vogel", "Brandt"]),
        ["nordic"] = (["Ingrid", "Lars", "Sigrid", "Mikael", "Astrid", "Henrik", "Kaisa", "Jonas"], ["Andersen", "Lindqvist", "Virtanen", "Halvorsen", "Nieminen", "Sigurðsson", "Berg", "Tamm"]),
        ["central-europe"] = (["Katarzyna", "Tomáš", "Ioana", "Marek", "Eszter", "Andrei", "Jana", "Nikola"], ["Nowak", "Horváth", "Popescu", "Kovač", "Novák", "Jankauskas", "Papadopoulou", "Ozoliņš"]),
        ["it"] = (["Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo"], ["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Borg"]),
        ["ja"] = (["Yuki", "Haruto", "Aiko", "Kenji", "Sakura", "Takeshi", "Emi", "Ren"], ["Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Nakamura", "Kobayashi"]),
        ["ko"] = (["Ji-woo", "Min-jun", "Seo-yeon", "Hyun-woo", "Soo-ah", "Joon-ho", "Ha-eun", "Dong-hyun"], ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Yoon", "Han"]),
        ["south-asia"] = (["Priya", "Arjun", "Ayesha", "Rohan", "Nadia", "Imran", "Kavya", "Sanjay"], ["Sharma", "Rahman", "Perera", "Khan", "Patel", "Fernando", "Shrestha", "Iyer"]),
        ["southeast-asia"] = (["Siti", "Ahmad", "Nguyen Thi Lan", "Arif", "Maria", "Somchai", "Dewi", "Rizal"], ["Santoso", "Abdullah", "Tran", "Reyes", "Wongsakul", "Lim", "Hidayat", "Tan"]),
        ["west-africa"] = (["Aminata", "Kwame", "Fatou", "Ibrahim", "Adaeze", "Moussa", "Efua", "Oumar"], ["Diallo", "Mensah", "Traoré", "Okafor", "Ndiaye", "Boateng", "Coulibaly", "Adeyemi"]),
        ["east-africa"] = (["Wanjiru", "Tendai", "Amani", "Tesfaye", "Neema", "Sipho", "Achieng", "Jabari"], ["Otieno", "Moyo", "Mwangi", "Bekele", "Uwimana", "Dlamini", "Kamau", "Banda"]),
        ["fa"] = (["Shirin", "Reza", "Parisa", "Dariush", "Leila", "Kaveh", "Maryam", "Arash"], ["Hosseini", "Rahimi", "Karimi", "Moradi", "Tehrani", "Jafari", "Ahmadi", "Sadeghi"]),
        ["tr"] = (["Elif", "Emre", "Zeynep", "Mehmet", "Ayşe", "Burak", "Selin", "Can"], ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan"]),
        ["caucasus"] = (["Nino", "Giorgi", "Tamar", "Levan", "Ana", "Davit", "Mariam", "Irakli"], ["Beridze", "Kapanadze", "Gelashvili", "Lomidze", "Tsiklauri", "Japaridze", "Abashidze", "Kvaratskhelia"]),
        ["pacific"] = (["Losana", "Sione", "Mere", "Tevita", "Ana", "Semisi", "Litia", "Joji"], ["Tuilagi", "Naivalu", "Fifita", "Vuni", "Tupou", "Leota", "Ratu", "Kaufusi"]),
    };

    private static readonly string[] DiplomaticPositions =
    [
        "Director, International Security and Cyber Affairs", "Cyber Coordinator, Ministry of Foreign Affairs",
        "Counsellor, Disarmament and International Security", "Head of Cyber Diplomacy Unit", "Deputy Director, Multilateral Affairs",
    ];

    private static readonly string[] TechnicalPositions =
    [
        "Head of Incident Response", "Duty Officer Lead, National CSIRT", "Director, National CERT", "Senior Incident Handler",
        "Head of Cyber Threat Intelligence",
    ];

    /// <summary>The demo's POCs, in a fixed order: for each participant its diplomatic, technical and (every third) alternate POC.</summary>
    public static IReadOnlyList<DemoPoc> Pocs { get; } = BuildPocs();

    private static List<DemoPoc> BuildPocs()
    {
        var random = new Random(Seed);
        var phones = PhoneNumberUtil.GetInstance();
        var pocs = new List<DemoPoc>();
        for (var p = 0; p < Participants.Count; p++)
        {
            var participant = Participants[p];
            var (given, family) = NamePools[participant.Names];
            var slots = p % 3 == 0 ? new[] { ("Diplomatic", "Primary"), ("Technical", "Primary"), ("Technical", "Alternate") } : [("Diplomatic", "Primary"), ("Technical", "Primary")];
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (kind, rank) in slots)
            {
                string name;
                do
                {
                    name = $"{given[random.Next(given.Length)]} {family[random.Next(family.Length)]}";
                }
                while (!used.Add(name));

                var diplomatic = kind == "Diplomatic";
                var domain = participant.Region is null ? $"{participant.Code.ToLowerInvariant()}.int.example" : $"{(diplomatic ? "mfa" : "cert")}.{participant.Region.ToLowerInvariant()}.example";
                var positions = diplomatic ? DiplomaticPositions : TechnicalPositions;
                var organisation = participant.Region is null
                    ? $"{participant.Code} Secretariat"
                    : diplomatic ? "Ministry of Foreign Affairs" : "National CERT";

                // Most answer the ping; about one in five does not, and two participants not at all, so the report has gaps to show.
                var silentParticipant = participant.Code is "TON" or "MLI";
                pocs.Add(new DemoPoc(
                    participant.Code, kind, rank, name, positions[random.Next(positions.Length)], organisation,
                    $"{Slug(name)}@{domain}", Phone(phones, participant.Region, diplomatic), diplomatic ? "Office" : "DutyLine",
                    rank == "Alternate" ? [participant.Languages[0]] : participant.Languages, participant.TimeZone,
                    BusinessHours: diplomatic, AcknowledgesPing: !silentParticipant && random.Next(5) != 0));
            }
        }

        return pocs;
    }

    /// <summary>libphonenumber's own example number of the country, so it is valid by the API's rules and clearly made up.</summary>
    private static string? Phone(PhoneNumberUtil phones, string? region, bool office)
    {
        if (region is null)
        {
            return null;
        }

        var number = phones.GetExampleNumberForType(region, office ? PhoneNumberType.FIXED_LINE : PhoneNumberType.MOBILE)
            ?? phones.GetExampleNumber(region);
        return number is null ? null : phones.Format(number, PhoneNumberFormat.E164);
    }

    /// <summary>"Élodie Lefèvre" → "elodie.lefevre": letters without their marks, for a plausible address.</summary>
    public static string Slug(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c is ' ' or '-' && builder.Length > 0 && builder[^1] != '.')
            {
                builder.Append('.');
            }
            else if (c is 'ß')
            {
                builder.Append("ss");
            }
            else if (c is 'ð' or 'Ð')
            {
                builder.Append('d');
            }
            else if (c is 'ı')
            {
                builder.Append('i');
            }
            else if (c is 'ø' or 'Ø')
            {
                builder.Append('o');
            }
        }

        return builder.ToString().Trim('.').ToString(CultureInfo.InvariantCulture);
    }
}
