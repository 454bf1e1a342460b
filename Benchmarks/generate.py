#!/usr/bin/env python3
"""Deterministic synthetic dossier generator for Dossier benchmarks (python3 stdlib only).

    generate.py --notes N --seed S --out DIR          # DIR/Content, DIR/hugo, DIR/cmark, DIR/meta.json
    generate.py --notes 1000 --out DIR --huge-note-mb 20     # plus notes/huge-note.md (~20 MB body)
    generate.py --notes 1000 --out DIR --many-refs 100000    # plus notes/many-refs.md (100,000 [[refs]])
    generate.py --bodies-only DIR                      # (re)write DIR/cmark/all-bodies.md from DIR/Content

Outputs
  DIR/Content/      the dossier in Dossier's format (README.md / DESIGN.md): people 25 %,
                    organizations 10 %, places 10 %, events 30 %, sources 10 %, notes 15 %,
                    plus dossier.yml. Every reference resolves, every id/title/alias is unique
                    after Dossier's folding, every source is cited, every person/org/place is
                    linked, so `dossier check` reports 0 errors and 0 warnings.
  DIR/hugo/         the Hugo twin of the same dossier (same bodies; [[x]] -> relref links,
                    citations -> footnotes), with its own minimal layouts and config.toml.
  DIR/cmark/all-bodies.md   every body (front-matter stripped) concatenated, for the cmark floor.
  DIR/meta.json     counts and the ids the benchmark edits (most-linked person, a note to edit).

The same --notes/--seed always produce byte-identical files.
"""
import argparse
import json
import os
import random
import shutil
import sys
import unicodedata

# --------------------------------------------------------------------------- vocabulary

FIRST = """Élodie Ismaël Anaïs Jérôme Zoé Noël François Hélène Loïc Chloé Maël Agnès Benoît Cécile
Gaël Inès Joël Léa Mathéo Océane Raphaël Séverine Thérèse Yaël Amélie Adèle Aurélien Clément Étienne
Frédéric Gérard Héloïse Irène Jérémie Laëtitia Noémie Valérie Zoë Karim Sofia Youssef Nadia Omar
Leila Samir Farid Amina Hassan Malik Yasmine Mehdi Sarah Thomas Lucas Paul Marie Julie Pierre
Jean Luc Anne Claire Marc David Nicolas Sophie Camille Laura Emma Hugo Louis Jules Arthur Victor
Alice Lina Nora Ali Bilal Ibrahim Idris Walid Zakaria Salma Hana Dina Rania Tarek Khalid Mustafa
Ayoub Anouk Bram Sven Ingrid Jürgen Björn Renée José Andrés Inés Ramón Begoña Joaquín Ségolène
Aïcha Fatima Djamel Sélim Abdelkader Mouloud Nabil Kamel Rachida Soraya Chérif Hocine Lyès Mériem""".split()

LAST = """Marchal Benali Dubois Lefèvre Girard Rousseau Fontaine Chevalier Bérard Besançon Caron Leroy
Moreau Lambert Bonnet Mercier Faure Blanc Guérin Boyer Garnier Chauvin Hamdi Haddad Kaci Belkacem
Ouali Saïdi Brahimi Zeroual Amrani Bouzid Cherifi Djebbar Ferhat Ghezali Hadjadj Khelifi Laïdi
Mansouri Nacéri Rahmani Slimani Taleb Ziani Benmoussa Chaouch Delacroix Duchêne Esnault Fournier
Gauthier Hébert Jacquet Joubert Lacroix Lemaître Maréchal Noël-Bastide Perrin Poirier Quéré Renaud
Roche Sauvage Thibault Vasseur Vidal Arnaud Barbier Brunet Carpentier Collin Cordier Daniel Denis
Dumont Étienne-Roux Fabre Ferrand Fleury Gaillard Gilbert Giraud Hamon Huet Jolly Julien Lebrun
Leclerc Legrand Lemoine Lucas-Pérot Marty Meunier Millet Moulin Muller Olivier Paris-Ménard Picard
Prévost Rey Roger Royer Schmitt Tessier Texier Vincent Weber Aubert Bailly Baron Bertin Bouvier
Charpentier Clément-Hérault Cousin Dupuis Fernandez Garcia Lopez Martinez Sanchez Núñez Peña Ibáñez
Öztürk Yılmaz-Kaya Demir Çelik Şahin Aydın Doğan Kılıç Arslan Koç Kurt Özdemir Hassani Benjelloun
Tazi Alaoui Berrada Lahlou Fassi Sqalli Bennani Chraïbi Kettani Tahiri Idrissi Skalli Ouazzani""".split()

NICKNAMES = ["Tonton", "Bébert", "Le Grand", "Le Petit", "Le Sage", "L'Imam", "Le Barbu", "Le Docteur",
             "Le Professeur", "Pépé", "Le Belge", "Le Marocain", "L'Ancien", "Le Cheikh", "Le Comptable",
             "Le Libraire", "Le Boulanger", "Le Chauffeur", "Le Pêcheur", "Le Médecin", "L'Étudiant",
             "Le Frère", "Le Cousin", "Le Voisin", "Le Stratège", "Le Fantôme", "Le Renard", "Le Loup"]

PLACE_ROOT = """Chartres Romilly Migennes Mainvilliers Orléans Courcouronnes Évry Créteil Nanterre Bobigny
Saint-Denis Montreuil Aubervilliers Pantin Bondy Drancy Sevran Villepinte Trappes Mantes Poissy
Étampes Melun Meaux Provins Sens Auxerre Troyes Reims Épernay Châlons Amiens Beauvais Compiègne
Rouen Évreux Dreux Vernon Lisieux Caen Bayeux Cherbourg Rennes Vannes Lorient Brest Nantes Angers
Tours Blois Bourges Nevers Dijon Besançon Mulhouse Colmar Strasbourg Metz Nancy Épinal Lyon Vienne
Valence Grenoble Chambéry Annecy Nîmes Arles Avignon Béziers Sète Perpignan Toulouse Albi Rodez
Montauban Agen Pau Tarbes Bayonne Biarritz Périgueux Limoges Poitiers Niort Angoulême Cognac""".split()
PLACE_PATTERN = ["{r}", "{r}-sur-Seine", "{r}-sur-Loire", "{r}-les-Bains", "{r}-en-Brie", "Saint-Jean-de-{r}",
                 "Le Vieux-{r}", "Port-{r}", "Mont-{r}", "{r}-la-Forêt", "{r}-le-Château", "Pont-de-{r}",
                 "Bois-de-{r}", "{r}-Plage", "{r}-Ouest", "{r}-Nord", "Quartier de {r}", "Gare de {r}",
                 "Cité des Fleurs, {r}", "Mosquée de {r}", "Place du Marché, {r}", "Zone industrielle de {r}"]
