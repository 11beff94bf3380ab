//! The server's state machine: documents, projects and their checks, the requests.
//!
//! [`Server::run`] takes messages from an `lsp_server::Connection` (stdio in
//! `opsplan lsp`, `Connection::memory()` in the tests and the bench) one at a time, on
//! one thread. Edits only record the new text and mark the document's project dirty;
//! the project is checked again when no message is waiting (changes that arrived during
//! a check are merged into the next one), or before a request about one of its files is
//! answered, so a request always sees the edited text. `semantic::Index` is built at
//! most once per check, when a request first needs it.
//!
//! A document's project is the one `opsplan check FILE` would use: the nearest
//! `opsplan.yaml` above it (up to the repository root). With one, the project file's
//! `inputs` are checked (as `opsplan check DIR` for the folder holding it); a document
//! that is not among them is checked alone, judged by that project file (as
//! `opsplan check FILE`). Without a project file, the document's folder is checked (as
//! `opsplan check DIR`), or the document alone when the folder cannot be searched.

use super::diagnostics;
use super::formatting;
use super::position::{path_to_uri, uri_to_path, Lines};
use super::semantic;
use super::symbols;
use crate::workspace::session::{self, Session};
use crate::workspace::{self, CheckOptions, LoadError, Run};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// An open document.
struct Document {
    version: i32,
    text: String,
    /// The key of its project in [`Server::projects`].
    project: PathBuf,
}

/// A project of open documents and its last check.
#[derive(Default)]
struct Project {
    /// What is checked (`opsplan check PATHS`).
    paths: Vec<PathBuf>,
    run: Option<Run>,
    /// The files of `run`, by canonical path.
    files: HashMap<PathBuf, crate::source::FileId>,
    index: Option<semantic::Index>,
    /// The URIs this project published findings for last time.
    published: BTreeSet<String>,
    dirty: bool,
}

/// The language server.
pub struct Server {
    conn: Connection,
    session: Arc<Session>,
    docs: HashMap<PathBuf, Document>,
    projects: BTreeMap<PathBuf, Project>,
    initialized: bool,
    shut_down: bool,
    /// The client registers file watchers when the server asks
    /// (`workspace.didChangeWatchedFiles.dynamicRegistration`).
    watch_registration: bool,
    /// How many checks ran (for the tests and the bench).
    pub checks: usize,
}

/// The characters after which an editor asks for completions by itself.
pub const TRIGGER_CHARACTERS: &[&str] = &[".", "\"", "/", "@"];

/// What the server offers.
pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(lsp::PositionEncodingKind::UTF16),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(
                    lsp::SaveOptions {
                        include_text: Some(true),
                    },
                )),
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(TRIGGER_CHARACTERS.iter().map(|s| s.to_string()).collect()),
            ..Default::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_range_formatting_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        workspace_symbol_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    }
}

/// A request that failed, as its error response.
struct Failure(ErrorCode, String);

type Answer = Result<Value, Failure>;

fn invalid(why: impl std::fmt::Display) -> Failure {
    Failure(ErrorCode::InvalidParams, why.to_string())
}

fn params<T: serde::de::DeserializeOwned>(v: &Value) -> Result<T, Failure> {
    serde_json::from_value(v.clone()).map_err(invalid)
}

impl Server {
    pub fn new(conn: Connection) -> Server {
        Server {
            conn,
            session: Arc::new(Session::new()),
            docs: HashMap::new(),
            projects: BTreeMap::new(),
            initialized: false,
            shut_down: false,
            watch_registration: false,
            checks: 0,
        }
    }

    /// Serves until `exit` or until the connection closes. The exit code: 0 after a
    /// `shutdown`, else 1 (the protocol's rule for `exit`, kept for a closed input).
    pub fn run(mut self) -> u8 {
        loop {
            let msg = if self.projects.values().any(|p| p.dirty) {
                match self.conn.receiver.try_recv() {
                    Ok(m) => m,
                    Err(e) if e.is_empty() => {
                        self.check_dirty();
                        continue;
                    }
                    Err(_) => break,
                }
            } else {
                match self.conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => break,
                }
            };
            match msg {
                Message::Request(req) => self.request(req),
                Message::Notification(n) if n.method == "exit" => {
                    return if self.shut_down { 0 } else { 1 };
                }
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
        }
        if self.shut_down {
            0
        } else {
            1
        }
    }

    fn send(&self, msg: impl Into<Message>) {
        let _ = self.conn.sender.send(msg.into());
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) {
        self.send(Notification::new(method.to_string(), params));
    }

    fn show_message(&self, typ: lsp::MessageType, message: String) {
        self.notify(
            "window/showMessage",
            lsp::ShowMessageParams { typ, message },
        );
    }

