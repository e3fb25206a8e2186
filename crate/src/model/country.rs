//! Country names in the interface languages: the countries of the Natural Earth basemap that
//! ships with the site (`www/basemap/`), named in the message catalogue
//! (`crate/i18n/general.json`, codes `general.country.<english name in lower case, spaces as _>`).

use crate::model::lang::Lang;
use crate::model::message::{has_code, Message};

/// The catalogue code of a country's name, e.g. `general.country.north_korea`.
pub fn country_code(english: &str) -> String {
    format!("general.country.{}", english.trim().to_lowercase().replace([' ', '-'], "_"))
}

/// A country's name in `lang`; the name as given when the catalogue does not know it.
///
/// ```
/// use borderless::model::{country::country_name, lang::Lang};
/// assert_eq!(country_name("Russia", Lang::Zh), "俄罗斯");
/// assert_eq!(country_name("North Korea", Lang::Ko), "북한");
/// assert_eq!(country_name("Atlantis", Lang::Ru), "Atlantis");
/// ```
pub fn country_name(english: &str, lang: Lang) -> String {
    let code = country_code(english);
    if has_code(&code) {
        Message::new(&code).text(lang)
    } else {
        english.to_string()
    }
}
