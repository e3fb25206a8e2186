//! Text encodings of users' files: a byte-order mark wins, then a user's override, then valid
//! UTF-8, then `chardetng`'s guess (GBK/GB18030, Big5, Windows-1251, KOI8-R, EUC-KR, Shift_JIS,
//! Windows-1252, …), which is flagged as uncertain with a decoded sample so a garbled guess shows.

use super::{FileReport, IoError};
use crate::model::message::Message;
use encoding_rs::DecoderResult;
/// A text encoding (re-exported from `encoding_rs`).
pub use encoding_rs::Encoding;
use std::borrow::Cow;

/// Longest decoded sample shown in the "guessed encoding" warning, in characters.
const SAMPLE_CHARS: usize = 60;

/// The encoding named by `label` (WHATWG labels, as `encoding_rs::Encoding::for_label`:
/// `utf-8`, `windows-1251`, `koi8-r`, `gbk`, `gb18030`, `big5`, `euc-kr`, `shift_jis`, …).
///
/// ```
/// use borderless::io::encoding::encoding_for_label;
/// assert_eq!(encoding_for_label("windows-1251").unwrap().name(), "windows-1251");
/// assert!(encoding_for_label("klingon").is_err());
/// ```
pub fn encoding_for_label(label: &str) -> Result<&'static Encoding, Message> {
    Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        Message::new("io.encoding.unknown_label")
            .with("label", label.trim())
            .with("examples", "utf-8, windows-1251, koi8-r, gbk, gb18030, big5, euc-kr, shift_jis, windows-1252")
    })
}

/// Decodes `bytes` strictly as `enc` (no BOM handling); an invalid byte sequence is an error
/// naming its byte offset (counted from the start of the file, `skip` bytes before `bytes`).
fn decode_strict(file: &str, bytes: &[u8], skip: usize, enc: &'static Encoding) -> Result<String, IoError> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let cap = decoder.max_utf8_buffer_length_without_replacement(bytes.len()).unwrap_or(bytes.len() * 3 + 16);
    let mut out = String::with_capacity(cap);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        DecoderResult::InputEmpty => Ok(out),
        DecoderResult::Malformed(bad, after) => {
            let offset = skip + read - after as usize - bad as usize;
            Err(IoError::new(
                file,
                Message::new("io.encoding.invalid_bytes").with("encoding", enc.name()).with("offset", offset),
            ))
        }
        DecoderResult::OutputFull => Err(IoError::new(
            file,
            Message::new("io.encoding.invalid_bytes").with("encoding", enc.name()).with("offset", skip + read),
        )),
    }
}

/// The first line of `text` with a non-ASCII character, trimmed and cut to a short sample.
fn sample(text: &str) -> String {
    let line = text.lines().find(|l| !l.is_ascii()).unwrap_or("").trim();
    let mut s: String = line.chars().take(SAMPLE_CHARS).collect();
    if line.chars().count() > SAMPLE_CHARS {
        s.push('…');
    }
    s
}

/// Decodes a file's text. A BOM (UTF-8, UTF-16 LE/BE) decides; else `forced` (the user's
/// override) if given; else UTF-8 if the bytes are valid UTF-8; else the encoding `chardetng`
/// guesses, with a warning carrying a decoded sample. Invalid bytes for a BOM-declared or forced
/// encoding are a file error naming the byte offset. The encoding used goes to `report.encoding`.
///
/// ```
/// use borderless::io::{encoding::decode_as, FileReport};
/// let bytes = encoding_rs::WINDOWS_1251.encode("station,name\nS1,Уссурийский заповедник\n").0;
/// let mut report = FileReport::new("st.csv", "table");
/// let text = decode_as("st.csv", &bytes, None, Some(&mut report)).unwrap();
/// assert!(text.contains("Уссурийский"));
/// assert_eq!(report.encoding, "windows-1251");
/// ```
pub fn decode_as(
    file: &str,
    bytes: &[u8],
    forced: Option<&'static Encoding>,
    report: Option<&mut FileReport>,
) -> Result<String, IoError> {
    decode_borrowed(file, bytes, forced, report).map(Cow::into_owned)
}

