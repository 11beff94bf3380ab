//! The stdio transport of `opsplan lsp`: `Content-Length` framed JSON-RPC read from
//! stdin and written to stdout, joined to the server through an in-memory
//! `lsp_server::Connection`.
//!
//! Unlike `lsp_server::Connection::stdio`, a malformed message does not end the
//! transport: a header block without a valid `Content-Length` is skipped (a header
//! found later in the same line is used, so garbage before a header is passed over), a
//! body that is not JSON is answered with a `-32700` parse error, a JSON value that is
//! not a JSON-RPC message with `-32600` (invalid request). End of input ends the reader:
//! the server sees the connection close.

use lsp_server::{Connection, Message};
use serde_json::{json, Value};
use std::io::{BufRead, Write};
use std::sync::{Arc, Mutex};

/// The largest message body read (a document of the 512 MiB source limit, escaped).
const MAX_BODY: usize = 1024 * 1024 * 1024;

/// Writes one framed message.
pub fn write_frame(out: &mut impl Write, body: &str) -> std::io::Result<()> {
    write!(out, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    out.flush()
}

/// What one read gave.
pub enum Frame {
    Body(Vec<u8>),
    /// A header block that could not be used (why).
    Bad(String),
    Eof,
}

/// Reads one frame. Header lines end with `\n` (a `\r` before it is dropped); the block
/// ends with an empty line.
pub fn read_frame(input: &mut impl BufRead) -> std::io::Result<Frame> {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_any = false;
    loop {
        let mut line = Vec::new();
        let n = input.read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(if saw_any {
                Frame::Bad("input ended inside a header".to_string())
            } else {
                Frame::Eof
            });
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            if !saw_any {
                // Blank lines between messages are passed over.
                continue;
            }
            break;
        }
        saw_any = true;
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.find("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            length = Some(
                value
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length `{value}`")),
            );
        }
    }
    match length {
        None => Ok(Frame::Bad("a header without Content-Length".to_string())),
        Some(Err(why)) => Ok(Frame::Bad(why)),
        Some(Ok(n)) if n > MAX_BODY => Ok(Frame::Bad(format!(
            "a message of {n} bytes, more than the {} MiB allowed",
            MAX_BODY / (1024 * 1024)
        ))),
        Some(Ok(n)) => {
            let mut body = vec![0; n];
            match input.read_exact(&mut body) {
                Ok(()) => Ok(Frame::Body(body)),
                Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(Frame::Eof),
                Err(e) => Err(e),
            }
        }
    }
}

/// The error answer to a message that could not be read.
fn error_response(id: Value, code: i64, message: String) -> String {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}}).to_string()
}

/// Turns a body into a message, or the error answer to send back (`None`: nothing to
/// answer, a notification that is not valid).
pub fn decode(body: &[u8]) -> Result<Message, Option<String>> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Err(Some(error_response(
                Value::Null,
                -32700,
                format!("parse error: {e}"),
            )))
        }
    };
    let id = value.get("id").cloned();
    let valid = value.is_object()
        && (value.get("method").is_some_and(Value::is_string)
            || value.get("result").is_some()
            || value.get("error").is_some());
    let parsed = if valid {
        serde_json::from_value::<Message>(value).ok()
    } else {
        None
    };
    match parsed {
        Some(m) => Ok(m),
        None => match id {
            Some(id) if id.is_number() || id.is_string() => Err(Some(error_response(
                id,
                -32600,
                "invalid request: not a JSON-RPC request, response or notification".to_string(),
            ))),
            _ => Err(Some(error_response(
                Value::Null,
                -32600,
                "invalid request: not a JSON-RPC request, response or notification".to_string(),
            ))),
        },
    }
}

/// Runs the server over stdin and stdout; returns the server's exit code.
pub fn serve_stdio(run: impl FnOnce(Connection) -> u8) -> u8 {
    let (server, client) = Connection::memory();
    let stdout = Arc::new(Mutex::new(std::io::stdout()));
    let writer_out = stdout.clone();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    let writer = std::thread::Builder::new()
        .name("lsp-writer".to_string())
        .spawn(move || {
            for msg in from_server {
                let Ok(text) = serde_json::to_string(&Framed(&msg)) else {
                    continue;
                };
                let mut out = writer_out.lock().unwrap_or_else(|p| p.into_inner());
                if write_frame(&mut *out, &text).is_err() {
                    break;
                }
            }
        })
        .expect("a thread for the writer");
    // The reader is never joined: it may be blocked reading stdin when the server exits.
    let _reader = std::thread::Builder::new()
        .name("lsp-reader".to_string())
        .spawn(move || {
            let stdin = std::io::stdin();
            let mut input = stdin.lock();
            loop {
                match read_frame(&mut input) {
                    Ok(Frame::Eof) | Err(_) => break,
                    Ok(Frame::Bad(why)) => {
                        eprintln!("opsplan lsp: message skipped: {why}");
                    }
                    Ok(Frame::Body(body)) => match decode(&body) {
                        Ok(msg) => {
                            if to_server.send(msg).is_err() {
                                break;
                            }
                        }
                        Err(Some(answer)) => {
                            let mut out = stdout.lock().unwrap_or_else(|p| p.into_inner());
                            let _ = write_frame(&mut *out, &answer);
                        }
                        Err(None) => {}
                    },
                }
            }
            // Dropping `to_server` closes the server's receiver.
        })
        .expect("a thread for the reader");
    let code = run(server);
    let _ = writer.join();
    code
}

/// A message with its `"jsonrpc": "2.0"`.
struct Framed<'a>(&'a Message);

impl serde::Serialize for Framed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut v = serde_json::to_value(self.0).map_err(serde::ser::Error::custom)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("jsonrpc".to_string(), Value::from("2.0"));
        }
        v.serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_and_bad_headers_are_skipped_and_the_next_message_read() {
        let input = b"garbage\r\n\r\nContent-Length: x\r\n\r\nxxContent-Length: 2\r\n\r\n{}";
        let mut r = &input[..];
        assert!(matches!(read_frame(&mut r).unwrap(), Frame::Bad(_)));
        assert!(matches!(read_frame(&mut r).unwrap(), Frame::Bad(_)));
        match read_frame(&mut r).unwrap() {
            Frame::Body(b) => assert_eq!(b, b"{}"),
            _ => panic!("a body"),
        }
        assert!(matches!(read_frame(&mut r).unwrap(), Frame::Eof));
    }

    #[test]
    fn bodies_that_are_not_messages_are_answered() {
        let e = decode(b"{not json").unwrap_err().unwrap();
        assert!(e.contains("-32700"), "{e}");
        let e = decode(br#"{"id": 4, "foo": 1}"#).unwrap_err().unwrap();
        assert!(e.contains("-32600") && e.contains("\"id\":4"), "{e}");
        assert!(decode(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#).is_ok());
    }
}
