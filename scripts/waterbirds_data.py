#!/usr/bin/env python3
"""Generates the waterbird taxonomy backbone and the regional common-name table embedded by
`crate/src/waterbirds/` (see crate/src/waterbirds/data/README.md for sources and licences).

Re-run after upgrading a source package:

    python3 -m venv /tmp/wb && /tmp/wb/bin/pip install birdnames==0.1.3
    /tmp/wb/bin/pip download --no-deps birdnet-analyzer==2.4.0 -d /tmp/wb-wheels
    /tmp/wb/bin/python scripts/waterbirds_data.py --birdnet-wheel /tmp/wb-wheels/birdnet_analyzer-2.4.0-py3-none-any.whl

Outputs (deterministic: the same inputs give byte-identical files):
* taxonomy.tsv -- every AviList 2025 species (scientific name, English name, family, IUCN
  category as AviList gives it), then the other checklists' names that differ from AviList
  (BirdLife/HBW 2024, eBird/Clements 2021-2024) linked to AviList species, and the AviList
  subspecies of waterbird families (a trinomial resolves to its species).
* names.tsv -- common names in zh (simplified), ru, ko, mn for the region's waterbirds, each with
  its source; empty where no source confirmed one.
"""

import argparse
import csv
import io
import os
import re
import sys
import unicodedata
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "crate", "src", "waterbirds", "data")

# Waterbird families as counted by Wetlands International's Waterbird Population Estimates, the
# source of Ramsar 1% thresholds (Ramsar Resolution VI.4; Strategic Framework, Criterion 6).
# Keep in step with WATERBIRD_FAMILIES in crate/src/waterbirds/taxonomy.rs.
WATERBIRD_FAMILIES = [
    "Gaviidae", "Podicipedidae", "Pelecanidae", "Phalacrocoracidae", "Anhingidae", "Ardeidae",
    "Balaenicipitidae", "Scopidae", "Ciconiidae", "Threskiornithidae", "Phoenicopteridae",
    "Anhimidae", "Anatidae", "Pedionomidae", "Gruidae", "Aramidae", "Rallidae", "Heliornithidae",
    "Eurypygidae", "Jacanidae", "Rostratulidae", "Dromadidae", "Haematopodidae", "Ibidorhynchidae",
    "Recurvirostridae", "Burhinidae", "Glareolidae", "Charadriidae", "Scolopacidae", "Laridae",
]

# Families also kept (not waterbirds for Criterion 5, but often on wetland count sheets, so a
# name of theirs is recognised rather than reported as unknown): seabirds that the EAAF
# Partnership added to its list, raptors and kingfishers.
ALSO_KEPT = [
    "Alcidae", "Stercorariidae", "Sulidae", "Fregatidae", "Procellariidae", "Hydrobatidae",
    "Oceanitidae", "Diomedeidae", "Accipitridae", "Pandionidae", "Alcedinidae",
]

# The region's waterbirds for which common names are curated: the flagship species first, then
# the commonest waterbirds of the Tumen / North-East Asian wetlands (AviList 2025 names).
REGIONAL = """
Platalea minor; Antigone vipio; Grus monacha; Grus japonensis; Anser cygnoides; Anser fabalis;
Anser serrirostris; Anser albifrons; Cygnus cygnus; Cygnus columbianus; Ciconia boyciana;
Anser anser; Anser erythropus; Tadorna tadorna; Tadorna ferruginea; Aix galericulata;
Mareca falcata; Mareca strepera; Mareca penelope; Anas platyrhynchos; Anas zonorhyncha;
Spatula clypeata; Anas acuta; Anas crecca; Sibirionetta formosa; Spatula querquedula;
Aythya ferina; Aythya fuligula; Aythya marila; Aythya baeri; Bucephala clangula;
Mergellus albellus; Mergus merganser; Mergus serrator; Mergus squamatus; Clangula hyemalis;
Histrionicus histrionicus; Tachybaptus ruficollis; Podiceps cristatus; Podiceps grisegena;
Podiceps auritus; Gavia stellata; Gavia arctica; Gavia pacifica; Phalacrocorax carbo;
Urile pelagicus; Phalacrocorax capillatus; Ardea cinerea; Ardea alba; Ardea intermedia;
Egretta garzetta; Egretta eulophotes; Nycticorax nycticorax; Botaurus stellaris;
Platalea leucorodia; Grus grus; Leucogeranus leucogeranus; Fulica atra; Gallinula chloropus;
Haematopus ostralegus; Himantopus himantopus; Recurvirostra avosetta; Vanellus vanellus;
Pluvialis squatarola; Pluvialis fulva; Anarhynchus alexandrinus; Thinornis dubius;
Numenius arquata; Numenius madagascariensis; Numenius phaeopus; Limosa limosa;
Limosa lapponica; Tringa nebularia; Tringa guttifer; Tringa totanus; Tringa erythropus;
Tringa glareola; Tringa brevipes; Xenus cinereus; Actitis hypoleucos; Calidris tenuirostris;
Calidris canutus; Calidris alpina; Calidris ruficollis; Calidris acuminata; Calidris pygmaea;
Gallinago gallinago; Arenaria interpres; Chroicocephalus ridibundus; Saundersilarus saundersi;
Larus crassirostris; Larus vegae; Larus schistisagus; Larus canus; Sterna hirundo;
Sternula albifrons; Chlidonias hybrida
"""

