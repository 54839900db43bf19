//! A cheap necessary condition in front of a regex with Unicode word boundaries (`\b`, `\B`).
//!
//! The regex crate's fast lazy DFA cannot decide a Unicode word boundary next to a non-ASCII
//! byte, so on Chinese mail such a regex falls back to a much slower NFA simulation over the whole
//! text (the PikeVM; a third of segmenting went there). The same pattern with every boundary
//! assertion taken out matches wherever the original matches (taking out an assertion only
//! loosens the pattern), and it stays on the DFA. So where the loose pattern finds nothing, the
//! original cannot match and need not run; where it finds something, the original decides.
//! Results are the original's, always.

use regex::Regex;

/// The pattern without its word-boundary assertions, when it has any (else `None`: there is
/// nothing to gain). Escapes are read pairwise, so `\\b` (a backslash, then `b`) stays.
pub fn loosen(pattern: &str) -> Option<String> {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut changed = false;
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b' | 'B') => changed = true,
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    changed.then_some(out)
}

/// The loose regex of `pattern` ([`loosen`]), when it has one and it compiles.
pub fn loose_regex(pattern: &str) -> Option<Regex> {
    loosen(pattern).and_then(|p| Regex::new(&p).ok())
}

/// Whether `strict` matches `text`, asking `loose` (its [`loose_regex`]) first.
pub fn is_match(strict: &Regex, loose: Option<&Regex>, text: &str) -> bool {
    loose.is_none_or(|l| l.is_match(text)) && strict.is_match(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_go_and_other_escapes_stay() {
        assert_eq!(
            loosen(r"(?i)\bstill\s+\w+\B|a\\b\.").as_deref(),
            Some(r"(?i)still\s+\w+|a\\b\.")
        );
        assert_eq!(loosen(r"问题\s*已解决"), None);
    }

    #[test]
    fn the_guard_never_changes_an_answer() {
        let patterns = [
            r"(?i)\bstill\s+(?:fails?|not)\b",
            r"\bcat\b|dog\B",
            r"(?i)\b(?:now|again)\b",
        ];
        let texts = [
            "it still fails",
            "仍然失败 still not",
            "stillfails",
            "a cat.",
            "concatenate",
            "dogs",
            "dog",
            "谢谢now",
            "éagain",
            "again!",
            "",
        ];
        for p in patterns {
            let strict = Regex::new(p).unwrap();
            let loose = loose_regex(p);
            assert!(loose.is_some(), "{p}");
            for t in texts {
                assert_eq!(
                    is_match(&strict, loose.as_ref(), t),
                    strict.is_match(t),
                    "{p} on {t:?}"
                );
            }
        }
    }
}
