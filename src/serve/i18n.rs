//! The UI's two languages: every string a page shows, in one table, and the choice of language
//! (an explicit `?ui=` switch, then the cookie the switch sets, then `Accept-Language`).

use std::collections::BTreeMap;

/// `(key, en, zh)`.
const STRINGS: &[(&str, &str, &str)] = &[
    ("nav_search", "Search", "搜索"),
    ("nav_suggest", "Suggest", "建议"),
    ("nav_kb", "Knowledge base", "知识库"),
    ("switch", "中文", "English"),
    (
        "search_placeholder",
        "error code, file, words…",
        "错误代码、文件名、关键词…",
    ),
    ("search_button", "Search", "搜索"),
    ("matching", "matching cases", "个匹配案例"),
    ("showing", "showing", "显示"),
    ("no_hits", "No case matches.", "没有匹配的案例。"),
    ("page", "Page", "第"),
    ("page_of", "of", "页，共"),
    ("prev", "← Previous", "← 上一页"),
    ("next", "Next →", "下一页 →"),
    ("facet_status", "Status", "状态"),
    ("facet_customer", "Customer", "客户"),
    ("facet_language", "Language", "语言"),
    ("facet_year", "Year", "年份"),
    ("facet_product", "Product", "产品"),
    ("filter", "Filter", "筛选"),
    ("clear", "Clear filters", "清除筛选"),
    ("status_resolved", "resolved", "已解决"),
    ("status_unresolved", "unresolved", "未解决"),
    ("field_problem", "Problem", "问题描述"),
    ("field_analysis", "Analysis", "分析"),
    ("field_cause", "Cause", "原因"),
    ("field_resolution", "Resolution", "解决方案"),
    ("field_steps", "Steps", "步骤"),
    ("field_diagnostics", "Diagnostics", "诊断方法"),
    ("field_entities", "Entities", "实体"),
    ("field_status", "Status", "状态"),
    ("field_confidence", "confidence", "可信度"),
    ("from_message", "message", "邮件"),
    ("customer", "Customer", "客户"),
    ("priority", "Priority", "优先级"),
    ("opened", "Opened", "开始"),
    ("closed", "Closed", "关闭"),
    ("language", "Language", "语言"),
    ("timeline", "Timeline", "时间线"),
    (
        "toggle_all",
        "Open or close all folded parts",
        "展开或收起所有折叠内容",
    ),
    ("role_customer", "customer", "客户"),
    ("role_engineer", "engineer", "工程师"),
    ("kind_report", "report", "问题报告"),
    ("kind_info_request", "info request", "信息请求"),
    ("kind_status_ping", "status ping", "状态跟进"),
    ("kind_analysis", "analysis", "分析"),
    ("kind_action_plan", "action plan", "行动方案"),
    ("kind_customer_update", "customer update", "客户更新"),
    ("kind_confirmation", "confirmation", "确认"),
    ("kind_closure", "closure", "结案"),
    ("removed_quote", "removed quote", "已移除的引用"),
    ("removed_signature", "removed signature", "已移除的签名"),
    (
        "removed_disclaimer",
        "removed disclaimer",
        "已移除的免责声明",
    ),
    ("removed_banner", "removed banner", "已移除的横幅"),
    ("ping_folded", "status ping (folded)", "状态跟进（已折叠）"),
    ("greeting", "greeting", "称呼"),
    (
        "suggest_title",
        "Suggest from a new ticket",
        "根据新工单给出建议",
    ),
    (
        "suggest_help",
        "Paste the ticket (text, or a whole email with headers).",
        "粘贴工单内容（文本，或带邮件头的完整邮件）。",
    ),
    ("suggest_button", "Suggest", "给出建议"),
    ("top", "cases", "个案例"),
    ("matches", "Similar cases", "相似案例"),
    ("remedies", "Suggested remedies", "建议的解决方法"),
    ("diagnostics", "Suggested diagnostics", "建议的诊断步骤"),
    ("shared", "shared", "共同点"),
    ("from_cases", "from", "来自"),
    ("reply_draft", "Reply draft", "回复草稿"),
    (
        "abstain",
        "No past case matches this ticket well; no fix is suggested.",
        "没有与此工单足够相符的历史案例，不建议修复方案。",
    ),
    (
        "no_ticket_text",
        "The ticket has no text to match.",
        "工单没有可匹配的文本。",
    ),
    ("none", "(none)", "（无）"),
    ("kb_title", "Knowledge base", "知识库"),
    ("kb_summary", "articles from", "篇文章，来自"),
    ("kb_cases", "cases", "个案例"),
    ("kb_article", "Article", "文章"),
    ("kb_cases_of", "Cases", "案例"),
    ("kb_tags", "Tags", "标签"),
    ("kb_none", "No article yet.", "还没有文章。"),
    ("kb_other", "Other", "其他"),
    ("login_title", "Log in", "登录"),
    (
        "login_help",
        "This server needs its access token.",
        "此服务器需要访问令牌。",
    ),
    ("login_button", "Log in", "登录"),
    ("login_wrong", "Wrong token.", "令牌错误。"),
    ("not_found", "Not found", "未找到"),
    ("bad_request", "Bad request", "请求无效"),
    ("error", "Error", "错误"),
];

