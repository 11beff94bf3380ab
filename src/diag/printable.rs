//! Text from inputs made safe to print: control characters shown escaped.
//!
//! A plan, a procedure, a flight-rule title or a requirement text may hold ESC, BEL, CR
//! or other control characters; printed raw, they move the cursor, clear the screen,
//! retitle the window or hide a line of the output. Every text renderer passes what it
//! shows through [`terminal_safe`] (docs/limits.md, "Excerpts and paths").

use std::borrow::Cow;

/// True for a character shown escaped: the C0 controls except tab and line feed (so CR,
/// ESC, BEL, NUL), DEL, the C1 controls (`U+0080`–`U+009F`, which some terminals obey as
/// ESC sequences), and the bidirectional formatting characters (which reorder what is
/// shown around them: `U+061C`, `U+200E`, `U+200F`, `U+202A`–`U+202E`, `U+2066`–`U+2069`).
pub fn is_unprintable(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// `s` with every [`is_unprintable`] character written as a Rust escape, `\u{1b}`; the
/// text itself when it holds none (the common case costs one scan, no copy).
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    let Some(first) = s.find(is_unprintable) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        push_safe(&mut out, c);
    }
    Cow::Owned(out)
}

/// Appends `c`, escaped when it is [`is_unprintable`].
pub fn push_safe(out: &mut String, c: char) {
    if is_unprintable(c) {
        use std::fmt::Write;
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// The length in bytes of `s` once made [`terminal_safe`].
pub fn safe_len(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if is_unprintable(c) {
                // `\u{` + hex digits + `}`
                4 + format!("{:x}", c as u32).len()
            } else {
                c.len_utf8()
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_and_the_rest_kept() {
        assert_eq!(
            terminal_safe("a\u{1b}[2Jb\u{7}c\rd\te\nf\u{9b}g\u{202e}h\u{0}"),
            "a\\u{1b}[2Jb\\u{7}c\\u{d}d\te\nf\\u{9b}g\\u{202e}h\\u{0}"
        );
        assert!(matches!(
            terminal_safe("é – plain\ttext\n"),
            Cow::Borrowed(_)
        ));
        for s in ["x\u{1b}y", "\u{7f}", "\u{2066}é", "plain"] {
            assert_eq!(safe_len(s), terminal_safe(s).len(), "{s:?}");
        }
    }
}
