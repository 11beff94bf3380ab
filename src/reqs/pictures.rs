//! The pictures of a ReqIFz that its objects show: the members named by the
//! `[object: NAME]` marks the XHTML reader leaves in a text (`xhtml::to_text`), kept as
//! bytes so the traceability report can show them.
//!
//! Only referenced members are read, each through a cap ([`MAX_PICTURE`]) and all of
//! them through another ([`MAX_PICTURES`], every byte inflated counted); a member over a
//! cap is listed with its size and not kept; a member whose first 4 KiB are no picture is
//! read no further. The kind of a picture is decided by its bytes, never by the name or the
//! `type` attribute: PNG, JPEG and GIF by their signatures, SVG by its root element;
//! anything else is not a picture. Reading runs inside the importer's
//! `context::contain_panic`, as the rest of the archive does.

use std::collections::BTreeMap;
use std::io::Read;

/// The largest picture kept (bytes as stored in the archive, decompressed).
pub const MAX_PICTURE: u64 = 1024 * 1024;
/// The most bytes of pictures kept per export, in all.
pub const MAX_PICTURES: u64 = 8 * 1024 * 1024;
/// At most this many `[object: …]` marks are looked up per export.
pub const MAX_MARKS: usize = 10_000;

/// What an object's `[object: NAME]` mark refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picture {
    /// A picture, its kind known from its bytes.
    Image { mime: &'static str, bytes: Vec<u8> },
    /// A member larger than [`MAX_PICTURE`], or past [`MAX_PICTURES`] in all: not kept.
    TooLarge { bytes: u64, limit: u64 },
    /// A member whose bytes are not a PNG, JPEG, GIF or SVG picture (an OLE object, a
    /// document): not kept.
    NotAPicture,
}

/// The pictures of one export, by the name its texts give them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pictures {
    pub by_name: BTreeMap<String, Picture>,
}

impl Pictures {
    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn get(&self, name: &str) -> Option<&Picture> {
        self.by_name.get(name)
    }
}

/// The names of the `[object: NAME]` marks of a text, in order.
pub fn marks(text: &str) -> impl Iterator<Item = (std::ops::Range<usize>, &str)> {
    const OPEN: &str = "[object: ";
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = from + text[from..].find(OPEN)?;
        let name_start = start + OPEN.len();
        let end = name_start + text[name_start..].find(']')?;
        from = end + 1;
        Some((start..end + 1, &text[name_start..end]))
    })
}

/// The kind of a picture from its first bytes: `image/png`, `image/jpeg`, `image/gif`,
/// `image/svg+xml`, or `None`.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if bytes.starts_with(b"\xFF\xD8\xFF") {
        return Some("image/jpeg");
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some("image/gif");
    }
    is_svg(bytes).then_some("image/svg+xml")
}

/// True when the text starts (after a byte-order mark, blanks, an XML declaration,
/// comments and a doctype) with an `<svg` element.
fn is_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let mut rest = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        rest = trim_start(rest);
        if rest.starts_with(b"<?") {
            match find(rest, b"?>") {
                Some(i) => rest = &rest[i + 2..],
                None => return false,
            }
        } else if rest.starts_with(b"<!--") {
            match find(rest, b"-->") {
                Some(i) => rest = &rest[i + 3..],
                None => return false,
            }
        } else if rest.starts_with(b"<!DOCTYPE") || rest.starts_with(b"<!doctype") {
            match find(rest, b">") {
                Some(i) => rest = &rest[i + 1..],
                None => return false,
            }
        } else {
            let ends_name = |a: &[u8]| {
                a.first()
                    .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/')
            };
            // `<svg`, or a prefixed root (`<svg:svg`, `<s:svg`).
            let plain = rest.strip_prefix(b"<svg").is_some_and(ends_name);
            let prefix = rest
                .iter()
                .skip(1)
                .take(32)
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                .count();
            let prefixed = rest.starts_with(b"<")
                && prefix > 0
                && rest.get(1 + prefix) == Some(&b':')
                && rest[2 + prefix..]
                    .strip_prefix(b"svg")
                    .is_some_and(ends_name);
            return plain || prefixed;
        }
    }
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The last part of a member name or mark (`media/a.png` → `a.png`).
fn base_name(name: &str) -> &str {
    name.rsplit(['/', '\\']).next().unwrap_or(name)
}