PLACE_KIND = ["city", "town", "district", "village", "railway station", "mosque", "housing estate", "border crossing",
              "prison", "airport", "square", "industrial zone"]
COUNTRY = ["France", "Belgium", "Morocco", "Algeria", "Turkey", "Syria", "Germany", "Spain", "Tunisia", "Italy"]

ORG_ADJ = """Northern Southern Central National Regional Federal Maritime Royal Democratic Popular Independent
United General Special Joint Provisional Revolutionary Civil Islamic Secular Republican Eastern Western
Atlantic Mediterranean Alpine Metropolitan Continental Interior External""".split()
ORG_NOUN = """Security Intelligence Trade Customs Justice Youth Solidarity Press Finance Energy Transport Defence
Prison Border Health Education Research Aviation Shipping Banking Media Broadcasting Religious Cultural
Labour Housing Migration Police Gendarmerie Counter-terrorism""".split()
ORG_KIND = ["Bureau", "Directorate", "Brigade", "Agency", "Association", "Front", "Council", "Ministry",
            "Commission", "Group", "Network", "Foundation", "Company", "Office", "Service", "Union", "Movement"]
ORG_FR = ["Direction {a} de la {n} {b}", "Brigade {a} de {n}", "Service {a} de la {n} {b}", "Office {a} de la {n}"]
ORG_FR_A = ["générale", "régionale", "centrale", "nationale", "départementale", "spéciale", "opérationnelle"]
ORG_FR_N = ["Sécurité", "Défense", "Coopération", "Répression", "Lutte", "Protection", "Prévention", "Surveillance",
            "Recherche", "Sûreté"]
ORG_FR_B = ["intérieure", "extérieure", "économique", "territoriale", "publique", "pénitentiaire", "maritime", "aérienne"]
ORG_KINDS = ["agency", "group", "ministry", "newspaper", "police unit", "court", "association", "company", "broadcaster"]

PUBLISHERS = ["Mediapart", "Le Monde", "Libération", "Le Figaro", "Le Parisien", "AFP", "Reuters", "BFMTV",
              "France Info", "L'Écho républicain", "El Watan", "Mondafrique", "The New York Times", "The Guardian",
              "Der Spiegel", "El País", "Hürriyet", "Canal+", "France 24", "L'Express", "Le Point", "Médiapart Live"]
SOURCE_KIND = ["article", "book", "broadcast", "statement", "agency-wire"]

WORDS = """investigation intelligence service officer report file surveillance meeting group network cell
suspect witness family brother father mother cousin neighbour mosque imam prison sentence trial judge
prosecutor court appeal lawyer police gendarmerie border passport visa journey flight train car apartment
house street district suburb town city country region ministry minister spokesman statement interview
article newspaper broadcast agency wire document letter note memo warning notice request answer reply
record archive list name alias identity card phone call message email account transfer payment money
bank loan debt job bakery shop bookshop factory school university student teacher friend contact
associate leader member recruit volunteer training camp weapon explosive attack bombing shooting hostage
victim survivor casualty emergency response operation raid search arrest detention custody release
parole charge conviction acquittal evidence clue lead hypothesis question doubt denial claim allegation
account version detail date period month year season morning evening night week weekend holiday
summer winter spring autumn decade century moment time while later earlier before after during since
until although because whereas however therefore moreover meanwhile nevertheless instead indeed perhaps
apparently reportedly allegedly officially publicly privately quietly suddenly gradually eventually
finally initially repeatedly never always often sometimes rarely seldom already still again also only
even just nearly almost quite rather very too so such many much few several various other another same
different similar certain possible probable likely unlikely clear unclear open closed secret public
private local national foreign international regional official unofficial formal informal direct
indirect early late recent former later previous next first second third last final main central
known unknown named unnamed anonymous senior junior young old elder younger radical moderate violent
peaceful armed unarmed dangerous harmless suspicious ordinary unusual remarkable notable important
said told asked answered denied confirmed claimed reported wrote noted added explained described
recalled insisted admitted refused accepted rejected met visited travelled returned left arrived moved
lived worked studied prayed married divorced joined founded led ran managed watched followed tracked
lost found identified flagged noticed warned informed alerted contacted questioned interviewed
arrested charged convicted sentenced released freed expelled deported extradited transferred""".split()

HEADINGS = ["Background", "Early years", "Arrival in {p}", "The {y} meeting", "What the file says",
            "Contacts abroad", "Surveillance", "Loss of contact", "Travel to {p}", "The official account",
            "Contradictions", "Open questions", "After the attacks", "Family and friends", "Prison years",
            "Trial and sentence", "The network", "Recruitment", "Warnings received", "Timeline of {y}",
            "Reactions", "Sources and method", "Années de formation", "Retour à {p}", "Procès", "Réseau"]

ROLE = ["Suspect in the {y} inquiry", "Witness heard by investigators in {y}", "Member of the {o}",
        "Spokesman for the {o}", "Lawyer for the family", "Investigating judge", "Imam at the {p} mosque",
        "Former inmate released in {y}", "Relative of several suspects", "Journalist covering the case",
        "Official of the {o}", "Recruiter, according to the prosecution (denied)"]
RELATION = ["Brother", "Cousin", "Friend since school", "Met in prison in {y}", "Recruited by him, according to the file",
            "Lawyer", "Neighbour in {p}", "Business partner", "Travelled with him to {p} in {y}", "Former wife"]
LOCATORS = ["p. {n}", "para {n}", "pp. {n}–{m}", "ch. {n}", "at {n}:{m:02d}", "fol. {n}", "para {n}", "p. {n}"]

CALLOUTS = ["DENIED", "DENIED", "DISPUTED", "UNVERIFIED", "NOTE", "EDITOR"]


# --------------------------------------------------------------------------- helpers

def fold(text):
    """Dossier's Fold.key, closely enough: case, diacritics and normalisation folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(unicodedata.normalize("NFKC", stripped).lower().split())


def slug(text):
    out, pending = [], False
    for ch in fold(text):
        if ch.isascii() and (ch.islower() or ch.isdigit()):
            if pending and out:
                out.append("-")
            pending = False
            out.append(ch)
        else:
            pending = True
    return "".join(out)


def nfd(text):
    return unicodedata.normalize("NFD", text)


def yq(text):
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hugo_anchor(text):
    """Goldmark's GitHub-style heading id (what Hugo writes)."""
    out = []
    for ch in text.lower():
        if ch.isalnum() or ch in "-_":
            out.append(ch)
        elif ch.isspace():
            out.append("-")
    return "".join(out)


