//! Capture histories of a closed population: one 0/1 row per animal seen, one column per
//! occasion (the input of Rcapture's `closedp.t` and of `estimation::closed`).

use crate::model::message::Message;
use serde::Serialize;

/// Largest number of occasions accepted (the log-linear design has `2^t − 1` rows).
pub const MAX_OCCASIONS: usize = 16;

/// Why a set of capture histories was refused. `row` and `column` are 1-based positions in
/// the rows given to [`CaptureHistories::new`] (row = animal, column = occasion).
#[derive(Debug, Clone, PartialEq, Serialize, thiserror::Error)]
#[error("{}{}", location(.row, .column), .message)]
pub struct HistoryError {
    pub row: Option<usize>,
    pub column: Option<usize>,
    pub message: Message,
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
    fn new(row: Option<usize>, column: Option<usize>, message: Message) -> Self {
        HistoryError { row, column, message }
    }

    /// The whole error (with its row and occasion) as a message, to show it in any language.
    pub fn to_message(&self) -> Message {
        let code = match (self.row, self.column) {
            (Some(_), Some(_)) => "estimation.histories.at_row_occasion",
            (Some(_), None) => "estimation.histories.at_row",
            (None, Some(_)) => "estimation.histories.at_occasion",
            (None, None) => return self.message.clone(),
        };
        let mut m = Message::new(code).with("message", self.message.clone());
        if let Some(r) = self.row {
            m = m.with("row", r);
        }
        if let Some(c) = self.column {
            m = m.with("occasion", c);
        }
        m
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
                    Message::new("estimation.histories.length").with("n", row.len()).with("first", t),
                ));
            }
            let mut bits = Vec::with_capacity(t);
            for (j, &v) in row.iter().enumerate() {
                match v {
                    0 => bits.push(false),
                    1 => bits.push(true),
                    _ => {
                        let m = Message::new("estimation.histories.not_binary").with("value", v);
                        return Err(HistoryError::new(Some(r), Some(j + 1), m));
                    }
                }
            }
            if !bits.iter().any(|&b| b) {
                return Err(HistoryError::new(Some(r), None, Message::new("estimation.histories.no_capture")));
            }
            out.push(bits);
        }
        let t = match occasions {
            None => return Err(HistoryError::new(None, None, Message::new("estimation.histories.no_animals"))),
            Some(t) => t,
        };
        if t < 2 {
            return Err(HistoryError::new(None, None, Message::new("estimation.histories.too_few").with("n", t)));
        }
        if t > MAX_OCCASIONS {
            let m = Message::new("estimation.histories.too_many").with("n", t).with("max", MAX_OCCASIONS);
            return Err(HistoryError::new(None, None, m));
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
