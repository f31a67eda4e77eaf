"""The 27 components of chapter 5 of the pilot conditions (DOMAIN.md section 5).

Loaded once by a data migration; afterwards the table is the truth and an
administrator changes it there. Descriptions are abridged from the seeds."""

# code, domain, Estonian name, form, description
COMPONENTS = [
    (
        "B1",
        "base_support",
        "Teenuse planeerimine",
        "I",
        "Terviklik ja järjepidev toetusvajaduse ja selle muutumise hindamine; teenuskomponentide "
        "planeerimine, sh tegevusplaani koostamine koos inimesega, vajadusel kaasates lähedased ja "
        "sidusvaldkonna esindajad; regulaarne toetusvajaduse arvestamine, tegevusplaani ülevaatamine ja "
        "muudatuste planeerimine; teenuse tegevuste kokkuvõte, tulemuste ja mõju hindamine. Komponent ei "
        "sisalda muid teenuse sisutegevusi.",
    ),
    (
        "B2",
        "base_support",
        "Tegevusplaani elluviimise tagamine",
        "I",
        "Tegevusplaani elluviimise terviklik toetamine ja koordineerimine; võrgustikutöö koordineerimine "
        "ja teostamine; inimese nõustamine olemasolevatest abimeetmetest ning seostamine "
        "teenuskomponentide pakkujate, sidusvaldkondade ja KOV teenustega (sh tervishoiuteenustega "
        "sidumine, teavitustöö kogukonnas, kogukonnateenuste kasutamise toetamine, abi rahaliste toetuste "
        "taotlemisel ja eestkoste korraldamisel). Ei ole igapäevaselt inimese kõrval toimetamine.",
    ),
    (
        "B3",
        "base_support",
        "Välise spetsialisti konsultatsioon teenuse planeerimiseks",
        "I",
        "Lisapädevuse kaasamine baastoetuse osutajale teenuse planeerimisel keeruliste juhtumite korral: "
        "konsultatsioon spetsialistilt, kel on rehabilitatsioonispetsialisti pädevus ja/või kogemus väga "
        "spetsiifiliste või keeruliste kliendigruppidega, nt kui inimene keeldub abist madala "
        "haigusteadlikkuse tõttu.",
    ),
    (
        "L01",
        "personal_support",
        "Personaalne toetamine erinevates eluvaldkondades",
        "I",
        "Kõrvalabi, juhendamine ja nõustamine erinevates eluvaldkondades. Personaalne toetamine kriisi "
        "korral: haiguse ägenemisel toetus pere, raviarsti, tööandja ja kogukonnaga suhtlemisel, vajadusel "
        "haiguslehe ja haiglaravi korraldamine; mobiilne kriisiabi / SOS-kontakt.",
    ),
    (
        "L02",
        "family_support",
        "Psühholoogiline nõustamine ja psühhoteraapia perele",
        "IG",
        "Psühholoogiline nõustamine perele stressi ja pingega toimetulekuks, psühhoteraapia, sh teraapia "
        "koos abivajava isikuga; psühholoogiline nõustamine psüühikahäirega vanema alaealistele lastele "
        "ja noortele.",
    ),
    (
        "L03",
        "family_support",
        "Pere nõustamine ja koolitus",
        "IG",
        "Vaimse tervise alane nõustamine ja koolitus perele: info, emotsionaalne ja praktiline toetus, "
        "juhendamine haiguse ja sellest tulenevate piirangute mõistmiseks, sobiva toe pakkumiseks ja "
        "kriisiolukorras käitumiseks.",
    ),
    (
        "L04",
        "family_support",
        "Kogemusnõustamine perele",
        "IG",
        "Kogemusnõustamine perele sarnase kogemusega perede või taastujast kogemusnõustaja poolt; "
        "tugigrupp ja eneseabigrupp perele.",
    ),
    (
        "L05",
        "family_support",
        "Intervallhoid",
        "IG",
        "Ajutise hoiu teenus kodus või teenuseosutaja juures, eesmärgiga võimaldada lähedastele puhkust.",
    ),
    (
        "L06",
        "social_relations",
        "Sotsiaalsete suhete toetamine",
        "IG",
        "Sotsiaalsete suhete soodustamine, loomine ja säilitamine: suhete taastamine lähedaste ja "
        "alaealiste lastega, sõprussuhted ja ärakasutamise ennetamine, turvalised seksuaal- ja "
        "paarisuhted, toetus ja nõustamine lapsevanemaks olemisel.",
    ),
    (
        "L07",
        "mental_health",
        "Taastumise ja haigusega toimetuleku toetamine",
        "IG",
        "Vaimse tervise alane info ja nõustamine; raviarstiga koostöös ravi ja taastumistegevuste "
        "planeerimine, ohumärkide plaan ja kriisikaart; toetus haiguse, sümptomite ja ravimitega "
        "toimetulekuks; taastumiskursus; kognitiivne remediatsioon, loov- ja tegevusteraapia.",
    ),
    (
        "L08",
        "mental_health",
        "Vaimse ja motoorse võimekuse arendamine ja säilitamine",
        "IG",
        "Teraapiad vaimse ja motoorse tervise säilitamiseks ja arendamiseks (loovteraapiad, "
        "tegevusteraapia, eri- ja sotsiaalpedagoogi, logopeedi nõustamine, sensoorne toetamine, "
        "füsioteraapia, hipoteraapia jms); alternatiivkommunikatsiooni vahendite planeerimine ja "
        "kasutama õppimine.",
    ),
    (
        "L09",
        "mental_health",
        "Psühholoogiline nõustamine ja psühhoteraapia",
        "IG",
        "Nõustamine ja psühhoteraapia personaalse identiteedi tugevdamiseks, jõustamiseks, taastumisloo "
        "läbitöötamiseks ning stressi, emotsioonide ja negatiivsete mõtetega toimetulekuks.",
    ),
    (
        "L10",
        "mental_health",
        "Kogemusnõustamine",
        "IG",
        "Sarnase kogemusega inimeste vaheline teadmiste- ja kogemustevahetus ning nõustamine; tugi- ja "
        "eneseabigrupid haiguse ja sümptomitega toimetulekuks (nt depressioon, sõltuvus, häälte "
        "kuulmine).",
    ),
    (
        "L11",
        "mental_health",
        "Riski- ja probleemse käitumise juhtimine",
        "I",
        "Riskikäitumise hindamine ja juhtimine, ohumärkide plaan ja kriisikaart; probleemse käitumise "
        "juhtimine ja käitumiseksperdi nõustamine; ettevalmistus kriisiolukorraks; personaalne sekkumine "
        "abist keelduvate inimeste puhul kontakti loomiseks; mobiilne kriisiabi / SOS-kontakt.",
    ),
    (
        "L12",
        "physical_health",
        "Füüsilise tervise alane nõustamine ja toetus",
        "IG",
        "Füüsilise tervise eest hoolitsemise toetamine, nõustamine ja motiveerimine tervislike eluviiside "
        "tagamiseks; perearsti ja teiste arstidega kontakti loomine ja hoidmine.",
    ),
    (
        "L13",
        "physical_health",
        "Füüsilise aktiivsuse toetamine",
        "IG",
        "Sportimis- ja liikumisvõimaluste tagamine individuaalseks liikumiseks, treeninguks ja "
        "rühmatreeninguteks.",
    ),
    (
        "L14",
        "physical_health",
        "Teraapiad füüsilise tervise toetamiseks",
        "IG",
        "Füsioteraapia jm teraapiad füüsilise tervise toetamiseks.",
    ),
    (
        "L15",
        "physical_health",
        "Liikumine eluruumides",
        "I",
        "Siirdumise toetamine elukeskkonnas: abivahendid ja vahetu füüsiline aitamine, kõrvalabi, "
        "juhendamine.",
    ),
    (
        "L16",
        "physical_health",
        "Liikumine väljaspool eluruume",
        "I",
        "Transpordi kasutamise toetamine: transpordi ja liikumisteede planeerimine ja harjutamine, toetus "
        "(ühis)transpordi kasutamisel.",
    ),
    (
        "L17",
        "occupation",
        "Töötamise toetamine",
        "IG",
        "Igakülgne toetus töö leidmiseks, saamiseks ja säilitamiseks: töövõime ja -oskuste hindamine, "
        "karjäärinõustamine, töö leidmine, töötingimuste kohaldamine ja suhtlemine tööandjaga.",
    ),
    (
        "L18",
        "occupation",
        "Töö- või rakendustegevuse toetamine spetsiaalselt kohandatud keskkonnas",
        "G",
        "Võimetekohane töö turvalises ja kohandatud keskkonnas jõukohases tempos, juhendamise, nõustamise "
        "ja abiga, teenusepakkuja juures või kohandatud töökeskkonnas avatud tööturul; rakendus "
        "tegevuskeskuses.",
    ),
    (
        "L19",
        "occupation",
        "Õppimise toetamine",
        "I",
        "Toetus õpivõimaluste leidmisel, õpingute alustamisel ja säilitamisel; õppimistingimuste "
        "kohaldamine; vajadusel hariduse tugiteenuste korraldamine.",
    ),
    (
        "L20",
        "occupation",
        "Rakendus kogukonnas",
        "I",
        "Vabatahtliku töö võimaluste leidmine vm võimaluste loomine kogukonda panustamiseks; "
        "juhendamine või abistamine rakendusel kogukonnas.",
    ),
    (
        "L21",
        "leisure",
        "Vaba aja ja huvitegevuse toetamine",
        "IG",
        "Vaba aja sisustamine, huvitegevuse leidmine ja säilitamine, puhkuse ja hõive tasakaal; "
        "huviringides osalemine tegevuskeskuses või kogukonnas; individuaalse huvitegevuse toetamine.",
    ),
    (
        "L22",
        "housing",
        "Toetus elukoha vahetusel",
        "I",
        "Sobivama elamispinna korraldamine ja nõustamine; kolimis- ja üleminekuplaan; praktiline abi "
        "kolimisel; uue elukeskkonna ja kogukonnaga tutvumine.",
    ),
    (
        "L23",
        "daily_living",
        "Igapäevaelu toetamine",
        "IG",
        "Toetus vastavalt vajadusele ja võimekusele (meeldetuletus, juhendamine, toetus, hooldus): "
        "söömine ja söögitegemine, enese eest hoolitsemine, majapidamistoimingud, rahadega toimetulek ja "
        "võlanõustamine, asjaajamine.",
    ),
    (
        "L24",
        "daily_living",
        "Ettevalmistus iseseisvumiseks",
        "IG",
        "Iseseisvuskursus iseseisvaks eluks vajalike oskuste arendamiseks; iseseisva elu harjutamine "
        "ajutisel elamispinnal; kohanemise toetamine teenuste ja teenusepakkujate vahetusel.",
    ),
]


def load(component_model) -> None:
    """Create or update the catalogue rows; ``component_model`` may be a migration's historical model."""
    for order, (code, domain, name, form, description) in enumerate(COMPONENTS, start=1):
        component_model.objects.update_or_create(
            code=code,
            defaults={
                "domain": domain,
                "name": name,
                "form": form,
                "description": description,
                "is_base_support": domain == "base_support",
                "order": order,
            },
        )