BIRDNET_SOURCE = "BirdNET-Analyzer 2.4.0 (PyPI, MIT), labels/V2.4/BirdNET_GLOBAL_6K_V2.4_Labels_{lang}.txt"


def norm_english(s):
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", s)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def birdnames_dir():
    import birdnames  # noqa: the package is the source

    return os.path.join(os.path.dirname(birdnames.__file__), "data", "processed")


def clean(s):
    return " ".join((s or "").replace("\t", " ").split())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--birdnet-wheel", help="birdnet_analyzer-2.4.0 wheel (for zh/ru/ko labels)")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    src = birdnames_dir()

    avilist = read_csv(os.path.join(src, "avilist_2025_taxonomy.csv"))
    kept = set(WATERBIRD_FAMILIES) | set(ALSO_KEPT)
    species = [r for r in avilist if r["avilist_taxon_rank"] == "species" and r["avilist_family"] in kept]
    species.sort(key=lambda r: r["scientific_name"])
    index = {r["scientific_name"]: i for i, r in enumerate(species)}
    by_english = {}
    for i, r in enumerate(species):
        by_english.setdefault(norm_english(r["avilist_common_name"]), []).append(i)
    family = {r["scientific_name"]: r["avilist_family"] for r in species}

    lines = [
        "# Waterbird taxonomy backbone, generated by scripts/waterbirds_data.py from the PyPI package",
        "# birdnames 0.1.3 (MIT): AviList 2025 (accepted), BirdLife/HBW 2024, eBird/Clements 2021-2024.",
        "# S<TAB>scientific<TAB>English<TAB>family<TAB>IUCN  -- AviList species; row order = species id",
        "# N<TAB>name<TAB>checklists<TAB>ids (| separated; two or more ids = the name is ambiguous)",
    ]
    for r in species:
        lines.append("\t".join(["S", r["scientific_name"], clean(r["avilist_common_name"]), r["avilist_family"], r["avilist_iucn_status"]]))

    # Other checklists' names, linked to AviList species.
    links = {}  # name -> {ids, checklists}
    report = []

    def add(name, ids, checklist):
        e = links.setdefault(name, [set(), set()])
        e[0].update(ids)
        e[1].add(checklist)

    checklists = [("birdlife", 2024, "birdlife_common_name"), ("ebird", 2021, "ebird_common_name"), ("ebird", 2022, "ebird_common_name"), ("ebird", 2023, "ebird_common_name"), ("ebird", 2024, "ebird_common_name")]
    for auth, year, eng_col in checklists:
        tag = f"{auth}{year}"
        rows = read_csv(os.path.join(src, f"{auth}_{year}_taxonomy.csv"))
        for r in rows:
            sci, eng = r["scientific_name"].strip(), clean(r.get(eng_col, ""))
            if not sci or len(sci.split()) != 2:
                continue
            fam = r.get(f"{auth}_family", "")
            by_sci = index.get(sci)
            by_eng = by_english.get(norm_english(eng), [])
            if by_sci is not None:
                avi_eng = norm_english(species[by_sci]["avilist_common_name"])
                ne = norm_english(eng)
                # A lump: the other checklist's English name is part of two or more AviList
                # species' names ("Bean Goose" in "Taiga Bean Goose" and "Tundra Bean Goose").
                part_of = [i for k, ids in by_english.items() if ne and k != ne and k.endswith(ne) for i in ids]
                if ne != avi_eng and not by_eng and len(part_of) >= 2 and by_sci in part_of:
                    add(sci, part_of, tag)
                    add(eng, part_of, tag)
                    report.append(f"lump {tag}: {sci} '{eng}' = " + ", ".join(species[i]['scientific_name'] for i in sorted(part_of)))
                elif eng and norm_english(eng) != avi_eng:
                    add(eng, [by_sci], tag)
                continue
            if len(by_eng) == 1:
                add(sci, by_eng, tag)
                continue
            # Same epithet in the same genus or family (gender agreement, genus moves).
            epithet = sci.split()[1]
            stem = epithet[:-2] if len(epithet) > 5 else epithet
            cands = [i for i, s in enumerate(species) if s["avilist_family"].lower() == fam.lower() and s["scientific_name"].split()[1].startswith(stem)]
            if fam and fam not in kept and fam.capitalize() not in kept:
                continue
            if len(cands) == 1:
                add(sci, cands, tag)
                if eng:
                    add(eng, cands, tag)
            else:
                report.append(f"unlinked {tag}: {sci} '{eng}' ({len(cands)} candidates)")

    # AviList subspecies of waterbird families resolve to their species.
    for r in avilist:
        if r["avilist_taxon_rank"] != "subspecies" or r["avilist_family"] not in WATERBIRD_FAMILIES:
            continue
        parts = r["scientific_name"].split()
        if len(parts) == 3 and " ".join(parts[:2]) in index and parts[1] != parts[2]:
            add(r["scientific_name"], [index[" ".join(parts[:2])]], "avilist2025")

    for name in sorted(links):
        ids, cls = links[name]
        if len(ids) == 1 and name in index and index[name] in ids:
            continue
        if len(ids) == 1 and norm_english(name) == norm_english(species[next(iter(ids))]["avilist_common_name"]):
            continue
        lines.append("\t".join(["N", name, ",".join(sorted(cls)), "|".join(str(i) for i in sorted(ids))]))

    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "taxonomy.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")

    # Common names.
    regional = [s.strip() for s in REGIONAL.replace("\n", " ").split(";") if s.strip()]
    missing = [s for s in regional if s not in index]
    if missing:
        sys.exit(f"not AviList 2025 species: {missing}")
    labels = {}
    if args.birdnet_wheel:
        z = zipfile.ZipFile(args.birdnet_wheel)
        for lang in ["zh", "ru", "ko"]:
            text = z.read(f"birdnet_analyzer/labels/V2.4/BirdNET_GLOBAL_6K_V2.4_Labels_{lang}.txt").decode("utf-8")
            d = {}
            for line in text.splitlines():
                if "_" in line:
                    sci, name = line.split("_", 1)
                    d[sci.strip()] = name.strip()
            labels[lang] = d
    manual = {}
    mpath = os.path.join(args.out, "names_manual.tsv")
    if os.path.exists(mpath):
        for row in csv.reader(open(mpath, encoding="utf-8"), delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            sci, lang, name, source = row[:4]
            manual[(sci, lang)] = (name, source)

    # A BirdNET label is keyed by its (eBird) scientific name: link it as the taxonomy does.
    def label(lang, sci):
        d = labels.get(lang, {})
        if sci in d:
            return d[sci]
        for name, (ids, _) in links.items():
            if ids == {index[sci]} and name in d:
                return d[name]
        return ""

    out = ["# Common names of the region's waterbirds (scientific name = AviList 2025). Generated by",
           "# scripts/waterbirds_data.py from BirdNET-Analyzer labels and names_manual.tsv; every name",
           "# has its source. An empty name means no source confirmed one: show the scientific name.",
           "scientific\tzh\tzh_source\tru\tru_source\tko\tko_source\tmn\tmn_source"]
    for sci in regional:
        row = [sci]
        for lang in ["zh", "ru", "ko", "mn"]:
            if (sci, lang) in manual:
                name, source = manual[(sci, lang)]
            else:
                name = label(lang, sci)
                source = BIRDNET_SOURCE.format(lang=lang) if name else ""
            row += [name, source]
        out.append("\t".join(row))
    with open(os.path.join(args.out, "names.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out) + "\n")
    for line in report:
        if any(w in line for w in ["Anser", "Grus", "Larus", "Cygnus", "Platalea", "Ardea", "Egretta"]):
            print(line, file=sys.stderr)
    print(f"{len(species)} species, {len(lines) - 4 - len(species)} other names, {len(regional)} regional species", file=sys.stderr)


if __name__ == "__main__":
    main()
