//! `borderless demo`: regenerate the simulated demo survey.

use super::common::{file_error, say};
use borderless::model::message::Message;
use std::path::Path;

pub(crate) fn demo(basemap: &Path, out: &Path, check: bool) -> Result<i32, Message> {
    let bytes = std::fs::read(basemap).map_err(|e| file_error(basemap.display(), e))?;
    let survey = borderless::pipeline::demo::generate(&bytes, &Default::default()).map_err(|e| e.message())?;
    let mut differ = Vec::new();
    for (rel, data) in &survey.files {
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
    eprintln!("{}", say(Message::new("cli.demo.done").with("seed", survey.seed).with("n", survey.files.len())));
    if !differ.is_empty() {
        eprintln!("{}", say(Message::new("cli.demo.differ").with("files", differ.join(", "))));
        return Ok(1);
    }
    Ok(0)
}
