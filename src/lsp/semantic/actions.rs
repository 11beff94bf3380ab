//! Code actions.
use super::Action;
use crate::source::FileId;
use crate::workspace::Run;

pub(super) fn code_actions(
    _run: &Run,
    _file: FileId,
    _range: std::ops::Range<usize>,
) -> Vec<Action> {
    Vec::new()
}
