//! A ReqIFz written back: its `.reqif` members updated, every other member raw-copied.

use super::{refusal, update, Column, Refusal, Updated, Updates};
use std::collections::{BTreeMap, HashMap};

/// A ReqIFz written back: each `.reqif` member given its own updates (`updates` keyed by
/// member name; a member without any is copied as is), every other member copied raw.
/// When nothing changes, the input bytes are returned as they are.
pub fn update_archive(
    bytes: &[u8],
    columns: &[Column],
    updates: &BTreeMap<String, Updates>,
    stamp: &str,
) -> Result<Updated, Refusal> {
    crate::context::contain_panic(|| update_archive_inner(bytes, columns, updates, stamp))
        .unwrap_or_else(|p| {
            Err(refusal(
                0,
                "the archive".into(),
                format!("the zip reader failed ({p})"),
                false,
            ))
        })
}

fn update_archive_inner(
    bytes: &[u8],
    columns: &[Column],
    updates: &BTreeMap<String, Updates>,
    stamp: &str,
) -> Result<Updated, Refusal> {
    use std::io::{Read, Write};
    let zip_err = |what: String| refusal(0, "the archive".into(), what, false);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| zip_err(format!("not a readable ReqIFz (zip) archive: {e}")))?;
    let mut new_members: HashMap<usize, Vec<u8>> = HashMap::new();
    let mut changed = Vec::new();
    for i in 0..archive.len() {
        let mut member = archive
            .by_index(i)
            .map_err(|e| zip_err(format!("cannot read member {i} of the archive: {e}")))?;
        let name = member.name().to_string();
        let Some(wanted) = updates.get(&name) else {
            continue;
        };
        let mut data = Vec::new();
        (&mut member)
            .take(crate::reqs::reqif::MAX_INPUT + 1)
            .read_to_end(&mut data)
            .map_err(|e| zip_err(format!("cannot decompress member `{name}`: {e}")))?;
        let u = update(&data, columns, wanted, stamp).map_err(|mut r| {
            r.member = Some(name.clone());
            r
        })?;
        if !u.changed.is_empty() {
            changed.extend(u.changed);
            new_members.insert(i, u.bytes);
        }
    }
    let asked: usize = updates.len();
    let found = (0..archive.len())
        .filter(|&i| {
            archive
                .name_for_index(i)
                .is_some_and(|n| updates.contains_key(n))
        })
        .count();
    if found < asked {
        let missing = updates
            .keys()
            .find(|k| archive.index_for_name(k).is_none())
            .cloned()
            .unwrap_or_default();
        return Err(zip_err(format!("the archive has no member `{missing}`")));
    }
    if new_members.is_empty() {
        return Ok(Updated {
            bytes: bytes.to_vec(),
            changed,
        });
    }
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::with_capacity(bytes.len())));
    for i in 0..archive.len() {
        match new_members.remove(&i) {
            None => {
                let raw = archive
                    .by_index_raw(i)
                    .map_err(|e| zip_err(format!("cannot read member {i} of the archive: {e}")))?;
                w.raw_copy_file(raw)
                    .map_err(|e| zip_err(format!("cannot copy member {i}: {e}")))?;
            }
            Some(data) => {
                let m = archive
                    .by_index_raw(i)
                    .map_err(|e| zip_err(format!("cannot read member {i} of the archive: {e}")))?;
                let mut options = zip::write::SimpleFileOptions::default()
                    .compression_method(m.compression())
                    .large_file(data.len() as u64 >= u64::from(u32::MAX));
                if let Some(t) = m.last_modified() {
                    options = options.last_modified_time(t);
                }
                if let Some(mode) = m.unix_mode() {
                    options = options.unix_permissions(mode);
                }
                let name = m.name().to_string();
                drop(m);
                w.start_file(name.clone(), options)
                    .map_err(|e| zip_err(format!("cannot write member `{name}`: {e}")))?;
                w.write_all(&data)
                    .map_err(|e| zip_err(format!("cannot write member `{name}`: {e}")))?;
            }
        }
    }
    let out = w
        .finish()
        .map_err(|e| zip_err(format!("cannot finish the archive: {e}")))?
        .into_inner();
    Ok(Updated {
        bytes: out,
        changed,
    })
}
