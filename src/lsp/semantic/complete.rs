//! Completion.
use super::index::Data;
use super::Completion;
use crate::source::FileId;
use crate::workspace::Run;

pub(super) fn complete(
    _run: &Run,
    _data: &Data,
    _file: FileId,
    _text: &str,
    _offset: usize,
) -> Vec<Completion> {
    Vec::new()
}