/// Reads the pictures of `archive` (a ReqIFz's bytes) that the texts of `objects` name.
/// A mark names a member by its path in the archive or by its last part.
pub fn from_archive(archive: &[u8], objects: &[super::ReqObject]) -> Pictures {
    let mut wanted: BTreeMap<&str, ()> = BTreeMap::new();
    for o in objects {
        for (_, name) in marks(&o.text) {
            if wanted.len() >= MAX_MARKS {
                break;
            }
            wanted.insert(name, ());
        }
    }
    let mut out = Pictures::default();
    if wanted.is_empty() {
        return out;
    }
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(archive)) else {
        return out;
    };
    // Member index by full name and by last part (the first member of a last part).
    let index: Vec<(String, usize)> = (0..zip.len())
        .filter_map(|i| Some((zip.name_for_index(i)?.to_string(), i)))
        .collect();
    let mut members: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_base: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, i) in &index {
        members.entry(name.as_str()).or_insert(*i);
        by_base.entry(base_name(name)).or_insert(*i);
    }
    let mut budget = MAX_PICTURES;
    for name in wanted.keys() {
        let Some(&i) = members.get(name).or_else(|| by_base.get(base_name(name))) else {
            continue;
        };
        let Ok(mut member) = zip.by_index(i) else {
            continue;
        };
        if member.is_dir() || member.name().to_ascii_lowercase().ends_with(".reqif") {
            continue;
        }
        let declared = member.size();
        let limit = MAX_PICTURE.min(budget);
        if declared > limit {
            out.by_name.insert(
                name.to_string(),
                Picture::TooLarge {
                    bytes: declared,
                    limit,
                },
            );
            continue;
        }
        // Its first bytes say whether it is a picture: an OLE object or a document is not
        // read further. Every byte inflated counts against the export's budget.
        let mut bytes = Vec::new();
        let head = (&mut member)
            .take(SNIFF.min(limit + 1))
            .read_to_end(&mut bytes);
        budget = budget.saturating_sub(bytes.len() as u64);
        if head.is_err() {
            continue;
        }
        let Some(mime) = sniff(&bytes) else {
            out.by_name.insert(name.to_string(), Picture::NotAPicture);
            continue;
        };
        let before = bytes.len() as u64;
        let rest = (&mut member)
            .take(limit + 1 - before)
            .read_to_end(&mut bytes);
        budget = budget.saturating_sub(bytes.len() as u64 - before);
        if rest.is_err() {
            continue;
        }
        if bytes.len() as u64 > limit {
            // The declared size lied: what was read is dropped.
            out.by_name.insert(
                name.to_string(),
                Picture::TooLarge {
                    bytes: bytes.len() as u64,
                    limit,
                },
            );
            continue;
        }
        out.by_name
            .insert(name.to_string(), Picture::Image { mime, bytes });
    }
    out
}

