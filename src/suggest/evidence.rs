//! The ticket's words as a person reads them: what `suggest` may show as evidence and what its
//! confidence counts.
//!
//! Only whole words qualify: the words of jieba's default cut (never the inner words the index
//! adds for recall, `务器` inside `服务器`), and Latin words and technical tokens as the ticket
//! wrote them (never an atom cut out of a file name). Each word keeps the index token it matches
//! (`expired` → `expir`) so it can be looked up in a case.

use crate::index::analyzer::pieces;

/// A whole word of the ticket.
#[derive(Debug, Clone, PartialEq)]
pub struct Word {
    /// As written in the ticket.
    pub surface: String,
    /// The index token it matches (folded, stemmed).
    pub token: String,
}

/// Words too common to be evidence of a match (compared with the index token).
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "ar", "are", "as", "at", "be", "but", "by", "can", "do", "for", "from",
    "get", "ha", "has", "have", "hi", "in", "show", "see", "use", "work", "is", "it", "its",
    "last", "new", "not", "of", "on", "or", "our", "pleas", "since", "that", "the", "thank", "thi",
    "this", "to", "wa", "was", "we", "were", "when", "with", "you", "your", "有", "是", "的", "了",
    "在", "我们", "无法", "问题", "显示", "出现", "现在", "一直", "需要", "请", "日志", "您好",
    "谢谢", "麻烦", "一下", "看看", "帮忙", "你们", "这个", "那个", "已经", "但是", "还是", "可以",
    "没有", "什么", "怎么", "时候", "因为", "所以", "如果", "之后", "以后", "然后",
];

/// The distinct whole words of `text` worth counting, in order of first appearance.
pub fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    for p in pieces(text).into_iter().filter(|p| p.primary) {
        if !is_word(&p.text) || out.iter().any(|w| w.token == p.text) {
            continue;
        }
        let Some(surface) = text.get(p.from..p.to) else {
            continue;
        };
        out.push(Word {
            surface: surface.to_string(),
            token: p.text,
        });
    }
    out
}

/// A token worth showing: not a stopword, not a lone Han character, not a one- or two-letter
/// Latin word, not a bare number.
pub fn is_word(token: &str) -> bool {
    let n = token.chars().count();
    if STOPWORDS.contains(&token) {
        return false;
    }
    if token.is_ascii() {
        n >= 3 && !token.bytes().all(|b| b.is_ascii_digit())
    } else {
        n >= 2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.surface).collect()
    }

    #[test]
    fn only_whole_words_as_written() {
        // 服务器 is shown whole: never its inner words 服务 or 务器.
        assert_eq!(surfaces("服务器无法处理请求"), ["服务器", "处理", "请求"]);
        assert_eq!(
            surfaces("The Service expired on zk_hook.dll, 2023"),
            ["Service", "expired", "zk_hook.dll"]
        );
        assert_eq!(words("expired")[0].token, "expir");
    }
}
