//! The layering rule of the core, checked on the sources: a module may import only the layers
//! below it (see `src/lib.rs`), siblings of one layer do not import each other, no source file is
//! over 1,500 lines, and no function is over 150 lines without a stated reason (a comment
//! containing `long function:` within the three lines above it).
//!
//! Imports are read as text: every `crate::<module>` path outside comments counts, whether in a
//! `use` or inline.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Layers, bottom first. Modules of one layer are siblings.
const LAYERS: &[&[&str]] = &[
    &["model"],
    &["io"],
    &["spatial"],
    &["identity", "estimation", "activity", "waterbirds"],
    &["privacy"],
    &["render"],
    &["pipeline"],
    &["outreach"],
    &["wasm", "bin"],
];

const MAX_FILE_LINES: usize = 1500;
const MAX_FN_LINES: usize = 150;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn sources() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut out);
    out.sort();
    out
}

/// The top-level module a source file belongs to (`src/io/table.rs` → `io`); `None` for
/// `lib.rs`, which only declares the modules.
fn module_of(path: &Path) -> Option<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).unwrap();
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if first == "lib.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

/// The text of a line without its `//` comment (string literals containing `//` are rare in
/// paths and harmless here).
fn code_part(line: &str) -> &str {
    match line.find("//") {
        Some(i) => &line[..i],
        None => line,
    }
}

/// Every `crate::<name>` on a line of code.
fn crate_refs(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code_part(line);
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        let after = &rest[i + "crate::".len()..];
        let name: String = after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') && !name.is_empty() {
            out.push(name);
        }
        rest = after;
    }
    out
}

#[test]
fn no_module_imports_a_layer_above_it_or_a_sibling() {
    let mut violations = Vec::new();
    let mut graph: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for path in sources() {
        let Some(module) = module_of(&path) else { continue };
        let from = layer_of(&module)
            .unwrap_or_else(|| panic!("{}: module '{module}' has no layer; add it to LAYERS", path.display()));
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            for target in crate_refs(line) {
                // In `src/bin/` (the `borderless` CLI and its command modules under
                // `src/bin/borderless/`), `crate::` is the binary's own crate, not the library:
                // the whole folder is the top layer and its modules may name each other.
                if target == module || module == "bin" {
                    continue;
                }
                let Some(to) = layer_of(&target) else { continue }; // a crate-root item
                graph.entry(module.clone()).or_default().insert(target.clone());
                if to >= from {
                    let why = if to == from { "a sibling of the same layer" } else { "a layer above" };
                    violations.push(format!("{}:{}: {module} imports {target} ({why})", path.display(), n + 1));
                }
            }
        }
    }
    assert!(violations.is_empty(), "imports against the layering:\n{}", violations.join("\n"));
    // The module graph, for the record (shown with --nocapture).
    for (m, to) in &graph {
        println!("{m} -> {}", to.iter().cloned().collect::<Vec<_>>().join(", "));
    }
}

#[test]
fn no_source_file_is_over_the_line_limit() {
    let long: Vec<String> = sources()
        .into_iter()
        .filter_map(|p| {
            let n = std::fs::read_to_string(&p).unwrap().lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{}: {n} lines", p.display()))
        })
        .collect();
    assert!(long.is_empty(), "files over {MAX_FILE_LINES} lines:\n{}", long.join("\n"));
}

/// `fn` items and their length in lines, from the `fn` line to the closing brace at the same
/// indentation.
fn functions(text: &str) -> Vec<(usize, String, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let code = code_part(line);
        let trimmed = code.trim_start();
        let indent = code.len() - trimmed.len();
        let head = trimmed
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub(super) ")
            .trim_start_matches("pub ")
            .trim_start_matches("const ")
            .trim_start_matches("async ")
            .trim_start_matches("unsafe ");
        let Some(rest) = head.strip_prefix("fn ") else { continue };
        let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        // A declaration without a body (trait item) ends with ';' before any '{'.
        let close = format!("{}}}", " ".repeat(indent));
        let Some(end) = lines[i..].iter().position(|l| l.trim_end() == close || l.starts_with(&format!("{close} ")))
        else {
            continue;
        };
        if lines[i..=i + end].iter().any(|l| code_part(l).contains('{')) {
            out.push((i, name, end + 1));
        }
    }
    out
}

#[test]
fn no_function_is_over_the_line_limit_without_a_reason() {
    let mut long = Vec::new();
    for p in sources() {
        let text = std::fs::read_to_string(&p).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (i, name, len) in functions(&text) {
            if len <= MAX_FN_LINES {
                continue;
            }
            let reason = lines[i.saturating_sub(3)..i].iter().any(|l| l.contains("long function:"));
            if !reason {
                long.push(format!("{}:{}: fn {name} is {len} lines", p.display(), i + 1));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions over {MAX_FN_LINES} lines with no `// long function: <reason>` comment above:\n{}",
        long.join("\n")
    );
}
