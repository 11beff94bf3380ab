//! A deterministic generator of a large requirements module and of a mission that traces
//! to it (issue #4's benchmark, `benches/trace.rs`).
//!
//! [`reqif`] writes a ReqIF 1.0 document of `n` requirements in the shape IBM DOORS 9
//! (DOORS Classic) exports a formal module, after `requirements/atv-ops-requirements.reqif`:
//! indented, the DOORS datatypes (INTEGER, BOOLEAN, the `Verification Methods` and
//! `Created Thru` ENUMERATIONs, XHTML `Text` and `String`, DATE, and a STRING), one
//! anonymous SPEC-OBJECT-TYPE whose system attributes carry the DOORS identifiers
//! (`<type>_ABSOLUTENUMBER` → ReqIF.ForeignID, `_OBJECTTEXT` → ReqIF.Text,
//! `_OBJECTHEADING` → ReqIF.ChapterName, `_CREATEDTHRU` with a DEFAULT-VALUE) plus the
//! module's `Req ID`, `Source` (XHTML, on 40 % of the requirements), `Verification Method`
//! (ENUMERATION) and `Owner` (STRING, on 25 %); the module prefix `GEN-OPS-REQ-` as
//! ReqIF.Prefix on the SPECIFICATION; SPEC-OBJECT identifiers `_<absolute number>_<uuid>`.
//! That is 2.4 KB per object, 245 MiB for 100,000 requirements, under the importer's
//! 256 MiB limit; the DOORS example module, which also carries Created By/On and Last
//! Modified By/On, has 3.6 KB per object.
//!
//! The outline has three levels: a chapter heading every [`SECTIONS_PER_CHAPTER`]
//! sections, a section heading every [`PER_SECTION`] requirements, and the requirements
//! as CHILDREN of their section. Absolute numbers follow the outline (the module was
//! written top to bottom), so requirement ids are `GEN-OPS-REQ-<absolute number>` with
//! gaps where the headings are; `Req ID` repeats that id, so the export reads the same with
//! and without `--id "Req ID"`. Texts are 100-200 characters of XHTML: mostly one
//! `div`, some paragraphs, lists, bold, entities and non-ASCII characters. One SPEC-RELATION
//! (`satisfies`) per [`REQS_PER_RELATION`] requirements links two requirements.
//!
//! [`mission`] writes a plan, a procedure library and a flight-rule file citing them:
//! `n / 2` activities (one phase per day, [`ACTIVITIES_PER_DAY`] a day, in 25 lanes) with
//! `covers` of 1-3 ids each, `max(n / 100, 10)` procedures with `covers` on about half of
//! them and inside about 40 % of their steps, and 20 flight rules with 2-3 `traces` each.
//! About [`UNCOVERED_PERCENT`] % of the requirements are never cited; every other one is
//! (the cites walk the covered ones with a stride coprime to their count). One cite in
//! [`CITES_PER_DANGLING`] dangles, in turn: a typo one edit away
//! from a real id (`GEN-OPS-RQE-…`: a "did you mean"), an id of no module (`GEN-SYS-REQ-…`)
//! and a heading's id. The mission checks clean (no error; the benchmark asserts it).

use super::Rng;
use std::fmt::Write as _;
use std::path::Path;

/// The module prefix (ReqIF.Prefix): cited ids are this and the absolute number.
pub const PREFIX: &str = "GEN-OPS-REQ-";
/// Requirements under each section heading.
pub const PER_SECTION: usize = 20;
/// Section headings under each chapter heading.
pub const SECTIONS_PER_CHAPTER: usize = 10;
/// One SPEC-RELATION per this many requirements.
pub const REQS_PER_RELATION: usize = 10;
/// Activities per day (one phase per day).
pub const ACTIVITIES_PER_DAY: usize = 250;
/// Requirements no activity, procedure, step or rule cites, in percent (about).
pub const UNCOVERED_PERCENT: u64 = 10;
/// One dangling cite after this many cites.
pub const CITES_PER_DANGLING: usize = 1_000;

const SEED: u64 = 0x7ace_2024_0004_0001;
const TYPE: &str = "_3c1f9a52-7be0-4d18-9a6e-52f0c4b7d913";
const SPEC_TYPE: &str = "_8e2d4b17-c530-4f69-8d1a-0b7e3f95a2c6";
const RELATION_TYPE: &str = "_5a7c0e93-2d41-4b8f-a6c5-9e13f7d20b48";
const DT_INTEGER: &str = "_0f4e8a21-6c3b-47d9-b512-d8a9e6c13f70";
const DT_BOOLEAN: &str = "_2b9d6f40-18e7-4ac3-9f05-73c1e8a4d26b";
const DT_VERIFICATION: &str = "_6d03b7e1-94fa-4c28-8e6d-1a5f2c9b0e37";
const DT_CREATED_THRU: &str = "_9a81c4d6-0e3f-4b72-a9d8-5f6e1b2c3a04";
const DT_TEXT: &str = "_c47e2a90-5b1d-4f83-9c6a-e02d8b5f1a39";
const DT_STRING: &str = "_e5b13f08-7a2c-4d96-8b4e-3c9f0a6d2e71";
const DT_PLAIN: &str = "_a1d6e3b5-4c80-4f2a-b7e9-6d2c5f8a0b13";
const DT_DATE: &str = "_4f7a9c12-e6b8-4d05-93a1-c8e2b0d7f654";
const SPECIFICATION: &str = "_b6e40d2a-91c7-4e58-8f3b-2a7d9c0e6f15";
const ATTR_REQ_ID: &str = "_71e9c2a4-3f5d-4b80-9e16-d4a8b0c7f253";
const ATTR_SOURCE: &str = "_d28f5b3c-a06e-4c19-8b7d-e3f1a9c5024b";
const ATTR_VERIFICATION: &str = "_0c5e7a19-b84d-4f36-a2e0-9d6b3c1f8e57";
const ATTR_OWNER: &str = "_f3a08d6b-2e9c-4751-bd4a-8c1e5f7a9d20";
const LAST_CHANGE: &str = "2014-09-29T14:37:12";
/// The `Verification Methods` enumeration: (identifier, name).
const METHODS: [(&str, &str); 4] = [
    ("_a4307a9a-cc8b-403f-911f-99d81bd17675", "Review"),
    ("_a194a1cf-dddc-44ff-9940-e89427612084", "Analysis"),
    ("_eeed760e-abf7-4293-b28d-94dc83630997", "Inspection"),
    ("_3a6e646c-7c52-4e70-8fb3-0fe3ddc21920", "Test"),
];
const CREATED_THRU: [(&str, &str); 3] = [
    ("_11666055-269f-40de-8657-40515df4655d", "Manual Input"),
    ("_845496fb-caca-46c0-9dba-eb7c0a71f159", "Extracting"),
    ("_ee09251f-5d1f-4b8d-abc0-90a77ce6f6b8", "Copying"),
];
const OWNERS: &[&str] = &["FD", "OM", "PLN", "FDS", "GC", "EST", "MCC-M", "MCC-H"];

