//! consistency report (in progress).