/// [`decode_as`], borrowing the bytes instead of copying them when they are UTF-8 (with or
/// without a BOM, detected or forced): a big file's text then costs no second copy.
///
/// ```
/// use borderless::io::encoding::decode_borrowed;
/// let text = decode_borrowed("a.csv", b"\xEF\xBB\xBFid\n1\n", None, None).unwrap();
/// assert!(matches!(text, std::borrow::Cow::Borrowed("id\n1\n")));
/// ```
pub fn decode_borrowed<'b>(
    file: &str,
    bytes: &'b [u8],
    forced: Option<&'static Encoding>,
    report: Option<&mut FileReport>,
) -> Result<Cow<'b, str>, IoError> {
    let utf8 = |bytes: &'b [u8], skip: usize| {
        std::str::from_utf8(bytes)
            .map(Cow::Borrowed)
            .or_else(|_| decode_strict(file, bytes, skip, encoding_rs::UTF_8).map(Cow::Owned))
    };
    let (text, enc) = if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        if enc == encoding_rs::UTF_8 {
            (utf8(&bytes[bom..], bom)?, enc)
        } else {
            (Cow::Owned(decode_strict(file, &bytes[bom..], bom, enc)?), enc)
        }
    } else if let Some(enc) = forced {
        if enc == encoding_rs::UTF_8 {
            (utf8(bytes, 0)?, enc)
        } else {
            (Cow::Owned(decode_strict(file, bytes, 0, enc)?), enc)
        }
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (Cow::Borrowed(s), encoding_rs::UTF_8)
    } else {
        let mut det = chardetng::EncodingDetector::new();
        det.feed(bytes, true);
        let enc = det.guess(None, false);
        let (text, _) = enc.decode_without_bom_handling(bytes);
        let text = text.into_owned();
        if let Some(r) = report {
            r.encoding = enc.name().to_string();
            r.warn(
                None,
                None,
                Message::new("io.encoding.guessed").with("encoding", enc.name()).with("sample", sample(&text)),
            );
        }
        return Ok(Cow::Owned(text));
    };
    if let Some(r) = report {
        r.encoding = enc.name().to_string();
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(text: &str, enc: &'static Encoding) -> (String, FileReport) {
        let bytes = enc.encode(text).0.into_owned();
        let mut r = FileReport::new("f.csv", "t");
        let t = decode_as("f.csv", &bytes, None, Some(&mut r)).unwrap();
        (t, r)
    }

    #[test]
    fn utf8_needs_no_warning() {
        let mut r = FileReport::new("f.csv", "t");
        let t = decode_as("f.csv", "id,name\n1,珲春\n".as_bytes(), None, Some(&mut r)).unwrap();
        assert_eq!(t, "id,name\n1,珲春\n");
        assert_eq!(r.encoding, "UTF-8");
        assert!(r.issues.is_empty());
    }

    #[test]
    fn bom_decides_and_bad_bytes_name_the_offset() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "id\n두만강\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let mut r = FileReport::new("f.csv", "t");
        assert_eq!(decode_as("f.csv", &bytes, None, Some(&mut r)).unwrap(), "id\n두만강\n");
        assert_eq!(r.encoding, "UTF-16LE");
        let mut bad = b"\xEF\xBB\xBFid\nab".to_vec();
        bad.push(0xFF);
        let e = decode_as("f.csv", &bad, None, None).unwrap_err();
        assert_eq!(e.message.code, "io.encoding.invalid_bytes");
        assert_eq!(e.to_string(), "f.csv: the file is not valid UTF-8: invalid bytes at byte offset 8");
    }

    #[test]
    fn guesses_cyrillic_and_cjk_encodings_with_a_sample() {
        let ru =
            "station,name,individual\nS01,Уссурийский заповедник,Тигрица Лазовская\nS02,Земля леопарда,Леопард Барс\n";
        for enc in [encoding_rs::WINDOWS_1251, encoding_rs::KOI8_R] {
            let (t, r) = guess(ru, enc);
            assert_eq!(t, ru, "{}", enc.name());
            // chardetng names KOI8 text KOI8-U, KOI8-R's superset (the same for Russian letters).
            let want = if enc == encoding_rs::KOI8_R { "KOI8-U" } else { enc.name() };
            assert_eq!(r.encoding, want);
            assert_eq!(r.issues[0].code, "io.encoding.guessed");
            assert_eq!(r.issues[0].params["sample"].to_string(), "S01,Уссурийский заповедник,Тигрица Лазовская");
        }
        let zh = "station,name\nHC01,珲春东北虎国家级自然保护区\nHC02,汪清林业局\n";
        for enc in [encoding_rs::GBK, encoding_rs::GB18030, encoding_rs::BIG5] {
            let text = if enc == encoding_rs::BIG5 {
                "station,name\nHC01,琿春東北虎國家級自然保護區\n"
            } else {
                zh
            };
            let (t, r) = guess(text, enc);
            assert_eq!(t, text, "{}", enc.name());
            assert!(["GBK", "gb18030", "Big5"].contains(&r.encoding.as_str()));
        }
        let (t, r) = guess("station,name\nTM01,두만강 하류 보호구역\n", encoding_rs::EUC_KR);
        assert_eq!(t, "station,name\nTM01,두만강 하류 보호구역\n");
        assert_eq!(r.encoding, "EUC-KR");
        let (t, r) = guess("station,name\nJP01,知床国立公園の森\n", encoding_rs::SHIFT_JIS);
        assert_eq!(t, "station,name\nJP01,知床国立公園の森\n");
        assert_eq!(r.encoding, "Shift_JIS");
    }

    #[test]
    fn override_wins_over_the_guess_and_unknown_labels_are_refused() {
        let bytes = encoding_rs::KOI8_R.encode("id\nЁж\n").0.into_owned();
        let mut r = FileReport::new("f.csv", "t");
        let t = decode_as("f.csv", &bytes, Some(encoding_for_label("koi8-r").unwrap()), Some(&mut r)).unwrap();
        assert_eq!(t, "id\nЁж\n");
        assert_eq!(r.encoding, "KOI8-R");
        assert!(r.issues.is_empty());
        let m = encoding_for_label("cp-nope").unwrap_err();
        assert_eq!(m.code, "io.encoding.unknown_label");
    }
}