    fn request(&mut self, req: Request) {
        let id = req.id.clone();
        if req.method == "initialize" {
            let result = if self.initialized {
                Err(Failure(
                    ErrorCode::InvalidRequest,
                    "initialize was already received".to_string(),
                ))
            } else {
                self.initialized = true;
                self.watch_registration = req
                    .params
                    .pointer("/capabilities/workspace/didChangeWatchedFiles/dynamicRegistration")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                Ok(serde_json::to_value(lsp::InitializeResult {
                    capabilities: capabilities(),
                    server_info: Some(lsp::ServerInfo {
                        name: "opsplan".to_string(),
                        version: Some(env!("CARGO_PKG_VERSION").to_string()),
                    }),
                })
                .unwrap_or(Value::Null))
            };
            return self.respond(id, result);
        }
        if !self.initialized {
            return self.respond(
                id,
                Err(Failure(
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized".to_string(),
                )),
            );
        }
        if self.shut_down {
            return self.respond(
                id,
                Err(Failure(
                    ErrorCode::InvalidRequest,
                    "the server is shut down".to_string(),
                )),
            );
        }
        if req.method == "shutdown" {
            self.shut_down = true;
            return self.respond(id, Ok(Value::Null));
        }
        let method = req.method.clone();
        let answer = crate::context::contain_panic(|| self.answer(&req.method, &req.params))
            .unwrap_or_else(|panic| {
                Err(Failure(
                    ErrorCode::InternalError,
                    format!("internal error while answering {method}: {panic}"),
                ))
            });
        self.respond(id, answer);
    }

    fn respond(&self, id: RequestId, answer: Answer) {
        let response = match answer {
            Ok(v) => Response {
                id,
                result: Some(v),
                error: None,
            },
            Err(Failure(code, message)) => Response::new_err(id, code as i32, message),
        };
        self.send(response);
    }

    fn notification(&mut self, n: Notification) {
        if !self.initialized || self.shut_down {
            return;
        }
        let method = n.method.clone();
        if let Err(panic) = crate::context::contain_panic(|| self.notified(&n.method, &n.params)) {
            self.show_message(
                lsp::MessageType::ERROR,
                format!("opsplan: internal error while handling {method}: {panic}"),
            );
        }
    }

    fn notified(&mut self, method: &str, p: &Value) {
        match method {
            "initialized" if self.watch_registration => {
                // The files a check reads besides the open documents (flight rules,
                // window files, exports, opsplan.yaml, closed sources): their changes on
                // disk re-check the projects that read them.
                let watchers = WATCHED
                    .iter()
                    .map(|glob| lsp::FileSystemWatcher {
                        glob_pattern: lsp::GlobPattern::String((*glob).to_string()),
                        kind: None,
                    })
                    .collect();
                let registration = lsp::Registration {
                    id: "opsplan-watched-files".to_string(),
                    method: "workspace/didChangeWatchedFiles".to_string(),
                    register_options: serde_json::to_value(
                        lsp::DidChangeWatchedFilesRegistrationOptions { watchers },
                    )
                    .ok(),
                };
                self.send(Request::new(
                    RequestId::from("opsplan-register-watchers".to_string()),
                    "client/registerCapability".to_string(),
                    lsp::RegistrationParams {
                        registrations: vec![registration],
                    },
                ));
            }
            "workspace/didChangeWatchedFiles" => {
                let Ok(p) = params::<lsp::DidChangeWatchedFilesParams>(p) else {
                    return;
                };
                for change in p.changes {
                    let Some(path) = uri_to_path(&change.uri) else {
                        continue;
                    };
                    let key = session::key_of(&path);
                    if self.docs.contains_key(&key) && change.typ == lsp::FileChangeType::CHANGED {
                        // An open document is checked as the editor holds it.
                        continue;
                    }
                    let affected: Vec<PathBuf> = self
                        .projects
                        .iter()
                        .filter(|(k, pr)| concerns(k, pr, &key))
                        .map(|(k, _)| k.clone())
                        .collect();
                    for k in affected {
                        self.mark_dirty(&k);
                    }
                }
            }
            "textDocument/didOpen" => {
                let Ok(p) = params::<lsp::DidOpenTextDocumentParams>(p) else {
                    return;
                };
                self.open(
                    p.text_document.uri,
                    p.text_document.version,
                    p.text_document.text,
                );
            }
            "textDocument/didChange" => {
                let Ok(p) = params::<lsp::DidChangeTextDocumentParams>(p) else {
                    return;
                };
                let Some(key) = uri_to_path(&p.text_document.uri).map(|p| session::key_of(&p))
                else {
                    return;
                };
                let Some(doc) = self.docs.get_mut(&key) else {
                    return;
                };
                for change in p.content_changes {
                    apply_change(&mut doc.text, change);
                }
                doc.version = p.text_document.version;
                self.session.set_text(&key, doc.text.as_str());
                let project = doc.project.clone();
                self.mark_dirty(&project);
            }
            "textDocument/didSave" => {
                let Ok(p) = params::<lsp::DidSaveTextDocumentParams>(p) else {
                    return;
                };
                let Some(key) = uri_to_path(&p.text_document.uri).map(|p| session::key_of(&p))
                else {
                    return;
                };
                if let (Some(doc), Some(text)) = (self.docs.get_mut(&key), p.text) {
                    doc.text = text;
                    self.session.set_text(&key, doc.text.as_str());
                }
                // Every project that reads the file sees the saved text.
                let keys: Vec<PathBuf> = self
                    .projects
                    .iter()
                    .filter(|(_, pr)| pr.files.contains_key(&key))
                    .map(|(k, _)| k.clone())
                    .collect();
                for k in keys {
                    self.mark_dirty(&k);
                }
                if let Some(doc) = self.docs.get(&key) {
                    let project = doc.project.clone();
                    self.mark_dirty(&project);
                }
            }
            "textDocument/didClose" => {
                let Ok(p) = params::<lsp::DidCloseTextDocumentParams>(p) else {
                    return;
                };
                let Some(key) = uri_to_path(&p.text_document.uri).map(|p| session::key_of(&p))
                else {
                    return;
                };
                let Some(doc) = self.docs.remove(&key) else {
                    return;
                };
                self.session.forget_text(&key);
                if self.docs.values().any(|d| d.project == doc.project) {
                    self.mark_dirty(&doc.project);
                } else if let Some(project) = self.projects.remove(&doc.project) {
                    // Nothing of it is open: its findings go.
                    for uri in project.published {
                        self.publish_uri(&uri, Vec::new());
                    }
                }
            }
            _ => {}
        }
    }