class Entry:
    __slots__ = ("type", "id", "title", "aliases", "nfd_aliases", "headings", "anchors", "fm", "body_tokens",
                 "date", "sortkey", "year", "publisher", "has_title", "short", "hugo_fm_extra")

    def __init__(self, type_, id_, title):
        self.type, self.id, self.title = type_, id_, title
        self.aliases, self.nfd_aliases, self.headings, self.anchors = [], set(), [], []
        self.fm = []            # Dossier front-matter lines (after title/name)
        self.body_tokens = []   # list of blocks, each a list of tokens
        self.date = None
        self.sortkey = "9999-12-31"
        self.year = ""
        self.publisher = None
        self.has_title = True
        self.short = title
        self.hugo_fm_extra = {}


FOLDERS = {"person": "people", "organization": "organizations", "place": "places",
           "event": "events", "source": "sources", "note": "notes"}


# --------------------------------------------------------------------------- EDTF dates

def edtf(rng):
    """(text, sortkey 'YYYY-MM-DD', year label) covering every EDTF form Dossier reads."""
    y = rng.randint(1960, 2024)
    m = rng.randint(1, 12)
    d = rng.randint(1, 28)
    r = rng.random()
    if r < 0.28:
        return f"{y:04d}-{m:02d}-{d:02d}", f"{y:04d}-{m:02d}-{d:02d}", str(y)
    if r < 0.46:
        return f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-01", str(y)
    if r < 0.58:
        return f"{y:04d}", f"{y:04d}-01-01", str(y)
    if r < 0.63:
        return f"{y:04d}-{m:02d}?", f"{y:04d}-{m:02d}-01", str(y)
    if r < 0.68:
        return f"{y:04d}~", f"{y:04d}-01-01", str(y)
    if r < 0.71:
        return f"{y:04d}%", f"{y:04d}-01-01", str(y)
    if r < 0.74:
        dec = y // 10
        return f"{dec:03d}X", f"{dec * 10:04d}-01-01", f"{dec * 10}s"
    if r < 0.76:
        return f"{y // 100:02d}XX", f"{(y // 100) * 100:04d}-01-01", f"{(y // 100) * 100}s"
    if r < 0.79:
        return f"{y:04d}-XX", f"{y:04d}-01-01", str(y)
    if r < 0.82:
        s = rng.randint(21, 24)
        return f"{y:04d}-{s}", f"{y:04d}-{(s - 21) * 3 + 3:02d}-01", str(y)
    if r < 0.90:
        y2 = min(2025, y + rng.randint(0, 3))
        m2 = rng.randint(1, 12) if y2 > y else rng.randint(m, 12)
        return f"{y:04d}-{m:02d}/{y2:04d}-{m2:02d}", f"{y:04d}-{m:02d}-01", str(y)
    if r < 0.95:
        return f"../{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-01", str(y)
    return f"{y:04d}/..", f"{y:04d}-01-01", str(y)


# --------------------------------------------------------------------------- generator

