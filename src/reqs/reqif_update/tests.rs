use super::*;

/// A small ReqIF with a `reqif:` prefix, no XHTML prefix bound, a STRING and an
/// ENUMERATION write-back attribute; object `a` has values, `b` has an empty `VALUES`,
/// `c` none and no LAST-CHANGE.
const FILE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment kept -->
<reqif:REQ-IF xmlns:reqif="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd">
 <reqif:CORE-CONTENT><reqif:REQ-IF-CONTENT>
  <reqif:DATATYPES>
   <reqif:DATATYPE-DEFINITION-STRING IDENTIFIER="s" LONG-NAME="S" MAX-LENGTH="1000"/>
   <reqif:DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="e" LONG-NAME="Cov">
    <reqif:SPECIFIED-VALUES>
     <reqif:ENUM-VALUE IDENTIFIER="e1" LONG-NAME="covered"/>
     <reqif:ENUM-VALUE IDENTIFIER="e2" LONG-NAME="uncovered"/>
    </reqif:SPECIFIED-VALUES>
   </reqif:DATATYPE-DEFINITION-ENUMERATION>
  </reqif:DATATYPES>
  <reqif:SPEC-TYPES>
   <reqif:SPEC-OBJECT-TYPE IDENTIFIER="t" LONG-NAME="Requirement">
    <reqif:SPEC-ATTRIBUTES>
     <reqif:ATTRIBUTE-DEFINITION-STRING IDENTIFIER="text" LONG-NAME="ReqIF.Text"><reqif:TYPE><reqif:DATATYPE-DEFINITION-STRING-REF>s</reqif:DATATYPE-DEFINITION-STRING-REF></reqif:TYPE></reqif:ATTRIBUTE-DEFINITION-STRING>
     <reqif:ATTRIBUTE-DEFINITION-ENUMERATION IDENTIFIER="cov" LONG-NAME="Coverage"><reqif:TYPE><reqif:DATATYPE-DEFINITION-ENUMERATION-REF>e</reqif:DATATYPE-DEFINITION-ENUMERATION-REF></reqif:TYPE></reqif:ATTRIBUTE-DEFINITION-ENUMERATION>
     <reqif:ATTRIBUTE-DEFINITION-STRING IDENTIFIER="by" LONG-NAME="Covered By"><reqif:TYPE><reqif:DATATYPE-DEFINITION-STRING-REF>s</reqif:DATATYPE-DEFINITION-STRING-REF></reqif:TYPE></reqif:ATTRIBUTE-DEFINITION-STRING>
    </reqif:SPEC-ATTRIBUTES>
   </reqif:SPEC-OBJECT-TYPE>
  </reqif:SPEC-TYPES>
  <reqif:SPEC-OBJECTS>
   <reqif:SPEC-OBJECT IDENTIFIER="a" LAST-CHANGE="2014-01-01T00:00:00">
    <reqif:TYPE><reqif:SPEC-OBJECT-TYPE-REF>t</reqif:SPEC-OBJECT-TYPE-REF></reqif:TYPE>
    <reqif:VALUES>
     <reqif:ATTRIBUTE-VALUE-STRING THE-VALUE="A text"><reqif:DEFINITION><reqif:ATTRIBUTE-DEFINITION-STRING-REF>text</reqif:ATTRIBUTE-DEFINITION-STRING-REF></reqif:DEFINITION></reqif:ATTRIBUTE-VALUE-STRING>
     <reqif:ATTRIBUTE-VALUE-ENUMERATION><reqif:DEFINITION><reqif:ATTRIBUTE-DEFINITION-ENUMERATION-REF>cov</reqif:ATTRIBUTE-DEFINITION-ENUMERATION-REF></reqif:DEFINITION><reqif:VALUES><reqif:ENUM-VALUE-REF>e2</reqif:ENUM-VALUE-REF></reqif:VALUES></reqif:ATTRIBUTE-VALUE-ENUMERATION>
     <reqif:ATTRIBUTE-VALUE-STRING THE-VALUE="old"><reqif:DEFINITION><reqif:ATTRIBUTE-DEFINITION-STRING-REF>by</reqif:ATTRIBUTE-DEFINITION-STRING-REF></reqif:DEFINITION></reqif:ATTRIBUTE-VALUE-STRING>
    </reqif:VALUES>
   </reqif:SPEC-OBJECT>
   <reqif:SPEC-OBJECT IDENTIFIER="b" LAST-CHANGE="2014-01-01T00:00:00">
    <reqif:TYPE><reqif:SPEC-OBJECT-TYPE-REF>t</reqif:SPEC-OBJECT-TYPE-REF></reqif:TYPE>
    <reqif:VALUES/>
   </reqif:SPEC-OBJECT>
   <reqif:SPEC-OBJECT IDENTIFIER="c">
    <reqif:TYPE><reqif:SPEC-OBJECT-TYPE-REF>t</reqif:SPEC-OBJECT-TYPE-REF></reqif:TYPE>
   </reqif:SPEC-OBJECT>
  </reqif:SPEC-OBJECTS>
 </reqif:REQ-IF-CONTENT></reqif:CORE-CONTENT>
 <reqif:TOOL-EXTENSIONS><reqif:SPEC-OBJECT IDENTIFIER="a"/></reqif:TOOL-EXTENSIONS>
