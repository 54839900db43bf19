//! Named patterns: the one rule type every table of the pipeline is made of (the cleaner's
//! quote, banner and signature lines, the segmenter's phrase cues, the extractor's entities, the
//! KB's tags and PII guard), its one constructor and its one `first_match`.
//!
//! Takes a name and a pattern string; gives a compiled [`Rule`] whose name travels with every
//! decision it makes (`Removal::rule`, a kind's reason, an entity's rule), so a user can see why.
//! Built-in tables are `&[(name, pattern)]` string constants compiled through [`table`]; the
//! user's patterns from `casebook.toml` go through the same [`Rule::new`] and get its error.

use std::borrow::Cow;

use regex::Regex;

/// One named pattern.
#[derive(Debug, Clone)]
pub struct Rule {
    /// What the rule is called where it fires (`original-message`, `zh_still_failing`,
    /// `config.signature.1`).
    pub name: Cow<'static, str>,
    pub regex: Regex,
    /// `regex` without its word boundaries, asked first (a speed-up only: [`crate::prefilter`]).
    loose: Option<Regex>,
}

/// A pattern that does not compile, with the rule's name and the pattern itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("pattern {pattern:?} ({name}): {reason}")]
pub struct BadPattern {
    pub name: String,
    pub pattern: String,
    pub reason: String,
}

impl Rule {
    /// Compiles `pattern` under `name`; the error names both.
    pub fn new(name: impl Into<Cow<'static, str>>, pattern: &str) -> Result<Rule, BadPattern> {
        let name = name.into();
        match Regex::new(pattern) {
            Ok(regex) => Ok(Rule {
                name,
                regex,
                loose: crate::prefilter::loose_regex(pattern),
            }),
            Err(e) => Err(BadPattern {
                name: name.into_owned(),
                pattern: pattern.to_string(),
                reason: e.to_string(),
            }),
        }
    }

    /// A built-in rule: a pattern of this crate's tables, which the unit tests compile, so a
    /// typo is a programming error and panics with [`BadPattern`]'s message.
    pub fn builtin(name: &'static str, pattern: &str) -> Rule {
        Rule::new(name, pattern).unwrap_or_else(|e| panic!("built-in {e}"))
    }

    /// The rule's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the pattern matches `text` (its loose form asked first).
    pub fn is_match(&self, text: &str) -> bool {
        crate::prefilter::is_match(&self.regex, self.loose.as_ref(), text)
    }

    /// False only when the pattern surely does not match `text` (its loose form finds nothing).
    pub fn may_match(&self, text: &str) -> bool {
        self.loose.as_ref().is_none_or(|l| l.is_match(text))
    }
}

/// A built-in table compiled in order.
pub fn table(entries: &[(&'static str, &str)]) -> Vec<Rule> {
    entries.iter().map(|&(n, p)| Rule::builtin(n, p)).collect()
}

/// The first rule of `rules` whose pattern matches `text`.
pub fn first_match<'r>(rules: &'r [Rule], text: &str) -> Option<&'r Rule> {
    rules.iter().find(|r| r.is_match(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_pattern_is_named() {
        let err = Rule::new("config.banner.0", "([").unwrap_err();
        assert_eq!(err.name, "config.banner.0");
        assert_eq!(err.pattern, "([");
        assert!(
            err.to_string()
                .starts_with("pattern \"([\" (config.banner.0): regex parse error"),
            "{err}"
        );
    }

    #[test]
    fn first_match_is_the_first_in_table_order() {
        let rules = table(&[("digits", r"\d+"), ("two", "2"), ("letters", "[a-z]+")]);
        assert_eq!(first_match(&rules, "x2").map(Rule::name), Some("digits"));
        assert_eq!(first_match(&rules, "x").map(Rule::name), Some("letters"));
        assert!(first_match(&rules, "").is_none());
    }
}
