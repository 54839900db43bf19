//! Chinese word services every stage shares: the one jieba instance (its dictionary costs about
//! 100 ms to build, so a process builds it once) and the person names its part-of-speech tagger
//! finds.
//!
//! Takes text, gives words. No I/O.

use std::sync::LazyLock;

use jieba_rs::Jieba;

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// The process's jieba.
pub fn jieba() -> &'static Jieba {
    &JIEBA
}

/// Words jieba's tagger marks as person names (`nr`), two to four Han characters and not words of
/// its dictionary (which tags `安全性` `nr` too), in text order without repeats:
/// `张丽是去年换下来的…` → `张丽`.
pub fn person_names(text: &str) -> Vec<String> {
    let is_han = crate::script::is_han;
    if !text.chars().any(is_han) {
        return Vec::new();
    }
    let tags = jieba().tag(text, true);
    let mut out: Vec<String> = Vec::new();
    for (i, t) in tags.iter().enumerate() {
        let n = t.word.chars().count();
        if t.tag != "nr"
            || !(2..=4).contains(&n)
            || !t.word.chars().all(is_han)
            || jieba().has_word(t.word)
        {
            continue;
        }
        // A two-character guess is a name only where a person stands in the sentence: after
        // `联系`/`请`/`同事`, or before `说`/`是`/`反馈`; the tagger also guesses `蓝屏`.
        if n == 2 {
            let prev = i.checked_sub(1).map_or("", |p| tags[p].word);
            let next = tags.get(i + 1).map_or("", |t| t.word);
            let before = NAME_BEFORE.iter().any(|w| prev.ends_with(w));
            let after = NAME_AFTER.iter().any(|w| next.starts_with(w));
            if !(before || after) {
                continue;
            }
        }
        let w = t.word.to_string();
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Words that stand before a person's name.
const NAME_BEFORE: &[&str] = &[
    "联系",
    "聯繫",
    "聯絡",
    "请",
    "請",
    "找",
    "跟",
    "和",
    "与",
    "與",
    "由",
    "让",
    "讓",
    "同事",
    "工程师",
    "工程師",
    "用户",
    "用戶",
    "我是",
    "是",
    "叫",
    "给",
    "給",
    "问",
    "問",
    "告诉",
    "告訴",
];

/// Words that follow a person's name.
const NAME_AFTER: &[&str] = &[
    "说",
    "說",
    "反馈",
    "反饋",
    "确认",
    "確認",
    "是",
    "已",
    "在",
    "会",
    "會",
    "的电脑",
    "的電腦",
    "那边",
    "那邊",
    "这边",
    "這邊",
    "负责",
    "負責",
    "处理",
    "處理",
    "回复",
    "回覆",
    "提到",
    "表示",
    "发现",
    "發現",
    "同事",
    "老师",
    "先生",
    "女士",
    "小姐",
    "经理",
    "經理",
    "他们",
    "他們",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_running_text() {
        assert_eq!(
            person_names("按你给的方法查到了，张丽是去年换下来的一台旧 iPad"),
            ["张丽"]
        );
        assert_eq!(person_names("请联系吳家豪確認"), ["吳家豪"]);
        assert!(person_names("高级工程师建议升级王牌服务器").is_empty());
        assert!(person_names("一直跳出 Windows 安全性的密碼視窗").is_empty());
        assert!(person_names("插入USB Key后蓝屏，重启后正常").is_empty());
        assert!(person_names("no Chinese here").is_empty());
    }
}