// ---------------------------------------------------------------- vocabulary

const CHAPTERS: &[&str] = &[
    "Planning and plan checking",
    "Refuelling",
    "Reboost and thrusters",
    "Hatch and crew",
    "Collision risk",
    "Operations discipline",
    "Monthly reporting",
    "Ground segment",
    "Power and thermal",
    "Communications",
];
const SECTIONS: &[&str] = &[
    "General",
    "Preparation",
    "Execution",
    "Monitoring",
    "Contingencies",
    "Interfaces",
    "Timing",
    "Records",
    "Verification",
    "Constraints",
    "Hand-over",
    "Configuration",
];
const SUBJECTS: &[&str] = &[
    "The flight control team",
    "The ground segment",
    "The ATV flight software",
    "The mission planning system",
    "Each propellant transfer",
    "The flight dynamics team",
    "Every orbit control manoeuvre",
    "The operations procedure",
    "The monitoring console",
    "The flight director",
    "The on-board data handling",
    "Each ground station pass",
];
const VERBS: &[&str] = &[
    "shall verify",
    "shall record",
    "shall report",
    "shall confirm",
    "shall limit",
    "shall monitor",
    "shall not exceed",
    "shall provide",
    "shall complete",
    "shall schedule",
];
const OBJECTS: &[&str] = &[
    "the tank pressure within {} bar of its nominal value",
    "the attitude error below {} deg on every axis",
    "the propellant line temperature between 5 and {} °C",
    "a telemetry link margin of at least {} dB",
    "the battery state of charge above {} %",
    "the number of thruster firings to {} per orbit",
    "the orbit determination accuracy to {} m in position",
    "a hand-over report within {} minutes",
    "the valve configuration against the reference of issue {}",
    "the command stack to {} queued commands",
];
const CONDITIONS: &[&str] = &[
    "before the start of any propellant transfer",
    "during every ground station pass",
    "after each orbit control manoeuvre",
    "while the hatch is open",
    "within one orbit of acquisition of signal",
    "for the whole of the docked phase",
    "at each shift hand-over",
    "before the GO/NO-GO poll",
];
const SCOPES: &[&str] = &[
    "This applies to nominal and backup chains.",
    "Deviations shall be reported to the flight director.",
    "The value shall be logged in the shift report.",
    "Exceptions require a waiver approved by the mission manager.",
    "The check shall be repeated after any reconfiguration.",
];

// ---------------------------------------------------------------- requirements

/// A generated requirements module.
#[derive(Debug, Clone)]
pub struct ReqSet {
    /// Requirements (headings not counted).
    pub n: usize,
    /// The ReqIF document.
    pub reqif: String,
    /// The ids of the requirements, in outline order.
    pub ids: Vec<String>,
    /// The ids of the headings (chapters and sections), in outline order.
    pub heading_ids: Vec<String>,
    /// SPEC-RELATIONs.
    pub relations: usize,
}

impl ReqSet {
    /// Headings and requirements.
    pub fn objects(&self) -> usize {
        self.ids.len() + self.heading_ids.len()
    }
}

/// An object of the outline.
enum Item {
    /// A chapter (level 1) or section (level 2) heading: absolute number, text.
    Heading {
        abs: usize,
        level: u32,
        text: String,
    },
    /// A requirement (level 3): absolute number.
    Requirement { abs: usize },
}

fn uuid(rng: &mut Rng) -> String {
    let a = rng.next_u64();
    let b = rng.next_u64();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        0x8000 | (b >> 48) & 0x3fff,
        b & 0xffff_ffff_ffff
    )
}

/// Generates a DOORS Classic ReqIF module of `n` requirements.
pub fn reqif(n: usize) -> ReqSet {
    reqif_seeded(n, SEED)
}

