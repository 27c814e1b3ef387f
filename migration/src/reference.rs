//! Reference data shipped with the schema: Swedish municipalities (kommunkoder),
//! SSYK 2012 occupation unit groups and SNI 2007 industries.
//!
//! Frozen here rather than read from a file so that a migration means the same forever.

/// All 290 municipalities, four-digit kommunkod and name (SCB, valid since 2007).
pub const MUNICIPALITIES: &[(&str, &str)] = &[
    // Stockholms län
    ("0114", "Upplands Väsby"),
    ("0115", "Vallentuna"),
    ("0117", "Österåker"),
    ("0120", "Värmdö"),
    ("0123", "Järfälla"),
    ("0125", "Ekerö"),
    ("0126", "Huddinge"),
    ("0127", "Botkyrka"),
    ("0128", "Salem"),
    ("0136", "Haninge"),
    ("0138", "Tyresö"),
    ("0139", "Upplands-Bro"),
    ("0140", "Nykvarn"),
    ("0160", "Täby"),
    ("0162", "Danderyd"),
    ("0163", "Sollentuna"),
    ("0180", "Stockholm"),
    ("0181", "Södertälje"),
    ("0182", "Nacka"),
    ("0183", "Sundbyberg"),
    ("0184", "Solna"),
    ("0186", "Lidingö"),
    ("0187", "Vaxholm"),
    ("0188", "Norrtälje"),
    ("0191", "Sigtuna"),
    ("0192", "Nynäshamn"),
    // Uppsala län
    ("0305", "Håbo"),
    ("0319", "Älvkarleby"),
    ("0330", "Knivsta"),
    ("0331", "Heby"),
    ("0360", "Tierp"),
    ("0380", "Uppsala"),
    ("0381", "Enköping"),
    ("0382", "Östhammar"),
    // Södermanlands län
    ("0428", "Vingåker"),
    ("0461", "Gnesta"),
    ("0480", "Nyköping"),
    ("0481", "Oxelösund"),
    ("0482", "Flen"),
    ("0483", "Katrineholm"),
    ("0484", "Eskilstuna"),
    ("0486", "Strängnäs"),
    ("0488", "Trosa"),
    // Östergötlands län
    ("0509", "Ödeshög"),
    ("0512", "Ydre"),
    ("0513", "Kinda"),
    ("0560", "Boxholm"),
    ("0561", "Åtvidaberg"),
    ("0562", "Finspång"),
    ("0563", "Valdemarsvik"),
    ("0580", "Linköping"),
    ("0581", "Norrköping"),
    ("0582", "Söderköping"),
    ("0583", "Motala"),
    ("0584", "Vadstena"),
    ("0586", "Mjölby"),
    // Jönköpings län
    ("0604", "Aneby"),
    ("0617", "Gnosjö"),
    ("0642", "Mullsjö"),
    ("0643", "Habo"),
    ("0662", "Gislaved"),
    ("0665", "Vaggeryd"),
    ("0680", "Jönköping"),
    ("0682", "Nässjö"),
    ("0683", "Värnamo"),
    ("0684", "Sävsjö"),
    ("0685", "Vetlanda"),
    ("0686", "Eksjö"),
    ("0687", "Tranås"),
    // Kronobergs län
    ("0760", "Uppvidinge"),
    ("0761", "Lessebo"),
    ("0763", "Tingsryd"),
    ("0764", "Alvesta"),
    ("0765", "Älmhult"),
    ("0767", "Markaryd"),
    ("0780", "Växjö"),
    ("0781", "Ljungby"),
    // Kalmar län
    ("0821", "Högsby"),
    ("0834", "Torsås"),
    ("0840", "Mörbylånga"),
    ("0860", "Hultsfred"),
    ("0861", "Mönsterås"),
    ("0862", "Emmaboda"),
    ("0880", "Kalmar"),
    ("0881", "Nybro"),
    ("0882", "Oskarshamn"),
    ("0883", "Västervik"),
    ("0884", "Vimmerby"),
    ("0885", "Borgholm"),
    // Gotlands län
    ("0980", "Gotland"),
    // Blekinge län
    ("1060", "Olofström"),
    ("1080", "Karlskrona"),
    ("1081", "Ronneby"),
    ("1082", "Karlshamn"),
    ("1083", "Sölvesborg"),
    // Skåne län
    ("1214", "Svalöv"),
    ("1230", "Staffanstorp"),
    ("1231", "Burlöv"),
    ("1233", "Vellinge"),
    ("1256", "Östra Göinge"),
    ("1257", "Örkelljunga"),
    ("1260", "Bjuv"),
    ("1261", "Kävlinge"),
    ("1262", "Lomma"),
    ("1263", "Svedala"),
    ("1264", "Skurup"),
    ("1265", "Sjöbo"),
    ("1266", "Hörby"),
    ("1267", "Höör"),
    ("1270", "Tomelilla"),
    ("1272", "Bromölla"),
    ("1273", "Osby"),
    ("1275", "Perstorp"),
    ("1276", "Klippan"),
    ("1277", "Åstorp"),
    ("1278", "Båstad"),
    ("1280", "Malmö"),
    ("1281", "Lund"),
    ("1282", "Landskrona"),
    ("1283", "Helsingborg"),
    ("1284", "Höganäs"),
    ("1285", "Eslöv"),
    ("1286", "Ystad"),
    ("1287", "Trelleborg"),
    ("1290", "Kristianstad"),
    ("1291", "Simrishamn"),
    ("1292", "Ängelholm"),
    ("1293", "Hässleholm"),
    // Hallands län
    ("1315", "Hylte"),
    ("1380", "Halmstad"),
    ("1381", "Laholm"),
    ("1382", "Falkenberg"),
    ("1383", "Varberg"),
    ("1384", "Kungsbacka"),
    // Västra Götalands län
    ("1401", "Härryda"),
    ("1402", "Partille"),
    ("1407", "Öckerö"),
    ("1415", "Stenungsund"),
    ("1419", "Tjörn"),
    ("1421", "Orust"),
    ("1427", "Sotenäs"),
    ("1430", "Munkedal"),
    ("1435", "Tanum"),
    ("1438", "Dals-Ed"),
    ("1439", "Färgelanda"),
    ("1440", "Ale"),
    ("1441", "Lerum"),
    ("1442", "Vårgårda"),
    ("1443", "Bollebygd"),
    ("1444", "Grästorp"),
    ("1445", "Essunga"),
    ("1446", "Karlsborg"),
    ("1447", "Gullspång"),
    ("1452", "Tranemo"),
    ("1460", "Bengtsfors"),
    ("1461", "Mellerud"),
    ("1462", "Lilla Edet"),
    ("1463", "Mark"),
    ("1465", "Svenljunga"),
    ("1466", "Herrljunga"),
    ("1470", "Vara"),
    ("1471", "Götene"),
    ("1472", "Tibro"),
    ("1473", "Töreboda"),
    ("1480", "Göteborg"),
    ("1481", "Mölndal"),
    ("1482", "Kungälv"),
    ("1484", "Lysekil"),
    ("1485", "Uddevalla"),
    ("1486", "Strömstad"),
    ("1487", "Vänersborg"),
    ("1488", "Trollhättan"),
    ("1489", "Alingsås"),
    ("1490", "Borås"),
    ("1491", "Ulricehamn"),
    ("1492", "Åmål"),
    ("1493", "Mariestad"),
    ("1494", "Lidköping"),
    ("1495", "Skara"),
    ("1496", "Skövde"),
    ("1497", "Hjo"),
    ("1498", "Tidaholm"),
    ("1499", "Falköping"),
    // Värmlands län
    ("1715", "Kil"),
    ("1730", "Eda"),
    ("1737", "Torsby"),
    ("1760", "Storfors"),
    ("1761", "Hammarö"),
    ("1762", "Munkfors"),
    ("1763", "Forshaga"),
    ("1764", "Grums"),
    ("1765", "Årjäng"),
    ("1766", "Sunne"),
    ("1780", "Karlstad"),
    ("1781", "Kristinehamn"),
    ("1782", "Filipstad"),
    ("1783", "Hagfors"),
    ("1784", "Arvika"),
    ("1785", "Säffle"),
    // Örebro län
    ("1814", "Lekeberg"),
    ("1860", "Laxå"),
    ("1861", "Hallsberg"),
    ("1862", "Degerfors"),
    ("1863", "Hällefors"),
    ("1864", "Ljusnarsberg"),
    ("1880", "Örebro"),
    ("1881", "Kumla"),
    ("1882", "Askersund"),
    ("1883", "Karlskoga"),
    ("1884", "Nora"),
    ("1885", "Lindesberg"),
    // Västmanlands län
    ("1904", "Skinnskatteberg"),
    ("1907", "Surahammar"),
    ("1960", "Kungsör"),
    ("1961", "Hallstahammar"),
    ("1962", "Norberg"),
    ("1980", "Västerås"),
    ("1981", "Sala"),
    ("1982", "Fagersta"),
    ("1983", "Köping"),
    ("1984", "Arboga"),
    // Dalarnas län
    ("2021", "Vansbro"),
    ("2023", "Malung-Sälen"),
    ("2026", "Gagnef"),
    ("2029", "Leksand"),
    ("2031", "Rättvik"),
    ("2034", "Orsa"),
    ("2039", "Älvdalen"),
    ("2061", "Smedjebacken"),
    ("2062", "Mora"),
    ("2080", "Falun"),
    ("2081", "Borlänge"),
    ("2082", "Säter"),
    ("2083", "Hedemora"),
    ("2084", "Avesta"),
    ("2085", "Ludvika"),
    // Gävleborgs län
    ("2101", "Ockelbo"),
    ("2104", "Hofors"),
    ("2121", "Ovanåker"),
    ("2132", "Nordanstig"),
    ("2161", "Ljusdal"),
    ("2180", "Gävle"),
    ("2181", "Sandviken"),
    ("2182", "Söderhamn"),
    ("2183", "Bollnäs"),
    ("2184", "Hudiksvall"),
    // Västernorrlands län
    ("2260", "Ånge"),
    ("2262", "Timrå"),
    ("2280", "Härnösand"),
    ("2281", "Sundsvall"),
    ("2282", "Kramfors"),
    ("2283", "Sollefteå"),
    ("2284", "Örnsköldsvik"),
    // Jämtlands län
    ("2303", "Ragunda"),
    ("2305", "Bräcke"),
    ("2309", "Krokom"),
    ("2313", "Strömsund"),
    ("2321", "Åre"),
    ("2326", "Berg"),
    ("2361", "Härjedalen"),
    ("2380", "Östersund"),
    // Västerbottens län
    ("2401", "Nordmaling"),
    ("2403", "Bjurholm"),
    ("2404", "Vindeln"),
    ("2409", "Robertsfors"),
    ("2417", "Norsjö"),
    ("2418", "Malå"),
    ("2421", "Storuman"),
    ("2422", "Sorsele"),
    ("2425", "Dorotea"),
    ("2460", "Vännäs"),
    ("2462", "Vilhelmina"),
    ("2463", "Åsele"),
    ("2480", "Umeå"),
    ("2481", "Lycksele"),
    ("2482", "Skellefteå"),
    // Norrbottens län
    ("2505", "Arvidsjaur"),
    ("2506", "Arjeplog"),
    ("2510", "Jokkmokk"),
    ("2513", "Överkalix"),
    ("2514", "Kalix"),
    ("2518", "Övertorneå"),
    ("2521", "Pajala"),
    ("2523", "Gällivare"),
    ("2560", "Älvsbyn"),
    ("2580", "Luleå"),
    ("2581", "Piteå"),
    ("2582", "Boden"),
    ("2583", "Haparanda"),
    ("2584", "Kiruna"),
];

