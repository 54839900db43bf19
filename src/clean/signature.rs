//! Signatures: where the author's sign-off begins.
//!
//! Takes the still-kept, non-blank lines (as indexes into the body's trimmed lines) and the
//! rules; gives the cuts to make, each as the first line to remove (up to the end) and the rule
//! that justified it. Three shapes are recognised, tried in this order:
//! the `-- ` delimiter (RFC 3676 §4.3), a closing line (`Best regards,`, `此致`) followed only
//! by signature-like lines, and trailing contact lines and decorative bars (with whatever
//! stands between two bars). A closing followed by real sentences is content, not a sign-off.

use super::rules::{first_match, Rules};

/// At most this many lines may follow a `-- ` delimiter or a closing line.
const MAX_SIGNATURE_LINES: usize = 15;
/// A signature line (name, title, company) is short.
const MAX_SIGNATURE_CHARS: usize = 60;
/// Company-name endings that put a full stop at the end of a signature line.
const ABBREVIATIONS: &[&str] = &[
    "Inc.", "Ltd.", "Co.", "Corp.", "LLC.", "L.L.C.", "S.A.", "GmbH.", "Jr.", "Sr.", "B.V.",
];
/// How far above a closing bar the opening bar may be.
const MAX_BAR_SPAN: usize = 10;

/// One cut: remove from `start` (an index into the body's lines) to the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Cut {
    pub start: usize,
    pub rule: String,
}

/// Finds the signature cut in `kept` (indexes of kept non-blank lines, in order).
pub fn signature_cut(lines: &[String], kept: &[usize], rules: &Rules) -> Option<Cut> {
    // RFC 3676's "-- " loses its trailing space to trimming; a bare "--" line is the same mark.
    if let Some(pos) = kept.iter().position(|&i| lines[i] == "--") {
        if kept.len() - pos - 1 <= MAX_SIGNATURE_LINES {
            return Some(Cut {
                start: kept[pos],
                rule: "sig-dash".into(),
            });
        }
    }
    for (pos, &i) in kept.iter().enumerate() {
        let rule = first_match(&rules.closings, &lines[i])
            .or_else(|| first_match(&rules.signatures, &lines[i]));
        let Some(rule) = rule else { continue };
        let rest = &kept[pos + 1..];
        if rest.len() <= MAX_SIGNATURE_LINES
            && rest.iter().all(|&j| signature_like(&lines[j], rules))
        {
            return Some(Cut {
                start: i,
                rule: rule.name.to_string(),
            });
        }
    }
    None
}

/// A sign-off with no closing line: a person's name on its own line followed by one to four
/// short lines (title, company, department, phone) that end the mail, as in
/// `Siobhan Keane\nNetwork Engineer\nCorrib Water Services`.
pub fn name_block_cut(lines: &[String], kept: &[usize], rules: &Rules) -> Option<Cut> {
    let n = kept.len();
    (n.saturating_sub(5)..n.saturating_sub(1))
        .filter(|&p| p > 0)
        .find(|&p| {
            name_like(&lines[kept[p]])
                && kept[p + 1..]
                    .iter()
                    .all(|&j| signature_like(&lines[j], rules))
        })
        .map(|p| Cut {
            start: kept[p],
            rule: "name-block".into(),
        })
}

/// Words that are capitalised in product and team names, never in a person's.
const NOT_NAME_WORDS: &[&str] = &[
    "Server",
    "Windows",
    "Microsoft",
    "Service",
    "Services",
    "Support",
    "Team",
    "Error",
    "Office",
    "Online",
    "Exchange",
    "Manager",
    "Update",
    "Hello",
    "Thanks",
    "Regards",
    "Dear",
    "Please",
    "The",
    "And",
    "For",
    "With",
];

/// A line that is a person's name: two or three capitalised Latin words, two to four Han
/// characters, or both side by side (`Ka Yan Lee 李嘉欣`, `周强 Zhou Qiang`).
fn name_like(line: &str) -> bool {
    let is_han = crate::script::is_han;
    let words: Vec<&str> = line.split_whitespace().collect();
    let (han, latin): (Vec<&str>, Vec<&str>) = words.iter().partition(|w| w.chars().all(is_han));
    let han_ok = match han.as_slice() {
        [] => None,
        [w] => Some((2..=4).contains(&w.chars().count())),
        _ => Some(false),
    };
    let latin_ok = if latin.is_empty() {
        None
    } else {
        Some(
            (2..=3).contains(&latin.len())
                && latin.iter().all(|w| {
                    let mut cs = w.chars();
                    cs.next().is_some_and(char::is_uppercase)
                        && cs.clone().any(char::is_lowercase)
                        && cs.all(|c| c.is_alphabetic() || c == '-' || c == '\'')
                        && !NOT_NAME_WORDS.contains(w)
                }),
        )
    };
    match (han_ok, latin_ok) {
        (None, None) => false,
        (h, l) => h.unwrap_or(true) && l.unwrap_or(true),
    }
}

