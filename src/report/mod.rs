//! Reports people read: the consistency report (planners), the traceability report
//! (qualification teams) and the monthly operations report (managers).
//!
//! Each report is a view struct built here from a check run (never the model itself),
//! rendered by tera from the templates in `templates/`, embedded in the binary and
//! replaceable file by file with `--templates DIR`. HTML templates are autoescaped (every
//! text taken from an input is escaped); Markdown templates escape with the `md` filter.
//! JSON is the view serialised, without a template.

pub mod agenda;
pub mod chapters;
pub mod consistency;
pub mod embed;
pub mod gantt;
pub mod monthly;
pub mod qualification;
pub mod staffing;
pub mod trace;
pub mod word_diff;

use crate::source::SourceDb;
use std::path::{Path, PathBuf};

/// `(name, text)` of each file of `templates/`, compiled into the binary.
macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

/// The templates compiled into the binary, by the name a report renders (partials
/// first: the stylesheet, the timeline, the provenance footer).
const EMBEDDED: &[(&str, &str)] = embed![
    "style.css",
    "timeline.html",
    "provenance.html",
    "provenance.md",
    "sortable.html",
    "consistency.html",
    "consistency.md",
    "trace.html",
    "trace.md",
    "monthly.html",
    "monthly.md",
    "agenda.html",
    "staffing.html",
    "staffing.md",
    "qualification.html",
];

/// The names of the embedded templates (what `--templates DIR` may replace).
pub fn template_names() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(n, _)| *n)
}

/// The embedded templates: name and text.
pub fn embedded_templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    EMBEDDED.iter().copied()
}

/// A report output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Html,
    Md,
    Json,
}

impl ReportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Md => "md",
            ReportFormat::Json => "json",
        }
    }
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{path}: cannot be read: {message}")]
    Read { path: String, message: String },
    #[error("template {name}: {message}")]
    Template { name: String, message: String },
}

/// The tera instance with every report template.
pub struct Templates {
    tera: tera::Tera,
    /// The files read from a `--templates` folder (inputs of the run: an output never
    /// replaces one).
    files: Vec<PathBuf>,
}

impl Templates {
    /// The templates compiled into the binary.
    pub fn embedded() -> Templates {
        Templates::build(&[]).expect("the embedded templates compile")
    }

    /// The embedded templates, with any file of `dir` named like one of them (or a new
    /// partial it includes) in its place.
    pub fn with_overrides(dir: &Path) -> Result<Templates, ReportError> {
        let read_err = |e: std::io::Error| ReportError::Read {
            path: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(read_err)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        entries.sort();
        let mut own = Vec::new();
        let mut files = Vec::new();
        for path in entries {
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if name.starts_with('.') {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| ReportError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })?;
            own.push((name.to_string(), text));
            files.push(path);
        }
        let mut templates = Templates::build(&own)?;
        templates.files = files;
        Ok(templates)
    }