    fn mark_dirty(&mut self, key: &Path) {
        if let Some(p) = self.projects.get_mut(key) {
            p.dirty = true;
        }
    }

    /// Opens a document: finds its project and checks it.
    fn open(&mut self, uri: lsp::Uri, version: i32, text: String) {
        let Some(path) = uri_to_path(&uri) else {
            self.show_message(
                lsp::MessageType::WARNING,
                format!(
                    "opsplan: {} is not a file on disk; it is not checked (save it first)",
                    uri.as_str()
                ),
            );
            return;
        };
        let key = session::key_of(&path);
        self.session.set_text(&key, text.as_str());
        let (project_key, paths) = project_of(&key);
        self.docs.insert(
            key.clone(),
            Document {
                version,
                text,
                project: project_key.clone(),
            },
        );
        self.projects
            .entry(project_key.clone())
            .or_insert_with(|| Project {
                paths,
                ..Default::default()
            })
            .dirty = true;
        self.check_project(&project_key);
        // Not among the project's inputs: checked alone, as `opsplan check FILE`.
        let outside = self
            .projects
            .get(&project_key)
            .is_some_and(|p| p.run.is_some() && !p.files.contains_key(&key));
        if outside {
            let alone = key.clone();
            if let Some(doc) = self.docs.get_mut(&key) {
                doc.project = alone.clone();
            }
            if !self.docs.values().any(|d| d.project == project_key) {
                if let Some(p) = self.projects.remove(&project_key) {
                    for uri in p.published {
                        self.publish_uri(&uri, Vec::new());
                    }
                }
            }
            self.projects
                .entry(alone.clone())
                .or_insert_with(|| Project {
                    paths: vec![key.clone()],
                    ..Default::default()
                });
            self.mark_dirty(&alone);
            self.check_project(&alone);
        }
    }

    /// Checks every project marked dirty.
    fn check_dirty(&mut self) {
        let dirty: Vec<PathBuf> = self
            .projects
            .iter()
            .filter(|(_, p)| p.dirty)
            .map(|(k, _)| k.clone())
            .collect();
        for key in dirty {
            self.check_project(&key);
        }
    }

