//! Outline levels of spreadsheet exports: an `Object Level` cell (`3`), or a DOORS outline
//! number where a level was expected (`2.3.1`, `1.0-1`), or the `Object Number` column
//! DOORS Classic can export instead of the level.
//!
//! DOORS numbers a heading by its place among the headings (`2`, `2.3`, `2.3.1`: as many
//! parts as its level) and a text object by the heading above it and its rank under it,
//! after a dash: `2.3-1`, `2.3-2` are the first text objects under heading 2.3, one level
//! below it. Under a top-level heading the heading's number is written with a `.0`
//! (`1.0-1`, `1.0-2`: level 2), and the text objects before the first heading are `0-1`,
//! `0-2` (level 1). So the level of an outline number is its number of parts, plus one
//! after a dash, a `.0` just before the dash and a lone `0` counting as no part.

/// How a level cell's text is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LevelColumn {
    #[default]
    /// An `Object Level` column: a whole number is the level (`3`, or `3.0` as a tool that
    /// writes numbers as reals has it); anything else is read as an outline number.
    Level,
    /// An `Object Number` column: every value is an outline number (`3` is heading 3, at
    /// level 1).
    Outline,
}

/// The level a cell gives, `None` when its text is neither a level nor an outline number
/// (the caller reports it). The text is trimmed first; an empty text is for the caller.
pub fn level_of(text: &str, column: LevelColumn) -> Option<u32> {
    let text = text.trim();
    if column == LevelColumn::Level {
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if digits(whole) && fraction.is_none_or(|f| digits(f) && f.bytes().all(|b| b == b'0')) {
            return whole.parse::<u32>().ok();
        }
    }
    outline_level(text)
}

/// The level of a DOORS outline number: `2.3.1` → 3, `2.3-1` → 3, `1.0-1` → 2, `0-1` → 1;
/// `None` for anything else (an empty part, a part that is not digits, a `0` part of a
/// heading number, a rank that is not a number from 1).
pub fn outline_level(text: &str) -> Option<u32> {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    let (heading, rank) = match text.split_once('-') {
        Some((h, r)) => (h, Some(r)),
        None => (text, None),
    };
    if let Some(r) = rank {
        if !number(r) || zero(r) {
            return None;
        }
    }
    let mut parts: Vec<&str> = heading.split('.').collect();
    if rank.is_some() {
        // `1.0-1`: the `.0` of a top-level heading's number; `0-1`: no heading above.
        if parts.len() == 2 && number(parts[1]) && zero(parts[1]) {
            parts.pop();
        }
        if parts.len() == 1 && number(parts[0]) && zero(parts[0]) {
            parts.clear();
        }
    }
    if parts.iter().any(|p| !number(p) || zero(p)) {
        return None;
    }
    let depth = u32::try_from(parts.len()).ok()?;
    if depth == 0 && rank.is_none() {
        return None;
    }
    depth.checked_add(u32::from(rank.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_numbers_give_levels() {
        for (text, level) in [
            ("1", 1),
            ("2.3", 2),
            ("2.3.1", 3),
            ("1.0-1", 2),
            ("1.0-12", 2),
            ("2.3-1", 3),
            ("2.3.1-4", 4),
            ("0-1", 1),
            ("10.12.1", 3),
        ] {
            assert_eq!(outline_level(text), Some(level), "{text}");
        }
        for text in [
            "", "a", "1.", ".1", "1..2", "2.0", "0", "1-0", "1-", "-1", "1-a", "1.x", "1-1-1",
            "2.0.1", "0.1", "1.0.0-1", "1 .2",
        ] {
            assert_eq!(outline_level(text), None, "{text}");
        }
    }

    #[test]
    fn a_level_column_reads_whole_numbers_as_levels_and_the_rest_as_outline_numbers() {
        use LevelColumn::*;
        assert_eq!(level_of("3", Level), Some(3));
        assert_eq!(level_of(" 3 ", Level), Some(3));
        assert_eq!(level_of("3.0", Level), Some(3));
        assert_eq!(level_of("3.", Level), None);
        assert_eq!(level_of("2.3.1", Level), Some(3));
        assert_eq!(level_of("1.0-1", Level), Some(2));
        assert_eq!(level_of("-1", Level), None);
        assert_eq!(level_of("99999999999999", Level), None);
        assert_eq!(level_of("High", Level), None);
        // In an outline column a whole number is a top-level heading.
        assert_eq!(level_of("3", Outline), Some(1));
        assert_eq!(level_of("3.0", Outline), None);
        assert_eq!(level_of("1.0-1", Outline), Some(2));
    }
}