    /// The files read from the `--templates` folder (none for the embedded templates).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    fn build(own: &[(String, String)]) -> Result<Templates, ReportError> {
        let mut tera = tera::Tera::default();
        // Escape HTML only (the default also lists .xml and .htm; we have neither).
        tera.autoescape_on([".html"]);
        // Control characters from the inputs are shown escaped (`\u{1b}`), then HTML-escaped:
        // a report printed to a terminal cannot drive it.
        tera.set_escape_fn(|input, out| {
            if input.contains('\r') {
                let crlf_as_lf = input.replace("\r\n", "\n");
                tera::escape_html(&crate::diag::terminal_safe(&crlf_as_lf), out)
            } else {
                tera::escape_html(&crate::diag::terminal_safe(input), out)
            }
        });
        tera.register_filter("md", |s: &str, _: tera::Kwargs, _: &tera::State| {
            md_escape(s)
        });
        tera.register_filter("code_spans", |s: &str, _: tera::Kwargs, _: &tera::State| {
            tera::Value::safe_string(&html_code_spans(s))
        });
        let mut all: Vec<(String, String)> = EMBEDDED
            .iter()
            .filter(|(n, _)| !own.iter().any(|(o, _)| o == n))
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        all.extend(own.iter().cloned());
        tera.add_raw_templates(all.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| ReportError::Template {
                name: "(loading)".into(),
                message: error_chain(&e),
            })?;
        Ok(Templates {
            tera,
            files: Vec::new(),
        })
    }

    /// Renders the template `name` with `view` as its context.
    pub fn render<T: serde::Serialize>(&self, name: &str, view: &T) -> Result<String, ReportError> {
        let context = tera::Context::from_serialize(view).map_err(|e| template_error(name, &e))?;
        self.render_context(name, &context)
    }

    /// [`Templates::render`], freeing the view as soon as the template's context (a copy
    /// of it) is made: a large report holds two copies of its content at once, not three.
    pub fn render_owned<T: serde::Serialize>(
        &self,
        name: &str,
        view: T,
    ) -> Result<String, ReportError> {
        let context = tera::Context::from_serialize(&view).map_err(|e| template_error(name, &e))?;
        drop(view);
        self.render_context(name, &context)
    }

    fn render_context(&self, name: &str, context: &tera::Context) -> Result<String, ReportError> {
        let err = |e: tera::Error| template_error(name, &e);
        // Rendered into bytes and checked with `from_utf8` (a word at a time): tera's own
        // `render` converts its buffer with the slower lossy conversion.
        let mut out = Vec::with_capacity(64 * 1024);
        self.tera.render_to(name, context, &mut out).map_err(err)?;
        String::from_utf8(out).map_err(|e| ReportError::Template {
            name: name.to_string(),
            message: format!("the template produced invalid UTF-8: {e}"),
        })
    }
}

fn template_error(name: &str, e: &tera::Error) -> ReportError {
    ReportError::Template {
        name: name.to_string(),
        message: error_chain(e),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Escapes text for Markdown: what would be markup (emphasis, links, tables, raw HTML)
/// is shown as written; line breaks become spaces so a value stays in its table cell;
/// other control characters are shown escaped (`\u{1b}`).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push(' '),
            _ => crate::diag::push_safe(&mut out, c),
        }
    }
    out
}

/// HTML for a message that quotes names in backticks (`` `A12` ``): the text escaped,
/// each quoted run in `<code>`. The only filter that yields markup, and it escapes all
/// it is given first; an unmatched backtick stays a backtick.
pub fn html_code_spans(s: &str) -> String {
    let escape = |t: &str| {
        let mut out = String::with_capacity(t.len());
        for c in t.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#x27;"),
                _ => crate::diag::push_safe(&mut out, c),
            }
        }
        out
    };
    let parts: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 16);
    for (i, part) in parts.iter().enumerate() {
        let quoted = i % 2 == 1 && i + 1 < parts.len();
        if quoted {
            out.push_str("<code>");
            out.push_str(&escape(part));
            out.push_str("</code>");
        } else {
            if i % 2 == 1 {
                out.push('`');
            }
            out.push_str(&escape(part));
        }
    }
    out
}

/// Where a report's generation time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeSource {
    /// The `SOURCE_DATE_EPOCH` environment variable.
    SourceDateEpoch,
    /// The newest modification time of the inputs.
    Inputs,
}

/// One input of a report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct InputFile {
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}

/// What a report was made from and by: every input with its SHA-256, the tool's version,
/// the generation time (never the clock).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Provenance {
    pub tool: &'static str,
    pub version: &'static str,
    /// ISO 8601, UTC, to the second.
    pub generated: String,
    /// `SOURCE_DATE_EPOCH` or `inputs (newest modification time)`.
    pub generated_from: String,
    pub inputs: Vec<InputFile>,
    /// The project file that judged the inputs of a check run (`null`: none); absent
    /// from reports that are not made from one check run (the monthly report).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project_file: Option<crate::workspace::Project>,
}