/// [`reqif`] from another seed: the same shape, other texts, relations and cites.
pub fn reqif_seeded(n: usize, seed: u64) -> ReqSet {
    let mut rng = Rng::new(seed ^ n as u64);
    // The outline: chapters, sections and requirements, numbered in document order.
    let mut items = Vec::with_capacity(n + n / PER_SECTION + 16);
    let mut abs = 0;
    let mut placed = 0;
    let mut section = 0;
    while placed < n {
        if section % SECTIONS_PER_CHAPTER == 0 {
            abs += 1;
            let c = section / SECTIONS_PER_CHAPTER;
            let text = format!("{} ({})", CHAPTERS[c % CHAPTERS.len()], c + 1);
            items.push(Item::Heading {
                abs,
                level: 1,
                text,
            });
        }
        abs += 1;
        let text = format!(
            "{} {}.{}",
            SECTIONS[section % SECTIONS.len()],
            section / SECTIONS_PER_CHAPTER + 1,
            section % SECTIONS_PER_CHAPTER + 1
        );
        items.push(Item::Heading {
            abs,
            level: 2,
            text,
        });
        for _ in 0..PER_SECTION.min(n - placed) {
            abs += 1;
            items.push(Item::Requirement { abs });
            placed += 1;
        }
        section += 1;
    }
    let mut ids = Vec::with_capacity(n);
    let mut heading_ids = Vec::with_capacity(items.len() - n);
    let mut idents = Vec::with_capacity(items.len());
    for it in &items {
        let a = match it {
            Item::Heading { abs, .. } => {
                heading_ids.push(format!("{PREFIX}{abs}"));
                *abs
            }
            Item::Requirement { abs } => {
                ids.push(format!("{PREFIX}{abs}"));
                *abs
            }
        };
        idents.push(format!("_{a}_{}", uuid(&mut rng)));
    }

    let mut s = String::with_capacity(items.len() * 2_300 + 16_384);
    header(&mut s);
    s.push_str("      <SPEC-OBJECTS>\n");
    for (it, ident) in items.iter().zip(&idents) {
        match it {
            Item::Heading { abs, text, .. } => heading_object(&mut s, ident, *abs, text),
            Item::Requirement { abs } => requirement_object(&mut rng, &mut s, ident, *abs),
        }
    }
    s.push_str("      </SPEC-OBJECTS>\n      <SPEC-RELATIONS>\n");
    // Requirement k satisfies a requirement of another section, further on.
    let req_idents: Vec<&str> = items
        .iter()
        .zip(&idents)
        .filter(|(it, _)| matches!(it, Item::Requirement { .. }))
        .map(|(_, id)| id.as_str())
        .collect();
    let mut relations = 0;
    for k in (0..n).step_by(REQS_PER_RELATION) {
        let target = (k + PER_SECTION + 1 + 37 * (k / REQS_PER_RELATION) % (3 * PER_SECTION)) % n;
        if target == k {
            continue;
        }
        let _ = writeln!(
            s,
            "        <SPEC-RELATION IDENTIFIER=\"_{}\" LAST-CHANGE=\"{LAST_CHANGE}\">",
            uuid(&mut rng)
        );
        let _ = writeln!(
            s,
            "          <TARGET>\n            <SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF>\n          </TARGET>",
            req_idents[target]
        );
        let _ = writeln!(
            s,
            "          <SOURCE>\n            <SPEC-OBJECT-REF>{}</SPEC-OBJECT-REF>\n          </SOURCE>",
            req_idents[k]
        );
        let _ = writeln!(
            s,
            "          <TYPE>\n            <SPEC-RELATION-TYPE-REF>{RELATION_TYPE}</SPEC-RELATION-TYPE-REF>\n          </TYPE>\n        </SPEC-RELATION>"
        );
        relations += 1;
    }
    s.push_str("      </SPEC-RELATIONS>\n      <SPECIFICATIONS>\n");
    specification(&mut rng, &mut s, &items, &idents);
    s.push_str(
        "      </SPECIFICATIONS>\n      <SPEC-RELATION-GROUPS>\n      </SPEC-RELATION-GROUPS>\n    </REQ-IF-CONTENT>\n  </CORE-CONTENT>\n  <TOOL-EXTENSIONS>\n  </TOOL-EXTENSIONS>\n</REQ-IF>\n",
    );
    ReqSet {
        n,
        reqif: s,
        ids,
        heading_ids,
        relations,
    }
}

