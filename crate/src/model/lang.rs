//! Interface languages: English, Chinese (simplified), Russian, Korean and Mongolian.
//!
//! Every module that draws text keeps its own string table and picks from it with
//! [`Lang::pick`]; numbers are formatted with [`Lang::number`] so that charts, maps and the
//! page agree (the page uses `Intl.NumberFormat` with the same [`Lang::bcp47`] tag).
//!
//! ```
//! use borderless::model::lang::Lang;
//! let l: Lang = "ru".parse().unwrap();
//! assert_eq!(l.pick(["Tiger", "虎", "Тигр", "호랑이", "Бар"]), "Тигр");
//! assert_eq!(l.number(1234.5, 1), "1\u{a0}234,5");
//! assert_eq!(Lang::En.number(1234.5, 1), "1,234.5");
//! ```

use serde::{Deserialize, Serialize};

/// One of the five interface languages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
    Ru,
    Ko,
    Mn,
}

impl Lang {
    /// All languages, in the order of [`Lang::pick`]'s table.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Zh, Lang::Ru, Lang::Ko, Lang::Mn];

    /// The ISO 639-1 code (`en`, `zh`, `ru`, `ko`, `mn`).
    pub fn code(self) -> &'static str {
        ["en", "zh", "ru", "ko", "mn"][self as usize]
    }

    /// The BCP 47 tag used for `lang` attributes and `Intl` formatting.
    pub fn bcp47(self) -> &'static str {
        ["en", "zh-Hans", "ru", "ko", "mn"][self as usize]
    }

    /// The language's own name (for the language switcher).
    pub fn native_name(self) -> &'static str {
        ["English", "中文", "Русский", "한국어", "Монгол"][self as usize]
    }

    /// Picks this language's entry from a table in the order en, zh, ru, ko, mn.
    pub fn pick<T: Copy>(self, table: [T; 5]) -> T {
        table[self as usize]
    }

    /// `x` with `digits` decimals, grouped by thousands as the locale writes numbers:
    /// `1,234.5` (en, zh, ko, mn) or `1 234,5` (ru, with a no-break space).
    pub fn number(self, x: f64, digits: usize) -> String {
        if !x.is_finite() {
            return "—".to_string();
        }
        let s = format!("{:.*}", digits, x.abs());
        let (int, frac) = match s.split_once('.') {
            Some((i, f)) => (i.to_string(), Some(f.to_string())),
            None => (s.clone(), None),
        };
        let (group, decimal) = match self {
            Lang::Ru => ('\u{a0}', ','),
            _ => (',', '.'),
        };
        let mut grouped = String::new();
        for (i, ch) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(ch);
        }
        let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
        let mut out = if negative { format!("-{grouped}") } else { grouped };
        if let Some(f) = frac {
            out.push(decimal);
            out.push_str(&f);
        }
        out
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let code = s.trim().to_ascii_lowercase();
        let base = code.split(['-', '_']).next().unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == base)
            .ok_or_else(|| format!("unknown language {s:?}: use one of en, zh, ru, ko, mn"))
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_per_locale() {
        assert_eq!(Lang::Ru.number(1234567.891, 2), "1\u{a0}234\u{a0}567,89");
        assert_eq!(Lang::Zh.number(-0.04, 1), "0.0");
        assert_eq!(Lang::Mn.number(-12.5, 0), "-12");
        assert_eq!(Lang::Ko.number(999.0, 0), "999");
    }

    #[test]
    fn parse_tags() {
        assert_eq!("zh-Hans".parse::<Lang>().unwrap(), Lang::Zh);
        assert_eq!("MN".parse::<Lang>().unwrap(), Lang::Mn);
        assert!("de".parse::<Lang>().is_err());
    }
}