/// SSYK 2012 unit groups (yrkesgrupper) that local job tracks recruit for:
/// every occupation of the Fyrbodal demand survey, and their neighbours.
pub const OCCUPATIONS: &[(&str, &str)] = &[
    ("2343", "Förskollärare"),
    ("3451", "Köksmästare och souschefer"),
    ("4222", "Kundtjänstpersonal"),
    ("4321", "Arbetsledare inom lager och terminal"),
    ("4322", "Lager- och terminalpersonal"),
    ("4323", "Transportledare och transportsamordnare"),
    ("5120", "Kockar och kallskänkor"),
    ("5131", "Hovmästare och servitörer"),
    ("5132", "Bartendrar"),
    ("5152", "Fastighetsskötare"),
    ("5222", "Butikssäljare, dagligvaror"),
    ("5223", "Butikssäljare, fackhandel"),
    ("5230", "Kassapersonal m.fl."),
    ("5311", "Barnskötare"),
    ("5312", "Elevassistenter m.fl."),
    (
        "5321",
        "Undersköterskor, hemtjänst, hemsjukvård och äldreboende",
    ),
    ("5322", "Undersköterskor, habilitering"),
    ("5323", "Undersköterskor, vård- och specialavdelning"),
    ("5324", "Undersköterskor, mottagning"),
    ("5330", "Vårdbiträden"),
    ("5342", "Vårdare, boendestödjare"),
    ("5343", "Personliga assistenter"),
    ("7111", "Träarbetare, snickare m.fl."),
    ("7112", "Murare m.fl."),
    ("7113", "Betongarbetare"),
    ("7114", "Anläggningsarbetare"),
    ("7119", "Övriga byggnads- och anläggningsarbetare"),
    ("7122", "Golvläggare"),
    ("7125", "VVS-montörer m.fl."),
    ("7131", "Målare"),
    ("7212", "Svetsare och gasskärare"),
    ("7213", "Byggnads- och ventilationsplåtslagare"),
    ("7215", "Stålkonstruktionsmontörer och grovplåtsslagare"),
    ("7223", "Maskinställare och maskinoperatörer, metallarbete"),
    ("7231", "Motorfordonsmekaniker och fordonsreparatörer"),
    ("7233", "Underhållsmekaniker och maskinreparatörer"),
    ("7411", "Installations- och serviceelektriker"),
    ("7412", "Industrielektriker"),
    ("8211", "Fordonsmontörer"),
    ("8213", "Montörer, metall-, gummi- och plastprodukter"),
    ("8332", "Lastbilsförare m.fl."),
    ("8342", "Anläggningsmaskinförare m.fl."),
    ("8344", "Truckförare"),
    ("9111", "Städare"),
    ("9310", "Grovarbetare inom bygg och anläggning"),
    ("9320", "Handpaketerare och andra fabriksarbetare"),
    ("9332", "Ramppersonal, flyttkarlar och varupåfyllare m.fl."),
    ("9411", "Pizzabagare m.fl."),
    ("9412", "Restaurang- och köksbiträden m.fl."),
    ("9413", "Kafé- och konditoribiträden"),
];

