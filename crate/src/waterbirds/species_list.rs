//! The joint species list: one row per accepted species (AviList 2025) recorded in any file, with
//! its names in the five languages, IUCN category, which countries record it, the names each
//! country used, and every taxonomic conflict (a synonym resolved, or a name whose meaning is
//! wider in another checklist, flagged). Exported as CSV or xlsx in any of the five languages.
//!
//! ```
//! use borderless::io::InputFile;
//! use borderless::model::lang::Lang;
//! use borderless::waterbirds::{counts::read_counts, sites::read_sites, species_list::*, taxonomy::Taxonomy};
//! let t = Taxonomy::get();
//! let (sites, _) = read_sites(&InputFile::new("s.csv", "site,country\nA,CN\nB,RU\n")).unwrap();
//! let cn = read_counts(&InputFile::new("cn.csv", "site,date,species,count\nA,2019-04-01,白枕鹤,5\n"), &sites, t).unwrap();
//! let ru = read_counts(&InputFile::new("ru.csv", "site,date,species,count\nB,2019-04-01,Grus vipio,3\n"), &sites, t).unwrap();
//! let recs: Vec<_> = cn.records.iter().chain(&ru.records).cloned().collect();
//! let list = joint_species_list(&recs, &sites, t);
//! assert_eq!(list.len(), 1);
//! assert_eq!(list[0].scientific, "Antigone vipio");
//! assert_eq!(list[0].countries, ["CN", "RU"]);
//! assert!(species_list_csv(&list, Lang::Ru).contains("Даурский журавль"));
//! ```

use super::counts::CountRecord;
use super::message::Msg;
use super::sites::Sites;
use super::taxonomy::{Match, NameKind, Taxonomy, ACCEPTED_CHECKLIST};
use crate::model::lang::Lang;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// A name one country used for a species.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameUse {
    pub country: String,
    pub name: String,
    pub rows: usize,
}

/// One row of the joint species list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeciesEntry {
    pub scientific: String,
    pub checklist: &'static str,
    pub english: String,
    /// Curated names by language code (zh, ru, ko, mn); absent = not confirmed.
    pub names: BTreeMap<&'static str, String>,
    pub name_sources: BTreeMap<&'static str, String>,
    pub family: String,
    pub iucn: String,
    pub waterbird: bool,
    pub countries: Vec<String>,
    pub names_used: Vec<NameUse>,
    /// Synonyms resolved and wider meanings flagged.
    pub conflicts: Vec<Msg>,
}

/// Builds the joint species list from the records of every file (sorted by scientific name).
pub fn joint_species_list(records: &[CountRecord], sites: &Sites, taxonomy: &Taxonomy) -> Vec<SpeciesEntry> {
    let mut by: BTreeMap<&str, SpeciesEntry> = BTreeMap::new();
    for r in records {
        let s = taxonomy.species(r.species);
        let e = by.entry(s.scientific.as_str()).or_insert_with(|| {
            let codes = ["zh", "ru", "ko", "mn"];
            let mut conflicts = Vec::new();
            for (checklist, others) in taxonomy.concept_conflicts(r.species) {
                let species =
                    others.iter().map(|&o| taxonomy.species(o).scientific.clone()).collect::<Vec<_>>().join(", ");
                conflicts.push(Msg::ConceptDiffers {
                    name: s.scientific.clone(),
                    checklist: checklist.to_string(),
                    species,
                });
            }
            SpeciesEntry {
                scientific: s.scientific.clone(),
                checklist: ACCEPTED_CHECKLIST,
                english: s.english.clone(),
                names: codes
                    .iter()
                    .zip(&s.names)
                    .filter(|(_, n)| !n.is_empty())
                    .map(|(c, n)| (*c, n.clone()))
                    .collect(),
                name_sources: codes
                    .iter()
                    .zip(&s.sources)
                    .filter(|(_, n)| !n.is_empty())
                    .map(|(c, n)| (*c, n.clone()))
                    .collect(),
                family: s.family.clone(),
                iucn: s.iucn.clone(),
                waterbird: s.waterbird,
                countries: Vec::new(),
                names_used: Vec::new(),
                conflicts,
            }
        });
        let country = sites.sites[r.site].country.clone();
        if !country.is_empty() && !e.countries.contains(&country) {
            e.countries.push(country.clone());
        }
        match e.names_used.iter_mut().find(|u| u.country == country && u.name == r.name) {
            Some(u) => u.rows += 1,
            None => {
                e.names_used.push(NameUse { country, name: r.name.clone(), rows: 1 });
                if let Match::One { kind: NameKind::Synonym | NameKind::Subspecies, checklists, .. } =
                    taxonomy.lookup(&r.name)
                {
                    let m = Msg::SynonymResolved {
                        name: r.name.clone(),
                        checklist: checklists,
                        accepted: s.scientific.clone(),
                    };
                    if !e.conflicts.contains(&m) {
                        e.conflicts.push(m);
                    }
                }
            }
        }
    }
    let mut out: Vec<SpeciesEntry> = by.into_values().collect();
    for e in &mut out {
        e.countries.sort();
        e.names_used.sort_by(|a, b| (&a.country, &a.name).cmp(&(&b.country, &b.name)));
    }
    out
}

