//! A mission folder for the monthly report's CLI tests (tests/monthly_*.rs): the files a
//! test writes (`opsplan.yaml`, plans, `monthly.yaml`, registers), and `opsplan report
//! monthly .` run in it with a fixed generation time.

use assert_cmd::Command;
use std::path::Path;

/// 2025-04-02T08:00:00Z, when the report is made (`SOURCE_DATE_EPOCH`).
pub const EPOCH: &str = "1743580800";

pub struct Mission {
    pub dir: tempfile::TempDir,
}

impl Mission {
    /// A folder holding `files` (name, text), in the order given.
    pub fn with(files: &[(&str, &str)]) -> Mission {
        let m = Mission {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        for (name, text) in files {
            m.write(name, text);
        }
        m
    }

    /// Writes a file (its folders created), replacing one there.
    pub fn write(&self, name: &str, text: &str) -> &Mission {
        self.write_bytes(name, text.as_bytes())
    }

    pub fn write_bytes(&self, name: &str, bytes: &[u8]) -> &Mission {
        let p = self.dir.path().join(name);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("write");
        self
    }

    pub fn remove(&self, name: &str) -> &Mission {
        std::fs::remove_file(self.dir.path().join(name)).expect("remove");
        self
    }

    pub fn has(&self, name: &str) -> bool {
        Path::new(&self.dir.path().join(name)).exists()
    }

    /// `opsplan report monthly . ARGS` in the folder: exit code, stdout, stderr.
    pub fn run(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("opsplan")
            .expect("the binary is built")
            .env("SOURCE_DATE_EPOCH", EPOCH)
            .current_dir(self.dir.path())
            .args(["report", "monthly", "."])
            .args(args)
            .output()
            .expect("runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// The report in `format` (it must be written).
    pub fn report(&self, format: &str) -> String {
        let (code, out, err) = self.run(&["--format", format]);
        assert_eq!(code, 0, "stderr: {err}");
        out
    }

    /// The report as JSON (it must be written).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.report("json")).expect("JSON")
    }

    /// Runs with `-o`, expects exit 2 with nothing written, and returns stderr.
    pub fn refused(&self) -> String {
        let (code, out, err) = self.run(&["-o", "mor.html"]);
        assert_eq!(code, 2, "stderr: {err}");
        assert!(out.is_empty());
        assert!(!self.has("mor.html"), "nothing is written");
        assert!(
            err.contains("opsplan: error: the monthly report was not written"),
            "{err}"
        );
        err
    }

    /// [`Mission::refused`], and every line expected is in stderr.
    pub fn refused_with(&self, expected: &[&str]) -> String {
        let err = self.refused();
        for e in expected {
            assert!(err.contains(e), "expected `{e}` in:\n{err}");
        }
        err
    }
}
