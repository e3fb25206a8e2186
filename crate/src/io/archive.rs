//! Zip archives (a Camtrap DP package is often shared zipped): entries become input files
//! named `<archive stem>/<path inside>`.

use super::{InputFile, IoError};
use crate::model::message::Message;
use serde::{Deserialize, Serialize};
use std::io::Read;

/// Whether the bytes start like a zip archive.
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// How far a zip archive may expand: entries are read through these limits, so neither a size
/// header that lies nor a zip bomb (a small archive that inflates to gigabytes) can exhaust
/// memory. Sizes are uncompressed bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ZipLimits {
    /// Largest entry, declared or actual.
    pub max_entry_bytes: u64,
    /// Largest sum of all entries of one archive.
    pub max_total_bytes: u64,
    /// Largest ratio of uncompressed to compressed size, for entries above
    /// [`ZipLimits::ratio_above_bytes`]. Deflate cannot exceed about 1032:1 (RFC 1951 blocks),
    /// so a real file never does; nested or overlapping-entry bombs do.
    pub max_ratio: u64,
    /// Entries up to this size are not held to [`ZipLimits::max_ratio`] (a small file of
    /// zeros compresses very well and is harmless).
    pub ratio_above_bytes: u64,
}

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

impl Default for ZipLimits {
    /// 2 GiB per entry and 4 GiB per archive natively; 1 GiB and 1.5 GiB in WebAssembly (a
    /// 32-bit address space of 4 GiB that also holds the archive and what is read from it);
    /// a ratio of 1000:1 above 16 MiB.
    fn default() -> Self {
        let (entry, total) = if cfg!(target_arch = "wasm32") { (GIB, 3 * GIB / 2) } else { (2 * GIB, 4 * GIB) };
        ZipLimits { max_entry_bytes: entry, max_total_bytes: total, max_ratio: 1000, ratio_above_bytes: 16 * MIB }
    }
}

impl ZipLimits {
    /// Whether these are the defaults (left out of serialised options).
    pub fn is_default(&self) -> bool {
        *self == ZipLimits::default()
    }
}

/// A byte count for messages: `3.0 GiB`, `12.5 MiB`, `900 bytes`.
fn size_text(n: u64) -> String {
    if n >= GIB {
        format!("{:.1} GiB", n as f64 / GIB as f64)
    } else if n >= MIB {
        format!("{:.1} MiB", n as f64 / MIB as f64)
    } else {
        format!("{n} bytes")
    }
}

/// Expands a zip into files with the default [`ZipLimits`]; directories and macOS metadata
/// are left out.
pub fn expand_zip(file: &InputFile) -> Result<Vec<InputFile>, IoError> {
    expand_zip_within(file, &ZipLimits::default())
}

/// Expands a zip into files, refusing (with the entry named) an entry or archive that would
/// exceed `limits`. No buffer is sized from a size the archive declares: each entry is read
/// through a cap (the smallest of the entry limit, what is left of the total and, above
/// [`ZipLimits::ratio_above_bytes`], its compressed size times the ratio), so memory never
/// goes past the limits whatever the headers say.
pub fn expand_zip_within(file: &InputFile, limits: &ZipLimits) -> Result<Vec<InputFile>, IoError> {
    let stem = file.name.trim_end_matches(".zip").trim_end_matches(".ZIP");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&file.bytes[..]))
        .map_err(|e| IoError::new(&file.name, Message::new("io.zip.unreadable").with("reason", e.to_string())))?;
    let mut out = Vec::new();
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip.by_index(i).map_err(|e| {
            IoError::new(&file.name, Message::new("io.zip.bad_entry").with("entry", i).with("reason", e.to_string()))
        })?;
        if entry.is_dir() || entry.name().starts_with("__MACOSX/") {
            continue;
        }
        let Some(path) = entry.enclosed_name() else {
            return Err(IoError::new(&file.name, Message::new("io.zip.unsafe_path").with("entry", entry.name())));
        };
        let path = path.to_string_lossy().replace('\\', "/");
        let bytes = read_entry(&file.name, &path, entry, limits, total)?;
        total += bytes.len() as u64;
        out.push(InputFile::new(format!("{stem}/{path}"), bytes));
    }
    Ok(out)
}

/// Reads one entry within `limits` (`total`: what the archive's earlier entries took).
fn read_entry(
    archive: &str,
    path: &str,
    mut entry: zip::read::ZipFile<'_, std::io::Cursor<&[u8]>>,
    limits: &ZipLimits,
    total: u64,
) -> Result<Vec<u8>, IoError> {
    let compressed = entry.compressed_size();
    let too_large = |size: u64| {
        IoError::at(
            archive,
            None,
            Some(path),
            Message::new("io.zip.too_large")
                .with("entry", path)
                .with("size", size_text(size))
                .with("limit", size_text(limits.max_entry_bytes)),
        )
    };
    let total_too_large = |size: u64| {
        IoError::at(
            archive,
            None,
            Some(path),
            Message::new("io.zip.total_too_large")
                .with("entry", path)
                .with("size", size_text(size))
                .with("limit", size_text(limits.max_total_bytes)),
        )
    };
    let bomb = |size: u64| {
        IoError::at(
            archive,
            None,
            Some(path),
            Message::new("io.zip.bomb")
                .with("entry", path)
                .with("size", size_text(size))
                .with("compressed", size_text(compressed))
                .with("ratio", size / compressed.max(1))
                .with("limit", limits.max_ratio),
        )
    };
    let ratio_cap = compressed.saturating_mul(limits.max_ratio).max(limits.ratio_above_bytes);
    let declared = entry.size();
    if declared > limits.max_entry_bytes {
        return Err(too_large(declared));
    }
    if declared > ratio_cap {
        return Err(bomb(declared));
    }
    if total.saturating_add(declared) > limits.max_total_bytes {
        return Err(total_too_large(total.saturating_add(declared)));
    }
    let cap = limits.max_entry_bytes.min(limits.max_total_bytes.saturating_sub(total)).min(ratio_cap);
    // Reserve what is declared only up to 64 MiB; past that the buffer grows as bytes arrive.
    let mut bytes = Vec::with_capacity(declared.min(cap).min(64 * MIB) as usize);
    (&mut entry).take(cap.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| {
        IoError::new(archive, Message::new("io.zip.bad_named_entry").with("entry", path).with("reason", e.to_string()))
    })?;
    if bytes.len() as u64 > cap {
        // More than the header said, and more than the limits allow: a header that lies.
        return Err(IoError::at(
            archive,
            None,
            Some(path),
            Message::new("io.zip.lying_size")
                .with("entry", path)
                .with("declared", size_text(declared))
                .with("limit", size_text(cap)),
        ));
    }
    Ok(bytes)
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