/// SNI 2007: all sections (letters) and the divisions (two digits) the
/// local employers of the agreements belong to.
pub const INDUSTRIES: &[(&str, &str)] = &[
    ("A", "Jordbruk, skogsbruk och fiske"),
    ("B", "Utvinning av mineral"),
    ("C", "Tillverkning"),
    ("D", "Försörjning av el, gas, värme och kyla"),
    (
        "E",
        "Vattenförsörjning; avloppsrening, avfallshantering och sanering",
    ),
    ("F", "Byggverksamhet"),
    ("G", "Handel; reparation av motorfordon och motorcyklar"),
    ("H", "Transport och magasinering"),
    ("I", "Hotell- och restaurangverksamhet"),
    ("J", "Informations- och kommunikationsverksamhet"),
    ("K", "Finans- och försäkringsverksamhet"),
    ("L", "Fastighetsverksamhet"),
    (
        "M",
        "Verksamhet inom juridik, ekonomi, vetenskap och teknik",
    ),
    (
        "N",
        "Uthyrning, fastighetsservice, resetjänster och andra stödtjänster",
    ),
    (
        "O",
        "Offentlig förvaltning och försvar; obligatorisk socialförsäkring",
    ),
    ("P", "Utbildning"),
    ("Q", "Vård och omsorg; sociala tjänster"),
    ("R", "Kultur, nöje och fritid"),
    ("S", "Annan serviceverksamhet"),
    (
        "T",
        "Förvärvsarbete i hushåll; hushållens produktion av diverse varor och tjänster för eget bruk",
    ),
    (
        "U",
        "Verksamhet vid internationella organisationer, utländska ambassader o.d.",
    ),
    ("24", "Stål- och metallframställning"),
    (
        "25",
        "Tillverkning av metallvaror utom maskiner och apparater",
    ),
    ("28", "Tillverkning av övriga maskiner"),
    (
        "29",
        "Tillverkning av motorfordon, släpfordon och påhängsvagnar",
    ),
    ("30", "Tillverkning av andra transportmedel"),
    ("41", "Byggande av hus"),
    ("42", "Anläggningsarbeten"),
    ("43", "Specialiserad bygg- och anläggningsverksamhet"),
    (
        "45",
        "Handel med samt reparation av motorfordon och motorcyklar",
    ),
    ("46", "Parti- och provisionshandel utom med motorfordon"),
    ("47", "Detaljhandel utom med motorfordon och motorcyklar"),
    ("49", "Landtransport; transport i rörsystem"),
    ("52", "Magasinering och stödtjänster till transport"),
    ("55", "Hotell- och logiverksamhet"),
    ("56", "Restaurang-, catering- och barverksamhet"),
    ("85", "Utbildning"),
    ("86", "Hälso- och sjukvård"),
    ("87", "Vård och omsorg med boende"),
    ("88", "Öppna sociala insatser"),
];