    /// Checks a project again and publishes its findings.
    fn check_project(&mut self, key: &Path) {
        let Some(project) = self.projects.get_mut(key) else {
            return;
        };
        project.dirty = false;
        project.index = None;
        let paths = project.paths.clone();
        let session = self.session.clone();
        self.checks += 1;
        let result = crate::context::contain_panic(|| {
            session::check_in(&session, &paths, &CheckOptions::default())
        });
        let mut publish: BTreeMap<String, (lsp::Uri, Vec<lsp::Diagnostic>)> = BTreeMap::new();
        let mut message = None;
        match result {
            Ok(Ok(run)) => {
                publish = diagnostics::by_file(&run);
                project.files = run
                    .sources
                    .ids()
                    .map(|id| (session::key_of(run.sources.path(id)), id))
                    .collect();
                // The last run is dropped on a thread of its own: freeing a large
                // model takes a good part of a check.
                if let Some(old) = project.run.replace(run) {
                    // (When no thread can be made, the closure and the run are
                    // dropped here.)
                    let _ = std::thread::Builder::new()
                        .name("lsp-drop".to_string())
                        .spawn(move || drop(old));
                }
            }
            Ok(Err(e)) => {
                project.run = None;
                project.files.clear();
                match &e {
                    LoadError::Config {
                        path,
                        line,
                        column,
                        message: m,
                    } => {
                        let text = std::fs::read_to_string(path).unwrap_or_default();
                        let uri = path_to_uri(&session::key_of(path));
                        publish.insert(
                            uri.as_str().to_string(),
                            (uri, vec![diagnostics::load_error(&text, *line, *column, m)]),
                        );
                    }
                    _ => message = Some(format!("opsplan: the project is not checked: {e}")),
                }
            }
            Err(panic) => {
                project.run = None;
                project.files.clear();
                message = Some(format!(
                    "opsplan: internal error while checking {}: {panic}",
                    paths
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        // Every open document of the project gets its list, empty when clean, so the
        // editor sees that the version it sent was checked.
        for (doc_key, d) in &self.docs {
            if d.project != key {
                continue;
            }
            let uri = path_to_uri(doc_key);
            publish
                .entry(uri.as_str().to_string())
                .or_insert_with(|| (uri, Vec::new()));
        }
        let Some(project) = self.projects.get_mut(key) else {
            return;
        };
        let before = std::mem::take(&mut project.published);
        project.published = publish.keys().cloned().collect();
        let gone: Vec<String> = before.difference(&project.published).cloned().collect();
        for uri in gone {
            self.publish_uri(&uri, Vec::new());
        }
        for (uri, diags) in publish.into_values() {
            self.publish(uri, diags);
        }
        if let Some(m) = message {
            self.show_message(lsp::MessageType::ERROR, m);
        }
    }

    fn publish_uri(&self, uri: &str, diagnostics: Vec<lsp::Diagnostic>) {
        if let Ok(uri) = uri.parse::<lsp::Uri>() {
            self.publish(uri, diagnostics);
        }
    }

    fn publish(&self, uri: lsp::Uri, diagnostics: Vec<lsp::Diagnostic>) {
        let version = uri_to_path(&uri)
            .and_then(|p| self.docs.get(&session::key_of(&p)))
            .map(|d| d.version);
        self.notify(
            "textDocument/publishDiagnostics",
            lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version,
            },
        );
    }

    /// The open document a request names, its project checked on its current text.
    fn document(&mut self, p: &Value) -> Result<PathBuf, Failure> {
        let uri: lsp::Uri = p
            .get("textDocument")
            .and_then(|t| t.get("uri"))
            .cloned()
            .ok_or_else(|| invalid("no textDocument.uri"))
            .and_then(|u| serde_json::from_value(u).map_err(invalid))?;
        let key = uri_to_path(&uri)
            .map(|p| session::key_of(&p))
            .ok_or_else(|| invalid(format!("{}: not a file: URI", uri.as_str())))?;
        let Some(project) = self.project_for(&key) else {
            return Err(invalid(format!(
                "{}: not an open document nor a file of a project checked (send \
                 textDocument/didOpen first)",
                uri.as_str()
            )));
        };
        if self.projects.get(&project).is_some_and(|p| p.dirty) {
            self.check_project(&project);
        }
        Ok(key)
    }

    /// The run of a document's project, its index (built now if needed) and the
    /// document's file in it.
    /// The text of the open document `key`: formatting and the outline are for open
    /// documents only.
    fn open_text(&self, key: &Path) -> Result<&str, Failure> {
        self.docs.get(key).map(|d| d.text.as_str()).ok_or_else(|| {
            invalid(format!(
                "{}: not an open document (send textDocument/didOpen first)",
                key.display()
            ))
        })
    }

    /// The project that answers for the file `key`: an open document's own, else the
    /// first project whose last check read the file (a flight-rule file, a requirement
    /// export, the project file: the editor asks for their quick fixes and hovers too,
    /// without opening them as opsplan documents).
    fn project_for(&self, key: &Path) -> Option<PathBuf> {
        if let Some(doc) = self.docs.get(key) {
            return Some(doc.project.clone());
        }
        self.projects
            .iter()
            .find(|(_, p)| p.files.contains_key(key))
            .map(|(k, _)| k.clone())
    }

    fn semantic_of(
        &mut self,
        key: &Path,
    ) -> Option<(&Run, &semantic::Index, crate::source::FileId)> {
        let project_key = self.project_for(key)?;
        let project = self.projects.get_mut(&project_key)?;
        let file = *project.files.get(key)?;
        let run = project.run.as_ref()?;
        let index = project
            .index
            .get_or_insert_with(|| semantic::Index::build(run));
        Some((run, &*index, file))
    }

    fn answer(&mut self, method: &str, p: &Value) -> Answer {
        match method {
            "textDocument/hover" => {
                let p: lsp::HoverParams = params(p)?;
                let key = self.document(&serde_json::json!({"textDocument": p.text_document_position_params.text_document}))?;
                let pos = p.text_document_position_params.position;
                let Some((run, index, file)) = self.semantic_of(&key) else {
                    return Ok(Value::Null);
                };
                let lines = file_lines(run, file);
                let offset = lines.offset(pos);
                let hover = semantic::hover(run, index, file, offset).map(|h| lsp::Hover {
                    contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                        kind: lsp::MarkupKind::Markdown,
                        value: h.markdown,
                    }),
                    range: Some(diagnostics::range_of(&run.sources, h.span)),
                });
                to_value(hover)
            }
            "textDocument/definition" => {
                let p: lsp::GotoDefinitionParams = params(p)?;
                let key = self.document(&serde_json::json!({"textDocument": p.text_document_position_params.text_document}))?;
                let pos = p.text_document_position_params.position;
                let Some((run, index, file)) = self.semantic_of(&key) else {
                    return Ok(Value::Null);
                };
                let offset = file_lines(run, file).offset(pos);
                let spans = semantic::definition(run, index, file, offset);
                let locations = locations(run, &spans);
                if locations.is_empty() {
                    return Ok(Value::Null);
                }
                to_value(lsp::GotoDefinitionResponse::Array(locations))
            }
            "textDocument/references" => {
                let p: lsp::ReferenceParams = params(p)?;
                let key = self.document(
                    &serde_json::json!({"textDocument": p.text_document_position.text_document}),
                )?;
                let pos = p.text_document_position.position;
                let Some((run, index, file)) = self.semantic_of(&key) else {
                    return Ok(Value::Array(Vec::new()));
                };
                let offset = file_lines(run, file).offset(pos);
                let spans =
                    semantic::references(run, index, file, offset, p.context.include_declaration);
                to_value(locations(run, &spans))
            }
            "textDocument/completion" => {
                let p: lsp::CompletionParams = params(p)?;
                let key = self.document(
                    &serde_json::json!({"textDocument": p.text_document_position.text_document}),
                )?;
                let pos = p.text_document_position.position;
                let text = self
                    .docs
                    .get(&key)
                    .map(|d| d.text.clone())
                    .unwrap_or_default();
                let Some((run, index, file)) = self.semantic_of(&key) else {
                    return Ok(Value::Array(Vec::new()));
                };
                let offset = Lines::new(&text).offset(pos);
                let items: Vec<lsp::CompletionItem> =
                    semantic::complete(run, index, file, &text, offset)
                        .into_iter()
                        .map(completion_item)
                        .collect();
                to_value(lsp::CompletionResponse::Array(items))
            }
            "textDocument/codeAction" => {
                let p: lsp::CodeActionParams = params(p)?;
                let key = self.document(&serde_json::json!({"textDocument": p.text_document}))?;
                let open: HashMap<PathBuf, String> = self
                    .docs
                    .iter()
                    .map(|(k, d)| (k.clone(), d.text.clone()))
                    .collect();
                let Some((run, index, file)) = self.semantic_of(&key) else {
                    return Ok(Value::Array(Vec::new()));
                };
                let lines = file_lines(run, file);
                let range = lines.offset(p.range.start)..lines.offset(p.range.end);
                let actions = semantic::code_actions(run, index, file, range);
                let out: Vec<lsp::CodeActionOrCommand> = actions
                    .into_iter()
                    .map(|a| lsp::CodeActionOrCommand::CodeAction(code_action(run, &open, a)))
                    .collect();
                to_value(out)
            }
            "textDocument/formatting" => {
                let p: lsp::DocumentFormattingParams = params(p)?;
                let key = self.document(&serde_json::json!({"textDocument": p.text_document}))?;
                let text = self.open_text(&key)?;
                to_value(text_edits(text, formatting::format_document(text)))
            }
            "textDocument/rangeFormatting" => {
                let p: lsp::DocumentRangeFormattingParams = params(p)?;
                let key = self.document(&serde_json::json!({"textDocument": p.text_document}))?;
                let text = self.open_text(&key)?;
                let mut last = p.range.end.line as usize;
                if p.range.end.character == 0 && p.range.end.line > p.range.start.line {
                    last -= 1;
                }
                let edits = formatting::format_range(text, p.range.start.line as usize, last);
                to_value(text_edits(text, edits))
            }
            "textDocument/documentSymbol" => {
                let p: lsp::DocumentSymbolParams = params(p)?;
                let key = self.document(&serde_json::json!({"textDocument": p.text_document}))?;
                to_value(lsp::DocumentSymbolResponse::Nested(
                    symbols::document_symbols(self.open_text(&key)?),
                ))
            }
            "workspace/symbol" => {
                let p: lsp::WorkspaceSymbolParams = params(p)?;
                if self.projects.values().any(|p| p.dirty) {
                    self.check_dirty();
                }
                let found = symbols::workspace_symbols(
                    self.projects.values().filter_map(|p| p.run.as_ref()),
                    &p.query,
                );
                to_value(lsp::WorkspaceSymbolResponse::Flat(found))
            }
            // For the tests of panic containment only: a handler that panics.
            "$/opsplan/testPanic" if std::env::var_os("OPSPLAN_LSP_TEST_PANIC").is_some() => {
                panic!("a panic inside a handler, asked for by the test")
            }
            _ => Err(Failure(
                ErrorCode::MethodNotFound,
                format!("unknown method {method}"),
            )),
        }
    }
}

fn to_value(v: impl serde::Serialize) -> Answer {
    serde_json::to_value(v).map_err(|e| Failure(ErrorCode::InternalError, e.to_string()))
}

fn file_lines(run: &Run, file: crate::source::FileId) -> Lines<'_> {
    let f = run.sources.get(file);
    Lines::with_index(&f.text, &f.line_index)
}

