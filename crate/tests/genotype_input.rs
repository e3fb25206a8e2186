//! Genotype tables per country as CSV or Excel, and merging them: a spreadsheet gives exactly the
//! CSV's result, and bad input is refused with a message naming the file, the row and the column.
//! The spreadsheets are built here (a minimal Office Open XML package written with the `zip`
//! crate), from the same cells as the CSV next to them. The matching figures come from allelematch
//! 3.0.0 on amExample1 (../shared/reference/allelematch/ex1_profile.csv: 2 allowed mismatches →
//! 12 unique, 0 unclassified, 0 multiple matches), which reference_allelematch.rs also checks.

mod support;
use support::Shared;

use borderless::identity::genotypes::{
    am_unique, merge_tables, GenotypeOptions, GenotypeTable, TableFormat, UniqueResult,
};
use std::io::Write;

const REF: Shared = Shared("reference/allelematch");

/// Column letters A, B, …, Z, AA, …
fn col_name(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap()
}

/// A one-sheet xlsx holding `rows` (numbers as numeric cells, everything else as inline strings).
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet += &format!(r#"<row r="{}">"#, r + 1);
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", col_name(c), r + 1);
            if v.is_empty() {
                continue;
            }
            if v.parse::<f64>().is_ok() {
                sheet += &format!(r#"<c r="{at}"><v>{v}</v></c>"#);
            } else {
                sheet += &format!(r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#);
            }
        }
        sheet += "</row>";
    }
    sheet += "</sheetData></worksheet>";
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string(),
        ),
        (
            "xl/workbook.xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="genotypes" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string(),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string(),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        z.start_file(name, o).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    r.records().map(|x| x.unwrap().iter().map(String::from).collect()).collect()
}

fn summary(r: &UniqueResult) -> Vec<(String, Vec<(String, f64)>)> {
    r.genotypes.iter().map(|g| (g.id.clone(), g.matches.iter().map(|m| (m.id.clone(), m.score)).collect())).collect()
}

#[test]
fn excel_table_gives_the_csv_result() {
    skip_without!(REF);
    let csv = std::fs::read_to_string(format!("{REF}/amExample1.csv")).unwrap();
    let book = xlsx(&csv_cells(&csv));
    assert_eq!(TableFormat::detect(&book), TableFormat::Zipped);
    assert_eq!(TableFormat::detect(csv.as_bytes()), TableFormat::Csv);
    let o = GenotypeOptions { individual_column: Some("knownIndividual".into()), ..Default::default() };
    let from_csv = GenotypeTable::from_bytes("amExample1.csv", csv.as_bytes(), &o).unwrap();
    let from_xlsx = GenotypeTable::from_bytes("amExample1.xlsx", &book, &o).unwrap();
    assert_eq!((from_xlsx.len(), from_xlsx.n_columns()), (20, 20));
    assert_eq!(from_xlsx.ids, from_csv.ids);
    assert_eq!(from_xlsx.meta, from_csv.meta);
    assert_eq!(from_xlsx.individual(0), Some("AAA"));
    assert_eq!(from_xlsx.origin(19), ("amExample1.xlsx", 21));
    for i in 0..20 {
        assert_eq!(from_xlsx.alleles(i), from_csv.alleles(i));
    }
    let (a, b) = (am_unique(&from_csv, 2.0), am_unique(&from_xlsx, 2.0));
    // allelematch 3.0.0, ex1_profile.csv row alleleMismatch = 2.
    assert_eq!((b.unique, b.unclassified, b.multiple_matches), (12, 0, 0));
    assert_eq!(summary(&a), summary(&b));
}

fn opts() -> GenotypeOptions {
    GenotypeOptions {
        catalog_column: Some("country".into()),
        meta_columns: vec!["date".into(), "location".into()],
        missing: -9,
        ..Default::default()
    }
}

