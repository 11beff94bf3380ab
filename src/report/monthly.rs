//! monthly report (in progress).