fn header(s: &mut String) {
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>
<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:doors="http://www.ibm.com/rdm/doors/REQIF/xmlns/1.0" xmlns:reqif="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:reqif-common="http://www.prostep.org/reqif" xmlns:reqif-xhtml="http://www.w3.org/1999/xhtml" xmlns:rm="http://www.ibm.com/rm" xmlns:rm-reqif="http://www.ibm.com/rm/reqif" xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <THE-HEADER>
    <REQ-IF-HEADER IDENTIFIER="_7e3b9f02-c14a-4d86-b5e0-2f9a6c8d1e43">
      <CREATION-TIME>2014-09-29T14:37:12</CREATION-TIME>
      <REPOSITORY-ID>4f3a9c2e81d7b605</REPOSITORY-ID>
      <REQ-IF-TOOL-ID>DOORS</REQ-IF-TOOL-ID>
      <REQ-IF-VERSION>1.0</REQ-IF-VERSION>
      <SOURCE-TOOL-ID>DOORS 9.5.2.1</SOURCE-TOOL-ID>
      <TITLE>IBM Rational DOORS, 29 September 2014</TITLE>
    </REQ-IF-HEADER>
  </THE-HEADER>
  <CORE-CONTENT>
    <REQ-IF-CONTENT>
      <DATATYPES>
"#);
    let lc = LAST_CHANGE;
    let _ = writeln!(s, "        <DATATYPE-DEFINITION-INTEGER IDENTIFIER=\"{DT_INTEGER}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"Integer\" MAX=\"2147483647\" MIN=\"-2147483648\">\n        </DATATYPE-DEFINITION-INTEGER>");
    let _ = writeln!(s, "        <DATATYPE-DEFINITION-BOOLEAN IDENTIFIER=\"{DT_BOOLEAN}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"Boolean\">\n        </DATATYPE-DEFINITION-BOOLEAN>");
    enumeration(s, DT_VERIFICATION, "Verification Methods", &METHODS, 1);
    let _ = writeln!(s, "        <DATATYPE-DEFINITION-XHTML IDENTIFIER=\"{DT_TEXT}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"Text\">\n        </DATATYPE-DEFINITION-XHTML>");
    let _ = writeln!(s, "        <DATATYPE-DEFINITION-XHTML IDENTIFIER=\"{DT_STRING}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"String\">\n        </DATATYPE-DEFINITION-XHTML>");
    let _ = writeln!(s, "        <DATATYPE-DEFINITION-STRING IDENTIFIER=\"{DT_PLAIN}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"Plain String\" MAX-LENGTH=\"255\">\n        </DATATYPE-DEFINITION-STRING>");
    let _ = writeln!(s, "        <DATATYPE-DEFINITION-DATE IDENTIFIER=\"{DT_DATE}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"Date\">\n        </DATATYPE-DEFINITION-DATE>");
    enumeration(s, DT_CREATED_THRU, "Created Thru", &CREATED_THRU, 0);
    s.push_str("      </DATATYPES>\n      <SPEC-TYPES>\n");
    let _ = writeln!(
        s,
        "        <SPEC-OBJECT-TYPE IDENTIFIER=\"{TYPE}\" LAST-CHANGE=\"{lc}\">\n          <SPEC-ATTRIBUTES>"
    );
    let t = TYPE;
    attr_def(
        s,
        "INTEGER",
        &format!("{t}_ABSOLUTENUMBER"),
        "ReqIF.ForeignID",
        DT_INTEGER,
        true,
    );
    attr_def(
        s,
        "DATE",
        &format!("{t}_CREATEDON"),
        "ReqIF.ForeignCreatedOn",
        DT_DATE,
        true,
    );
    // Created Thru: an enumeration with a default value, as DOORS writes it.
    let _ = writeln!(s, "            <ATTRIBUTE-DEFINITION-ENUMERATION DESC=\"System Attribute\" IDENTIFIER=\"{t}_CREATEDTHRU\" IS-EDITABLE=\"true\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"ReqIF.ForeignCreatedThru\" MULTI-VALUED=\"false\">");
    let _ = writeln!(s, "              <TYPE>\n                <DATATYPE-DEFINITION-ENUMERATION-REF>{DT_CREATED_THRU}</DATATYPE-DEFINITION-ENUMERATION-REF>\n              </TYPE>");
    let _ = writeln!(s, "              <DEFAULT-VALUE>\n                <ATTRIBUTE-VALUE-ENUMERATION>\n                  <DEFINITION>\n                    <ATTRIBUTE-DEFINITION-ENUMERATION-REF>{t}_CREATEDTHRU</ATTRIBUTE-DEFINITION-ENUMERATION-REF>\n                  </DEFINITION>\n                  <VALUES>\n                    <ENUM-VALUE-REF>{}</ENUM-VALUE-REF>\n                  </VALUES>\n                </ATTRIBUTE-VALUE-ENUMERATION>\n              </DEFAULT-VALUE>", CREATED_THRU[0].0);
    s.push_str("            </ATTRIBUTE-DEFINITION-ENUMERATION>\n");
    attr_def(
        s,
        "XHTML",
        &format!("{t}_OBJECTHEADING"),
        "ReqIF.ChapterName",
        DT_STRING,
        true,
    );
    attr_def(
        s,
        "XHTML",
        &format!("{t}_OBJECTSHORTTEXT"),
        "ReqIF.Name",
        DT_STRING,
        true,
    );
    attr_def(
        s,
        "XHTML",
        &format!("{t}_OBJECTTEXT"),
        "ReqIF.Text",
        DT_TEXT,
        true,
    );
    attr_def(s, "XHTML", ATTR_REQ_ID, "Req ID", DT_STRING, false);
    attr_def(s, "XHTML", ATTR_SOURCE, "Source", DT_STRING, false);
    attr_def(
        s,
        "ENUMERATION",
        ATTR_VERIFICATION,
        "Verification Method",
        DT_VERIFICATION,
        false,
    );
    attr_def(s, "STRING", ATTR_OWNER, "Owner", DT_PLAIN, false);
    attr_def(
        s,
        "BOOLEAN",
        &format!("{SPECIFICATION}-Pseudo-ForeignDeleted"),
        "ReqIF.ForeignDeleted",
        DT_BOOLEAN,
        false,
    );
    s.push_str("          </SPEC-ATTRIBUTES>\n        </SPEC-OBJECT-TYPE>\n");
    let _ = writeln!(
        s,
        "        <SPECIFICATION-TYPE IDENTIFIER=\"{SPEC_TYPE}\" LAST-CHANGE=\"{lc}\">\n          <SPEC-ATTRIBUTES>"
    );
    attr_def(
        s,
        "XHTML",
        &format!("{SPEC_TYPE}_DESCRIPTION-DOORS-MODULE"),
        "ReqIF.Description",
        DT_STRING,
        true,
    );
    attr_def(
        s,
        "XHTML",
        &format!("{SPEC_TYPE}_NAME-DOORS-MODULE"),
        "ReqIF.Name",
        DT_STRING,
        true,
    );
    attr_def(
        s,
        "XHTML",
        &format!("{SPEC_TYPE}_PREFIX-DOORS-MODULE"),
        "ReqIF.Prefix",
        DT_STRING,
        true,
    );
    s.push_str("          </SPEC-ATTRIBUTES>\n        </SPECIFICATION-TYPE>\n");
    let _ = writeln!(
        s,
        "        <SPEC-RELATION-TYPE IDENTIFIER=\"{RELATION_TYPE}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"satisfies\">\n        </SPEC-RELATION-TYPE>"
    );
    s.push_str("      </SPEC-TYPES>\n");
}