impl Provenance {
    /// Hashes every file (in the order given, duplicates dropped) and dates the report.
    /// A file that cannot be read again is listed with an empty hash.
    pub fn of_files(paths: &[PathBuf]) -> Provenance {
        use sha2::Digest;
        let mut seen = std::collections::BTreeSet::new();
        let mut inputs = Vec::new();
        let mut newest: Option<i64> = None;
        for path in paths {
            let shown = display(path);
            if !seen.insert(shown.clone()) {
                continue;
            }
            // A file read from a git revision (`git:REV:path`) is hashed as it was read.
            let read = crate::workspace::git::read_digest(path).filter(|_| !path.exists());
            let (sha256, bytes) = match read {
                Some(digest) => digest,
                None => match std::fs::read(path) {
                    Ok(b) => (hex(&sha2::Sha256::digest(&b)), b.len() as u64),
                    Err(_) => (String::new(), 0),
                },
            };
            if let Some(secs) = modified_secs(path) {
                newest = Some(newest.map_or(secs, |n| n.max(secs)));
            }
            inputs.push(InputFile {
                path: shown,
                sha256,
                bytes,
            });
        }
        let (time, source) = generation_time(newest);
        Provenance {
            tool: "opsplan",
            version: env!("CARGO_PKG_VERSION"),
            generated: format_utc(time),
            generated_from: match source {
                TimeSource::SourceDateEpoch => "SOURCE_DATE_EPOCH".into(),
                TimeSource::Inputs => "inputs (newest modification time)".into(),
            },
            inputs,
            project_file: None,
        }
    }

    /// The provenance of a check run: every file it read, its project file named (and
    /// listed among the inputs, since its policy and rules shaped the verdict).
    pub fn of_run(run: &crate::workspace::Run) -> Provenance {
        let mut paths: Vec<PathBuf> = run
            .sources
            .ids()
            .map(|id| run.sources.path(id).to_path_buf())
            .collect();
        if let Some(f) = &run.project.file {
            paths.push(f.clone());
        }
        let mut p = Provenance::of_files(&paths);
        p.project_file = Some(run.project.clone());
        p
    }

    /// The paths of every file a check run read.
    pub fn of_sources(sources: &SourceDb) -> Provenance {
        let paths: Vec<PathBuf> = sources
            .ids()
            .map(|id| sources.path(id).to_path_buf())
            .collect();
        Provenance::of_files(&paths)
    }
}

/// When `path` was last modified, seconds since 1970 (negative before), if it can be told.
pub fn modified_secs(path: &Path) -> Option<i64> {
    let m = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(match m.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    })
}

/// `SOURCE_DATE_EPOCH` when set and valid, else the newest input time, else 1980-01-01.
pub fn generation_time(newest_input: Option<i64>) -> (i64, TimeSource) {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return (t, TimeSource::SourceDateEpoch);
    }
    (newest_input.unwrap_or(315_532_800), TimeSource::Inputs)
}

/// `2014-10-05T12:00:00Z`
pub fn format_utc(secs: i64) -> String {
    match jiff::Timestamp::from_second(secs) {
        Ok(t) => t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        Err(_) => "1980-01-01T00:00:00Z".to_string(),
    }
}

fn display(path: &Path) -> String {
    let p = path.to_string_lossy().replace('\\', "/");
    p.strip_prefix("./").map(str::to_string).unwrap_or(p)
}

use crate::reqs::hex;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_escape_shows_markup_as_text() {
        assert_eq!(
            md_escape("<script>alert(1)</script> *x* | a\nb"),
            "&lt;script&gt;alert(1)&lt;/script&gt; \\*x\\* \\| a b"
        );
    }

    #[test]
    fn code_spans_escape_everything_and_quote_names() {
        assert_eq!(
            html_code_spans("`A49` overlaps `<b>` & odd ` tick"),
            "<code>A49</code> overlaps <code>&lt;b&gt;</code> &amp; odd ` tick"
        );
        assert_eq!(
            html_code_spans("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
    }

    #[test]
    fn every_embedded_template_compiles() {
        let t = Templates::embedded();
        for name in template_names() {
            assert!(t.tera.contains_template(name), "{name}");
        }
    }

    #[test]
    fn format_utc_is_iso() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_utc(1_412_121_600), "2014-10-01T00:00:00Z");
    }
}
