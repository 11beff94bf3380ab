//! gantt report (in progress).
