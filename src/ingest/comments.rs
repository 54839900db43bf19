//! RFC 5322 comments in address headers: a decoded address-list value in, the value without
//! its comments (for mailparse) out.
//!
//! mailparse reads most comments but trips on an escaped parenthesis inside one
//! (`Pete(A nice \) chap)` gives the name `Pete chap)`) and leaves the doubled blank a dropped
//! comment leaves behind. So comments outside quoted strings are taken out here before mailparse
//! parses the list. A comment is not a name: `jdoe@example.com (John Doe)` is a mailbox with
//! no display name, as mature parsers (Python's `email`) read it.

/// Removes the comments outside quoted strings; `None` when there are none (the common case).
pub fn uncomment(value: &str) -> Option<String> {
    if !value.contains('(') {
        return None;
    }
    let mut text = String::with_capacity(value.len());
    let (mut quoted, mut escaped) = (false, false);
    let mut depth = 0usize;
    let mut found = false;
    for ch in value.chars() {
        if depth > 0 {
            match ch {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        text.push(GAP);
                    }
                }
                _ => {}
            }
            continue;
        }
        match ch {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => {
                depth = 1;
                found = true;
                continue;
            }
            _ => {}
        }
        text.push(ch);
    }
    // An unclosed comment runs to the end of the value.
    found.then(|| close_gaps(&text))
}

/// Where a comment was: a blank between two words (`John(middle)Doe`), nothing inside an
/// address (`pete(his account)@silly.test`) or beside a blank.
const GAP: char = '\u{0}';

fn close_gaps(s: &str) -> String {
    if !s.contains(GAP) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let joins = |c: Option<&char>| c.is_none_or(|c| c.is_whitespace() || "@.<>,:;".contains(*c));
    let blank = |c: Option<&char>| matches!(c, Some(' ' | '\t'));
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != GAP {
            out.push(c);
            continue;
        }
        let prev = out.chars().last();
        let next = chars[i..].iter().find(|c| **c != GAP);
        if !joins(prev.as_ref()) && !joins(next) {
            out.push(' ');
        } else if blank(prev.as_ref()) {
            // `John (middle) Doe`: one blank stays, not two.
            while i < chars.len() && (chars[i] == GAP || blank(chars.get(i))) {
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_removed_outside_quotes() {
        let u = uncomment("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>");
        assert_eq!(u.as_deref(), Some("Pete <pete@silly.test>"));
        let u = uncomment("\"Joe (x)\" <j@x.test>, jdoe@example.com (John  Doe)");
        assert_eq!(
            u.as_deref(),
            Some("\"Joe (x)\" <j@x.test>, jdoe@example.com ")
        );
        let u = uncomment("John (m) (n) Doe <j@x.test>");
        assert_eq!(u.as_deref(), Some("John Doe <j@x.test>"));
        let u = uncomment("John(middle)Doe <j@x.test>");
        assert_eq!(u.as_deref(), Some("John Doe <j@x.test>"));
        assert!(uncomment("Plain <p@x.test>").is_none());
    }
}
