"""Finding and removing personal data in what people type, before anything is public.

Anonymous and children's messages must not carry a way to find someone: e-mail addresses
(also written ``anna at gmail dot com``), phone numbers (also with invisible characters or in
words), street addresses, flats and named buildings, postcodes, social-media handles, schools
someone attends, and names where the text says whose they are — after family and naming
words in English, German, French and Spanish ("my kids Tom and Lily", "meine Tochter Anna",
"ma fille Chloé", "mi hija Lucía", "ich heiße Max"), in lower case too.

Matching runs on a normalised copy (NFKC, so ``＠`` is ``@``; zero-width and direction
characters removed) and every find is mapped back onto the writer's own text, which is
otherwise kept as typed. Each find is replaced by a bracketed word saying what was there.

Whether a lower-case word after a family word is a name is answered by a first-name list of
about 45,000 names from 50 countries (the ``gender-guesser`` package's data, in its wheel; no
network), minus the ordinary words in ``_ORDINARY``. A street named without a house number
("the swings by Oak Lane") is a place reference and is kept, unless the writer says they live
there. ``leftovers`` points a moderator at what redaction may have missed.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from dataclasses import dataclass

from geo.i18n import t

# Invisible characters that split a pattern without showing: zero-width space/joiners, word
# joiner, BOM, soft hyphen, Mongolian vowel separator and the bidirectional controls.
_INVISIBLE = dict.fromkeys(
    [
        0x200B,
        0x200C,
        0x200D,
        0x2060,
        0xFEFF,
        0x00AD,
        0x180E,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
)

# Words that are never a name, in the four languages: function words, common verbs and
# adjectives that follow "my son …" or "I am …", family words themselves, days and months,
# and words for places. Several are also first names somewhere (May, Will, Mark, Hope, Can).
_ORDINARY = set(
    """
    a an the and or but nor so to of in on at by for from with without about as is are was
    were be been being am has have had do does did can could will would shall should may might
    must not no yes very too also really just only still even ever never always often again
    here there this that these those it its it's he she they we you i me him her them us my
    your his our their mine who whom which what when where why how all any some many much more
    most few lot lots every each both either one two three four five six seven eight nine ten
    eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty first
    last next other another new old big little small young older younger oldest youngest
    happy sad scared afraid worried sure glad sorry tired sick ill disabled autistic blind deaf
    going coming playing writing asking loves love likes like hates wants want needs need goes
    go went plays play says said thinks think feels feel gets got uses use cannot can't won't
    doesn't isn't wasn't didn't hasn't haven't fell falls cried cries broke hurt nearly almost
    always sometimes usually now then later today tomorrow yesterday tonight soon please thanks
    thank hi hello hey dear ok okay because if while until after before since though although
    age aged years year yrs months old who's that's there's here's let let's i'm i'd i'll i've
    we're they're you're we've j'ai j'aime j'habite c'est qu'il qu'elle
    son sons daughter daughters kid kids child children boy boys girl girls baby babies toddler
    brother brothers sister sisters twin twins friend friends mate mates cousin cousins niece
    nephew grandson granddaughter grandchildren grandkids mum mom mummy mommy dad daddy mother
    father parents parent wife husband partner neighbour neighbor neighbours teacher nan nana
    gran granny grandma grandad grandpa aunt auntie uncle family carer
    monday tuesday wednesday thursday friday saturday sunday january february march april june
    july august september october november december summer winter spring autumn weekend
    park playground garden road street lane school council gate slide swing swings bench path
    field pitch court green wood woods river pond estate centre center library church shop
    und oder aber nicht kein keine sehr auch noch schon immer nie ja nein ist sind war waren bin
    bist hat haben hatte der die das den dem des ein eine einen einem einer mein meine meinen
    meinem meiner dein deine sein seine ihr ihre unser unsere wir ich du er sie es mich mir
    dich uns euch hier da dort wenn weil dass als wie wo was wer mit ohne von vom zu zum zur
    bei beim für auf aus an am im in um über unter nach vor seit jahre jahren alt klein kleine
    kleiner kleinen groß große großer großen ältere älterer jüngere jüngerer spielt spielen
    geht gehen mag möchte will kann muss hat heute morgen gestern jetzt bitte danke hallo
    sohn tochter kind kinder junge mädchen bruder brüder schwester schwestern freund freundin
    freunde cousine enkel enkelin mama papa mutter vater oma opa nachbar nachbarin lehrer
    lehrerin
    et ou mais ne pas plus très aussi encore déjà toujours jamais oui non est sont était suis
    es sommes êtes ont avons avez a le la les un une des du de au aux ce cette ces mon ma mes
    ton ta tes son sa ses notre nos votre vos leur leurs je tu il elle on nous vous ils elles
    moi toi lui eux ici là quand parce que qui quoi où comment avec sans pour par sur sous dans
    chez ans an petit petite petits petites grand grande grands grandes aime adore veut peut
    joue jouent va vont fait merci bonjour salut
    fils fille filles enfant enfants garçon frère frères sœur soeur sœurs soeurs ami amie amis
    copain copine cousin cousine neveu nièce maman papa mère père mamie papi voisin voisine
    maître maîtresse
    y o pero ni muy también todavía ya siempre nunca sí no es son era soy eres somos está
    están el la los las un una unos unas del al lo mi mis tu tus su sus nuestro nuestra
    nuestros nuestras yo él ella nosotros ellos ellas me te se le les aquí allí cuando porque
    que quien qué donde dónde como con sin para por sobre en entre años año pequeño pequeña
    mayor menor quiere quieren puede juega juegan va van gracias hola
    hijo hija hijos hijas niño niña niños niñas hermano hermana hermanos hermanas hermanito
    hermanita amigo amiga amigos amigas primo prima primos nieto nieta sobrino sobrina mamá
    papá madre padre abuela abuelo abuelos vecino vecina profe profesor profesora
    """.split()  # noqa: SIM905 (a word list reads better as prose than as 600 quoted words)
)


# Columns of the gender-guesser data (its Detector.COUNTRIES order): a name is taken when it
# is listed at all in these, or at least "rare" (2 of 13) anywhere except the romanised East
# Asian columns, whose one-syllable names are English words ("Oak", "Sun", "Bo").
_HOME_COLUMNS = {0, 1, 6, 7, 8, 12, 13, 14}  # GB, Ireland, Spain, France, Belgium, DE, AT, CH
_SYLLABLE_COLUMNS = {50, 52, 53, 54}  # China, Japan, Korea, Vietnam


@functools.cache
def first_names() -> frozenset[str]:
    """First names (lower case) from the gender-guesser data (48,000 names, 55 countries,
    shipped in its wheel), less the rarest entries and ordinary words. ``+`` in that file
    joins the parts of a compound name (Marie+Claire)."""
    data = importlib.resources.files("gender_guesser").joinpath("data/nam_dict.txt")
    names: set[str] = set()
    for line in data.read_text(encoding="utf-8").splitlines():
        if not line or line[0] in "#=":
            continue
        counts = line[30:85]
        if not any(
            c != " " and (i in _HOME_COLUMNS or (c != "1" and i not in _SYLLABLE_COLUMNS))
            for i, c in enumerate(counts)
        ):
            continue
        name = line.split()[1].lower()
        names.update({name.replace("+", "-"), *name.split("+")})
    return frozenset(names - _ORDINARY)


@dataclass(frozen=True)
class Redacted:
    """The text fit to publish and what was taken out (shown to the moderator only)."""

    text: str
    found: tuple[tuple[str, str], ...]

    @property
    def changed(self) -> bool:
        return bool(self.found)


# ---------------------------------------------------------------- normalising
def _normalise(text: str) -> tuple[str, str, list[int]]:
    """The text as kept (composed, invisible characters gone), the copy patterns run on
    (NFKC), and for each character of the copy the index of the kept character it came from."""
    kept = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    parts, origin = [], []
    for index, char in enumerate(kept):
        folded = unicodedata.normalize("NFKC", char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return kept, "".join(parts), origin


# ---------------------------------------------------------------- patterns
_AT_WORD = r"(?:at|arroba|arobase|chez|ät)"
_DOT_WORD = r"(?:dot|punkt|point|punto)"
_AT = rf"(?:\s*@\s*|\s*[(\[{{<]\s*{_AT_WORD}\s*[)\]}}>]\s*|\s+{_AT_WORD}\s+)"
_DOT = rf"(?:\s*\.\s*|\s*[(\[{{<]\s*{_DOT_WORD}\s*[)\]}}>]\s*|\s+{_DOT_WORD}\s+)"
_TLD = (
    r"(?:com|org|net|edu|gov|info|biz|io|me|eu|uk|co|ie|de|at|ch|fr|be|es|it|nl|pt|pl|us|ca|"
    r"au|email)"
)
_EMAILS = [
    # Each starts only where a word starts: inside "1-1-1-…" every position would be a start.
    re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # Written out to fool a filter: anna at gmail dot com, anna(at)gmail(dot)com, anna @ gmx. de
    re.compile(
        rf"(?i)(?<![\w+-])[\w+-]+(?:{_DOT}[\w+-]+)*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}{_TLD}\b"
    ),
]
_LINKS = [
    re.compile(r"(?i)\b(?:https?://|www\.)\S+"),
    re.compile(rf"(?i)(?<![\w.-])[\w-]+(?:\.[\w-]+)*\.(?:{_TLD})/\S*"),
]
# A run of digits with the separators people use: +44 7700 900123, 030/1234567, (020) 7946 0958
_PHONE = re.compile(r"(?<![\w])(?:\+|00)?\(?\d[\d\s()./–-]{5,}\d(?!\w)")
_NOT_PHONE = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"  # a date
    r"|(?:19|20)\d\d\s*[–-]\s*(?:19|20)\d\d"  # a range of years
    r"|\d{1,3}(?:[.,]\d{3})+"  # an amount with thousands separators
)
_DIGIT_WORDS = {
    word: digit
    for digit, words in enumerate(
        [
            "zero oh o null zéro cero",
            "one eins un uno",
            "two zwei zwo deux dos",
            "three drei trois tres",
            "four vier quatre cuatro",
            "five fünf cinq cinco",
            "six sechs seis",
            "seven sieben sept siete",
            "eight acht huit ocho",
            "nine neun neuf nueve",
        ]
    )
    for word in words.split()
}
_SPOKEN_NUMBER = re.compile(
    r"(?i)\b(?:(?:double|triple|doppel|doble)[\s-]+)?(?:"
    + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True))
    + r"|\d+)\b(?:[\s,-]+(?:(?:double|triple|doppel|doble)[\s-]+)?(?:"
    + "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True))
    + r"|\d+)\b)+"
)

_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\wà-öø-ÿ'’-]*"
_STREET_EN = (
    r"street|st|road|rd|avenue|ave|lane|ln|close|cl|drive|dr|way|court|ct|crescent|cres|"
    r"place|pl|gardens|gdns|terrace|grove|boulevard|blvd|walk|row|square|sq|mews|hill|rise|"
    r"parade|vale"
)
_STREET_DE = r"straße|strasse|str\.|weg|platz|gasse|allee|ring|damm|ufer|chaussee|steig|pfad"
_STREET_FR = (
    r"rue|avenue|av\.|bd|boulevard|place|chemin|allée|impasse|quai|route|square|cours|passage"
)
_STREET_ES = (
    r"calle|c/|avenida|avda\.?|plaza|pza\.?|paseo|camino|carretera|ctra\.?|ronda|travesía|"
    r"glorieta|via|viale|piazza|corso"
)
_POSTCODE_AFTER = rf"(?:,?\s*\d{{5}}\s+{_CAP})?"
_PLAYGROUND_DE = r"(?:Kinder)?(?:Spiel|Sport|Bolz|Park|Fußball|Basketball|Bus)platz"
_ADDRESSES = [
    # 14 Kiln Lane, 12 High St, 3 Orchard Close
    re.compile(rf"\b\d{{1,4}}[a-zA-Z]?,?\s+(?:{_CAP}\s+){{1,3}}(?i:{_STREET_EN})\b\.?"),
    # Hauptstr. 5, Lindenstraße 12a, Berliner Straße 3, Kerkstraat 3
    re.compile(
        rf"\b(?!{_PLAYGROUND_DE})(?:[A-ZÄÖÜ][\wäöüß-]*(?i:{_STREET_DE}|straat|laan|plein)"
        rf"|{_CAP}\s+(?:Straße|Strasse|Str\.|Weg|Platz|Allee|Ring|Damm))"
        rf"\s*\d{{1,4}}\s?[a-z]?\b(?!\s+[A-ZÄÖÜ][a-zäöüß]){_POSTCODE_AFTER}"
    ),
    # Am Markt 3, An der Kirche 4 (not "Im Park 2 Kinder")
    re.compile(
        rf"\b(?:Am|Im|An der|Auf der|Auf dem|In der|Zum|Zur|Unter den)\s+{_CAP}"
        rf"\s+\d{{1,4}}[a-z]?\b(?!\s+[A-ZÄÖÜ][a-zäöüß]){_POSTCODE_AFTER}"
    ),
    # 5 rue de la Paix, 12 bis, avenue Victor Hugo, 3 bd Voltaire
    re.compile(
        rf"\b\d{{1,4}}(?:\s*(?:bis|ter))?,?\s+(?i:{_STREET_FR})\s+"
        rf"(?:(?i:de|du|des|la|le|l'|l’|d'|d’)\s*)*{_CAP}(?:\s+(?:(?i:de|du|des|la|le)\s+)*{_CAP})*"
        rf"{_POSTCODE_AFTER}"
    ),
    # Calle Mayor 3, C/ del Pez, nº 5, Avda. de la Constitución 12, Via Roma 10
    re.compile(
        rf"(?<!\w)(?i:{_STREET_ES})\s*(?:(?i:de|del|la|las|los|el)\s+)*{_CAP}"
        rf"(?:\s+(?:(?i:de|del|la|las|los|el|y)\s+)*{_CAP}){{0,3}},?\s*"
        r"(?:(?i:n[°.o]|núm\.?|número)\s*)?\d{1,4}[a-z]?\b(?:,?\s*\d{1,2}\s*[o°]\s*[A-Z]?\b)?"
        rf"{_POSTCODE_AFTER}"
    ),
    # flat 3, apt 4B, Wohnung 2, appartement 12, piso 3, 2º B
    re.compile(
        r"(?i)\b(?:flat|apartment|apt|unit|appartement|appart|appt|wohnung|whg|piso|puerta|"
        r"bloque|portal|escalera|esc|bâtiment|bât|block)\.?\s*(?:no\.?|nr\.?|n[º°]|number)?\s*"
        r"\d{1,4}[a-z]?\b"
    ),
    # a Spanish floor: 2º B, 3º izq (º is "o" once normalised)
    re.compile(r"\b\d{1,2}\s*o\s*(?:[A-Z]\b|(?i:izq(?:uierda)?|dcha|derecha|centro)\b)"),
    # Rowan House, Elm Court Mansions, Résidence Les Tilleuls
    re.compile(
        r"\b(?!(?:Tree|Wendy|Play|Council|Town|Community|Club|Dog|Bird|Bat|Light|Ice|Public|"
        r"Green|Open|Coffee|Guild|Meeting|Boat|Toy|Doll|Haunted|Bouncy|The|A|Our|My|Big|Little)"
        rf"\b){_CAP}(?:\s+{_CAP})?\s+(?:House|Lodge|Tower|Towers|Mansions|Cottage|Cottages|"
        r"Flats|Heights|Apartments|Buildings|Block)\b"
    ),
    re.compile(
        rf"\b(?:Résidence|Residencia|Residencial|Edificio|Urbanización)\s+{_CAP}(?:\s+{_CAP}){{0,2}}"
    ),
]
_POSTCODES = [re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")]  # UK
# "I live at 14 Rowan": a house number (or a street) after the writer says they live there.
_LIVES_AT = re.compile(
    r"(?i)\b(?:i|we|they|he|she)(?:'m| am| are|'re)? (?:live|living|lives|staying|stay) "
    r"(?:at|on|in)(?: number)?\s+|\bmy address is\s+|\baddress:\s*|"
    r"\b(?:ich|wir) wohnen?(?: in der| in| am| im| an der| auf der)?\s+|"
    r"\bwohne(?: in der| in| am| im)?\s+|"
    r"\bmeine adresse (?:ist|lautet):?\s+|\bj['’]habite(?: au| à| à la| dans la| dans le| rue)?\s+|"
    r"\bnous habitons(?: au| à)?\s+|\bmon adresse (?:est|c['’]est):?\s+|"
    r"\bviv(?:o|imos|e) en(?: la| el)?\s+|\bmi (?:dirección|casa) (?:es|está en):?\s+"
)
_STREET_WORD = re.compile(
    rf"(?i)^(?:{_STREET_EN}|{_STREET_FR}|{_STREET_ES})$|(?i:{_STREET_DE}|straat|laan)$"
)

_SCHOOL_EN = re.compile(
    r"\b(?i:from|at|go to|goes to|going to|went to|attend|attends|in)\s+"
    rf"(?P<school>(?:St\.?\s+)?{_CAP}(?:\s+{_CAP}){{0,3}}"
    r"(?:'s)?\s+(?i:primary|secondary|junior|infant|high|grammar|middle)?\s*"
    r"(?i:school|academy|college|primary))"
)
_SCHOOL_OTHER = re.compile(
    r"(?i:\b(?:école|ecole|collège|lycée|colegio|instituto|escuela|ceip|ies|cole|"
    r"grundschule|gymnasium|realschule|gesamtschule|oberschule|schule)\s+)"
    rf"(?:(?i:am|an der|de|du|des|la|le|del|san|santa|sainte|saint)\s+)*{_CAP}"
    rf"(?:[\s-]+{_CAP}){{0,2}}"
    rf"|\b{_CAP}-(?:Gymnasium|Grundschule|Realschule|Gesamtschule|Schule|Oberschule)\b"
)

_PLATFORMS = (
    r"insta|instagram|ig|snap|snapchat|tik\s?tok|twitter|discord|facebook|fb|telegram|"
    r"roblox|youtube|twitch|bluesky|bsky|threads|whatsapp"
)
_HANDLES = [
    re.compile(r"(?<![\w@.])@(?=[\w.]*[A-Za-z])[\w](?:[\w.]{0,28}\w)?"),
    re.compile(
        rf"(?i)\b(?:{_PLATFORMS})(?:\s+(?:handle|name|username|user|account|id|tag))?"
        r"(?:\s*(?P<said>is|:|=|-|–|->|ist|es|est|c['’]est|@)\s*|\s+)@?(?P<handle>[\w.]{2,30})"
    ),
]

# ---------------------------------------------------------------- names
_FAMILY = (
    r"son|sons|daughter|daughters|kid|kids|child|children|boy|boys|girl|girls|baby|toddler|"
    r"brother|brothers|sister|sisters|twins?|friends?|best friend|mates?|cousins?|niece|nephew|"
    r"grandson|granddaughter|grandchildren|grandkids|youngest|eldest|oldest|"
    r"step-?(?:son|daughter|dad|mum|mom|mother|father|brother|sister)|"
    r"mum|mom|mummy|dad|daddy|mother|father|nan|nana|gran|granny|grandma|grandad|grandpa|aunt|"
    r"auntie|uncle|wife|husband|partner|neighbou?rs?|bro|bros|sis|bestie|bff|childminder|"
    r"nanny|babysitter|carer|"
    r"fils|fille|filles|enfants?|garçons?|frères?|s(?:œ|oe)urs?|amie?s?|copains?|copines?|"
    r"cousine?s?|neveu|nièce|petit-fils|petite-fille|maman|papa|mamie|papi|mère|père|tante|"
    r"oncle|femme|mari|voisine?s?|"
    r"hij[oa]s?|niñ[oa]s?|herman(?:o|a|os|as|ito|ita)|amig[oa]s?|prim[oa]s?|niet[oa]s?|"
    r"sobrin[oa]s?|pequeñ[oa]s?|mamá|papá|madre|padre|abuel[oa]s?|tí[oa]|marido|vecin[oa]s?"
)
_FAMILY_DE = (
    r"Sohn|Tochter|Kind|Kinder|Junge|Mädchen|Bruder|Brüder|Schwester|Schwestern|Freund|"
    r"Freundin|Freunde|Cousin|Cousine|Enkel|Enkelin|Enkelkinder|Zwillinge|Kleine[rn]?|Mama|"
    r"Papa|Mutter|Vater|Oma|Opa|Tante|Onkel|Frau|Mann|Nachbar|Nachbarin|Nichte|Neffe|Enkelsohn|"
    r"Enkeltochter|Kumpel"
)
_ADJECTIVE = (
    r"little|big|older|younger|eldest|oldest|youngest|baby|twin|step|best|two|three|"
    r"petite?s?|grande?s?|aînée?|cadette?|plus jeune|meilleure?s?|"
    r"pequeñ[oa]|mayor|menor|"
    r"kleine[rn]?|große[rn]?|ältere[rn]?|jüngere[rn]?|beste[rn]?|zwei|drei"
)
_OWNER = r"my|our|his|her|their|mon|ma|mes|notre|nos|son|sa|ses|mi|mis|nuestr[oa]s?|su|sus"
_OWNER_DE = r"mein|meine|meinen|meinem|meiner|unser|unsere|unseren|unserem|sein|seine|ihr|ihre"
_CONNECT = (
    r"(?:\s*['’]s\s+names?\s+(?:is|are|'s)\s+|\s+(?:is|are)\s+called\s+|\s+called\s+|"
    r"\s+named\s+|\s+qui\s+s['’]appelle(?:nt)?\s+|\s+s['’]appelle(?:nt)?\s+|\s+nommée?s?\s+|"
    r"\s+appelée?s?\s+|\s+(?:que\s+)?se\s+llaman?\s+|\s+llamad[oa]s?\s+|\s+(?:is|are|est|sont|es|son)\s+|"
    r"\s*[,:(–—-]\s*|\s+)"
)
_CONNECT_DE = r"(?:\s+(?:heißt|heisst|heißen|heissen|namens|ist|sind)\s+|\s*[,:(–—-]\s*|\s+)"
_CUES: list[tuple[re.Pattern[str], str]] = [
    # strong: what follows is a name, whatever its case
    (
        re.compile(
            r"(?i)\b(?:my name is|my name's|my names|my name:|name:|i am called|i'm called|"
            r"im called|call me|(?:he|she|they)(?:'s|'re| is| are) called|"
            r"(?:his|her|their) names? (?:is|are)|je m['’ ]?appelle|j['’]?m['’ ]?appelle|"
            r"(?:il|elle) s['’]appelle|(?:ils|elles) s['’]appellent|"
            r"mon nom est|moi c['’]est|ich heiße|ich heisse|(?:er|sie) heißt|(?:er|sie) heisst|"
            r"mein name ist|me llamo|(?:él|ella)? ?se llama|mi nombre es|mi chiamo|ik heet)\s+"
        ),
        "strong",
    ),
    # family words (owner, adjectives, the word, a connector)
    (
        re.compile(
            rf"(?i)\b(?:{_OWNER})\s+(?:(?:{_ADJECTIVE})\s+){{0,2}}(?:{_FAMILY})"
            rf"(?:\s+(?:{_ADJECTIVE}))?{_CONNECT}"
        ),
        "family",
    ),
    # German nouns are capitalised: the name must be on the first-name list
    (
        re.compile(
            rf"(?i)\b(?:{_OWNER_DE})\s+(?:(?:{_ADJECTIVE})\s+){{0,2}}(?:{_FAMILY_DE}){_CONNECT_DE}"
        ),
        "listed",
    ),
    # weak: "I am Tom" but not "I am happy"
    (
        re.compile(
            r"(?i)\b(?:(?:this is|it's|love|greetings|hugs) from|i am|i'm|this is|it's|"
            r"we are the|we're the|je suis|c['’]est|soy)\s+"
        ),
        "weak",
    ),
    # asking someone by name: "message Kerry", "frag Anna", "demandez Marie", "llama a Pedro"
    (
        re.compile(
            r"(?i)\b(?:im|its|ici|aquí|ich bin|hier ist|hier sind|called|named|contact|message|"
            r"ask for|ask|speak to|talk to|"
            r"tell|text|call|ring|phone|email|e-mail|fragt?|fragen sie|kontaktiert?|demandez|"
            r"contactez|appelez|parlez à|"
            r"pregunta(?:d)? por|llama a|contacta con|habla con|hablad con)\s+"
        ),
        "listed",
    ),
    # whose parent: "la maman d'Adèle", "el papá de Hugo", "die Mama von Ben"
    (
        re.compile(
            r"(?i)\b(?:maman|papa|mère|père|sœur|soeur|frère|mamá|papá|madre|padre|hermana|"
            r"hermano|mama|mutter|vater|schwester|bruder)\s+(?:de|d['’]|del|von)\s*"
        ),
        "weak",
    ),
    # pairs: "Tom and I" is found from the name's side; "me and Tom", "moi et Léa"
    (re.compile(r"(?i)\b(?:me and|me &|moi et|ich und|yo y|mit)\s+"), "listed"),
]
# titles: Mrs Patel, Herr Braun, Monsieur Girard, Doña Pilar (the title goes too)
_TITLED = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Frau|Herr|Mme|Madame|Monsieur|Mlle|Mademoiselle|Sr|Sra|Srta|"
    rf"Señor|Señora|Don|Doña|Dña|Familie|Famille|Familia)\.?\s+(?P<name>{_CAP}(?:\s+{_CAP})?)"
)
_NAME_BEFORE = re.compile(
    r"(?<![\w'’-])(?P<name>[\wÀ-ÿ'’-]+)(?=\s*(?:\(\s*\d{1,2}\s*\)|,\s*(?:aged?\s*)?\d{1,2}\b(?!\s*[:.]\d)"
    r"|\s+aged?\s+\d{1,2}\b|\s+(?:and|und|et|y) (?:I|me|ich|moi|yo)\b))"
)
# two listed first names joined: "… 4 and 7, Jasper and Ivy, …"
_NAME_PAIR = re.compile(rf"\b({_CAP})\s+(?:and|und|et|y|e|&)\s+({_CAP})")
_SIGN_OFF = re.compile(
    r"(?i)(?:\b(?:thanks|thank you|thanks a lot|cheers|love|from|regards|best wishes|"
    r"kind regards|many thanks|merci|merci beaucoup|bisous|cordialement|gracias|muchas gracias|"
    r"saludos|un saludo|besos|danke|vielen dank|lg|liebe grüße|viele grüße|mfg|grüße)"
    r"\s*[,!.]?\s+|[–—-]\s*)"
    r"(?P<names>[\wÀ-ÿ'’-]+(?:\s+[\wÀ-ÿ'’-]+)?)\s*[.!]*\s*(?:x+|xo+)?\s*$"
)
_WORD = re.compile(r"[^\W\d_](?:[\w'’-]*\w)?")
_JOIN = re.compile(r"(?i)\s*(?:,|&|\+|and|und|et|y|e)\s+|\s*,\s*")


def _is_name(word: str, rule: str) -> bool:
    """Whether ``word`` reads as a name after a cue of kind ``rule``."""
    bare = re.sub(r"['’]s$", "", word)
    low = bare.lower()
    if low in _ORDINARY or len(bare) < 2:
        return False
    if rule == "strong" or low in first_names():
        return True
    return rule != "listed" and bare[0].isupper()


_SURNAME = re.compile(rf"\s+({_CAP})")
_LOWER_SURNAME = re.compile(r"\s+([a-zà-ÿ][\wà-ÿ'’-]+)")
_PLACE_AFTER = re.compile(
    rf"(?:\s+{_CAP})?\s+(?i:{_STREET_EN}|park|gardens?|woods?|green|common|school|primary|"
    r"academy|college|house|hall|centre|center|library|church|playground|fields?|estate|"
    r"station|bridge|rovers|united|fc)\b"
)


def _names_at(text: str, start: int, rule: str) -> list[tuple[int, int]]:
    """Names starting at ``start``: a first name, perhaps a surname, and more joined by
    "and", "und", "et", "y" or commas ("Tom, Lily and Sam Jones")."""
    spans: list[tuple[int, int]] = []
    position = start
    while True:
        word = _WORD.match(text, position)
        if not word or not _is_name(word.group(), rule):
            break
        end = word.end()
        surname = _SURNAME.match(text, end)
        if surname and surname.group(1).lower() not in _ORDINARY:
            end = surname.end()
        elif rule == "strong":
            lower = _LOWER_SURNAME.match(text, end)
            if lower and lower.group(1).lower() not in _ORDINARY and "'" not in lower.group(1):
                end = lower.end()
        if rule in ("weak", "listed") and _PLACE_AFTER.match(text, word.end()):
            break  # "It's Victoria Park", "this is Oak Lane playground": a place
        if re.search(r"['’]s$", text[word.start() : end]):
            end -= 2
        spans.append((word.start(), end))
        joined = _JOIN.match(text, end)
        if not joined:
            break
        position = joined.end()
        rule = "listed" if rule == "listed" else "weak"
    return spans


def _name_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for cue, rule in _CUES:
        for match in cue.finditer(text):
            spans += [(a, b, "name") for a, b in _names_at(text, match.end(), rule)]
    for match in _NAME_BEFORE.finditer(text):
        name = match.group("name")
        if name.lower() in first_names() and name[0].isupper():
            spans += [(*match.span("name"), "name")]
    for match in _NAME_PAIR.finditer(text):
        if all(word.lower() in first_names() for word in match.groups()):
            spans += [(*match.span(1), "name"), (*match.span(2), "name")]
    for match in _TITLED.finditer(text):
        if match.group("name").split()[0].lower() not in _ORDINARY:
            spans.append((*match.span(), "name"))
    match = _SIGN_OFF.search(text)
    if match:
        spans += [(a, b, "name") for a, b in _names_at(text, match.start("names"), "weak")]
    return spans


# ---------------------------------------------------------------- finding
def _spans(text: str) -> list[tuple[int, int, str]]:
    """Every find in the normalised text as (start, end, kind), overlaps included."""
    spans: list[tuple[int, int, str]] = []
    for kind, patterns in (
        ("e-mail", _EMAILS),
        ("link", _LINKS),
        ("address", _ADDRESSES),
        ("postcode", _POSTCODES),
    ):
        spans += [(*m.span(), kind) for p in patterns for m in p.finditer(text)]
    for match in _PHONE.finditer(text):
        raw = match.group().rstrip(" .(-–")
        digits = re.sub(r"\D", "", raw)
        if 7 <= len(digits) <= 15 and not _NOT_PHONE.fullmatch(raw.strip("()")):
            spans.append((match.start(), match.start() + len(raw), "phone"))
    for match in _SPOKEN_NUMBER.finditer(text):
        digits = _spoken_digits(match.group())
        if len(digits) >= 7 and digits not in "0123456789" and re.search("[a-z]", match.group()):
            spans.append((*match.span(), "phone"))
    for match in _LIVES_AT.finditer(text):
        span = _address_after(text, match.end())
        if span:
            spans.append((*span, "address"))
    spans += [(*m.span("school"), "school") for m in _SCHOOL_EN.finditer(text)]
    spans += [(*m.span(), "school") for m in _SCHOOL_OTHER.finditer(text)]
    for pattern in _HANDLES:
        for match in pattern.finditer(text):
            if "handle" not in pattern.groupindex:
                spans.append((*match.span(), "handle"))
            elif _is_handle(text, match):
                spans.append((*match.span("handle"), "handle"))
    spans += _name_spans(text)
    return spans


_ADD_ME = re.compile(
    r"(?i)\b(?:add|follow|find|message|dm|contact|folgt|folge|ajoute|ajoutez|suivez|sígueme|"
    r"seguidme|agrégame)\b.{0,12}$"
)


def _is_handle(text: str, match: re.Match[str]) -> bool:
    """After a platform's name, a word is a handle when the writer says so ("insta: …",
    "snap is …", "add me on snap …") or it looks like one (digits, dots, underscores)."""
    handle = match.group("handle")
    if handle.lower() in _ORDINARY:
        return False
    return bool(
        match.group("said")
        or re.search(r"[\d_.]", handle)
        or _ADD_ME.search(text[max(0, match.start() - 30) : match.start()])
    )


def _spoken_digits(run: str) -> str:
    """ "oh seven seven double oh nine" → "077009"."""
    digits, repeat = [], 1
    for word in re.findall(r"\w+", run.lower()):
        if word in ("double", "doppel", "doble"):
            repeat = 2
        elif word == "triple":
            repeat = 3
        else:
            digits.append((word if word.isdigit() else str(_DIGIT_WORDS[word])) * repeat)
            repeat = 1
    return "".join(digits)


def _address_after(text: str, start: int) -> tuple[int, int] | None:
    """After "I live at": a house number and up to three words ("14 Rowan"), or words up to
    a street word ("on Oak Lane"); a town alone ("in Millbrook") is not an address."""
    words = list(re.finditer(r"[\w/.'’-]+", text[start : start + 80]))[:5]
    if not words or words[0].start() != 0:
        return None
    if words[0].group()[0].isdigit():
        end = words[0].end()
        for word in words[1:4]:
            if word.group().lower().strip(".") in _ORDINARY - {"road", "street", "lane"}:
                break
            end = word.end()
            if _STREET_WORD.search(word.group().lower()):
                break
        return start, start + end
    for word in words[:4]:
        if _STREET_WORD.search(word.group().lower().rstrip(",")):
            end = word.end()
            number = re.compile(r",?\s*\d{1,4}[a-z]?\b").match(text, start + end)
            return start, number.end() if number else start + end
    return None


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping finds become one, named after the one that starts first (the longest if
    two start together)."""
    merged: list[list] = []
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif start < end:
            merged.append([start, end, kind])
    return [tuple(span) for span in merged]