const CN: &str = "sample,country,date,location,A1,A2,B1,B2\n\
                  c1,CN,2024-03-01,Hunchun,120,124,200,200\n\
                  c2,CN,2024-03-09,Hunchun,120,-9,200,204\n";
const RU: &str = "sample,country,date,location,B1,B2,A1,A2\n\
                  r1,RU,2024-04-02,Land of the Leopard,200,200,120,124\n";

fn table(file: &str, text: &str) -> GenotypeTable {
    GenotypeTable::from_bytes(file, text.as_bytes(), &opts()).unwrap()
}

fn err(file: &str, text: &str) -> String {
    GenotypeTable::from_bytes(file, text.as_bytes(), &opts()).unwrap_err().to_string()
}

#[test]
fn country_files_merge_with_metadata_and_catalogs() {
    let (t, catalog) = merge_tables(&[table("cn.csv", CN), table("ru.csv", RU)], &["CN".into(), "RU".into()]).unwrap();
    assert_eq!(t.ids, ["c1", "c2", "r1"]);
    assert_eq!(catalog, ["CN", "CN", "RU"]);
    assert_eq!(t.meta_names, ["date", "location", "country"]);
    assert_eq!(t.meta[2], ["2024-04-02", "Land of the Leopard", "RU"]);
    assert_eq!(t.catalog(2), Some("RU"));
    assert_eq!(t.origin(1), ("cn.csv", 3));
    assert_eq!(t.origin(2), ("ru.csv", 2));
    // RU's columns are in another order: matched by name, so r1 equals c1 column for column.
    assert_eq!(t.similarity(0, 2), 1.0);
    // c2 vs c1: A1 equal, A2 missing in c2 (½), B1 equal, B2 differs → 2.5 / 4.
    assert_eq!(t.similarity(0, 1), 2.5 / 4.0);
    // The same table as a spreadsheet, with the spreadsheet's own row numbers.
    let book = xlsx(&csv_cells(CN));
    let x = GenotypeTable::from_bytes("cn.xlsx", &book, &opts()).unwrap();
    assert_eq!((x.ids.clone(), x.meta.clone()), (table("cn.csv", CN).ids, table("cn.csv", CN).meta));
    assert_eq!(x.origin(1), ("cn.xlsx", 3));
}

