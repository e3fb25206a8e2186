//! Shared by the wasm-bindgen-test suites (Node, browser main thread, dedicated worker): drive
//! the exported WASM API exactly as the page does, on the shipped demo survey.
//! Expected values: the demo survey's 45 photographed tigers, 19 on both sides, national
//! counts CN 30 and RU 34 (distinct individualID values in www/demo/*/observations.csv), so the
//! sum is 64 and the over-count 19/45 = 42.22%.
#![allow(dead_code)]

mod suite;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

pub const DEMO: &[(&str, &[u8])] = &[
    ("cn.zip", include_bytes!("../../../www/demo/cn.zip")),
    ("ru.zip", include_bytes!("../../../www/demo/ru.zip")),
    ("links.csv", include_bytes!("../../../www/demo/links.csv")),
    ("border.geojson", include_bytes!("../../../www/demo/border.geojson")),
];

pub fn files(list: &[(&str, &[u8])]) -> JsValue {
    let arr = Array::new();
    for (name, bytes) in list {
        let o = Object::new();
        Reflect::set(&o, &"name".into(), &JsValue::from_str(name)).unwrap();
        Reflect::set(&o, &"bytes".into(), &Uint8Array::from(*bytes)).unwrap();
        arr.push(&o);
    }
    arr.into()
}

pub fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |acc, k| Reflect::get(&acc, &JsValue::from_str(k)).unwrap())
}

/// Analyses the demo through the exported API and checks the summary numbers.
pub fn analyse_demo_and_check() -> JsValue {
    let a = borderless::wasm::analyze(files(DEMO), JsValue::UNDEFINED, None).expect("analyze");
    let s = get(&a, &["crossborder", "summary"]);
    assert_eq!(get(&s, &["unique_individuals"]).as_f64(), Some(45.0));
    assert_eq!(get(&s, &["transboundary_individuals"]).as_f64(), Some(19.0));
    assert_eq!(get(&s, &["national_counts", "CN"]).as_f64(), Some(30.0));
    assert_eq!(get(&s, &["national_counts", "RU"]).as_f64(), Some(34.0));
    assert_eq!(get(&s, &["sum_of_national_counts"]).as_f64(), Some(64.0));
    let over = get(&s, &["overcount_percent"]).as_f64().unwrap();
    assert!((over - 19.0 / 45.0 * 100.0).abs() < 1e-9, "{over}");
    assert_eq!(get(&a, &["simulated"]).as_bool(), Some(true));
    a
}

/// Map and charts render to SVG from the analysis (the worker does this in the page).
pub fn render_and_check(a: &JsValue) {
    let map = borderless::wasm::render_map(a.clone(), JsValue::UNDEFINED, JsValue::UNDEFINED).expect("map");
    assert!(map.starts_with("<svg"));
    assert_eq!(map.matches("data-catalog=\"CN\"").count(), 60);
    assert_eq!(map.matches("data-catalog=\"RU\"").count(), 60);
    assert!(map.contains("SIMULATED"));
    let charts = borderless::wasm::render_charts(a.clone(), JsValue::UNDEFINED).expect("charts");
    for k in ["detections", "crossings", "distance"] {
        let svg = get(&charts, &[k]).as_string().unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<rect") && svg.contains("SIMULATED"), "{k}");
    }
    let csv = borderless::wasm::export_individuals_csv(a.clone()).expect("csv");
    assert_eq!(csv.lines().count(), 46); // header + 45 individuals
    let json = borderless::wasm::export_json(a.clone()).expect("json");
    assert!(json.contains("\"overcount_percent\""));
}

/// Bad input becomes a report entry, and bad arguments become JS errors, never panics.
pub fn bad_input_is_reported() {
    let a = borderless::wasm::analyze(files(&[("links.csv", b"catalog_a,id_a\n")]), JsValue::UNDEFINED, None).unwrap();
    let issues = get(&a, &["reports"]);
    let first = Reflect::get(&issues, &0.into()).unwrap();
    let msg = get(&Reflect::get(&get(&first, &["issues"]), &0.into()).unwrap(), &["message"]).as_string().unwrap();
    assert!(msg.contains("catalog_b"), "{msg}");
    let opts = Object::new();
    Reflect::set(&opts, &"no_such_option".into(), &JsValue::TRUE).unwrap();
    assert!(borderless::wasm::analyze(files(DEMO), opts.into(), None).is_err());
    assert!(borderless::wasm::render_map(JsValue::from_str("not an analysis"), JsValue::UNDEFINED, JsValue::UNDEFINED)
        .is_err());
}

/// Progress comes as stage codes with growing fractions; the map is drawn in the language of its
/// options (no English fallback); an unknown file role is refused with the file's name.
pub fn progress_codes_and_map_language() {
    let stages = std::rc::Rc::new(std::cell::RefCell::new(Vec::<(String, f64)>::new()));
    let seen = stages.clone();
    let cb = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue, f64)>::new(move |stage: JsValue, fraction: f64| {
        seen.borrow_mut().push((get(&stage, &["code"]).as_string().unwrap(), fraction));
    });
    let f: &js_sys::Function = cb.as_ref().unchecked_ref();
    let a = borderless::wasm::analyze(files(DEMO), JsValue::UNDEFINED, Some(f.clone())).expect("analyze");
    let stages = stages.borrow();
    let codes: Vec<&str> = stages.iter().map(|(c, _)| c.as_str()).collect();
    for c in ["pipeline.stage.unpacking", "pipeline.stage.package", "pipeline.stage.joining", "pipeline.stage.done"] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
    assert!(stages.windows(2).all(|w| w[0].1 <= w[1].1), "{stages:?}");
    let opts = Object::new();
    Reflect::set(&opts, &"lang".into(), &"ru".into()).unwrap();
    let map = borderless::wasm::render_map(a, JsValue::UNDEFINED, opts.into()).expect("a map in Russian");
    assert!(map.contains("государственная граница"), "the legend is in Russian");
    let bad = Object::new();
    Reflect::set(&bad, &"name".into(), &"x.geojson".into()).unwrap();
    Reflect::set(&bad, &"bytes".into(), &Uint8Array::new_with_length(0)).unwrap();
    Reflect::set(&bad, &"role".into(), &"coastline".into()).unwrap();
    let list = Array::of1(&bad);
    let e =
        borderless::wasm::fit_closed(list.into(), JsValue::UNDEFINED, None).expect_err("an unknown role is an error");
    let msg: JsValue = e.into();
    let text = get(&msg, &["message"]).as_string().unwrap();
    assert!(text.contains("x.geojson") && text.contains("coastline"), "{text}");
}