class Generator:
    def __init__(self, n, seed):
        self.n = n
        self.rng = random.Random(seed)
        self.taken = {}          # folded id/title/alias -> entry id
        self.ids = set()
        self.entries = []
        self.by_type = {t: [] for t in FOLDERS}
        self.must_link = {}      # type -> list of ids still never linked (people/orgs/places)
        self.must_cite = []      # source ids never cited
        self.inbound = {}        # person id -> number of referencing pages (for meta)

    # ----- names ---------------------------------------------------------------

    def claim(self, entry_id, *names):
        keys = [fold(x) for x in names]
        if any(k in self.taken and self.taken[k] != entry_id for k in keys):
            return False
        for k in keys:
            self.taken[k] = entry_id
        return True

    def new_id(self, base):
        base = base[:60].strip("-") or "x"
        cand, i = base, 2
        while cand in self.ids or (fold(cand) in self.taken):
            cand = f"{base}-{i}"
            i += 1
        self.ids.add(cand)
        return cand

    def unique_title(self, make, entry_id_hint):
        """make(attempt) -> title; first one free of any folded collision wins."""
        for attempt in range(200):
            title = make(attempt)
            if fold(title) not in self.taken:
                return title
        i = 2
        while True:
            title = f"{make(0)} ({i})"
            if fold(title) not in self.taken:
                return title
            i += 1

    def add(self, type_, title, id_base=None):
        id_ = self.new_id(id_base or slug(title))
        e = Entry(type_, id_, title)
        ok = self.claim(id_, id_, title)
        assert ok, (id_, title)
        self.entries.append(e)
        self.by_type[type_].append(e)
        return e

    def try_alias(self, e, alias, as_nfd=False):
        if not alias or fold(alias) in self.taken or len(e.aliases) >= 3:
            return
        self.taken[fold(alias)] = e.id
        e.aliases.append(alias)
        if as_nfd and alias != nfd(alias):
            e.nfd_aliases.add(alias)

    # ----- entities ------------------------------------------------------------

    def make_entities(self):
        rng = self.rng
        n = self.n
        counts = {"person": round(n * 0.25), "organization": round(n * 0.10), "place": round(n * 0.10),
                  "event": round(n * 0.30), "source": round(n * 0.10)}
        counts["note"] = max(1, n - sum(counts.values()))
        for t in counts:
            counts[t] = max(1, counts[t])
        self.counts = counts

        # People: unique "First Last" (fallback: middle name).
        pairs = [(f, l) for f in FIRST for l in LAST]
        rng.shuffle(pairs)
        pi = 0
        for i in range(counts["person"]):
            def make(attempt):
                nonlocal pi
                f, l = pairs[pi % len(pairs)]
                pi += 1
                if pi > len(pairs):
                    return f"{f} {rng.choice(FIRST)} {l}"
                return f"{f} {l}"
            name = self.unique_title(make, None)
            e = self.add("person", name)
            parts = name.split()
            e.short = parts[-1]
            k = rng.choices([0, 1, 2], [0.3, 0.45, 0.25])[0]
            cands = [f"{parts[-1]} {parts[0]}", f"{parts[0][0]}. {parts[-1]}",
                     f"{rng.choice(NICKNAMES)} de {rng.choice(PLACE_ROOT)}", f"Abu {rng.choice(FIRST)}",
                     f"{rng.choice(NICKNAMES)} {parts[0]}"]
            rng.shuffle(cands)
            for c in cands:
                if len(e.aliases) >= k:
                    break
                self.try_alias(e, c, as_nfd=rng.random() < 0.3)

        # Organisations.
        for i in range(counts["organization"]):
            def make(attempt):
                if rng.random() < 0.3:
                    return rng.choice(ORG_FR).format(a=rng.choice(ORG_FR_A), n=rng.choice(ORG_FR_N), b=rng.choice(ORG_FR_B))
                return f"{rng.choice(ORG_ADJ)} {rng.choice(ORG_NOUN)} {rng.choice(ORG_KIND)}"
            name = self.unique_title(make, None)
            e = self.add("organization", name)
            acronym = "".join(w[0] for w in name.replace("-", " ").split() if w[0].isupper())
            if len(acronym) >= 2 and rng.random() < 0.7:
                self.try_alias(e, acronym)
            if rng.random() < 0.2:
                self.try_alias(e, "the " + name.split()[-1] + " of " + rng.choice(PLACE_ROOT), as_nfd=True)

        # Places.
        for i in range(counts["place"]):
            def make(attempt):
                return rng.choice(PLACE_PATTERN).format(r=rng.choice(PLACE_ROOT))
            name = self.unique_title(make, None)
            e = self.add("place", name)
            if rng.random() < 0.25:
                self.try_alias(e, ("Grand " if rng.random() < 0.5 else "Région de ") + name, as_nfd=True)

        # Sources (titles need publishers).
        for i in range(counts["source"]):
            pub = rng.choice(PUBLISHERS)
            year = rng.randint(1995, 2024)

            def make(attempt):
                return f"{pub}: {self.phrase(rng.randint(4, 8)).capitalize()}"
            title = self.unique_title(make, None)
            e = self.add("source", title, id_base=f"{slug(pub)}-{year}-{slug(title.split(':', 1)[1])[:30]}")
            e.publisher = pub
            e.short = pub
            if rng.random() < 0.1:
                self.try_alias(e, f"{pub} {year} {rng.choice(WORDS)} {rng.choice(WORDS)}")

        # Events.
        for i in range(counts["event"]):
            date, sortkey, year = edtf(rng)
            verb = rng.choice(["meets", "travels to", "is arrested in", "leaves", "returns to", "is questioned in",
                               "moves to", "is seen in", "is released in", "speaks in", "is flagged in"])

            def make(attempt):
                who = rng.choice(FIRST) + " " + rng.choice(LAST)
                where = rng.choice(PLACE_ROOT)
                return f"{who} {verb} {where}, {year}"
            title = self.unique_title(make, None)
            e = self.add("event", title)
            e.date, e.sortkey, e.year = date, sortkey, year

        # Notes.
        for i in range(counts["note"]):
            def make(attempt):
                return rng.choice(["On the", "About the", "Why the", "How the", "Questions on the", "Notes on the",
                                   "Analysis: the", "Revisiting the"]) + " " + self.phrase(rng.randint(3, 6))
            title = self.unique_title(make, None)
            e = self.add("note", title)
            e.has_title = rng.random() < 0.7

        # Headings (anchors must be known before bodies link to them).
        for e in self.entries:
            if rng.random() < 0.5:
                used = {}
                for _ in range(rng.randint(1, 3)):
                    h = rng.choice(HEADINGS).format(p=rng.choice(PLACE_ROOT), y=rng.randint(1980, 2020))
                    a = slug(h)
                    if a in used:
                        used[a] += 1
                        a = f"{a}-{used[a] - 1}"
                    else:
                        used[a] = 1
                    e.headings.append(h)
                    e.anchors.append(a)

        self.must_link = {t: [e.id for e in self.by_type[t]] for t in ("person", "organization", "place")}
        for t in self.must_link:
            rng.shuffle(self.must_link[t])
        self.must_cite = [e.id for e in self.by_type["source"]]
        rng.shuffle(self.must_cite)
        self.index = {e.id: e for e in self.entries}
        self.position = {e.id: i for t in self.by_type for i, e in enumerate(self.by_type[t])}
        # The person the benchmark renames: linked often, and only by id, alias or label
        # (a reference by the old name would, rightly, stop resolving after a rename).
        self.star = self.by_type["person"][0].id
        self.inbound = {e.id: set() for e in self.by_type["person"]}

    # ----- picking -------------------------------------------------------------

    def phrase(self, k):
        return " ".join(self.rng.choice(WORDS) for _ in range(k))

    def pick(self, type_, exclude=None):
        q = self.must_link.get(type_)
        if q:
            while q:
                id_ = q.pop()
                if id_ != exclude:
                    return id_
        pool = self.by_type[type_]
        while True:
            e = self.rng.choice(pool)
            if e.id != exclude or len(pool) == 1:
                return e.id

    def pick_any(self, exclude):
        if self.rng.random() < 0.01 and exclude != self.star:
            return self.star
        t = self.rng.choices(["person", "organization", "place", "event", "note", "source"],
                             [0.40, 0.15, 0.15, 0.15, 0.08, 0.07])[0]
        return self.pick(t, exclude)

    def pick_source(self, exclude=None):
        while self.must_cite:
            s = self.must_cite.pop()
            if s != exclude:
                return s
        while True:
            s = self.rng.choice(self.by_type["source"]).id
            if s != exclude or len(self.by_type["source"]) == 1:
                return s

    def locator(self):
        n = self.rng.randint(1, 400)
        return self.rng.choice(LOCATORS).format(n=n, m=n + self.rng.randint(1, 9))

    # ----- bodies --------------------------------------------------------------

    def ref_token(self, target_id, owner):
        rng = self.rng
        t = self.index[target_id]
        if t.type == "person":
            self.inbound[t.id].add(owner.id)
        r = rng.random()
        if r < 0.35:
            return ("ref", t.id, None, None, t.id)
        if r < 0.60:
            label = t.short if rng.random() < 0.5 or t.id == self.star else t.title
            return ("ref", t.id, None, label, t.id)
        if r < 0.80 and t.id != self.star:
            written = t.title if rng.random() < 0.6 else (nfd(t.title) if rng.random() < 0.5 else t.title.lower())
            return ("ref", t.id, None, None, written)
        if r < 0.90 and t.aliases:
            a = rng.choice(t.aliases)
            return ("ref", t.id, None, None, nfd(a) if a in t.nfd_aliases else a)
        if t.anchors:
            i = rng.randrange(len(t.anchors))
            return ("ref", t.id, i, t.title if rng.random() < 0.5 and t.id != self.star else None, t.id)
        return ("ref", t.id, None, None, t.id)

    def cite_token(self, exclude=None):
        rng = self.rng
        k = 1 if rng.random() < 0.75 else rng.randint(2, 3)
        items = []
        for _ in range(k):
            items.append((self.pick_source(exclude), self.locator() if rng.random() < 0.85 else None))
        return ("cite", items)

    def sentence_tokens(self, refs, cites, owner):
        rng = self.rng
        toks = []
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 22))]
        words[0] = words[0].capitalize()
        slots = set(rng.sample(range(2, len(words)), min(refs, len(words) - 2)))
        pending = []
        for i, w in enumerate(words):
            if i in slots:
                toks.append(("text", " ".join(pending) + " "))
                pending = []
                toks.append(self.ref_token(self.pick_any(owner.id), owner))
                pending = [""]
            r = rng.random()
            if r < 0.02:
                w = f"*{w}*"
            elif r < 0.03:
                w = f"**{w}**"
            elif r < 0.031:
                toks.append(("text", " ".join(pending) + " "))
                toks.append(("code", rng.choice(["[[not-a-reference]]", "dossier check", "[@not-a-citation]", w])))
                pending = [""]
                continue
            pending.append(w)
        tail = " ".join(pending).replace("  ", " ")
        toks.append(("text", tail))
        for _ in range(cites):
            toks.append(("text", " "))
            toks.append(self.cite_token(owner.id if owner.type == "source" else None))
        toks.append(("text", "."))
        return toks

    def make_body(self, e):
        rng = self.rng
        paragraphs = rng.randint(3, 6)
        n_refs = max(2, min(9, int(rng.gauss(5, 1.5))))
        n_cites = max(1, min(6, int(rng.gauss(3, 1))))
        # distribute refs/cites across sentences
        sentences_per = [rng.randint(2, 5) for _ in range(paragraphs)]
        total_sent = sum(sentences_per)
        # scale to ~300-600 words: add sentences
        target_words = rng.randint(300, 600)
        avg = 16
        while total_sent * avg < target_words:
            sentences_per[rng.randrange(paragraphs)] += 1
            total_sent += 1
        ref_at = [0] * total_sent
        cite_at = [0] * total_sent
        for _ in range(n_refs):
            ref_at[rng.randrange(total_sent)] += 1
        for _ in range(n_cites):
            cite_at[rng.randrange(total_sent)] += 1
        blocks = []
        if e.type == "note" and not e.has_title:
            blocks.append([("raw", "# " + e.title)])
        s = 0
        spots = sorted(rng.sample(range(1, paragraphs), min(len(e.headings), paragraphs - 1)))
        heading_at = {spot: e.headings[k] for k, spot in enumerate(spots)}
        for p in range(paragraphs):
            if p in heading_at:
                blocks.append([("heading", heading_at[p])])
            toks = []
            for _ in range(sentences_per[p]):
                toks += self.sentence_tokens(min(ref_at[s], 18), cite_at[s], e)
                toks.append(("text", " "))
                s += 1
            if toks and toks[-1] == ("text", " "):
                toks.pop()
            if rng.random() < 0.05:
                toks.append(("text", " See also "))
                toks.append(("link", "https://example.org/" + slug(e.title)[:20], "the archived page"))
                toks.append(("text", "."))
            blocks.append(toks)
        for h in e.headings[len(spots):]:   # headings that did not fit between paragraphs
            blocks.append([("heading", h)])
            blocks.append(self.sentence_tokens(1, 1, e))
        if rng.random() < 0.10:
            kind = rng.choice(CALLOUTS)
            title = " " + self.phrase(3).capitalize() if rng.random() < 0.3 else ""
            inner = self.sentence_tokens(1, 1, e)
            blocks.insert(rng.randint(1, len(blocks)), [("callout", kind, title, inner)])
        if rng.random() < 0.08:
            items = [self.sentence_tokens(rng.randint(0, 1), rng.randint(0, 1), e) for _ in range(rng.randint(2, 4))]
            blocks.insert(rng.randint(1, len(blocks)), [("list", items)])
        e.body_tokens = blocks

    # ----- front-matter --------------------------------------------------------

    def earlier_of_same_type(self, e, chance):
        """With the given chance, an entry of e's type generated before e (no cycles)."""
        if self.rng.random() < chance and self.position[e.id] > 0:
            other = self.by_type[e.type][self.rng.randrange(0, self.position[e.id])]
            if other is not e:
                return other
        return None

    def ref_value(self, target_id):
        """An id-valued front-matter key: the id, or sometimes the title/alias."""
        t = self.index[target_id]
        r = self.rng.random()
        if r < 0.85 or target_id == self.star:
            return target_id
        if r < 0.95:
            return yq(t.title)
        if t.aliases:
            return yq(self.rng.choice(t.aliases))
        return target_id

    def id_list(self, ids):
        return "[" + ", ".join(self.ref_value(i) for i in ids) + "]"

    def make_front_matter(self, e):
        rng = self.rng
        fm = []
        h = {}   # hugo twin params (under "dossier:")
        own_sources = []
        if e.type != "source" or rng.random() < 0.3:
            own_sources = list(dict.fromkeys(self.pick_source(e.id) for _ in range(rng.randint(1, 3))))
        if e.aliases:
            fm.append("aliases: [" + ", ".join(yq(nfd(a) if a in e.nfd_aliases else a) for a in e.aliases) + "]")
            h["names"] = e.aliases
        summary = self.phrase(rng.randint(10, 25)).capitalize() + "."
        fm.append("summary: " + yq(summary))
        h["summary"] = summary
        if rng.random() < 0.3:
            tags = [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]
            fm.append("tags: [" + ", ".join(tags) + "]")
        y = rng.randint(1950, 2000)
        if e.type == "person":
            if rng.random() < 0.6:
                born = rng.choice([f"{y}", f"{y}-{rng.randint(1, 12):02d}", f"{y}~", f"{y // 10}X"])
                fm.append(f"born: {born}")
                h["born"] = born
            fm.append("nationality: " + rng.choice(["French", "Moroccan", "Algerian", "Belgian", "Franco-Algerian", "Turkish"]))
            roles = [rng.choice(ROLE).format(y=rng.randint(1990, 2020), o=rng.choice(self.by_type["organization"]).title,
                                             p=rng.choice(PLACE_ROOT)) for _ in range(rng.randint(1, 3))]
            fm.append("roles:")
            fm += ["  - " + yq(r) for r in roles]
            h["roles"] = roles
            rels = []
            for _ in range(rng.choices([0, 1, 2, 3], [0.3, 0.35, 0.25, 0.1])[0]):
                other = self.pick("person", e.id)
                if other == e.id:
                    continue
                self.inbound[other].add(e.id)
                kind = rng.choice(RELATION).format(y=rng.randint(1990, 2020), p=rng.choice(PLACE_ROOT))
                srcs = list(dict.fromkeys(self.pick_source() for _ in range(rng.randint(1, 2))))
                rels.append((other, kind, srcs))
            if rels:
                fm.append("relations:")
                for other, kind, srcs in rels:
                    fm += [f"  - with: {self.ref_value(other)}", f"    kind: {yq(kind)}", f"    sources: {self.id_list(srcs)}"]
                h["relations"] = [{"person": o, "kind": k, "sources": s} for o, k, s in rels]
            affs = []
            for _ in range(rng.choices([0, 1, 2], [0.4, 0.45, 0.15])[0]):
                org = self.pick("organization")
                role = rng.choice(["Member", "Leader, according to the file", "Employee", "Founder", "Spokesman", "Informant (alleged)"])
                srcs = [self.pick_source()]
                affs.append((org, role, srcs, rng.random() < 0.5))
            if affs:
                fm.append("affiliations:")
                for org, role, srcs, dated in affs:
                    fm += [f"  - org: {self.ref_value(org)}", f"    role: {yq(role)}"]
                    if dated:
                        fm += [f"    from: {y + 20}", f"    to: {y + 20 + rng.randint(1, 10)}-{rng.randint(1, 12):02d}"]
                    fm.append(f"    sources: {self.id_list(srcs)}")
                h["affiliations"] = [{"org": o, "role": r, "sources": s} for o, r, s, _ in affs]
        elif e.type == "organization":
            fm.append("kind: " + rng.choice(ORG_KINDS))
            fm.append("country: " + rng.choice(COUNTRY))
            parent = self.earlier_of_same_type(e, 0.2)
            if parent:
                fm.append(f"parent: {self.ref_value(parent.id)}")
                h["parent"] = parent.id
        elif e.type == "place":
            fm.append("kind: " + rng.choice(PLACE_KIND))
            fm.append("country: " + rng.choice(COUNTRY))
            if rng.random() < 0.4:
                fm.append(f"coordinates: [{rng.uniform(30, 55):.4f}, {rng.uniform(-5, 40):.4f}]")
        elif e.type == "event":
            quoted = rng.random() < 0.3
            fm.append("date: " + (yq(e.date) if quoted else e.date))
            h["edtf"] = e.date
            people = list(dict.fromkeys(self.pick("person") for _ in range(rng.randint(1, 3))))
            for p in people:
                self.inbound[p].add(e.id)
            fm.append("people: " + self.id_list(people))
            h["people"] = people
            if rng.random() < 0.6:
                orgs = list(dict.fromkeys(self.pick("organization") for _ in range(rng.randint(1, 2))))
                fm.append("organizations: " + self.id_list(orgs))
                h["organizations"] = orgs
            if rng.random() < 0.8:
                places = [self.pick("place")]
                fm.append("places: " + self.id_list(places))
                h["places"] = places
        elif e.type == "source":
            fm.append("publisher: " + yq(e.publisher))
            if rng.random() < 0.7:
                authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 2))]
                fm.append("authors: [" + ", ".join(yq(a) for a in authors) + "]")
                h["authors"] = authors
            date = rng.choice([f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                               f"{rng.randint(1995, 2024)}-{rng.randint(1, 12):02d}", f"{rng.randint(1995, 2024)}"])
            fm.append(f"date: {date}")
            h["edtf"] = date
            url = f"https://example.org/{slug(e.publisher)}/{e.id}"
            fm.append(f"url: {yq(url)}")
            h["source_url"] = url
            if rng.random() < 0.3:
                fm.append(f"archive_url: {yq('https://web.archive.org/web/2016/' + url)}")
            fm.append("language: " + rng.choice(["en", "fr", "fr", "ar", "tr"]))
            fm.append("kind: " + rng.choice(SOURCE_KIND))
            via = self.earlier_of_same_type(e, 0.2)
            if via:
                fm.append(f"via: {self.ref_value(via.id)}")
                h["via"] = via.id
        elif e.type == "note":
            if rng.random() < 0.5:
                fm.append(f"date: 20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
            fm.append("authors: [\"Dossier editors\"]")
        if own_sources:
            fm.append("sources: " + self.id_list(own_sources))
            h["sources"] = own_sources
        e.fm = fm
        e.hugo_fm_extra = h

    # ----- rendering -----------------------------------------------------------

    def render_dossier_inline(self, toks):
        out = []
        for t in toks:
            k = t[0]
            if k == "text":
                out.append(t[1])
            elif k == "ref":
                _, tid, anchor_i, label, written = t
                target = written
                if anchor_i is not None:
                    target += "#" + self.index[tid].anchors[anchor_i]
                out.append(f"[[{target}|{label}]]" if label else f"[[{target}]]")
            elif k == "cite":
                out.append("[" + "; ".join(f"@{s}, {loc}" if loc else f"@{s}" for s, loc in t[1]) + "]")
            elif k == "code":
                out.append(f"`{t[1]}`")
            elif k == "link":
                out.append(f"[{t[2]}]({t[1]})")
        return "".join(out)

    def render_hugo_inline(self, toks, notes):
        out = []
        for t in toks:
            k = t[0]
            if k == "text":
                out.append(t[1])
            elif k == "ref":
                _, tid, anchor_i, label, written = t
                target = self.index[tid]
                path = f"/{FOLDERS[target.type]}/{target.id}.md"
                if anchor_i is not None:
                    path += "#" + hugo_anchor(target.headings[anchor_i])
                out.append(f'[{label or target.title}]({{{{< relref "{path}" >}}}})')
            elif k == "cite":
                notes.append("; ".join(
                    f'[{self.index[s].title}]({{{{< relref "/sources/{s}.md" >}}}})' + (f", {loc}" if loc else "")
                    for s, loc in t[1]))
                out.append(f"[^{len(notes)}]")
            elif k == "code":
                out.append(f"`{t[1]}`")
            elif k == "link":
                out.append(f"[{t[2]}]({t[1]})")
        return "".join(out)

    def render_body(self, e, hugo):
        notes = []
        inline = (lambda toks: self.render_hugo_inline(toks, notes)) if hugo else self.render_dossier_inline
        parts = []
        for block in e.body_tokens:
            first = block[0]
            if first[0] == "raw":
                parts.append(first[1])
            elif first[0] == "heading":
                parts.append("## " + first[1])
            elif first[0] == "callout":
                _, kind, title, inner = first
                parts.append(f"> [!{kind}]{title}\n> " + inline(inner))
            elif first[0] == "list":
                parts.append("\n".join("- " + inline(item) for item in first[1]))
            else:
                parts.append(wrap(inline(block)))
        body = "\n\n".join(parts) + "\n"
        if hugo and notes:
            body += "\n" + "\n".join(f"[^{i}]: {n}" for i, n in enumerate(notes, 1)) + "\n"
        return body

    # ----- driver --------------------------------------------------------------

    def generate(self):
        self.make_entities()
        # Front-matter first for events (they cover people/orgs/places), then bodies.
        order = self.by_type["event"] + [e for e in self.entries if e.type != "event"]
        for e in order:
            self.make_front_matter(e)
        for e in self.entries:
            self.make_body(e)
        # Anything still never linked or cited: one extra sentence in a case note.
        leftovers = [i for t in self.must_link for i in self.must_link[t]]
        leftover_sources = list(self.must_cite)
        self.must_link = {t: [] for t in self.must_link}
        self.must_cite = []
        if leftovers or leftover_sources:
            host = self.by_type["note"][0]
            toks = [("text", "Also relevant: ")]
            for i in leftovers:
                toks += [self.ref_token(i, host), ("text", ", ")]
            toks.append(("text", "and the sources"))
            for s in leftover_sources:
                toks += [("text", " "), ("cite", [(s, None)])]
            toks.append(("text", "."))
            host.body_tokens.append(toks)


def wrap(text, width=0):
    return text  # one paragraph per line, as editors usually write


# --------------------------------------------------------------------------- writing

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def title_key(e):
    return "name" if e.type in ("person", "organization", "place") else "title"


def write_dossier(g, out, huge_mb, many_refs):
    content = os.path.join(out, "Content")
    write(os.path.join(content, "dossier.yml"),
          'title: "Synthetic dossier"\n'
          f'subtitle: "{len(g.entries)} generated notes, seed {g.seed}"\n'
          'description: "A deterministic synthetic dossier for benchmarking Dossier (Benchmarks/generate.py)."\n'
          'language: en\n')
    bodies = []
    for e in g.entries:
        lines = ["---"]
        if e.type != "note" or e.has_title:
            lines.append(f"{title_key(e)}: {yq(e.title)}")
        lines += e.fm
        lines.append("---")
        body = g.render_body(e, hugo=False)
        bodies.append(body)
        write(os.path.join(content, FOLDERS[e.type], e.id + ".md"), "\n".join(lines) + "\n\n" + body)
    extra = []
    if huge_mb:
        extra.append(("huge-note", "A very long note", huge_body(g, huge_mb)))
    if many_refs:
        extra.append(("many-refs", "A note with many references", many_refs_body(g, many_refs)))
    for id_, title, body in extra:
        write(os.path.join(content, "notes", id_ + ".md"), f'---\ntitle: "{title}"\n---\n\n' + body)
        bodies.append(body)
    write(os.path.join(out, "cmark", "all-bodies.md"), "\n\n".join(bodies))


def huge_body(g, mb):
    """~mb MB of ordinary paragraphs (normal density of references and citations)."""
    host = Entry("note", "huge-note", "A very long note")
    g.index["huge-note"] = host
    parts, size, limit = [], 0, int(mb * 1024 * 1024)
    while size < limit:
        toks = []
        for _ in range(g.rng.randint(3, 6)):
            toks += g.sentence_tokens(g.rng.randint(0, 2), g.rng.randint(0, 1), host)
            toks.append(("text", " "))
        p = g.render_dossier_inline(toks).strip()
        parts.append(p)
        size += len(p.encode()) + 2
        if len(parts) % 40 == 0:
            parts.append("## Part " + str(len(parts)))
    del g.index["huge-note"]
    return "\n\n".join(parts) + "\n"


def many_refs_body(g, count):
    """`count` cross-references, 50 to a paragraph, cycling over every entry in every written form."""
    host = Entry("note", "many-refs", "A note with many references")
    ids = [e.id for e in g.entries]
    paras, cur = [], []
    for i in range(count):
        tok = g.ref_token(ids[i % len(ids)], host)
        cur.append(g.render_dossier_inline([tok]))
        if len(cur) == 50:
            paras.append("See " + ", ".join(cur) + ".")
            cur = []
    if cur:
        paras.append("See " + ", ".join(cur) + ".")
    return "\n\n".join(paras) + "\n"


def hugo_yaml(value, indent=0):
    pad = "  " * indent
    if isinstance(value, dict):
        return "".join(f"{pad}{k}:" + (("\n" + hugo_yaml(v, indent + 1)) if isinstance(v, (dict, list)) and v else " " + scalar(v) + "\n")
                       for k, v in value.items())
    if isinstance(value, list):
        out = ""
        for v in value:
            if isinstance(v, dict):
                inner = hugo_yaml(v, indent + 1).lstrip()
                out += f"{pad}- {inner}"
            else:
                out += f"{pad}- {scalar(v)}\n"
        return out
    return pad + scalar(value) + "\n"


def scalar(v):
    if isinstance(v, (list, dict)):
        return "[]" if isinstance(v, list) else "{}"
    return yq(str(v))


HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="stylesheet" href="{{ "css/site.css" | relURL }}">
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav>{{ range .Site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ .Site.Title }}</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
{{ $d := .Params.dossier }}
<article class="entry entry-{{ .Section }}">
<h1>{{ .Title }}</h1>
{{ with $d.names }}<p class="aliases">Also known as {{ delimit . ", " }}</p>{{ end }}
{{ with $d.summary }}<p class="summary">{{ . }}</p>{{ end }}
{{ with $d.edtf }}<p class="date">{{ . }}</p>{{ end }}
{{ with $d.roles }}<ul class="roles">{{ range . }}<li>{{ . }}</li>{{ end }}</ul>{{ end }}
{{ with $d.relations }}<h2>Relations</h2><ul>{{ range . }}{{ $r := . }}{{ with site.GetPage (printf "/people/%s" .person) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ $r.kind }}</li>{{ end }}{{ end }}</ul>{{ end }}
{{ with $d.affiliations }}<h2>Affiliations</h2><ul>{{ range . }}{{ $a := . }}{{ with site.GetPage (printf "/organizations/%s" .org) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ $a.role }}</li>{{ end }}{{ end }}</ul>{{ end }}
{{ with $d.people }}<h2>People</h2><ul>{{ range . }}{{ with site.GetPage (printf "/people/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
{{ with $d.organizations }}<h2>Organisations</h2><ul>{{ range . }}{{ with site.GetPage (printf "/organizations/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
{{ with $d.places }}<h2>Places</h2><ul>{{ range . }}{{ with site.GetPage (printf "/places/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
<div class="body">{{ .Content }}</div>
{{ with $d.sources }}<h2>Sources</h2><ul>{{ range . }}{{ with site.GetPage (printf "/sources/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="list">
{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.dossier.summary }} — {{ . }}{{ end }}</li>
{{ end }}</ul>
{{ end }}
""",
    "timeline/list.html": """{{ define "main" }}
<h1>Timeline</h1>
{{ $events := sort (where site.RegularPages "Section" "events") "Params.sortkey" }}
{{ range $events.GroupByParam "year" }}
<h2>{{ .Key }}</h2>
<ol>{{ range sort .Pages "Params.sortkey" }}<li><time>{{ .Params.dossier.edtf }}</time> <a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
{{ end }}
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<p>{{ .Site.Params.description }}</p>
{{ range .Site.Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ len .Pages }} entries</p></section>
{{ end }}
<h2>Case notes</h2>
<ul>{{ range first 20 (where site.RegularPages "Section" "notes").ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Not found</h1><p><a href="{{ "/" | relURL }}">Front page</a></p>{{ end }}
""",
}

SECTION_TITLES = {"people": "People", "organizations": "Organisations", "places": "Places", "events": "Events",
                  "sources": "Sources", "notes": "Case notes"}


def write_hugo(g, out):
    site = os.path.join(out, "hugo")
    write(os.path.join(site, "config.toml"),
          'baseURL = "/"\n'
          'title = "Synthetic dossier"\n'
          'languageCode = "en"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
          'relativeURLs = true\n'
          'enableGitInfo = false\n'
          '[params]\n'
          'description = "A deterministic synthetic dossier for benchmarking (Hugo twin)."\n'
          '[markup.goldmark.renderer]\n'
          'unsafe = false\n')
    for rel, text in HUGO_LAYOUTS.items():
        write(os.path.join(site, "layouts", rel), text)
    write(os.path.join(site, "static", "css", "site.css"), "body{font-family:serif;max-width:40em;margin:auto}\n")
    for folder, title in SECTION_TITLES.items():
        write(os.path.join(site, "content", folder, "_index.md"), f'---\ntitle: "{title}"\n---\n')
    write(os.path.join(site, "content", "timeline", "_index.md"), '---\ntitle: "Timeline"\n---\n')
    for e in g.entries:
        fm = {"title": e.title}
        if e.type == "event":
            fm["sortkey"] = e.sortkey
            fm["year"] = e.year
        head = "---\n" + hugo_yaml(fm) + "dossier:\n" + hugo_yaml(e.hugo_fm_extra, 1) + "---\n\n"
        write(os.path.join(site, "content", FOLDERS[e.type], e.id + ".md"), head + g.render_body(e, hugo=True))


def bodies_only(folder):
    """All bodies of DIR/Content (front-matter stripped), concatenated into DIR/cmark/all-bodies.md."""
    content = os.path.join(folder, "Content")
    bodies = []
    for root, dirs, files in os.walk(content):
        dirs.sort()
        if os.path.relpath(root, content).split(os.sep)[0] == "assets":
            continue
        for name in sorted(files):
            if not name.endswith(".md"):
                continue
            with open(os.path.join(root, name), encoding="utf-8") as f:
                text = f.read()
            if text.startswith("---\n"):
                end = text.find("\n---\n", 4)
                if end >= 0:
                    text = text[end + 5:]
            bodies.append(text)
    write(os.path.join(folder, "cmark", "all-bodies.md"), "\n\n".join(bodies))
    print(f"{len(bodies)} bodies -> {os.path.join(folder, 'cmark', 'all-bodies.md')}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--notes", type=int, default=1000, help="number of entries (all types together)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="output folder (replaced)")
    ap.add_argument("--no-hugo", action="store_true", help="skip the Hugo twin")
    ap.add_argument("--huge-note-mb", type=float, default=0, help="add notes/huge-note.md with a body of this many MB")
    ap.add_argument("--many-refs", type=int, default=0, help="add notes/many-refs.md with this many [[references]]")
    ap.add_argument("--bodies-only", metavar="DIR", help="only (re)write DIR/cmark/all-bodies.md from DIR/Content")
    args = ap.parse_args()
    if args.bodies_only:
        bodies_only(args.bodies_only)
        return
    if not args.out:
        ap.error("--out is required")
    out = os.path.realpath(args.out)
    if os.path.exists(out):
        if os.getcwd() == out or os.getcwd().startswith(out + os.sep):
            ap.error("--out must not be the current folder or one of its parents")
        if os.listdir(out) and not os.path.exists(os.path.join(out, "meta.json")):
            ap.error(f"{args.out} exists and was not made by generate.py (no meta.json); refusing to replace it")
        shutil.rmtree(out)
    g = Generator(args.notes, args.seed)
    g.seed = args.seed
    g.generate()
    write_dossier(g, args.out, args.huge_note_mb, args.many_refs)
    if not args.no_hugo and not args.huge_note_mb and not args.many_refs:
        write_hugo(g, args.out)
    # What the benchmark edits: the most-linked person, and one ordinary case note.
    person = g.index[g.star]
    note = g.by_type["note"][len(g.by_type["note"]) // 2]
    meta = {"notes": len(g.entries), "seed": args.seed, "counts": g.counts,
            "rename_person": {"id": person.id, "name": person.title, "file": f"people/{person.id}.md",
                              "linking_pages": len(g.inbound[person.id])},
            "edit_note": {"id": note.id, "file": f"notes/{note.id}.md"},
            "huge_note_mb": args.huge_note_mb, "many_refs": args.many_refs}
    write(os.path.join(args.out, "meta.json"), json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: meta[k] for k in ("notes", "counts", "rename_person")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