def redact(text: str) -> Redacted:
    """Replace personal data in ``text`` with ``[e-mail]``, ``[phone]``, ``[address]``,
    ``[postcode]``, ``[link]``, ``[handle]``, ``[name]`` or ``[school]``."""
    kept, folded, origin = _normalise(text)
    pieces, found, position = [], [], 0
    for start, end, kind in _merge(_spans(folded)):
        first, last = origin[start], origin[end - 1] + 1
        pieces += [kept[position:first], f"[{kind}]"]
        found.append((kind, kept[first:last]))
        position = last
    pieces.append(kept[position:])
    return Redacted("".join(pieces), tuple(found))


# ---------------------------------------------------------------- for the moderator
_FAMILY_WORD = re.compile(
    rf"(?i)\b(?:{_FAMILY}|{_FAMILY_DE}|mum|mom|dad|name|called|heißt|appelle|llama)\b"
)
_DIGIT_RUN = re.compile(r"\d(?:[\s./-]?\d){5,}")


def leftovers(text: str) -> list[str]:
    """What in an already redacted text may still be personal data, for a moderator to
    check: a capitalised word soon after a family or naming word, a long run of digits, an
    ``@``. Each warning quotes what it points at."""
    _kept, folded, _origin = _normalise(text)
    warnings = []
    for match in _FAMILY_WORD.finditer(folded):
        following = _WORD.finditer(folded, match.end(), match.end() + 40)
        for word in [w.group() for w, _ in zip(following, range(3), strict=False)]:
            if word[0].isupper() and word.lower() not in _ORDINARY:
                warnings.append(
                    t("“{word}” after “{cue}” may be a name", word=word, cue=match.group())
                )
                break
    for match in _DIGIT_RUN.finditer(folded):
        if not _NOT_PHONE.fullmatch(match.group()):
            warnings.append(t("“{digits}” is a long run of digits", digits=match.group()))
    if "@" in folded:
        warnings.append(t("an @ is left: it may be part of an e-mail address or a handle"))
    return warnings