/// The trailing contact lines, bars and user signature lines, stripped from the end one at a
/// time; a closing bar takes the block up to its opening bar with it.
pub fn trailing_cut(lines: &[String], kept: &[usize], rules: &Rules) -> Option<Cut> {
    let mut end = kept.len();
    let mut cut: Option<Cut> = None;
    while end > 0 {
        let line = &lines[kept[end - 1]];
        if first_match(&rules.bars, line).is_some() {
            let opening = (end.saturating_sub(MAX_BAR_SPAN + 1)..end - 1)
                .rev()
                .find(|&p| first_match(&rules.bars, &lines[kept[p]]).is_some());
            let span_ok =
                |o: usize| (o + 1..end - 1).all(|p| signature_like(&lines[kept[p]], rules));
            match opening {
                Some(o) if span_ok(o) => {
                    end = o;
                    cut = Some(Cut {
                        start: kept[o],
                        rule: "between-bars".into(),
                    });
                }
                _ => {
                    end -= 1;
                    cut = Some(Cut {
                        start: kept[end],
                        rule: "bar".into(),
                    });
                }
            }
            continue;
        }
        let rule =
            first_match(&rules.contacts, line).or_else(|| first_match(&rules.signatures, line));
        match rule {
            Some(rule) => {
                end -= 1;
                cut = Some(Cut {
                    start: kept[end],
                    rule: rule.name.to_string(),
                });
            }
            None => break,
        }
    }
    cut
}

/// A line that may follow a closing: a contact, a bar, another closing, or a short line that does
/// not read as a sentence (a name, a title, a company, an address).
pub fn signature_like(line: &str, rules: &Rules) -> bool {
    if first_match(&rules.contacts, line).is_some()
        || first_match(&rules.signature_lines, line).is_some()
        || first_match(&rules.bars, line).is_some()
        || first_match(&rules.closings, line).is_some()
        || first_match(&rules.signatures, line).is_some()
    {
        return true;
    }
    if line.chars().count() > MAX_SIGNATURE_CHARS {
        return false;
    }
    match line.chars().last() {
        Some('。' | '？' | '?' | '！' | '!' | '：' | ':' | '；' | ';' | '，') => false,
        // "Northwind Systems, Inc." is a company line; "It works now." is a sentence.
        Some('.') => ABBREVIATIONS.iter().any(|a| line.ends_with(a)),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Option<Cut>, Option<Cut>) {
        let r = Rules::default();
        let lines: Vec<String> = text.lines().map(|l| l.trim().to_string()).collect();
        let kept: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].is_empty()).collect();
        (
            signature_cut(&lines, &kept, &r),
            trailing_cut(&lines, &kept, &r),
        )
    }

    fn cut(start: usize, rule: &str) -> Option<Cut> {
        Some(Cut {
            start,
            rule: rule.into(),
        })
    }

    #[test]
    fn closing_followed_by_name_and_contacts() {
        let (sig, _) =
            run("Please upload the logs.\n\nBest regards,\nSofia Marin\nTel: +1 555 0131");
        assert_eq!(sig, cut(2, "closing-en"));
        let (sig, _) =
            run("问题已解决。\n谢谢！\n林志强\n粤通银行 信息科技部\n手机：138-0013-8000");
        assert_eq!(sig, cut(1, "closing-zh"));
    }

    #[test]
    fn thanks_followed_by_sentences_is_content() {
        let (sig, trail) =
            run("Thanks!\nThe logs show the writer failed. Please run vssadmin list writers.");
        assert_eq!((sig, trail), (None, None));
        let (sig, _) = run("Thanks!\nIt works now.");
        assert_eq!(sig, None);
        let (sig, _) =
            run("Done.\nRegards,\nAnna Berg\nNorthwind Systems, Inc.\nhttps://northwind.example");
        assert_eq!(sig, cut(1, "closing-en"));
        let (_, trail) = run("The fix is here:\nhttps://support.example/kb/4211");
        assert_eq!(trail, None);
    }

    #[test]
    fn sig_dash_cuts_to_the_end() {
        let (sig, _) = run("问题已解决。\n-- \n杨珺\n手机：138-0013-8000");
        assert_eq!(sig, cut(1, "sig-dash"));
    }

    #[test]
    fn trailing_contacts_and_the_block_between_two_bars() {
        let (sig, trail) = run("请再次测试。\n电子邮箱： w@x.example\n官方网站： www.x.example\n________________________________");
        assert_eq!((sig, trail), (None, cut(1, "contact-zh")));
        let (_, trail) = run("问题已解决，请关单。\n☆☆☆☆☆☆\n中国工商银行软件开发中心（珠海）\n许  翔\n电话：17606669571\n☆☆☆☆☆☆");
        assert_eq!(trail, cut(1, "between-bars"));
    }
}