pub const LANGS: &[&str] = &["en", "zh"];

/// The strings of `lang` by key.
pub fn table(lang: &str) -> BTreeMap<&'static str, &'static str> {
    let zh = lang == "zh";
    STRINGS
        .iter()
        .map(|&(k, en, z)| (k, if zh { z } else { en }))
        .collect()
}

/// The UI language: `explicit` (`?ui=`), else `cookie`, else the first of `zh`/`en` that
/// `Accept-Language` ranks highest, else English.
pub fn negotiate(
    explicit: Option<&str>,
    cookie: Option<&str>,
    accept_language: Option<&str>,
) -> &'static str {
    let known = |l: &str| LANGS.iter().copied().find(|k| *k == l);
    if let Some(l) = explicit.and_then(known).or_else(|| cookie.and_then(known)) {
        return l;
    }
    let mut best: Option<(f32, usize, &'static str)> = None;
    for (pos, part) in accept_language.unwrap_or("").split(',').enumerate() {
        let mut bits = part.split(';');
        let tag = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .filter_map(|b| b.trim().strip_prefix("q="))
            .find_map(|v| v.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let Some(lang) = known(primary) else { continue };
        if q <= 0.0 {
            continue;
        }
        // Higher q wins; on equal q the earlier entry does.
        if best.is_none_or(|(bq, _, _)| q > bq) {
            best = Some((q, pos, lang));
        }
    }
    best.map_or("en", |(_, _, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_choice() {
        assert_eq!(negotiate(None, None, Some("zh-CN,zh;q=0.9,en;q=0.8")), "zh");
        assert_eq!(negotiate(None, None, Some("en-US,en;q=0.9,zh;q=0.8")), "en");
        assert_eq!(
            negotiate(None, None, Some("fr-FR, zh-TW;q=0.5, en;q=0.4")),
            "zh"
        );
        assert_eq!(negotiate(None, None, Some("zh;q=0")), "en");
        assert_eq!(negotiate(None, None, None), "en");
        assert_eq!(negotiate(None, Some("zh"), Some("en")), "zh");
        assert_eq!(negotiate(Some("en"), Some("zh"), Some("zh")), "en");
        assert_eq!(negotiate(Some("xx"), None, Some("zh")), "zh");
    }

    #[test]
    fn both_languages_have_every_key_once() {
        let keys: std::collections::BTreeSet<_> = STRINGS.iter().map(|s| s.0).collect();
        assert_eq!(keys.len(), STRINGS.len());
        assert!(STRINGS
            .iter()
            .all(|(_, en, zh)| !en.is_empty() && !zh.is_empty()));
    }
}