fn enumeration(s: &mut String, ident: &str, name: &str, values: &[(&str, &str)], first_key: usize) {
    let lc = LAST_CHANGE;
    let _ = writeln!(s, "        <DATATYPE-DEFINITION-ENUMERATION IDENTIFIER=\"{ident}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"{name}\">\n          <SPECIFIED-VALUES>");
    for (k, (id, v)) in values.iter().enumerate() {
        let key = if first_key == 0 { 0 } else { first_key + k };
        let _ = writeln!(s, "            <ENUM-VALUE IDENTIFIER=\"{id}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"{v}\">\n              <PROPERTIES>\n                <EMBEDDED-VALUE KEY=\"{key}\" OTHER-CONTENT=\"\"/>\n              </PROPERTIES>\n            </ENUM-VALUE>");
    }
    s.push_str("          </SPECIFIED-VALUES>\n        </DATATYPE-DEFINITION-ENUMERATION>\n");
}

fn attr_def(s: &mut String, kind: &str, ident: &str, name: &str, datatype: &str, system: bool) {
    let desc = if system { "System Attribute" } else { "" };
    let _ = writeln!(
        s,
        "            <ATTRIBUTE-DEFINITION-{kind} DESC=\"{desc}\" IDENTIFIER=\"{ident}\" IS-EDITABLE=\"true\" LAST-CHANGE=\"{LAST_CHANGE}\" LONG-NAME=\"{name}\">\n              <TYPE>\n                <DATATYPE-DEFINITION-{kind}-REF>{datatype}</DATATYPE-DEFINITION-{kind}-REF>\n              </TYPE>\n            </ATTRIBUTE-DEFINITION-{kind}>"
    );
}

fn object_open(s: &mut String, ident: &str, abs: usize) {
    let _ = writeln!(
        s,
        "        <SPEC-OBJECT IDENTIFIER=\"{ident}\" LAST-CHANGE=\"{LAST_CHANGE}\">\n          <TYPE>\n            <SPEC-OBJECT-TYPE-REF>{TYPE}</SPEC-OBJECT-TYPE-REF>\n          </TYPE>\n          <VALUES>\n            <ATTRIBUTE-VALUE-INTEGER THE-VALUE=\"{abs}\">\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-INTEGER-REF>{TYPE}_ABSOLUTENUMBER</ATTRIBUTE-DEFINITION-INTEGER-REF>\n              </DEFINITION>\n            </ATTRIBUTE-VALUE-INTEGER>"
    );
}

const OBJECT_CLOSE: &str = "          </VALUES>\n        </SPEC-OBJECT>\n";

/// An XHTML value whose `xhtml` is already markup.
fn xhtml_value(s: &mut String, def: &str, xhtml: &str) {
    let _ = writeln!(
        s,
        "            <ATTRIBUTE-VALUE-XHTML>\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-XHTML-REF>{def}</ATTRIBUTE-DEFINITION-XHTML-REF>\n              </DEFINITION>\n              <THE-VALUE>\n                {xhtml}\n              </THE-VALUE>\n            </ATTRIBUTE-VALUE-XHTML>"
    );
}

fn div(text: &str) -> String {
    format!("<reqif-xhtml:div>{text}</reqif-xhtml:div>")
}

fn heading_object(s: &mut String, ident: &str, abs: usize, text: &str) {
    object_open(s, ident, abs);
    xhtml_value(s, &format!("{TYPE}_OBJECTHEADING"), &div(text));
    s.push_str(OBJECT_CLOSE);
}

fn requirement_object(rng: &mut Rng, s: &mut String, ident: &str, abs: usize) {
    object_open(s, ident, abs);
    xhtml_value(s, &format!("{TYPE}_OBJECTTEXT"), &requirement_text(rng));
    xhtml_value(s, ATTR_REQ_ID, &div(&format!("{PREFIX}{abs}")));
    if rng.chance(40) {
        let source = if rng.chance(30) {
            format!("{}, {}", rng.range(1, 80), rng.range(1, 80))
        } else {
            rng.range(1, 80).to_string()
        };
        xhtml_value(s, ATTR_SOURCE, &div(&source));
    }
    let (method, _) = METHODS[rng.below(METHODS.len())];
    let _ = writeln!(
        s,
        "            <ATTRIBUTE-VALUE-ENUMERATION>\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-ENUMERATION-REF>{ATTR_VERIFICATION}</ATTRIBUTE-DEFINITION-ENUMERATION-REF>\n              </DEFINITION>\n              <VALUES>\n                <ENUM-VALUE-REF>{method}</ENUM-VALUE-REF>\n              </VALUES>\n            </ATTRIBUTE-VALUE-ENUMERATION>"
    );
    // Like every optional attribute, written only where it is set.
    if rng.chance(25) {
        let _ = writeln!(
            s,
            "            <ATTRIBUTE-VALUE-STRING THE-VALUE=\"{}\">\n              <DEFINITION>\n                <ATTRIBUTE-DEFINITION-STRING-REF>{ATTR_OWNER}</ATTRIBUTE-DEFINITION-STRING-REF>\n              </DEFINITION>\n            </ATTRIBUTE-VALUE-STRING>",
            rng.pick(OWNERS)
        );
    }
    s.push_str(OBJECT_CLOSE);
}

/// One sentence of a requirement, 60-130 characters.
fn sentence(rng: &mut Rng) -> String {
    let object = rng
        .pick(OBJECTS)
        .replace("{}", &rng.range(2, 95).to_string());
    format!(
        "{} {} {} {}.",
        rng.pick(SUBJECTS),
        rng.pick(VERBS),
        object,
        rng.pick(CONDITIONS)
    )
}

