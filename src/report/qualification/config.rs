//! The configuration index of the kit: each package of `Cargo.lock` and its version.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    /// `crates.io`, `git: URL`, or `local` (the package itself, a path dependency).
    pub source: String,
}

/// The `[[package]]` entries of a `Cargo.lock`, in the file's order (cargo sorts them by
/// name); an entry without a name or version is left out.
pub fn packages(lock: &str) -> Vec<Package> {
    let mut out = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    let flush = |c: Option<(String, String, String)>, out: &mut Vec<Package>| {
        if let Some((name, version, source)) = c {
            if !name.is_empty() && !version.is_empty() {
                out.push(Package {
                    name,
                    version,
                    source: if source.is_empty() {
                        "local".into()
                    } else {
                        source
                    },
                });
            }
        }
    };
    for line in lock.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            flush(current.take(), &mut out);
            if line == "[[package]]" {
                current = Some(Default::default());
            }
            continue;
        }
        let Some(c) = current.as_mut() else { continue };
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_string();
        match key.trim() {
            "name" => c.0 = value,
            "version" => c.1 = value,
            "source" => {
                c.2 = if value.starts_with("registry+https://github.com/rust-lang/crates.io-index")
                    || value == "registry+sparse+https://index.crates.io/"
                {
                    "crates.io".into()
                } else if let Some(git) = value.strip_prefix("git+") {
                    format!("git: {git}")
                } else {
                    value
                }
            }
            _ => {}
        }
    }
    flush(current.take(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_entries_are_read_in_order() {
        let lock = "version = 4\n\n[[package]]\nname = \"anyhow\"\nversion = \"1.0.99\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"x\"\n\n[[package]]\nname = \"opsplan\"\nversion = \"0.1.0\"\ndependencies = [\n \"anyhow\",\n]\n\n[metadata]\nx = \"y\"\n";
        assert_eq!(
            packages(lock),
            [
                Package {
                    name: "anyhow".into(),
                    version: "1.0.99".into(),
                    source: "crates.io".into()
                },
                Package {
                    name: "opsplan".into(),
                    version: "0.1.0".into(),
                    source: "local".into()
                },
            ]
        );
    }
}