</reqif:REQ-IF>
"#;

fn columns() -> Vec<Column> {
    vec![
        Column {
            name: "Coverage".into(),
            values: Some(vec!["covered".into(), "uncovered".into()]),
        },
        Column {
            name: "Covered By".into(),
            values: None,
        },
    ]
}

fn values(cov: &str, by: &str) -> Vec<(String, String)> {
    vec![
        ("Coverage".into(), cov.into()),
        ("Covered By".into(), by.into()),
    ]
}

#[test]
fn values_are_replaced_or_added_and_nothing_else_changes() {
    let updates: Updates = vec![
        (
            "a".into(),
            values("covered", "activity A1 (p.plan:3) & <more>\nnext"),
        ),
        ("b".into(), values("uncovered", "")),
        // (`c` has no text: a custom-named text attribute would be read as its text, a
        // change `verify` refuses; see docs/limits.md.)
        ("c".into(), values("covered", "")),
    ];
    let u = update(
        FILE.as_bytes(),
        &columns(),
        &updates,
        "2020-01-01T00:00:00Z",
    )
    .unwrap();
    assert_eq!(u.changed, ["a", "b", "c"]);
    let out = String::from_utf8(u.bytes).unwrap();
    // `a`: the enumeration reference and the string value replaced in place.
    assert!(out.contains("<reqif:ENUM-VALUE-REF>e1</reqif:ENUM-VALUE-REF>"));
    assert!(
        out.contains(r#"THE-VALUE="activity A1 (p.plan:3) &amp; &lt;more&gt;&#10;next""#),
        "{out}"
    );
    assert!(
        out.contains(r#"<reqif:SPEC-OBJECT IDENTIFIER="a" LAST-CHANGE="2020-01-01T00:00:00Z">"#)
    );
    // `b`: the empty VALUES holds the enumeration (an empty text is no value).
    assert!(out.contains("<reqif:VALUES><reqif:ATTRIBUTE-VALUE-ENUMERATION><reqif:DEFINITION><reqif:ATTRIBUTE-DEFINITION-ENUMERATION-REF>cov</reqif:ATTRIBUTE-DEFINITION-ENUMERATION-REF></reqif:DEFINITION><reqif:VALUES><reqif:ENUM-VALUE-REF>e2</reqif:ENUM-VALUE-REF></reqif:VALUES></reqif:ATTRIBUTE-VALUE-ENUMERATION></reqif:VALUES>"));
    // `c`: VALUES created, LAST-CHANGE added; `a`'s line end kept by a reference.
    assert!(
        out.contains(r#"<reqif:SPEC-OBJECT LAST-CHANGE="2020-01-01T00:00:00Z" IDENTIFIER="c">"#)
    );
    assert!(out.contains("<reqif:VALUES>\n       <reqif:ATTRIBUTE-VALUE-ENUMERATION>"));
    // The rest as it was: the comment, the text value, the tool extension.
    assert!(out.contains("<!-- a comment kept -->"));
    assert!(out.contains(r#"THE-VALUE="A text""#));
    assert!(out.contains(
        r#"<reqif:TOOL-EXTENSIONS><reqif:SPEC-OBJECT IDENTIFIER="a"/></reqif:TOOL-EXTENSIONS>"#
    ));
    // Read back: the values as written, everything else the same.
    let expected = updates
        .iter()
        .map(|(id, v)| ((None, id.clone()), v.clone()))
        .collect();
    let names = vec!["Coverage".to_string(), "Covered By".to_string()];
    verify(FILE.as_bytes(), out.as_bytes(), &names, &expected).unwrap();
    // Again: nothing to change, the same bytes.
    let again = update(out.as_bytes(), &columns(), &updates, "2030-01-01T00:00:00Z").unwrap();
    assert!(again.changed.is_empty());
    assert_eq!(again.bytes, out.as_bytes());
}

#[test]
fn a_missing_attribute_and_a_missing_value_are_refused_where_they_are() {
    let updates: Updates = vec![("a".into(), values("covered", ""))];
    let mut cols = columns();
    cols[1].name = "Evidence".into();
    let r = update(FILE.as_bytes(), &cols, &updates, "x").unwrap_err();
    assert!(r.needs_recipe);
    assert_eq!(r.element, "SPEC-OBJECT-TYPE t (Requirement)");
    assert_eq!((r.line, r.column), (15, 4));
    assert!(recipe(&cols).contains("`Evidence`: a text (string) attribute"));
    let mut cols = columns();
    cols[0].values = Some(vec!["covered".into(), "withdrawn".into()]);
    let r = update(FILE.as_bytes(), &cols, &updates, "x").unwrap_err();
    assert!(!r.needs_recipe);
    assert_eq!((r.line, r.column), (7, 4));
    assert!(
        r.message.contains("lacks the value `withdrawn`"),
        "{}",
        r.message
    );
    // An object the file does not hold.
    let updates: Updates = vec![("zz".into(), values("covered", ""))];
    let r = update(FILE.as_bytes(), &columns(), &updates, "x").unwrap_err();
    assert!(r.message.contains("no SPEC-OBJECT `zz`"), "{}", r.message);
}

#[test]
fn a_verification_catches_a_change_outside_the_values() {
    let names = vec!["Coverage".to_string(), "Covered By".to_string()];
    let changed = FILE.replace(r#"THE-VALUE="A text""#, r#"THE-VALUE="Another text""#);
    let err = verify(FILE.as_bytes(), changed.as_bytes(), &names, &HashMap::new()).unwrap_err();
    assert!(
        err.contains("differs in more than the write-back attributes"),
        "{err}"
    );
}

#[test]
fn xhtml_values_use_the_files_prefix_or_declare_one() {
    let file = FILE
        .replace(
            r#"<reqif:ATTRIBUTE-DEFINITION-STRING IDENTIFIER="by" LONG-NAME="Covered By"><reqif:TYPE><reqif:DATATYPE-DEFINITION-STRING-REF>s</reqif:DATATYPE-DEFINITION-STRING-REF></reqif:TYPE></reqif:ATTRIBUTE-DEFINITION-STRING>"#,
            r#"<reqif:ATTRIBUTE-DEFINITION-XHTML IDENTIFIER="by" LONG-NAME="Covered By"><reqif:TYPE><reqif:DATATYPE-DEFINITION-XHTML-REF>s</reqif:DATATYPE-DEFINITION-XHTML-REF></reqif:TYPE></reqif:ATTRIBUTE-DEFINITION-XHTML>"#,
        )
        .replace(
            r#"<reqif:ATTRIBUTE-VALUE-STRING THE-VALUE="old"><reqif:DEFINITION><reqif:ATTRIBUTE-DEFINITION-STRING-REF>by</reqif:ATTRIBUTE-DEFINITION-STRING-REF></reqif:DEFINITION></reqif:ATTRIBUTE-VALUE-STRING>"#,
            "",
        );
    let updates: Updates = vec![("a".into(), values("covered", "A < B"))];
    let u = update(file.as_bytes(), &columns(), &updates, "x").unwrap();
    let out = String::from_utf8(u.bytes).unwrap();
    assert!(
        out.contains(r#"<reqif:THE-VALUE><xhtml:div xmlns:xhtml="http://www.w3.org/1999/xhtml">A &lt; B</xhtml:div></reqif:THE-VALUE>"#),
        "{out}"
    );
    let names = vec!["Coverage".to_string(), "Covered By".to_string()];
    let expected = HashMap::from([((None, "a".to_string()), updates[0].1.clone())]);
    verify(file.as_bytes(), out.as_bytes(), &names, &expected).unwrap();
}