/// A requirement's text as DOORS writes it: XHTML, 100-200 characters of text.
fn requirement_text(rng: &mut Rng) -> String {
    let first = sentence(rng);
    let second = rng.pick(SCOPES);
    match rng.below(100) {
        // Two paragraphs.
        0..=9 => format!(
            "<reqif-xhtml:div><reqif-xhtml:p>{first}</reqif-xhtml:p><reqif-xhtml:p>{second}</reqif-xhtml:p></reqif-xhtml:div>"
        ),
        // A list.
        10..=14 => format!(
            "<reqif-xhtml:div>{}:<reqif-xhtml:ul><reqif-xhtml:li>{}</reqif-xhtml:li><reqif-xhtml:li>{}</reqif-xhtml:li></reqif-xhtml:ul></reqif-xhtml:div>",
            first.trim_end_matches('.'),
            rng.pick(CONDITIONS),
            rng.pick(CONDITIONS)
        ),
        // Emphasis, an entity and a line break.
        15..=19 => format!(
            "<reqif-xhtml:div>{}<reqif-xhtml:br/>Margin: <reqif-xhtml:b>&#8805; {} %</reqif-xhtml:b> &amp; {}</reqif-xhtml:div>",
            first,
            rng.range(5, 30),
            second
        ),
        // One div, sometimes with a second sentence.
        _ => {
            if first.len() < 110 {
                div(&format!("{first} {second}"))
            } else {
                div(&first)
            }
        }
    }
}

fn specification(rng: &mut Rng, s: &mut String, items: &[Item], idents: &[String]) {
    let lc = LAST_CHANGE;
    let _ = writeln!(
        s,
        "        <SPECIFICATION IDENTIFIER=\"{SPECIFICATION}\" LAST-CHANGE=\"{lc}\" LONG-NAME=\"GEN-OPS Requirements\">\n          <TYPE>\n            <SPECIFICATION-TYPE-REF>{SPEC_TYPE}</SPECIFICATION-TYPE-REF>\n          </TYPE>\n          <VALUES>"
    );
    xhtml_value(
        s,
        &format!("{SPEC_TYPE}_DESCRIPTION-DOORS-MODULE"),
        &div("Generated operations requirements (benches/generate/reqif.rs)"),
    );
    xhtml_value(
        s,
        &format!("{SPEC_TYPE}_NAME-DOORS-MODULE"),
        &div("GEN-OPS Requirements"),
    );
    xhtml_value(s, &format!("{SPEC_TYPE}_PREFIX-DOORS-MODULE"), &div(PREFIX));
    s.push_str("          </VALUES>\n          <CHILDREN>\n");
    // Open hierarchy levels (1: chapter, 2: section), closed when the next item is at
    // their level or above.
    let mut open: Vec<u32> = Vec::new();
    for (it, ident) in items.iter().zip(idents) {
        let level = match it {
            Item::Heading { level, .. } => *level,
            Item::Requirement { .. } => 3,
        };
        while open.last().is_some_and(|&l| l >= level) {
            close_node(s, open.pop().unwrap_or(1), true);
        }
        let pad = "  ".repeat(2 * level as usize + 4);
        let _ = write!(
            s,
            "{pad}<SPEC-HIERARCHY IDENTIFIER=\"_{}\" IS-EDITABLE=\"true\" LAST-CHANGE=\"{lc}\">\n{pad}  <OBJECT>\n{pad}    <SPEC-OBJECT-REF>{ident}</SPEC-OBJECT-REF>\n{pad}  </OBJECT>\n",
            uuid(rng)
        );
        if level < 3 {
            let _ = writeln!(s, "{pad}  <CHILDREN>");
            open.push(level);
        } else {
            close_node(s, level, false);
        }
    }
    while let Some(l) = open.pop() {
        close_node(s, l, true);
    }
    s.push_str("          </CHILDREN>\n        </SPECIFICATION>\n");
}

fn close_node(s: &mut String, level: u32, with_children: bool) {
    let pad = "  ".repeat(2 * level as usize + 4);
    if with_children {
        let _ = writeln!(s, "{pad}  </CHILDREN>");
    }
    let _ = writeln!(s, "{pad}</SPEC-HIERARCHY>");
}

// ---------------------------------------------------------------- mission

/// A plan, a procedure library and a flight-rule file citing a [`ReqSet`].
#[derive(Debug, Clone)]
pub struct Mission {
    pub plan: String,
    pub procedures: String,
    pub rules: String,
    pub activities: usize,
    pub procedure_count: usize,
    /// Every `covers` and `traces` entry.
    pub cites: usize,
    /// Of those, the ones naming no requirement (typos, unknown ids, heading ids).
    pub dangling: usize,
    /// Requirements nothing cites.
    pub uncovered: usize,
}

impl Mission {
    pub const PLAN_FILE: &'static str = "generated.plan";
    pub const PROC_FILE: &'static str = "procedures/generated.proc";
    pub const RULES_FILE: &'static str = "flight-rules.yaml";

    /// The files by name, for `workspace::check_texts`.
    pub fn files(&self) -> [(&'static str, &str); 3] {
        [
            (Self::PLAN_FILE, &self.plan),
            (Self::PROC_FILE, &self.procedures),
            (Self::RULES_FILE, &self.rules),
        ]
    }

    /// Writes the mission folder (the plan names the library and the rules with `use`).
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for (name, text) in self.files() {
            let path = dir.join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, text)?;
        }
        Ok(())
    }
}

/// Picks the requirement each cite names: every requirement except about
/// [`UNCOVERED_PERCENT`] % of them, walked with a stride coprime to their count, and a
/// dangling id after every [`CITES_PER_DANGLING`] cites.
struct Citer<'a> {
    reqs: &'a ReqSet,
    covered: Vec<usize>,
    stride: usize,
    next: usize,
    cites: usize,
    dangling: usize,
}