fn locations(run: &Run, spans: &[crate::source::Span]) -> Vec<lsp::Location> {
    spans
        .iter()
        .map(|s| {
            lsp::Location::new(
                diagnostics::uri_of(&run.sources, s.file),
                diagnostics::range_of(&run.sources, *s),
            )
        })
        .collect()
}

fn text_edits(text: &str, edits: formatting::Edits) -> Vec<lsp::TextEdit> {
    let lines = Lines::new(text);
    edits
        .into_iter()
        .map(|(range, new_text)| lsp::TextEdit {
            range: lines.range(range),
            new_text,
        })
        .collect()
}

fn completion_item(c: semantic::Completion) -> lsp::CompletionItem {
    use semantic::CompletionKind as K;
    let kind = match c.kind {
        K::Keyword => lsp::CompletionItemKind::KEYWORD,
        K::Activity => lsp::CompletionItemKind::EVENT,
        K::Procedure => lsp::CompletionItemKind::FUNCTION,
        K::Step => lsp::CompletionItemKind::METHOD,
        K::Role | K::Person | K::Position => lsp::CompletionItemKind::VALUE,
        K::Resource => lsp::CompletionItemKind::VARIABLE,
        K::Window => lsp::CompletionItemKind::INTERFACE,
        K::Phase => lsp::CompletionItemKind::MODULE,
        K::Scenario => lsp::CompletionItemKind::CLASS,
        K::FlightRule => lsp::CompletionItemKind::PROPERTY,
        K::Requirement => lsp::CompletionItemKind::REFERENCE,
        K::Other => lsp::CompletionItemKind::TEXT,
    };
    lsp::CompletionItem {
        label: c.label,
        kind: Some(kind),
        detail: c.detail,
        documentation: c.documentation.map(|d| {
            lsp::Documentation::MarkupContent(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: d,
            })
        }),
        insert_text: Some(c.insert_text),
        ..Default::default()
    }
}