/// How many first bytes of a member decide whether it is a picture.
const SNIFF: u64 = 4096;

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    fn zip_of(members: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in members {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn object(text: &str) -> super::super::ReqObject {
        super::super::ReqObject {
            id: "R-1".into(),
            is_heading: false,
            heading: None,
            text: text.into(),
            level: None,
            path: Default::default(),
            module: None,
            attributes: Default::default(),
            links: Vec::new(),
            location: super::super::ReqLocation::Text { line: 1, column: 1 },
            fingerprint: String::new(),
        }
    }

    #[test]
    fn marks_are_found_in_order() {
        let t = "see [object: a.png] and [object: media/b.svg]; [object: open";
        let found: Vec<&str> = marks(t).map(|(_, n)| n).collect();
        assert_eq!(found, ["a.png", "media/b.svg"]);
        let (range, _) = marks(t).next().unwrap();
        assert_eq!(&t[range], "[object: a.png]");
    }

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(sniff(PNG), Some("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0..JFIF"), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(
            sniff(b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c -->\n<!DOCTYPE svg>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some("image/svg+xml")
        );
        assert_eq!(sniff(b"<svg:svg xmlns:svg=\"x\">"), Some("image/svg+xml"));
        assert_eq!(sniff(b"<svgx>"), None);
        assert_eq!(sniff(b"<x y=\"a:svg \">"), None);
        assert_eq!(sniff(b"<html><svg>"), None);
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0 OLE compound file"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn referenced_members_are_kept_by_path_or_last_part_and_bounded() {
        let big = {
            let mut b = PNG.to_vec();
            b.resize(MAX_PICTURE as usize + 1, 0);
            b
        };
        let archive = zip_of(&[
            ("m.reqif", b"<REQ-IF/>"),
            ("media/a.png", PNG),
            ("_26dceceb", b"GIF89a!"),
            ("big.png", &big),
            ("x.ole", b"\xD0\xCF\x11\xE0"),
            ("unused.png", PNG),
        ]);
        let objects = [
            object("[object: a.png] and [object: _26dceceb]"),
            object("[object: big.png][object: x.ole][object: missing.png][object: m.reqif]"),
        ];
        let p = from_archive(&archive, &objects);
        assert_eq!(
            p.get("a.png"),
            Some(&Picture::Image {
                mime: "image/png",
                bytes: PNG.to_vec()
            })
        );
        assert!(matches!(
            p.get("_26dceceb"),
            Some(Picture::Image {
                mime: "image/gif",
                ..
            })
        ));
        assert_eq!(
            p.get("big.png"),
            Some(&Picture::TooLarge {
                bytes: MAX_PICTURE + 1,
                limit: MAX_PICTURE
            })
        );
        assert_eq!(p.get("x.ole"), Some(&Picture::NotAPicture));
        assert_eq!(p.get("missing.png"), None);
        assert_eq!(p.get("m.reqif"), None, "an export is never a picture");
        assert_eq!(p.get("unused.png"), None, "only what a text shows is kept");
        assert_eq!(p.by_name.len(), 4);
    }

    #[test]
    fn members_that_are_no_picture_cost_their_first_bytes_only() {
        let ole = vec![0xD0u8; 512 * 1024];
        let names: Vec<String> = (0..40).map(|i| format!("o{i:02}.ole")).collect();
        let mut members: Vec<(&str, &[u8])> =
            names.iter().map(|n| (n.as_str(), &ole[..])).collect();
        members.push(("z.png", PNG));
        let archive = zip_of(&members);
        let mut text: String = names.iter().map(|n| format!("[object: {n}]")).collect();
        text.push_str("[object: z.png]");
        let p = from_archive(&archive, &[object(&text)]);
        // 40 × 512 KiB of OLE would be 20 MiB, past the budget: only their first 4 KiB
        // were read, and the picture after them is kept.
        assert_eq!(p.get("o00.ole"), Some(&Picture::NotAPicture));
        assert_eq!(p.get("o39.ole"), Some(&Picture::NotAPicture));
        assert!(matches!(p.get("z.png"), Some(Picture::Image { .. })));
    }

    #[test]
    fn the_total_is_capped() {
        let one = {
            let mut b = PNG.to_vec();
            b.resize(MAX_PICTURE as usize, 0);
            b
        };
        let count = (MAX_PICTURES / MAX_PICTURE) as usize + 2;
        let names: Vec<String> = (0..count).map(|i| format!("p{i:02}.png")).collect();
        let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &one[..])).collect();
        let archive = zip_of(&members);
        let text: String = names.iter().map(|n| format!("[object: {n}]")).collect();
        let p = from_archive(&archive, &[object(&text)]);
        let kept: u64 = p
            .by_name
            .values()
            .map(|x| match x {
                Picture::Image { bytes, .. } => bytes.len() as u64,
                _ => 0,
            })
            .sum();
        assert_eq!(kept, MAX_PICTURES);
        assert!(matches!(
            p.get(&names[count - 1]),
            Some(Picture::TooLarge { limit: 0, .. })
        ));
    }
}