impl<'a> Citer<'a> {
    fn new(reqs: &'a ReqSet) -> Self {
        let covered: Vec<usize> = (0..reqs.n)
            .filter(|&r| (r as u64).wrapping_mul(2_654_435_761) % 1_000 >= 10 * UNCOVERED_PERCENT)
            .collect();
        let len = covered.len().max(1);
        let mut stride = (len as f64 * 0.618_033_988_7) as usize | 1;
        while gcd(stride, len) != 1 {
            stride += 2;
        }
        Citer {
            reqs,
            covered,
            stride,
            next: 0,
            cites: 0,
            dangling: 0,
        }
    }

    /// `count` ids, comma-separated.
    fn list(&mut self, count: usize) -> String {
        let mut out = String::new();
        for k in 0..count {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(&self.one());
        }
        out
    }

    fn one(&mut self) -> String {
        self.cites += 1;
        if self.cites % CITES_PER_DANGLING == 0 {
            self.dangling += 1;
            let r = &self.reqs.ids[self.next % self.reqs.n.max(1)];
            let number = &r[PREFIX.len()..];
            return match self.dangling % 3 {
                // One transposition away from a real id: a suggestion is expected.
                0 => format!("GEN-OPS-RQE-{number}"),
                1 => format!("GEN-SYS-REQ-{number}"),
                _ => {
                    let h = &self.reqs.heading_ids;
                    h[self.dangling % h.len()].clone()
                }
            };
        }
        if self.covered.is_empty() {
            return self.reqs.ids[0].clone();
        }
        let r = self.covered[(self.next * self.stride) % self.covered.len()];
        self.next += 1;
        self.reqs.ids[r].clone()
    }
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

const DAY: i64 = 1440;
const BASE_YEAR: i64 = 2030;
const LANES: usize = 25;
/// Ground roles: every procedure names them all, so any lane may run any procedure.
const ROLES: &[&str] = &["FD", "OM", "PLN", "FDS", "GC", "EST"];
const KINDS: &[&str] = &[
    "config",
    "transfer",
    "telecon",
    "review",
    "od",
    "analysis",
    "planning",
    "test",
    "monitoring",
    "computation",
    "booking",
    "report",
];
const TOPICS: &[&str] = &[
    "He pressurisation",
    "Valve configuration",
    "Propellant transfer",
    "Line purge",
    "Gauging",
    "Attitude change",
    "Relay test",
    "Battery conditioning",
    "Thermal check",
    "Orbit determination",
    "Conjunction screening",
    "Telecon",
];
const PROCEDURE_MINUTES: i64 = 20;

fn days_in_year(y: i64) -> i64 {
    if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
        366
    } else {
        365
    }
}

/// Minutes since 2030/001 00:00 → `YYYY/DDD HH:MM`.
fn time(t: i64) -> String {
    let (mut year, mut doy) = (BASE_YEAR, 1 + t.div_euclid(DAY));
    while doy > days_in_year(year) {
        doy -= days_in_year(year);
        year += 1;
    }
    let m = t.rem_euclid(DAY);
    format!("{year:04}/{doy:03} {:02}:{:02}", m / 60, m % 60)
}

