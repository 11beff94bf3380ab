//! Pictures of a ReqIFz in the traceability report: a requirement text whose
//! `[object: NAME]` marks name pictures the importer kept (`reqs::pictures`) is shown as
//! parts, text and pictures, each picture as a `data:` URI of an `<img>` (an SVG too: a
//! browser never runs the script of an SVG shown as an image, and the report never puts
//! one inline).
//!
//! Each picture is embedded once per report (a later text naming it links to the
//! requirement that shows it), and the report embeds at most [`MAX_EMBEDDED`] bytes of
//! pictures in all. A mark whose picture is over a cap, or not a picture, stays as the
//! text it is, with a note saying why.

use crate::reqs::pictures::{marks, Picture, Pictures};
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

/// The most bytes of pictures (before base64) one report embeds.
pub const MAX_EMBEDDED: u64 = 16 * 1024 * 1024;

/// A part of a requirement's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// The text; for a picture, its name (the image's alternative text).
    pub text: String,
    /// For an embedded picture: its `data:` URI.
    pub src: Option<String>,
    /// For a picture not embedded here: why, or where it is shown.
    pub note: Option<String>,
    /// The anchor of the requirement that shows the picture, when another one does.
    pub see: Option<String>,
}

impl Part {
    fn text(text: &str) -> Part {
        Part {
            text: text.to_string(),
            src: None,
            note: None,
            see: None,
        }
    }
}

/// Embeds the pictures of a report's texts, each once, within [`MAX_EMBEDDED`].
#[derive(Default)]
pub struct Embedder {
    /// (export, picture name) → (anchor, id) of the requirement that shows it.
    shown: HashMap<(usize, String), (String, String)>,
    spent: u64,
}

impl Embedder {
    /// The parts of `text` (of a requirement of export `export`, at `anchor`), or `None`
    /// when it names no picture of `pictures` (the text is shown as it is).
    pub fn parts(
        &mut self,
        export: usize,
        pictures: &Pictures,
        text: &str,
        anchor: &str,
        id: &str,
    ) -> Option<Vec<Part>> {
        if pictures.is_empty() || !marks(text).any(|(_, n)| pictures.get(n).is_some()) {
            return None;
        }
        let mut parts = Vec::new();
        let mut from = 0;
        for (range, name) in marks(text) {
            let Some(picture) = pictures.get(name) else {
                continue;
            };
            if range.start > from {
                parts.push(Part::text(&text[from..range.start]));
            }
            let mark = &text[range.clone()];
            from = range.end;
            let mut part = Part::text(mark);
            match picture {
                Picture::Image { mime, bytes } => {
                    let key = (export, name.to_string());
                    if let Some((at, by)) = self.shown.get(&key) {
                        part.note = Some(format!("the picture is shown with {by}"));
                        part.see = Some(at.clone());
                    } else if self.spent + bytes.len() as u64 > MAX_EMBEDDED {
                        part.note = Some(format!(
                            "picture not embedded: the report embeds at most {} of pictures",
                            size(MAX_EMBEDDED)
                        ));
                    } else {
                        self.spent += bytes.len() as u64;
                        self.shown.insert(key, (anchor.to_string(), id.to_string()));
                        part.text = name.to_string();
                        part.src = Some(data_uri(mime, bytes));
                    }
                }
                Picture::TooLarge { bytes, limit } if *limit == 0 => {
                    part.note = Some(format!(
                        "picture of {} not embedded: the export's pictures exceed {} in all",
                        size(*bytes),
                        size(crate::reqs::pictures::MAX_PICTURES)
                    ));
                }
                Picture::TooLarge { bytes, limit } => {
                    part.note = Some(format!(
                        "picture of {} not embedded: over the limit of {}",
                        size(*bytes),
                        size(*limit)
                    ));
                }
                Picture::NotAPicture => {
                    part.note =
                        Some("not embedded: not a PNG, JPEG, GIF or SVG picture".to_string());
                }
            }
            parts.push(part);
        }
        if from < text.len() {
            parts.push(Part::text(&text[from..]));
        }
        Some(parts)
    }
}

