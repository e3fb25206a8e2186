//! `borderless demo`: regenerate the simulated demo survey.

use super::common::{file_error, say};
use borderless::model::message::Message;
use std::path::Path;

pub(crate) fn demo(basemap: &Path, out: &Path, check: bool) -> Result<i32, Message> {
    let bytes = std::fs::read(basemap).map_err(|e| file_error(basemap.display(), e))?;
    let survey = borderless::pipeline::demo::generate(&bytes, &Default::default()).map_err(|e| e.message())?;
    write_or_check(out, &survey.files, check, survey.seed)
}

/// `borderless demo --snow-leopard`: the SIMULATED snow-leopard survey (default seed: the shipped one).
pub(crate) fn snow_demo(basemap: &Path, out: &Path, check: bool, seed: Option<u64>) -> Result<i32, Message> {
    use borderless::pipeline::snow_demo::{SnowConfig, SnowLayout};
    let bytes = std::fs::read(basemap).map_err(|e| file_error(basemap.display(), e))?;
    let cfg = SnowConfig::default();
    let seed = seed.unwrap_or(cfg.seed);
    let survey = SnowLayout::new(&bytes, &cfg).map_err(|e| e.message())?.survey(seed);
    write_or_check(out, &survey.files, check, seed)
}

fn write_or_check(out: &Path, files: &[(String, Vec<u8>)], check: bool, seed: u64) -> Result<i32, Message> {
    let mut differ = Vec::new();
    for (rel, data) in files {
        let p = out.join(rel);
        if check {
            if std::fs::read(&p).ok().as_deref() != Some(data.as_slice()) {
                differ.push(p.display().to_string());
            }
        } else {
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d).map_err(|e| file_error(d.display(), e))?;
            }
            std::fs::write(&p, data).map_err(|e| file_error(p.display(), e))?;
        }
    }
    eprintln!("{}", say(Message::new("cli.demo.done").with("seed", seed).with("n", files.len())));
    if !differ.is_empty() {
        eprintln!("{}", say(Message::new("cli.demo.differ").with("files", differ.join(", "))));
        return Ok(1);
    }
    Ok(0)
}