/// A semantic code action as a quick fix whose edits are a `WorkspaceEdit`; the byte
/// ranges are read in the file's current text (the open document's, the run's, or the
/// disk's: `opsplan.yaml` is not in the run).
// `WorkspaceEdit::changes` is keyed by `Uri`, whose parsed form caches its parts in cells;
// they never change once parsed, so the keys' hashes are stable.
#[allow(clippy::mutable_key_type)]
fn code_action(run: &Run, open: &HashMap<PathBuf, String>, a: semantic::Action) -> lsp::CodeAction {
    let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
    let mut texts: HashMap<PathBuf, String> = HashMap::new();
    for e in a.edits {
        let key = session::key_of(&e.path);
        let text = texts.entry(key.clone()).or_insert_with(|| {
            open.get(&key).cloned().unwrap_or_else(|| {
                run.sources
                    .ids()
                    .find(|&id| session::key_of(run.sources.path(id)) == key)
                    .map(|id| run.sources.text(id).to_string())
                    .unwrap_or_else(|| std::fs::read_to_string(&key).unwrap_or_default())
            })
        });
        let range = Lines::new(text).range(e.range.clone());
        changes
            .entry(path_to_uri(&key))
            .or_default()
            .push(lsp::TextEdit {
                range,
                new_text: e.new_text,
            });
    }
    let diagnostics = a.diagnostic.and_then(|i| {
        run.diagnostics
            .get(i)
            .map(|d| vec![diagnostics::convert(run, i, d)])
    });
    lsp::CodeAction {
        title: a.title,
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics,
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(changes),
            ..Default::default()
        }),
        is_preferred: Some(a.preferred),
        ..Default::default()
    }
}

