//! Test helpers shared by the unit tests of the SECR modules.

use super::{Mask, Traps};

/// A 4×4 grid of traps 20 m apart (usage optional, with a trap off on two occasions), nine
/// detections of five animals over three occasions, and a 10 m mask: the gradient checks' toy.
pub(crate) fn toy_inputs(usage: bool) -> (Traps, Vec<(String, usize, String)>, Mask) {
    let (mut ids, mut x, mut y) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..4 {
        for j in 0..4 {
            ids.push(format!("{i}-{j}"));
            x.push(i as f64 * 20.0);
            y.push(j as f64 * 20.0);
        }
    }
    let u = usage.then(|| {
        (0..16).map(|k| (0..3).map(|s| if k == 3 && s < 2 { 0.0 } else { 1.0 + (k % 2) as f64 }).collect()).collect()
    });
    let traps = Traps::new(ids, x, y, u).unwrap();
    let recs: Vec<(String, usize, String)> = [
        ("a", 1, "0-0"),
        ("a", 2, "0-1"),
        ("a", 3, "1-1"),
        ("b", 2, "2-2"),
        ("c", 1, "3-3"),
        ("c", 3, "3-2"),
        ("d", 3, "1-2"),
        ("e", 1, "2-1"),
        ("e", 2, "2-1"),
    ]
    .iter()
    .map(|(a, s, t)| (a.to_string(), *s, t.to_string()))
    .collect();
    let mask = Mask::trap_buffer(&traps, 50.0, Some(10.0)).unwrap();
    (traps, recs, mask)
}

/// Checks an analytic gradient against central differences (step 1e-6) of `value`, to
/// 1e-5·(1 + |numeric|) per parameter.
pub(crate) fn assert_gradient(th: &[f64], analytic: &[f64], mut value: impl FnMut(&[f64]) -> f64, label: &str) {
    for i in 0..th.len() {
        let h = 1e-6;
        let mut tp = th.to_vec();
        tp[i] += h;
        let fp = value(&tp);
        tp[i] -= 2.0 * h;
        let fm = value(&tp);
        let num = (fp - fm) / (2.0 * h);
        assert!(
            (num - analytic[i]).abs() < 1e-5 * (1.0 + num.abs()),
            "{label} param {i}: analytic {} numeric {num}",
            analytic[i]
        );
    }
}
