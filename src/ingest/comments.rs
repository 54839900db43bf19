//! RFC 5322 comments in address headers: a decoded address-list value in, the value without
//! its comments (for mailparse) and the comments that name a bare address out.
//!
//! mailparse reads most comments but trips on an escaped parenthesis inside one
//! (`Pete(A nice \) chap)` gives the name `Pete chap)`) and leaves the doubled blank a dropped
//! comment leaves behind. So comments outside quoted strings are taken out here, each replaced
//! by one blank, before mailparse parses the list. The RFC 822-era form
//! `jdoe@example.com (John Doe)` names its mailbox only in a comment; mail clients show that
//! comment as the name, so a mailbox with no display name takes the comments beside it.

/// A value with its comments removed, and per address-list member the comments it held.
pub struct Uncommented {
    pub text: String,
    /// For each comma-separated member: its text without comments, and its comments.
    pub members: Vec<(String, Vec<String>)>,
}

/// Removes the comments outside quoted strings; `None` when there are none (the common case).
pub fn uncomment(value: &str) -> Option<Uncommented> {
    if !value.contains('(') {
        return None;
    }
    let mut text = String::with_capacity(value.len());
    let mut members = vec![(String::new(), Vec::new())];
    let (mut quoted, mut escaped, mut angle) = (false, false, false);
    let mut depth = 0usize;
    let mut comment = String::new();
    let mut found = false;
    for ch in value.chars() {
        let member = members.len() - 1;
        if depth > 0 {
            match ch {
                _ if escaped => {
                    escaped = false;
                    comment.push(ch);
                }
                '\\' => escaped = true,
                '(' => {
                    depth += 1;
                    comment.push(ch);
                }
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        members[member].1.push(std::mem::take(&mut comment));
                        text.push(GAP);
                        members[member].0.push(GAP);
                    } else {
                        comment.push(ch);
                    }
                }
                _ => comment.push(ch),
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
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' if !quoted && !angle => {
                text.push(ch);
                members.push((String::new(), Vec::new()));
                continue;
            }
            _ => {}
        }
        text.push(ch);
        members[member].0.push(ch);
    }
    // An unclosed comment runs to the end of the value.
    if depth > 0 {
        let member = members.len() - 1;
        members[member].1.push(comment);
    }
    if !found {
        return None;
    }
    for m in &mut members {
        m.0 = close_gaps(&m.0);
    }
    Some(Uncommented {
        text: close_gaps(&text),
        members,
    })
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

impl Uncommented {
    /// The name the comments give the member holding `address`, when that member is a bare
    /// address (no display name, no angle brackets) with a non-blank comment.
    pub fn comment_name(&self, address: &str) -> Option<String> {
        let (text, comments) = self.members.iter().find(|(text, _)| {
            let t = text.trim();
            !t.contains('<') && !t.contains('"') && t.contains(address)
        })?;
        let t = text.trim();
        // `jdoe@example.com` alone: any other word would be a display name mailparse read.
        if t.contains(char::is_whitespace) && t.split_whitespace().count() > 1 {
            let joined: String = t.split_whitespace().collect();
            if joined != address {
                return None;
            }
        }
        let name = comments
            .iter()
            .map(|c| c.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        (!name.is_empty()).then_some(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_removed_outside_quotes() {
        let u =
            uncomment("Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>").unwrap();
        assert_eq!(u.text, "Pete <pete@silly.test>");
        assert_eq!(u.comment_name("pete@silly.test"), None);
        let u = uncomment("\"Joe (x)\" <j@x.test>, jdoe@example.com (John  Doe)").unwrap();
        assert_eq!(u.text, "\"Joe (x)\" <j@x.test>, jdoe@example.com ");
        assert_eq!(
            uncomment("John(middle)Doe <j@x.test>").unwrap().text,
            "John Doe <j@x.test>"
        );
        assert_eq!(
            u.comment_name("jdoe@example.com").as_deref(),
            Some("John Doe")
        );
        assert!(uncomment("Plain <p@x.test>").is_none());
    }
}
