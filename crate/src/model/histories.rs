//! Capture histories of a closed population: one 0/1 row per animal seen, one column per
//! occasion (the input of Rcapture's `closedp.t` and of `estimation::closed`).

use serde::Serialize;

/// Largest number of occasions accepted (the log-linear design has `2^t − 1` rows).
pub const MAX_OCCASIONS: usize = 16;

/// Why a set of capture histories was refused. `row` and `column` are 1-based positions in
/// the rows given to [`CaptureHistories::new`] (row = animal, column = occasion).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}{}", location(.row, .column), .message)]
pub struct HistoryError {
    pub row: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

fn location(row: &Option<usize>, column: &Option<usize>) -> String {
    match (row, column) {
        (Some(r), Some(c)) => format!("row {r}, occasion {c}: "),
        (Some(r), None) => format!("row {r}: "),
        (None, Some(c)) => format!("occasion {c}: "),
        (None, None) => String::new(),
    }
}

impl HistoryError {
    fn new(row: Option<usize>, column: Option<usize>, message: impl Into<String>) -> Self {
        HistoryError { row, column, message: message.into() }
    }
}

/// Capture histories of the animals seen: one row per animal, one 0/1 entry per occasion.
///
/// The checked constructor refuses values other than 0 and 1, rows of different lengths,
/// rows with no capture (an animal never caught cannot be in the data), no animals, and fewer
/// than 2 or more than [`MAX_OCCASIONS`] occasions.
///
/// ```
/// use borderless::model::histories::CaptureHistories;
///
/// let h = CaptureHistories::new(vec![vec![1, 0, 1], vec![0, 1, 1]]).unwrap();
/// assert_eq!((h.animals(), h.occasions()), (2, 3));
/// assert_eq!(h.capture_frequencies(), vec![0, 2, 0]); // f1, f2, f3
///
/// let err = CaptureHistories::new(vec![vec![1, 0, 1], vec![0, 2, 1]]).unwrap_err();
/// assert_eq!((err.row, err.column), (Some(2), Some(2)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureHistories {
    occasions: usize,
    rows: Vec<Vec<bool>>,
}

impl CaptureHistories {
    /// Checks and stores the rows (see the type's documentation for what is refused).
    pub fn new<R: AsRef<[u8]>>(rows: impl IntoIterator<Item = R>) -> Result<Self, HistoryError> {
        let mut out: Vec<Vec<bool>> = Vec::new();
        let mut occasions = None;
        for (i, row) in rows.into_iter().enumerate() {
            let row = row.as_ref();
            let r = i + 1;
            let t = *occasions.get_or_insert(row.len());
            if row.len() != t {
                return Err(HistoryError::new(
                    Some(r),
                    None,
                    format!("{} occasions, but the first row has {t}", row.len()),
                ));
            }
            let mut bits = Vec::with_capacity(t);
            for (j, &v) in row.iter().enumerate() {
                match v {
                    0 => bits.push(false),
                    1 => bits.push(true),
                    _ => return Err(HistoryError::new(Some(r), Some(j + 1), format!("{v} is not 0 or 1"))),
                }
            }
            if !bits.iter().any(|&b| b) {
                return Err(HistoryError::new(
                    Some(r),
                    None,
                    "no capture in this row (an animal never caught cannot be in the histories)",
                ));
            }
            out.push(bits);
        }
        let t = match occasions {
            None => return Err(HistoryError::new(None, None, "no animals: there are no capture histories")),
            Some(t) => t,
        };
        if t < 2 {
            return Err(HistoryError::new(None, None, format!("{t} occasion(s): at least 2 are needed")));
        }
        if t > MAX_OCCASIONS {
            return Err(HistoryError::new(None, None, format!("{t} occasions: at most {MAX_OCCASIONS} are supported")));
        }
        Ok(CaptureHistories { occasions: t, rows: out })
    }

    /// Number of animals seen (`n`).
    pub fn animals(&self) -> usize {
        self.rows.len()
    }

    /// Number of capture occasions (`t`).
    pub fn occasions(&self) -> usize {
        self.occasions
    }

    /// The rows as given (true = caught).
    pub fn rows(&self) -> &[Vec<bool>] {
        &self.rows
    }

    /// `f_k`, the number of animals caught exactly `k` times, for `k = 1..=t`.
    pub fn capture_frequencies(&self) -> Vec<u64> {
        let mut f = vec![0u64; self.occasions];
        for r in &self.rows {
            f[r.iter().filter(|&&b| b).count() - 1] += 1;
        }
        f
    }

    /// Frequencies of the `2^t − 1` observable histories in Rcapture's order (`histpos.t`):
    /// index `Σ (1 − xⱼ)·2^(t−j)`, so index 0 is "caught every time".
    pub fn history_frequencies(&self) -> Vec<f64> {
        let t = self.occasions;
        let mut y = vec![0.0; (1usize << t) - 1];
        for r in &self.rows {
            let idx = r.iter().fold(0usize, |acc, &b| (acc << 1) | usize::from(!b));
            y[idx] += 1.0;
        }
        y
    }
}