/// `16 MiB` (whole MiB), `12.5 MiB` (from 10 MiB), `1025 KiB` (rounded up: never
/// smaller than a limit it exceeds), `12 bytes`.
pub fn size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = KIB * KIB;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 10 * MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else if bytes >= KIB {
        format!("{} KiB", bytes.div_ceil(KIB))
    } else {
        format!("{bytes} bytes")
    }
}

/// `data:MIME;base64,…`
pub fn data_uri(mime: &str, bytes: &[u8]) -> String {
    let mut s = String::with_capacity(mime.len() + 13 + bytes.len().div_ceil(3) * 4);
    s.push_str("data:");
    s.push_str(mime);
    s.push_str(";base64,");
    base64_into(bytes, &mut s);
    s
}

/// Standard base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len().div_ceil(3) * 4);
    base64_into(bytes, &mut s);
    s
}

fn base64_into(bytes: &[u8], out: &mut String) {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_rfc_4648() {
        for (raw, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), encoded);
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
        assert_eq!(data_uri("image/png", b"foo"), "data:image/png;base64,Zm9v");
    }

    #[test]
    fn sizes() {
        assert_eq!(size(12), "12 bytes");
        assert_eq!(size(2048), "2 KiB");
        assert_eq!(size(1024 * 1024), "1 MiB");
        assert_eq!(size(1024 * 1024 * 3 / 2), "1536 KiB");
        assert_eq!(size(1024 * 1024 + 1), "1025 KiB");
        assert_eq!(size(25 * 1024 * 1024 / 2), "12.5 MiB");
    }

    #[test]
    fn marks_become_pictures_once_and_notes() {
        let mut p = Pictures::default();
        let png = b"\x89PNG\r\n\x1a\nxx".to_vec();
        p.by_name.insert(
            "a.png".into(),
            Picture::Image {
                mime: "image/png",
                bytes: png.clone(),
            },
        );
        p.by_name.insert(
            "big.png".into(),
            Picture::TooLarge {
                bytes: 3 * 1024 * 1024,
                limit: 1024 * 1024,
            },
        );
        p.by_name.insert("x.ole".into(), Picture::NotAPicture);
        let mut e = Embedder::default();
        assert_eq!(
            e.parts(0, &p, "no picture [object: other]", "r1", "R-1"),
            None
        );
        let parts = e
            .parts(
                0,
                &p,
                "Before [object: a.png] mid [object: big.png][object: x.ole] after",
                "r1",
                "R-1",
            )
            .unwrap();
        let texts: Vec<&str> = parts.iter().map(|x| x.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Before ",
                "a.png",
                " mid ",
                "[object: big.png]",
                "[object: x.ole]",
                " after"
            ]
        );
        assert_eq!(
            parts[1].src.as_deref(),
            Some(data_uri("image/png", &png).as_str())
        );
        assert_eq!(
            parts[3].note.as_deref(),
            Some("picture of 3 MiB not embedded: over the limit of 1 MiB")
        );
        assert!(parts[4].note.as_deref().unwrap().contains("not a PNG"));
        // A second requirement naming the same picture links to the first.
        let again = e.parts(0, &p, "[object: a.png]", "r2", "R-2").unwrap();
        assert_eq!(again[0].src, None);
        assert_eq!(again[0].see.as_deref(), Some("r1"));
        assert_eq!(
            again[0].note.as_deref(),
            Some("the picture is shown with R-1")
        );
        // The same name in another export is another picture.
        assert!(e.parts(1, &p, "[object: a.png]", "r3", "R-3").unwrap()[0]
            .src
            .is_some());
    }

    #[test]
    fn the_report_total_is_capped() {
        let mut p = Pictures::default();
        let bytes = vec![0u8; (MAX_EMBEDDED / 2) as usize + 1];
        for n in ["a", "b"] {
            p.by_name.insert(
                n.into(),
                Picture::Image {
                    mime: "image/png",
                    bytes: bytes.clone(),
                },
            );
        }
        let mut e = Embedder::default();
        let parts = e.parts(0, &p, "[object: a][object: b]", "r", "R").unwrap();
        assert!(parts[0].src.is_some());
        assert_eq!(parts[1].src, None);
        assert!(parts[1].note.as_deref().unwrap().contains("at most 16 MiB"));
    }
}
