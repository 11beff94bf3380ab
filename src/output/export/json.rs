//! The package's JSON (`plan.json`): the [`ExportDoc`] as pretty JSON, members in
//! declaration order, ending with a newline. Its JSON Schema (draft 2020-12) is
//! [`SCHEMA`], published as `docs/schemas/opsplan-export-1.schema.json`.

use super::ExportDoc;

/// The JSON Schema of version 1, as published in `docs/schemas/`.
pub const SCHEMA: &str = include_str!("../../../docs/schemas/opsplan-export-1.schema.json");

/// Pretty JSON with a final newline.
pub fn render(doc: &ExportDoc) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("the export view serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_schema_is_json_and_names_its_version() {
        let v: serde_json::Value = serde_json::from_str(super::SCHEMA).unwrap();
        assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
        assert_eq!(
            v["properties"]["version"]["const"],
            super::super::SCHEMA_VERSION
        );
        assert_eq!(
            v["properties"]["schema"]["const"],
            super::super::SCHEMA_NAME
        );
    }
}