/// SCB's SSYK 2012 at every level (`level,code,name,parent,jobtech_concept_id`), as
/// shipped in `data/` with its sources. Read by the migration that added it.
pub const SSYK_2012_CSV: &str = include_str!("../data/ssyk2012.csv");

/// SCB's SNI 2007 at every level (`level,code,name,parent`), codes without dots.
pub const SNI_2007_CSV: &str = include_str!("../data/sni2007.csv");

/// The records of a small CSV file with a header line: comma-separated, fields in
/// double quotes where they hold a comma (`""` inside quotes is a quote).
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match (c, quoted) {
                ('"', true) if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                ('"', _) => quoted = !quoted,
                (',', false) => fields.push(std::mem::take(&mut field)),
                _ => field.push(c),
            }
        }
        fields.push(field);
        records.push(fields);
    }
    records
}

/// An SNI 2007 code as Jobtrack stores and shows it: the section letter, the
/// division's two digits, then a dot before the rest (`C`, `25`, `25.6`, `25.62`,
/// `25.620`). `None` for anything that is not of that shape.
pub fn canonical_sni(input: &str) -> Option<String> {
    let trimmed = input.trim();
    if trimmed.len() == 1 && trimmed.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some(trimmed.to_ascii_uppercase());
    }
    let digits: String = trimmed.chars().filter(|c| *c != '.' && *c != ' ').collect();
    let well_formed = (2..=5).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ' ');
    if !well_formed {
        return None;
    }
    let (division, rest) = digits.split_at(2);
    Some(if rest.is_empty() {
        division.to_owned()
    } else {
        format!("{division}.{rest}")
    })
}