fn headers(lang: Lang) -> [&'static str; 9] {
    [
        lang.pick([
            "Scientific name (AviList 2025)",
            "学名 (AviList 2025)",
            "Научное название (AviList 2025)",
            "학명 (AviList 2025)",
            "Шинжлэх ухааны нэр (AviList 2025)",
        ]),
        lang.pick(["English name", "中文名", "Русское название", "국명", "Монгол нэр"]),
        lang.pick(["Source of the name", "名称来源", "Источник названия", "이름 출처", "Нэрийн эх сурвалж"]),
        lang.pick(["Family", "科", "Семейство", "과", "Овог"]),
        lang.pick(["IUCN category", "IUCN 等级", "Категория МСОП", "IUCN 범주", "IUCN ангилал"]),
        lang.pick(["Waterbird", "水鸟", "Водно-болотная птица", "물새", "Усны шувуу"]),
        lang.pick(["Countries recording it", "记录国家", "Страны, где отмечен", "기록 국가", "Бүртгэсэн улс"]),
        lang.pick(["Names used", "使用的名称", "Использованные названия", "사용된 이름", "Хэрэглэсэн нэр"]),
        lang.pick(["Conflicts", "分类冲突", "Таксономические расхождения", "분류 불일치", "Ангиллын зөрүү"]),
    ]
}

/// The table as rows of text cells in a language (header first). A species without a confirmed
/// name in the language shows its scientific name and an empty source.
pub fn species_list_rows(list: &[SpeciesEntry], lang: Lang) -> Vec<Vec<String>> {
    let yes_no = |b: bool| {
        if b {
            lang.pick(["yes", "是", "да", "예", "тийм"])
        } else {
            lang.pick(["no", "否", "нет", "아니오", "үгүй"])
        }
    };
    let mut rows = vec![headers(lang).iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    for e in list {
        let (name, source) = match lang {
            Lang::En => (e.english.clone(), ACCEPTED_CHECKLIST.to_string()),
            l => {
                let code = l.code();
                match e.names.get(code) {
                    Some(n) => (n.clone(), e.name_sources.get(code).cloned().unwrap_or_default()),
                    None => (e.scientific.clone(), String::new()),
                }
            }
        };
        let used = e
            .names_used
            .iter()
            .map(|u| format!("{}: {} ({})", u.country, u.name, u.rows))
            .collect::<Vec<_>>()
            .join("; ");
        let conflicts = e.conflicts.iter().map(|m| m.text(lang)).collect::<Vec<_>>().join("; ");
        rows.push(vec![
            e.scientific.clone(),
            name,
            source,
            e.family.clone(),
            e.iucn.clone(),
            yes_no(e.waterbird).to_string(),
            e.countries.join(", "),
            used,
            conflicts,
        ]);
    }
    rows
}

/// CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the names correctly).
pub fn species_list_csv(list: &[SpeciesEntry], lang: Lang) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in species_list_rows(list, lang) {
        let _ = w.write_record(&r);
    }
    let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    format!("\u{feff}{body}")
}

fn xml_escape(s: &str) -> String {
    s.chars().filter(|c| !matches!(*c as u32, 0..=8 | 11 | 12 | 14..=31)).fold(String::new(), |mut o, c| {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            c => o.push(c),
        }
        o
    })
}

/// The species list as an xlsx workbook (see [`xlsx_bytes`]).
pub fn species_list_xlsx(list: &[SpeciesEntry], lang: Lang) -> Vec<u8> {
    xlsx_bytes(&species_list_rows(list, lang))
}

/// A minimal Office Open XML workbook of one sheet of text cells (inline strings), readable by
/// Excel, LibreOffice and calamine.
///
/// ```
/// use calamine::Reader;
/// let b = borderless::waterbirds::species_list::xlsx_bytes(&[vec!["a".into(), "黑脸琵鹭".into()]]);
/// let mut wb = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(b)).unwrap();
/// let r = wb.worksheet_range_at(0).unwrap().unwrap();
/// assert_eq!(r.get_value((0, 1)).unwrap().to_string(), "黑脸琵鹭");
/// ```
pub fn xlsx_bytes(rows: &[Vec<String>]) -> Vec<u8> {
    let col = |mut i: usize| {
        let mut s = String::new();
        loop {
            s.insert(0, (b'A' + (i % 26) as u8) as char);
            if i < 26 {
                break;
            }
            i = i / 26 - 1;
        }
        s
    };
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            sheet.push_str(&format!(
                r#"<c r="{}{}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#,
                col(c),
                r + 1,
                xml_escape(v)
            ));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let files: [(&str, String); 5] = [
        ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
        ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
        ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="species" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
        ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for (name, body) in files {
        if zip.start_file(name, opts).is_ok() {
            let _ = zip.write_all(body.as_bytes());
        }
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}
