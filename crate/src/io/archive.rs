//! Zip archives (a Camtrap DP package is often shared zipped): entries become input files
//! named `<archive stem>/<path inside>`.

use super::{InputFile, IoError};
use std::io::Read;

/// Whether the bytes start like a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Expands a zip into files; directories and macOS metadata are left out.
pub fn expand_zip(file: &InputFile) -> Result<Vec<InputFile>, IoError> {
    let stem = file.name.trim_end_matches(".zip").trim_end_matches(".ZIP");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&file.bytes[..]))
        .map_err(|e| IoError::new(&file.name, format!("not a readable zip archive: {e}")))?;
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut entry =
            zip.by_index(i).map_err(|e| IoError::new(&file.name, format!("zip entry {i} cannot be read: {e}")))?;
        if entry.is_dir() || entry.name().starts_with("__MACOSX/") {
            continue;
        }
        let Some(path) = entry.enclosed_name() else {
            return Err(IoError::new(&file.name, format!("zip entry '{}' has an unsafe path", entry.name())));
        };
        let path = path.to_string_lossy().replace('\\', "/");
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| IoError::new(&file.name, format!("zip entry '{path}' cannot be read: {e}")))?;
        out.push(InputFile::new(format!("{stem}/{path}"), bytes));
    }
    Ok(out)
}

/// Writes files into a zip (stored with a fixed timestamp, so the bytes are reproducible).
pub fn write_zip(files: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, bytes) in files {
            zip.start_file(*name, opts).expect("in-memory zip");
            zip.write_all(bytes).expect("in-memory zip");
        }
        zip.finish().expect("in-memory zip");
    }
    buf.into_inner()
}
