//! `opsplan.yaml`: the project file. Unknown keys and wrong types are errors located at
//! their line and column.

use super::LoadError;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "opsplan.yaml";

#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Files and directories to check, relative to the project file (default: its folder).
    #[serde(default)]
    pub inputs: Vec<PathBuf>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, LoadError> {
        let text = std::fs::read_to_string(path).map_err(|e| LoadError::Unreadable {
            path: path.to_path_buf(),
            source: e,
        })?;
        Config::parse(path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Config, LoadError> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        serde_yaml::from_str(text).map_err(|e| {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
            LoadError::Config {
                path: path.to_path_buf(),
                line,
                column,
                message: e
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            }
        })
    }

    pub fn inputs_or_default(&self) -> Vec<PathBuf> {
        if self.inputs.is_empty() {
            vec![PathBuf::from(".")]
        } else {
            self.inputs.clone()
        }
    }
}
