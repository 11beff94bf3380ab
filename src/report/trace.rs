//! trace report (in progress).
