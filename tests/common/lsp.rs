//! A small JSON-RPC client for `opsplan lsp` over the binary's stdio
//! (`Content-Length` framing), with a timeout on every wait: the language server's
//! tests (tests/lsp_stdio.rs) and those of its semantic features use it.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// How long a test waits for one message before failing.
pub const TIMEOUT: Duration = Duration::from_secs(120);

/// The repository's root (the tests' working folder).
pub fn repo_root() -> PathBuf {
    std::fs::canonicalize(env!("CARGO_MANIFEST_DIR")).expect("the repository")
}

/// The `file:` URI of a path (absolute, percent-encoded as the server writes them).
pub fn uri_of(path: &Path) -> String {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        repo_root().join(path)
    };
    let mut out = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A running `opsplan lsp`.
pub struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for something else, in order.
    pub notifications: Vec<Value>,
}

/// Reads one framed message; `None` at the end of the output.
fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    r.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server writes JSON"))
}

impl Client {
    /// Starts `opsplan lsp` in the repository's root.
    pub fn spawn() -> Client {
        Client::spawn_with(&[])
    }

    /// Starts `opsplan lsp` with these environment variables set.
    pub fn spawn_with(env: &[(&str, &str)]) -> Client {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("opsplan"))
            .arg("lsp")
            .envs(env.iter().copied())
            .current_dir(repo_root())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("opsplan lsp starts");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Client {
            stdin: child.stdin.take(),
            child,
            rx,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    /// Writes bytes as they are (for malformed input).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("the server reads");
        stdin.flush().expect("flushed");
    }

    /// Writes one framed JSON value.
    pub fn send(&mut self, v: &Value) {
        let body = v.to_string();
        self.send_raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message, within [`TIMEOUT`].
    pub fn next(&mut self) -> Value {
        match self.rx.recv_timeout(TIMEOUT) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in {TIMEOUT:?}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// Sends a request and returns its response (`result` or `error` inside); the
    /// notifications received meanwhile join [`Client::notifications`].
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.response(id)
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        loop {
            let v = self.next();
            if v.get("id") == Some(&json!(id)) && v.get("method").is_none() {
                return v;
            }
            if v.get("id").is_none() || v.get("method").is_some() {
                self.notifications.push(v);
            } else {
                panic!("a response to another request: {v}");
            }
        }
    }

    /// The `publishDiagnostics` received so far, taken out of the backlog: URI → the
    /// last list published for it.
    pub fn take_diagnostics(&mut self) -> std::collections::BTreeMap<String, Value> {
        let mut out = std::collections::BTreeMap::new();
        self.notifications.retain(|n| {
            if n["method"] == "textDocument/publishDiagnostics" {
                out.insert(
                    n["params"]["uri"].as_str().unwrap_or("").to_string(),
                    n["params"].clone(),
                );
                false
            } else {
                true
            }
        });
        out
    }

    /// `initialize` (with the repository as the workspace) and `initialized`.
    pub fn initialize(&mut self) -> Value {
        let root = uri_of(&repo_root());
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}}),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// Opens `path` (relative to the repository) with its text on disk.
    pub fn open(&mut self, path: &str) -> String {
        let text = std::fs::read_to_string(repo_root().join(path)).expect("readable");
        let uri = uri_of(Path::new(path));
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "opsplan", "version": 1, "text": text}}),
        );
        uri
    }

    /// Closes stdin (end of input).
    pub fn close_stdin(&mut self) {
        self.stdin.take();
    }

    /// The exit code once the process ends, `None` when it is still running after
    /// `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<Option<i32>> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Some(status) = self.child.try_wait().expect("waitable") {
                return Some(status.code());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// `shutdown` then `exit`; the exit code.
    pub fn shutdown(&mut self) -> Option<i32> {
        let r = self.request("shutdown", Value::Null);
        assert_eq!(r["result"], Value::Null, "{r}");
        self.notify("exit", Value::Null);
        self.wait_exit(Duration::from_secs(10))
            .expect("the server exits after exit")
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `v` with the repository's absolute path (in URIs and in text) made relative, for
/// snapshots.
pub fn relative(v: &Value) -> Value {
    let root = repo_root();
    let uri_root = format!("{}/", uri_of(&root));
    let plain_root = format!("{}/", root.display());
    let text = v
        .to_string()
        .replace(&uri_root, "")
        .replace(&plain_root, "");
    serde_json::from_str(&text).expect("still JSON")
}
