//! The shift sheet as a printable HTML page (`opsplan agenda --format html`): the view
//! `workspace::agenda` computes, with the provenance footer of the other reports,
//! rendered by `templates/agenda.html` (autoescaped: every input text is escaped).

use super::{Provenance, ReportError, Templates};
use crate::workspace::agenda::{Agenda, Sheet};
use serde::Serialize;

/// What `agenda.html` sees.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaReportView<'a> {
    pub title: String,
    pub sheets: &'a [Sheet],
    pub provenance: Provenance,
}

/// The view of the sheets, titled by the plans and the shift.
pub fn view(agenda: &Agenda, provenance: Provenance) -> AgendaReportView<'_> {
    let title = match agenda.sheets.as_slice() {
        [one] => format!("Shift sheet {} from {}", one.plan, one.at),
        _ => "Shift sheets".to_string(),
    };
    AgendaReportView {
        title,
        sheets: &agenda.sheets,
        provenance,
    }
}

/// Renders the sheet with `agenda.html`.
pub fn html(templates: &Templates, view: &AgendaReportView) -> Result<String, ReportError> {
    templates.render("agenda.html", view)
}
