//! `MANIFEST` and `SHA256SUMS`: what the package is and how to verify it.
//!
//! `MANIFEST` is UTF-8 text: a first line naming the format, `key: value` lines (the
//! plan, its issue, the verdict, the finding counts, whether the export was forced, the
//! project file that judged the plan, the opsplan version, the generation time), a
//! blank line, then one line per other file of
//! the package in the format of `sha256sum` (`<64 hex digits><two spaces><path>`),
//! sorted by path. `SHA256SUMS` holds the same lines plus the MANIFEST's own, so
//! `sha256sum -c SHA256SUMS` run in the package folder verifies every file, MANIFEST
//! included. (A file cannot list its own hash, hence the two files.)

use sha2::Digest;
use std::fmt::Write;

/// The first line of a MANIFEST (the format and its version).
pub const HEADER: &str = "opsplan export manifest 1";
pub const MANIFEST: &str = "MANIFEST";
pub const SHA256SUMS: &str = "SHA256SUMS";

/// What the MANIFEST says besides the checksums.
#[derive(Debug, Clone)]
pub struct ManifestInfo {
    pub plan: String,
    pub title: Option<String>,
    pub issue: Option<String>,
    pub verdict: String,
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
    pub waived: usize,
    pub forced: bool,
    /// The project file that judged the plan, or `none found` / `none (--no-config)`.
    pub project_file: String,
    pub opsplan_version: String,
    /// ISO 8601 UTC.
    pub generated: String,
    /// `SOURCE_DATE_EPOCH` or `inputs (newest modification time)`.
    pub generated_from: String,
}

/// Lowercase hexadecimal SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    crate::reqs::hex(&sha2::Sha256::digest(bytes))
}

/// A value on one line (line breaks would start a new key).
fn one_line(s: &str) -> String {
    s.split(['\n', '\r']).collect::<Vec<_>>().join(" ")
}

/// `sha256sum` lines for `files` (path with `/`, bytes), sorted by path.
fn sums(files: &[(&str, &[u8])]) -> String {
    let mut lines: Vec<(String, String)> = files
        .iter()
        .map(|(p, b)| (p.to_string(), sha256_hex(b)))
        .collect();
    lines.sort();
    let mut out = String::new();
    for (path, hash) in lines {
        let _ = writeln!(out, "{hash}  {path}");
    }
    out
}

/// `(MANIFEST, SHA256SUMS)` for the package's other files.
pub fn render(info: &ManifestInfo, files: &[(&str, &[u8])]) -> (String, String) {
    let mut m = String::new();
    let _ = writeln!(m, "{HEADER}");
    let mut kv = |k: &str, v: String| {
        let _ = writeln!(m, "{k}: {}", one_line(&v));
    };
    kv("plan", info.plan.clone());
    if let Some(t) = &info.title {
        kv("title", t.clone());
    }
    kv("issue", info.issue.clone().unwrap_or_else(|| "-".into()));
    kv("verdict", info.verdict.clone());
    kv("errors", info.errors.to_string());
    kv("warnings", info.warnings.to_string());
    kv("notes", info.notes.to_string());
    kv("waived", info.waived.to_string());
    kv(
        "forced",
        if info.forced {
            "yes (exported with --force despite findings at error severity)".into()
        } else {
            "no".into()
        },
    );
    kv("project-file", info.project_file.clone());
    kv("opsplan", info.opsplan_version.clone());
    kv("generated", info.generated.clone());
    kv("generated-from", info.generated_from.clone());
    kv(
        "checksums",
        format!("SHA-256 below; every file with `sha256sum -c {SHA256SUMS}`"),
    );
    m.push('\n');
    m.push_str(&sums(files));
    let mut all: Vec<(&str, &[u8])> = files.to_vec();
    all.push((MANIFEST, m.as_bytes()));
    let s = sums(&all);
    (m, s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info() -> ManifestInfo {
        ManifestInfo {
            plan: "P".into(),
            title: Some("two\nlines".into()),
            issue: None,
            verdict: "pass".into(),
            errors: 0,
            warnings: 1,
            notes: 0,
            waived: 0,
            forced: false,
            project_file: "none found".into(),
            opsplan_version: "0.1.0".into(),
            generated: "2014-10-01T00:00:00Z".into(),
            generated_from: "SOURCE_DATE_EPOCH".into(),
        }
    }

    #[test]
    fn sums_are_sha256sum_lines_sorted_by_path_and_cover_the_manifest() {
        let (m, s) = render(&info(), &[("b.txt", b"b"), ("a/x.ics", b"")]);
        assert!(m.starts_with("opsplan export manifest 1\nplan: P\ntitle: two lines\nissue: -\n"));
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert!(m.ends_with(&format!(
            "\n\n{empty}  a/x.ics\n{}  b.txt\n",
            sha256_hex(b"b")
        )));
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], format!("{}  MANIFEST", sha256_hex(m.as_bytes())));
        assert_eq!(lines[1], format!("{empty}  a/x.ics"));
    }
}
