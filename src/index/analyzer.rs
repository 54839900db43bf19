//! The analyzer: text in, search tokens out — the same way for documents and for queries.
//!
//! Chinese has no spaces and support mail is full of identifiers, so one tokenizer has to do three
//! things. Each character is first folded (NFKC, so `０ｘ８００７` becomes `0x8007`; lowercase;
//! traditional Han characters to simplified, the form jieba's dictionary knows). The folded text
//! is split into runs: Han runs go to jieba (default cut, plus the 2- and 3-character dictionary
//! words inside longer words, as jieba's search mode does), and runs of letters and digits joined
//! by connectors (`zk_hook.dll`, `CAS-06616-G5Z4X1`, `Get-FileHash`) become a *technical token*:
//! the whole, its connector-separated segments (`zk_hook`), and its atoms (`zk`, `hook`, `dll`).
//! Everything else (punctuation, spaces) separates tokens.
//!
//! Latin words are folded further and stemmed: accents are stripped (`café` = `cafe`) and every
//! purely alphabetic word or atom goes through tantivy's English (Porter2) stemmer, so `expire`,
//! `expired` and `expires` are one token, and so are `fail`, `fails` and `failing`. Tokens with
//! digits or joiners (`0x80070005`, `zk_hook.dll`) are identifiers and stay as written.
//!
//! Positions make phrases work: each jieba word takes one position and its inner words share it;
//! a technical token's atoms take consecutive positions, the whole and each segment sit at the
//! position of their first atom. Offsets always point into the caller's original text, so tantivy
//! can highlight snippets in it.

use std::cell::RefCell;

use tantivy::tokenizer::{
    Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenStream, Tokenizer,
};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::script::is_han;

/// The tokenizer's name in the tantivy index schema. It names the analysis version: a store
/// indexed by an older analysis (before stemming) has another name in its schema, so opening it
/// fails with "remove the store and ingest again" instead of silently missing stemmed words.
pub const NAME: &str = "casebook-2";

/// Characters that join the parts of a technical token. `_` and `-` join words inside a name
/// (`zk_hook`, `Get-FileHash`); the others join names into paths, files and versions.
const SOFT_JOINERS: &[char] = &['_', '-'];
const HARD_JOINERS: &[char] = &['.', '/', '\\', ':', '@', '+', '#'];

/// Tokens longer than this (base64 blobs, long hashes glued to text) are not worth indexing.
const MAX_TOKEN_BYTES: usize = 80;
/// A path or URL with more parts than this only gets its first atoms indexed.
const MAX_ATOMS: usize = 16;

thread_local! {
    /// tantivy's English stemmer over a raw (one-token) tokenizer: it stems one word at a time.
    static STEMMER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// The English stem of `word` when it is a plain Latin word (ASCII letters only); anything with
/// digits or joiners is an identifier and is returned as it is.
pub fn stem(word: &str) -> String {
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return word.to_string();
    }
    STEMMER.with(|a| {
        let mut a = a.borrow_mut();
        let mut stream = a.token_stream(word);
        if stream.advance() {
            stream.token().text.clone()
        } else {
            word.to_string()
        }
    })
}

/// One token with what phrase building needs on top of tantivy's `Token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    /// Byte offsets into the analyzed text.
    pub from: usize,
    pub to: usize,
    pub position: usize,
    /// A token that tiles the text (a jieba word or a technical token's whole), as opposed to a
    /// part of one. Phrases are built from primary pieces only.
    pub primary: bool,
}

/// The token texts of `text`, in order, parts after their whole: the tokens every stage should
/// use when it needs to match what the store indexed. Traditional characters are folded to
/// simplified before jieba cuts words; technical tokens stay whole and their parts follow.
///
/// ```
/// use casebook::index::analyze;
/// assert_eq!(analyze("開機無法連線"), ["开机", "无法", "连线"]);
/// assert_eq!(
///     analyze("zk_hook.dll 報錯"),
///     ["zk_hook.dll", "zk_hook", "zk", "hook", "dll", "报错"]
/// );
/// assert_eq!(analyze("Backup FAILED"), ["backup", "fail"]);
/// ```
pub fn analyze(text: &str) -> Vec<String> {
    pieces(text).into_iter().map(|p| p.text).collect()
}