/// Applies one change of `didChange`: a UTF-16 range replaced, or the whole text.
fn apply_change(text: &mut String, change: lsp::TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let lines = Lines::new(text);
            let start = lines.offset(range.start);
            let end = lines.offset(range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

/// The files whose changes on disk the server asks the client to report
/// (`workspace/didChangeWatchedFiles`): what a check may read besides open documents.
pub const WATCHED: &[&str] = &[
    "**/opsplan.yaml",
    "**/*.{yaml,yml}",
    "**/*.{plan,proc,scn,roster}",
    "**/*.{csv,tsv,reqif,reqifz,xlsx,xlsm,xlsb,xls,ods}",
];

/// Whether a change on disk of the file `key` may change what project `project_key`
/// finds: a file its last check read, its project file, a new file in the folder it
/// checks, or anything when its last check could not run (a project file that did not
/// read, now perhaps fixed).
fn concerns(project_key: &Path, project: &Project, key: &Path) -> bool {
    if project.run.is_none() || project.files.contains_key(key) || project_key == key {
        return true;
    }
    let folder = if project_key.is_dir() {
        Some(project_key)
    } else if project_key.file_name() == Some(std::ffi::OsStr::new("opsplan.yaml")) {
        project_key.parent()
    } else {
        None
    };
    folder.is_some_and(|f| key.starts_with(f))
}

/// The project of a document (its key and the paths to check), as the module
/// documentation says.
fn project_of(doc: &Path) -> (PathBuf, Vec<PathBuf>) {
    let dir = doc.parent().unwrap_or(Path::new("/")).to_path_buf();
    match workspace::project::find_above(&dir) {
        Ok(Some(file)) => (file.clone(), vec![file]),
        Ok(None) => {
            // A folder too large to search is checked as the file alone.
            if too_large(&dir) {
                (doc.to_path_buf(), vec![doc.to_path_buf()])
            } else {
                (dir.clone(), vec![dir])
            }
        }
        Err(_) => (doc.to_path_buf(), vec![doc.to_path_buf()]),
    }
}

/// True when the folder holds more than `workspace::MAX_WALK_ENTRIES` entries.
fn too_large(dir: &Path) -> bool {
    let mut stack = vec![dir.to_path_buf()];
    let mut seen = 0usize;
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            seen += 1;
            if seen > workspace::MAX_WALK_ENTRIES {
                return true;
            }
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(e.path());
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn notification(method: &str, params: Value) -> Message {
        Message::Notification(Notification::new(method.to_string(), params))
    }

    fn request(id: i32, method: &str, params: Value) -> Message {
        Message::Request(Request::new(id.into(), method.to_string(), params))
    }

    /// Runs a server over `messages` (all queued before it starts, so the order it sees
    /// them in is fixed) and returns what it sent and its exit code.
    fn serve(messages: Vec<Message>) -> (Vec<Message>, u8) {
        let (server, client) = Connection::memory();
        for m in messages {
            client.sender.send(m).unwrap();
        }
        drop(client.sender);
        let code = Server::new(server).run();
        (client.receiver.try_iter().collect(), code)
    }

    fn published(out: &[Message], uri: &str) -> Vec<Value> {
        out.iter()
            .filter_map(|m| match m {
                Message::Notification(n)
                    if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri =>
                {
                    Some(n.params.clone())
                }
                _ => None,
            })
            .collect()
    }

    fn start() -> Vec<Message> {
        vec![
            request(1, "initialize", json!({"capabilities": {}})),
            notification("initialized", json!({})),
        ]
    }

    #[test]
    fn changes_queued_during_a_check_are_merged_and_requests_see_the_edited_text() {
        let dir = tempfile::tempdir().unwrap();
        let plan = dir.path().join("p.plan");
        let text = "plan P {\n  roles GC\n  activity A1 { at 2014/272 10:00 lasts 1h by GC }\n}\n";
        std::fs::write(&plan, text).unwrap();
        let uri = path_to_uri(&session::key_of(&plan)).as_str().to_string();
        let change = |version: i32, line: u32, new: &str| {
            notification(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version},
                       "contentChanges": [{"range": {"start": {"line": line, "character": 0},
                                                     "end": {"line": line, "character": 0}},
                                           "text": new}]}),
            )
        };
        let mut messages = start();
        messages.push(notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "opsplan", "version": 1, "text": text}}),
        ));
        // Two edits queued behind the open: one check for both.
        messages.push(change(
            2,
            3,
            "  activity A2 { at 2014/272 12:00 lasts 1h by GC after A9 }\n",
        ));
        messages.push(change(3, 3, "  // 😀😀\n"));
        messages.push(request(
            2,
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": uri}}),
        ));
        messages.push(request(3, "shutdown", Value::Null));
        messages.push(notification("exit", Value::Null));
        let (out, code) = serve(messages);
        assert_eq!(code, 0);
        let lists = published(&out, &uri);
        let versions: Vec<&Value> = lists.iter().map(|p| &p["version"]).collect();
        // One check on open, one for both edits (no check of version 2 alone).
        assert_eq!(versions, vec![&json!(1), &json!(3)], "{lists:?}");
        assert_eq!(lists[0]["diagnostics"], json!([]));
        let messages: Vec<&str> = lists[1]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["message"].as_str().unwrap())
            .collect();
        assert!(messages.iter().any(|m| m.contains("A9")), "{messages:?}");
        // The outline answered on the edited text: A2 is there.
        let symbols = out
            .iter()
            .find_map(|m| match m {
                Message::Response(r) if r.id == 2.into() => r.result.clone(),
                _ => None,
            })
            .unwrap();
        let names: Vec<&str> = symbols[0]["children"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, vec!["A1", "A2"]);
    }

    #[test]
    fn a_flight_rule_file_changed_on_disk_is_checked_again_through_the_watchers() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let plan = dir.path().join("p.plan");
        std::fs::write(
            &plan,
            "plan P {\n  horizon 2014/272 00:00 .. 2014/273 00:00\n  roles GC\n  \
             activity A1 { at 2014/272 10:00 lasts 1h by GC kind burn }\n  \
             activity A2 { at 2014/272 12:00 lasts 1h by GC kind burn }\n}\n",
        )
        .unwrap();
        let rules = dir.path().join("rules.yaml");
        let rule = |min: &str| {
            format!(
                "rules:\n  - id: FR-1\n    title: burns apart\n    kind: min_separation\n    \
                 select: {{ kind: burn }}\n    min: {min}\n"
            )
        };
        std::fs::write(&rules, rule("30m")).unwrap();
        std::fs::write(
            dir.path().join("opsplan.yaml"),
            "inputs: [p.plan]\nrules: [rules.yaml]\n",
        )
        .unwrap();
        let uri = path_to_uri(&session::key_of(&plan)).as_str().to_string();
        let rules_uri = path_to_uri(&session::key_of(&rules)).as_str().to_string();
        let (server, client) = Connection::memory();
        let thread = std::thread::spawn(move || Server::new(server).run());
        let next = || {
            client
                .receiver
                .recv_timeout(std::time::Duration::from_secs(60))
                .expect("the server answers")
        };
        let published_next = || loop {
            if let Message::Notification(n) = next() {
                if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                    return n.params["diagnostics"].clone();
                }
            }
        };
        let caps = json!({"capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}});
        client.sender.send(request(1, "initialize", caps)).unwrap();
        client
            .sender
            .send(notification("initialized", json!({})))
            .unwrap();
        // The server asks for the watchers of the files a check reads.
        let registration = loop {
            if let Message::Request(r) = next() {
                break r;
            }
        };
        assert_eq!(registration.method, "client/registerCapability");
        let watchers = &registration.params["registrations"][0]["registerOptions"]["watchers"];
        assert_eq!(watchers.as_array().unwrap().len(), WATCHED.len());
        let text = std::fs::read_to_string(&plan).unwrap();
        client
            .sender
            .send(notification(
                "textDocument/didOpen",
                json!({"textDocument": {"uri": uri, "languageId": "opsplan", "version": 1, "text": text}}),
            ))
            .unwrap();
        assert_eq!(published_next(), json!([]));
        // The rule file is edited and saved in another editor: 1h30m apart now.
        std::fs::write(&rules, rule("1h30m")).unwrap();
        client
            .sender
            .send(notification(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": rules_uri, "type": 2}]}),
            ))
            .unwrap();
        let after = published_next();
        let codes: Vec<&str> = after
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, vec!["F001"], "{after}");
        // A change of a file no project reads checks nothing again.
        let elsewhere = tempfile::tempdir().unwrap();
        let other = path_to_uri(&session::key_of(elsewhere.path()))
            .as_str()
            .to_string();
        client
            .sender
            .send(notification(
                "workspace/didChangeWatchedFiles",
                json!({"changes": [{"uri": format!("{other}/x.yaml"), "type": 1}]}),
            ))
            .unwrap();
        client
            .sender
            .send(request(2, "shutdown", Value::Null))
            .unwrap();
        client
            .sender
            .send(notification("exit", Value::Null))
            .unwrap();
        drop(client.sender);
        for m in client.receiver.iter() {
            if let Message::Notification(n) = m {
                assert_ne!(
                    n.method, "textDocument/publishDiagnostics",
                    "{:?}",
                    n.params
                );
            }
        }
        assert_eq!(thread.join().unwrap(), 0);
    }

    #[test]
    fn a_project_file_that_does_not_read_is_a_diagnostic_at_its_place() {
        let dir = tempfile::tempdir().unwrap();
        let yaml = dir.path().join("opsplan.yaml");
        std::fs::write(&yaml, "inputs:\n  - p.plan\nseverity: [\n").unwrap();
        let plan = dir.path().join("p.plan");
        std::fs::write(&plan, "plan P {\n}\n").unwrap();
        let uri = path_to_uri(&session::key_of(&plan)).as_str().to_string();
        let yaml_uri = path_to_uri(&session::key_of(&yaml)).as_str().to_string();
        let mut messages = start();
        messages.push(notification(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "opsplan", "version": 1, "text": "plan P {\n}\n"}}),
        ));
        messages.push(request(2, "shutdown", Value::Null));
        let (out, code) = serve(messages);
        assert_eq!(code, 0);
        let lists = published(&out, &yaml_uri);
        assert_eq!(lists.len(), 1, "{out:?}");
        let d = &lists[0]["diagnostics"][0];
        assert_eq!(d["severity"], 1);
        assert!(
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("project file not used: "),
            "{d}"
        );
        assert!(d["range"]["start"]["line"].as_u64().unwrap() >= 2, "{d}");
    }

    #[test]
    fn utf16_ranges_are_applied_to_the_right_bytes() {
        let mut text = "a😀b\nc€d\n".to_string();
        apply_change(
            &mut text,
            lsp::TextDocumentContentChangeEvent {
                range: Some(lsp::Range::new(
                    lsp::Position::new(0, 3),
                    lsp::Position::new(1, 1),
                )),
                range_length: None,
                text: "X".to_string(),
            },
        );
        assert_eq!(text, "a😀X€d\n");
        apply_change(
            &mut text,
            lsp::TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "all".to_string(),
            },
        );
        assert_eq!(text, "all");
    }

    #[test]
    fn a_waived_violation_is_a_hint_that_says_so() {
        let root =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/F004-waived-violation");
        let run = workspace::check_paths(&[root.join("plan.plan")]).unwrap();
        let (i, d) = run
            .diagnostics
            .iter()
            .enumerate()
            .find(|(_, d)| d.code == crate::diag::Code::WaivedViolation)
            .expect("the fixture's F004");
        let lsp = diagnostics::convert(&run, i, d);
        assert_eq!(lsp.severity, Some(lsp::DiagnosticSeverity::HINT));
        assert!(lsp.message.starts_with("waived: "), "{}", lsp.message);
        assert_eq!(lsp.data.as_ref().unwrap()["waived"], true);
        assert_eq!(
            lsp.code,
            Some(lsp::NumberOrString::String("F004".to_string()))
        );
    }

    #[test]
    fn requests_before_initialize_and_after_shutdown_are_refused_and_exit_without_shutdown_is_1() {
        let (out, code) = serve(vec![
            request(1, "workspace/symbol", json!({"query": ""})),
            request(2, "initialize", json!({"capabilities": {}})),
            request(3, "initialize", json!({"capabilities": {}})),
            notification("exit", Value::Null),
        ]);
        assert_eq!(code, 1);
        let errors: Vec<Option<i32>> = out
            .iter()
            .filter_map(|m| match m {
                Message::Response(r) => Some(r.error.as_ref().map(|e| e.code)),
                _ => None,
            })
            .collect();
        assert_eq!(
            errors,
            vec![
                Some(ErrorCode::ServerNotInitialized as i32),
                None,
                Some(ErrorCode::InvalidRequest as i32)
            ]
        );
        let (out, code) = serve(vec![
            request(1, "initialize", json!({"capabilities": {}})),
            request(2, "shutdown", Value::Null),
            request(3, "workspace/symbol", json!({"query": ""})),
        ]);
        // The input ended after shutdown: a clean end.
        assert_eq!(code, 0);
        assert!(
            matches!(out.last(), Some(Message::Response(r)) if r.error.as_ref().map(|e| e.code) == Some(ErrorCode::InvalidRequest as i32))
        );
    }
}