/// Generates the mission citing `reqs`.
pub fn mission(reqs: &ReqSet) -> Mission {
    let mut rng = Rng::new(SEED ^ 0x5eed ^ reqs.n as u64);
    let mut citer = Citer::new(reqs);
    let activities = (reqs.n / 2).max(1);
    let procedure_count = (reqs.n / 100).max(10);
    let days = activities.div_ceil(ACTIVITIES_PER_DAY);

    // The plan.
    let mut p = String::with_capacity(activities * 200 + 4_096);
    let _ = writeln!(
        p,
        "// Generated plan (benches/generate/reqif.rs): {activities} activities citing {} requirements. Do not edit.",
        reqs.n
    );
    let _ = writeln!(
        p,
        "plan TRACE-{} \"Generated operations plan, traced to {} requirements\" {{",
        reqs.n, reqs.n
    );
    p.push_str("  mission \"Generated mission\"\n  issue   1\n");
    let _ = writeln!(p, "  horizon {} .. {}\n", time(0), time(days as i64 * DAY));
    p.push_str("  use procedures \"procedures/\"\n  use rules      \"flight-rules.yaml\"\n\n");
    let _ = writeln!(p, "  roles {}", ROLES.join(", "));
    p.push_str("  roles CREW\n  roles FE-5, FE-6 in CREW\n");
    p.push_str("  window CREW-SLEEP \"Crew sleep\" daily 21:30 .. 06:00\n\n");
    // Each lane holds `per_lane` activities a day in slots of `slot` minutes; an activity
    // starts in the first 20 minutes of its slot and lasts at most 110, so a lane's
    // activities never overlap and each ends before the next starts.
    let per_lane = ACTIVITIES_PER_DAY.div_ceil(LANES) as i64;
    let slot = (DAY - 20) / per_lane;
    let mut id = 0;
    for day in 0..days {
        let d0 = day as i64 * DAY;
        let _ = writeln!(
            p,
            "  phase day-{:04} \"Operations {}\" {} .. {} {{",
            day + 1,
            &time(d0)[..8],
            time(d0),
            time(d0 + DAY)
        );
        let today = ACTIVITIES_PER_DAY.min(activities - id);
        for k in 0..today {
            id += 1;
            let lane = k % LANES;
            let j = (k / LANES) as i64;
            let start = d0 + 10 + j * slot + 5 * rng.range(0, 4);
            let minutes = 5 * rng.range(6, 22);
            let role = ROLES[lane % ROLES.len()];
            let _ = writeln!(p, "    activity A{id} \"{} {id}\" {{", rng.pick(TOPICS));
            let after = (j > 0 && rng.chance(20)).then(|| id - LANES);
            let procedure = rng.chance(20).then(|| 1 + rng.below(procedure_count));
            // An activity that runs a procedure brings the roles its polls name (P013).
            let mut by = vec![role];
            if procedure.is_some() {
                by.extend(["FD", "OM"].into_iter().filter(|r| *r != role));
            }
            let _ = write!(
                p,
                "      at {}   lasts {minutes}m   by {}   kind {}",
                time(start),
                by.join(", "),
                KINDS[(id * 7 + lane) % KINDS.len()]
            );
            if let Some(a) = after {
                let _ = write!(p, "\n      after A{a}");
            }
            if let Some(n) = procedure {
                let _ = write!(p, "\n      procedure GEN-PRC-{n:05}");
            }
            let count = 1 + rng.below(3);
            let _ = write!(p, "\n      covers {}\n    }}\n", citer.list(count));
        }
        p.push_str("  }\n\n");
    }
    p.push_str("}\n");

    // The procedures.
    let mut q = String::with_capacity(procedure_count * 900);
    q.push_str("// Generated procedure library (benches/generate/reqif.rs): do not edit.\n\n");
    for i in 1..=procedure_count {
        let _ = writeln!(
            q,
            "procedure GEN-PRC-{i:05} \"{} {i}\" {{",
            rng.pick(TOPICS)
        );
        let _ = writeln!(
            q,
            "  version  {}.{}\n  family   FCP\n  roles    {}",
            rng.range(1, 4),
            rng.range(0, 9),
            ROLES.join(", ")
        );
        if rng.chance(50) {
            let count = 1 + rng.below(2);
            let _ = writeln!(q, "  covers   {}", citer.list(count));
        }
        let _ = writeln!(q, "  duration {PROCEDURE_MINUTES}m\n");
        let last = rng.range(4, 7) as usize;
        for step in 1..last {
            let _ = writeln!(q, "  step {step} \"{} {step}\" {{", rng.pick(TOPICS));
            if rng.chance(40) {
                let _ = writeln!(q, "    covers  {}", citer.list(1));
            }
            match step {
                1 => {
                    q.push_str("    command PROP_HE_PRESS(target = 20.0 bar, mode = AUTO)\n");
                    let _ = writeln!(
                        q,
                        "    check   P_TANK in 18.0 .. 22.0 bar within {}m on fail goto {last}",
                        rng.range(1, 5)
                    );
                }
                _ => match rng.below(4) {
                    0 => q.push_str("    poll    FD, OM on fail abort \"NO-GO\"\n"),
                    1 => {
                        let _ = writeln!(q, "    wait    {}m", rng.range(1, 5));
                    }
                    2 => q.push_str("    manual  FD \"Confirm on the loop\"\n"),
                    _ => q.push_str("    check   VALVE_POS == OPEN within 1m\n"),
                },
            }
            if step == last - 1 {
                q.push_str("    end\n");
            }
            q.push_str("  }\n");
        }
        let _ = writeln!(
            q,
            "  step {last} \"Contingency\" {{\n    command PROP_ISOL_CLOSE\n    manual  FD \"Report the anomaly\"\n    abort   \"GEN-PRC-{i:05} interrupted\"\n  }}\n}}\n"
        );
    }

    // The flight rules: each holds on the plan (or selects nothing) and traces 2-3 ids.
    let mut r = String::from("rules:\n");
    for i in 0..20 {
        let _ = writeln!(r, "  - id: GEN-FR-{i:02}\n    title: generated rule {i}");
        let body = match i % 4 {
            0 => format!(
                "    kind: max_per_period\n    select: {{ kind: {} }}\n    period: 24h\n    max_count: 250\n",
                KINDS[i % KINDS.len()]
            ),
            1 => "    kind: forbidden_window\n    select: { role: CREW }\n    windows: [CREW-SLEEP]\n"
                .to_string(),
            2 => "    kind: requires_following\n    select: { kind: dam }\n    following: { kind: od }\n    max_gap: 12h\n"
                .to_string(),
            _ => format!(
                "    kind: crew_day\n    select: {{ role: CREW }}\n    max_work: {}h\n",
                6 + i % 3
            ),
        };
        r.push_str(&body);
        let count = 2 + rng.below(2);
        let _ = writeln!(r, "    traces: [{}]", citer.list(count));
    }

    let uncovered = reqs.n - citer.covered.len();
    Mission {
        plan: p,
        procedures: q,
        rules: r,
        activities,
        procedure_count,
        cites: citer.cites,
        dangling: citer.dangling,
        uncovered,
    }
}

/// Checks the generator's invariants on a small module (the benchmark calls it first).
pub fn self_check() {
    assert_eq!(time(0), "2030/001 00:00");
    assert_eq!(time(365 * DAY + 61), "2031/001 01:01");
    let r = reqif(1_000);
    assert_eq!(r.ids.len(), 1_000);
    assert_eq!(r.heading_ids.len(), 50 + 5);
    assert_eq!(r.ids[0], format!("{PREFIX}3"));
    assert_eq!(r.relations, 100);
    assert_eq!(reqif(1_000).reqif, r.reqif, "deterministic");
    let mut rng = Rng::new(1);
    let lens: Vec<usize> = (0..1_000)
        .map(|_| {
            let x = requirement_text(&mut rng);
            x.replace("reqif-xhtml:", "").len() - "<div></div>".len()
        })
        .collect();
    let mean = lens.iter().sum::<usize>() / lens.len();
    assert!((100..=200).contains(&mean), "mean text length {mean}");
    let m = mission(&r);
    assert_eq!(m.activities, 500);
    assert!(m.dangling >= 1, "{m:?}");
}