/// A folded character and the byte span of the original character it came from.
#[derive(Clone, Copy)]
struct Folded {
    c: char,
    from: u32,
    to: u32,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Han,
    Word,
    Joiner,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii_alphanumeric() {
        Class::Word
    } else if is_han(c) {
        Class::Han
    } else if SOFT_JOINERS.contains(&c) || HARD_JOINERS.contains(&c) {
        Class::Joiner
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// NFKC + lowercase, one original character at a time so offsets can be mapped back.
fn fold(text: &str, out: &mut Vec<Folded>) {
    out.clear();
    for (from, c) in text.char_indices() {
        // Field texts are far below 4 GiB; tantivy itself keeps offsets as u32 per value.
        let (from, to) = (from as u32, (from + c.len_utf8()) as u32);
        if c.is_ascii() {
            out.push(Folded {
                c: c.to_ascii_lowercase(),
                from,
                to,
            });
        } else if is_han(c) && !(0xF900..=0xFAFF).contains(&(c as u32)) {
            // Unified ideographs are their own NFKC form and have no case; traditional ones
            // fold to simplified, the form jieba's dictionary knows.
            out.push(Folded {
                c: super::fold::simplified(c),
                from,
                to,
            });
        } else if is_latin_letter(c) {
            // Accents off (`é` → `e`): mail clients and keyboards disagree on them.
            for n in std::iter::once(c).nfkd().filter(|n| !is_combining_mark(*n)) {
                for l in n.to_lowercase() {
                    out.push(Folded { c: l, from, to });
                }
            }
        } else {
            for n in std::iter::once(c).nfkc() {
                for l in n.to_lowercase() {
                    out.push(Folded { c: l, from, to });
                }
            }
        }
    }
}

/// Latin-1 Supplement and Latin Extended-A/B letters: the ones with accents to strip.
fn is_latin_letter(c: char) -> bool {
    matches!(c as u32, 0xC0..=0x24F) && c.is_alphabetic()
}

/// Every piece of `text`, in text order (parts right after their whole).
pub fn pieces(text: &str) -> Vec<Piece> {
    // Offsets are kept as u32; anything past 4 GiB in one field is not analyzed.
    let mut cut = text.len().min(u32::MAX as usize);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let text = &text[..cut];
    let mut chars = Vec::with_capacity(text.len());
    fold(text, &mut chars);
    let mut out = Vec::new();
    let mut position = 0;
    let mut i = 0;
    while i < chars.len() {
        match class(chars[i].c) {
            Class::Han => {
                let end = run_end(&chars, i, |c| class(c) == Class::Han);
                han_run(&chars[i..end], &mut position, &mut out);
                i = end;
            }
            Class::Word => {
                let end = run_end(&chars, i, |c| {
                    matches!(class(c), Class::Word | Class::Joiner)
                });
                // A run never ends on a joiner: `zk_` before Han text or `dll.` at a sentence end.
                let mut end_trim = end;
                while class(chars[end_trim - 1].c) == Class::Joiner {
                    end_trim -= 1;
                }
                technical(&chars[i..end_trim], &mut position, &mut out);
                i = end;
            }
            Class::Joiner | Class::Other => i += 1,
        }
    }
    out
}

fn run_end(chars: &[Folded], start: usize, keep: impl Fn(char) -> bool) -> usize {
    chars[start..]
        .iter()
        .position(|f| !keep(f.c))
        .map_or(chars.len(), |n| start + n)
}

/// A Han run: jieba's words, each followed by the dictionary words inside it.
fn han_run(run: &[Folded], position: &mut usize, out: &mut Vec<Piece>) {
    let text: String = run.iter().map(|f| f.c).collect();
    let jieba = crate::zh::jieba();
    for word in jieba.cut(&text, false) {
        let (start, end) = (word.start, word.end);
        out.push(Piece {
            text: word.word.to_string(),
            from: run[start].from as usize,
            to: run[end - 1].to as usize,
            position: *position,
            primary: true,
        });
        let len = end - start;
        // What jieba's search mode adds: the 2- and 3-character words inside a longer word
        // (`初始化` → `初始`), so a query for the shorter word finds the longer one.
        for n in [2, 3] {
            if len <= n {
                continue;
            }
            for k in start..=end - n {
                let gram: String = run[k..k + n].iter().map(|f| f.c).collect();
                if jieba.has_word(&gram) {
                    out.push(Piece {
                        text: gram,
                        from: run[k].from as usize,
                        to: run[k + n - 1].to as usize,
                        position: *position,
                        primary: false,
                    });
                }
            }
        }
        *position += 1;
    }
}

/// A run of letters and digits with joiners inside: the whole, then its segments, then its atoms.
fn technical(run: &[Folded], position: &mut usize, out: &mut Vec<Piece>) {
    let whole: String = run.iter().map(|f| f.c).collect();
    let start = *position;
    let piece = |text: String, a: usize, b: usize, position: usize, primary: bool| Piece {
        text,
        from: run[a].from as usize,
        to: run[b - 1].to as usize,
        position,
        primary,
    };
    // Atom spans (char indexes into `run`), split at every joiner.
    let mut atoms: Vec<(usize, usize)> = Vec::new();
    let mut a = 0;
    for (k, f) in run.iter().enumerate() {
        if class(f.c) == Class::Joiner {
            if k > a {
                atoms.push((a, k));
            }
            a = k + 1;
        }
    }
    atoms.push((a, run.len()));
    atoms.truncate(MAX_ATOMS);
    let fits = |s: &str| s.len() <= MAX_TOKEN_BYTES;
    if fits(&whole) {
        let text = if atoms.len() == 1 {
            stem(&whole)
        } else {
            whole.clone()
        };
        out.push(piece(text, 0, run.len(), start, true));
    }
    if atoms.len() > 1 {
        // Segments: split at hard joiners only, kept when they still hold a soft joiner.
        let mut seg_start = 0;
        let mut atom_index = 0;
        for k in 0..=run.len() {
            let at_end = k == run.len();
            if at_end || HARD_JOINERS.contains(&run[k].c) {
                let seg: String = run[seg_start..k].iter().map(|f| f.c).collect();
                let soft = seg.contains(SOFT_JOINERS);
                let first_atom = atoms.iter().position(|&(s, _)| s >= seg_start);
                if let Some(first) = first_atom {
                    atom_index = first;
                }
                if soft && seg != whole && fits(&seg) {
                    let seg = seg.trim_matches(SOFT_JOINERS).to_string();
                    if !seg.is_empty() {
                        out.push(piece(seg, seg_start, k, start + atom_index, false));
                    }
                }
                seg_start = k + 1;
            }
        }
        for (n, &(s, e)) in atoms.iter().enumerate() {
            let text: String = run[s..e].iter().map(|f| f.c).collect();
            if fits(&text) {
                out.push(piece(stem(&text), s, e, start + n, false));
            }
        }
    }
    *position = start + atoms.len().max(1);
}

/// The analyzer as a tantivy tokenizer, registered under [`NAME`].
#[derive(Clone, Default)]
pub struct CasebookTokenizer;

pub struct PieceStream {
    pieces: std::vec::IntoIter<Piece>,
    token: Token,
}

impl Tokenizer for CasebookTokenizer {
    type TokenStream<'a> = PieceStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PieceStream {
        PieceStream {
            pieces: pieces(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for PieceStream {
    fn advance(&mut self) -> bool {
        match self.pieces.next() {
            Some(p) => {
                self.token = Token {
                    offset_from: p.from,
                    offset_to: p.to,
                    position: p.position,
                    text: p.text,
                    position_length: 1,
                };
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        analyze(s)
    }

    fn positioned(s: &str) -> Vec<(String, usize, bool)> {
        pieces(s)
            .into_iter()
            .map(|p| (p.text, p.position, p.primary))
            .collect()
    }

    #[test]
    fn file_name_is_whole_segment_and_atoms() {
        assert_eq!(
            positioned("zk_hook.dll"),
            vec![
                ("zk_hook.dll".to_string(), 0, true),
                ("zk_hook".to_string(), 0, false),
                ("zk".to_string(), 0, false),
                ("hook".to_string(), 1, false),
                ("dll".to_string(), 2, false),
            ]
        );
    }

    #[test]
    fn case_number_command_and_version_split_into_parts() {
        assert_eq!(
            texts("CAS-06616-G5Z4X1"),
            ["cas-06616-g5z4x1", "cas", "06616", "g5z4x1"]
        );
        assert_eq!(texts("Get-FileHash"), ["get-filehash", "get", "filehash"]);
        assert_eq!(
            texts("V2020-L(xxxxxx).iso"),
            ["v2020-l", "v2020", "l", "xxxxxx", "iso"]
        );
        assert_eq!(texts("0x80070005"), ["0x80070005"]);
    }

    #[test]
    fn full_width_folds_to_half_width() {
        assert_eq!(texts("０ｘ８００７"), ["0x8007"]);
        assert_eq!(texts("ＤＩＳＭ"), ["dism"]);
    }

    #[test]
    fn chinese_uses_jieba_with_inner_words() {
        assert_eq!(texts("升级失败"), ["升级", "失败"]);
        assert_eq!(
            positioned("未能初始化DISM操作"),
            vec![
                ("未能".to_string(), 0, true),
                ("初始化".to_string(), 1, true),
                ("初始".to_string(), 1, false),
                ("dism".to_string(), 2, true),
                ("操作".to_string(), 3, true),
            ]
        );
    }

    #[test]
    fn traditional_folds_to_simplified() {
        assert_eq!(texts("瘦客戶端開機"), texts("瘦客户端开机"));
        assert_eq!(texts("開機"), ["开机"]);
    }

    #[test]
    fn joiners_at_run_edges_are_not_tokens() {
        assert_eq!(texts("zk_开头的进程"), ["zk", "开头", "的", "进程"]);
        assert_eq!(texts("dismapi.dll。"), ["dismapi.dll", "dismapi", "dll"]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "错误０ｘ８００７";
        let p = pieces(text);
        assert_eq!(p.last().map(|p| &text[p.from..p.to]), Some("０ｘ８００７"));
    }

    #[test]
    fn english_words_are_stemmed_identifiers_are_not() {
        assert_eq!(texts("expire expired Expires"), ["expir", "expir", "expir"]);
        assert_eq!(texts("clients fail failing"), ["client", "fail", "fail"]);
        // The whole of a technical token stays as written; its atoms are words and are stemmed.
        assert_eq!(
            texts("services.msc 0x80070005 KB5034441"),
            ["services.msc", "servic", "msc", "0x80070005", "kb5034441"]
        );
    }

    #[test]
    fn accents_are_folded() {
        assert_eq!(texts("Café"), texts("cafe"));
    }

    #[test]
    fn no_panic_on_odd_input() {
        assert_eq!(texts(""), Vec::<String>::new());
        assert_eq!(texts("--- ... ___"), Vec::<String>::new());
        assert_eq!(texts("\u{FFFD}é"), ["e"]);
    }
}