#[test]
fn bad_country_files_are_refused_with_file_row_and_column() {
    let catalogs = ["CN".to_string(), "RU".to_string()];
    let ru_short = table("ru.csv", "sample,country,date,location,A1,A2\nr1,RU,2024-04-02,x,120,124\n");
    let e = merge_tables(&[table("cn.csv", CN), ru_short], &catalogs).unwrap_err();
    assert_eq!(e.to_string(), "ru.csv, row 1, column 'B': locus B (present in cn.csv) is missing");

    let empty =
        table("ru.csv", "sample,country,date,location,A1,A2,B1,B2\nr1,RU,,,120,124,200,200\nr2,,,,120,124,200,200\n");
    let e = merge_tables(&[table("cn.csv", CN), empty], &catalogs).unwrap_err();
    assert_eq!(e.to_string(), "ru.csv, row 3, column 'country': sample \"r2\" has no country/catalog");

    let mongolia = table("mn.csv", "sample,country,date,location,A1,A2,B1,B2\nm1,MN,,,120,124,200,200\n");
    let e = merge_tables(&[table("cn.csv", CN), mongolia], &catalogs).unwrap_err();
    assert_eq!(
        e.to_string(),
        "mn.csv, row 2, column 'country': sample \"m1\": unknown country/catalog \"MN\" (expected one of CN, RU)"
    );

    let twice = table("ru.csv", "sample,country,date,location,A1,A2,B1,B2\nr1,RU,,,120,124,200,200\nc2,RU,,,1,2,3,4\n");
    let e = merge_tables(&[table("cn.csv", CN), twice], &catalogs).unwrap_err();
    assert_eq!(e.to_string(), "ru.csv, row 3, column 'sample': duplicate sample ID \"c2\" (also in cn.csv, row 3)");

    assert_eq!(
        err("odd.csv", "sample,country,date,location,A1,A2,B1\nc1,CN,,,1,2,3\n"),
        "odd.csv, row 1, column 'B1': odd number of allele columns (3); alleles come in pairs per locus"
    );
    assert_eq!(
        err("text.csv", "sample,country,date,location,A1,A2\nc1,CN,,,120,124\nc2,CN,,,12O,124\n"),
        "text.csv, row 3, column 'A1': allele \"12O\" is not a number"
    );
    assert_eq!(
        err("zero.csv", "sample,country,date,location,A1,A2\nc1,CN,,,0,124\n"),
        "zero.csv, row 2, column 'A1': impossible allele 0 (alleles are positive; missing code is -9)"
    );
    assert_eq!(
        err("neg.csv", "sample,country,date,location,A1,A2\nc1,CN,,,120,-99\n"),
        "neg.csv, row 2, column 'A2': impossible allele -99 (alleles are positive; missing code is -9)"
    );
    assert_eq!(
        err("frac.csv", "sample,country,date,location,A1,A2\nc1,CN,,,120.5,124\n"),
        "frac.csv, row 2, column 'A1': impossible allele 120.5 (allele sizes are whole numbers)"
    );
    assert_eq!(
        err("nocol.csv", "sample,date,location,A1,A2\nc1,,,120,124\n"),
        "nocol.csv, row 1, column 'country': no such column"
    );
    // In a spreadsheet the row is the sheet's row.
    let book = xlsx(&csv_cells("sample,country,date,location,A1,A2\nc1,CN,,,120,124\nc2,CN,,,abc,124\n"));
    let e = GenotypeTable::from_bytes("bad.xlsx", &book, &opts()).unwrap_err();
    assert_eq!(e.to_string(), "bad.xlsx, row 3, column 'A1': allele \"abc\" is not a number");
    // Without a catalog column the merge cannot tell countries apart.
    let plain = GenotypeOptions { missing: -9, ..Default::default() };
    let t = GenotypeTable::from_bytes("plain.csv", b"id,A1,A2\nx,1,2\n", &plain).unwrap();
    let e = merge_tables(&[t], &catalogs).unwrap_err();
    assert_eq!(
        e.to_string(),
        "plain.csv, row 1: no catalog column (say which column holds each sample's country/catalog)"
    );
}

/// A genotype spreadsheet dropped with the catalogs (as on the page) is read as a table — not
/// expanded as a zip — and gives the same genotype report as the same cells as CSV.
#[test]
fn dropped_spreadsheet_is_a_genotype_table() {
    use borderless::io::InputFile;
    use borderless::pipeline::{load_files, AnalysisOptions};
    let text = "sampleID,country,individualID,Pt01a,Pt01b,Pt02a,Pt02b\n\
                s1,CN,CN-T01,140,144,201,201\n\
                s2,RU,RU-T12,140,144,201,201\n\
                s3,CN,CN-T02,150,152,205,209\n";
    let demo = |n: &str| {
        let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../www/demo").join(n);
        InputFile::new(n, std::fs::read(p).unwrap())
    };
    let run = |f: InputFile| {
        let loaded = load_files(vec![demo("cn.zip"), demo("ru.zip"), f], &AnalysisOptions::default(), &mut |_| {});
        let r = loaded.reports.iter().find(|r| r.file.starts_with("scats")).expect("a report for the table").clone();
        (r.kind, r.rows_read, r.rows_used, loaded.genotypes.len(), loaded.genotype_links().len())
    };
    let from_csv = run(InputFile::new("scats.csv", text));
    let from_xlsx = run(InputFile::new("scats.xlsx", xlsx(&csv_cells(text))));
    assert_eq!(from_csv, ("genotype table".to_string(), 3, 3, 1, 1));
    assert_eq!(from_xlsx, from_csv);
}
