//! Kinds: what each message does in the conversation (`report`, `info_request`, `status_ping`,
//! `analysis`, `action_plan`, `customer_update`, `confirmation`, `closure`).
//!
//! Takes one message's cleaned text, its author's role and the cleaner's `status_ping` flag;
//! gives a [`Kind`] and the name of the rule that decided it. The rules are tables of phrases in
//! both languages, tried in a fixed order per role, so the first rule that fires is the reason.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{first_list, fold, numbered, re};
use crate::model::{Kind, Role};
use crate::rule::{first_match, table, Rule};

// Each phrase table is a `const` list of (name, pattern) strings, compiled once through
// `rule::table`, the same constructor every table of the pipeline goes through.

/// The customer says the last thing tried did not help. Checked before [`CONFIRMS`], because
/// `问题仍未解决` contains `解决`.
const FAILED_TABLE: &[(&str, &str)] = &[
    (
        "zh_still_failing",
        r"仍(?:然|旧)?(?:未|没有|不|无法|失败|报错|出现|存在)|还是(?:不行|失败|报错|一样|没有|无法)|依(?:然|旧)(?:失败|报错|存在|不行|无法)|问题依旧|没有效果|无效|未能解决|没有解决|未解决|不起作用|(?:^|[^没未不有])(?:再次出现|又出现|又蓝屏|又报错)",
    ),
    (
        "en_still_failing",
        r"(?i)\bstill\s+(?:fails?|failing|crash|happens|occurs|see|get|getting|returns?|not|doesn|does not|slow|stuck|the same)|(?:did not|didn't|does not|doesn't|did n't)\s+(?:help|work|fix|solve|change)|no (?:luck|change|difference|improvement)|same (?:error|problem|result)|not (?:resolved|fixed)|made no difference|keeps? (?:failing|crashing)|\bstill\s+(?:\w+\s+){0,2}(?:rolled back|fail(?:s|ed|ing)?|errors?|broken|down|hangs?|crash(?:es|ed|ing)?)\b|\b(?:exact(?:ly)? )?(?:the )?same (?:\w+ ){0,2}(?:as before|error|message|result|msg|failure)\b|(?:error|problem|issue|crash) (?:persists|remains|is still there|came back|reappeared)",
    ),
];
pub static FAILED: LazyLock<Vec<Rule>> = LazyLock::new(|| table(FAILED_TABLE));

/// The customer says the fix helped only in part, or the problem is back (`but still about 12
/// users get the prompt`, `一半好了，但还是有…`, `Reopening this - sync has stopped again`).
const PARTLY_OR_BACK_TABLE: &[(&str, &str)] = &[
    (
        "zh_partly_or_back",
        r"但(?:是)?[^。！？\n]{0,30}(?:仍|还是|還是|依然|依旧|依舊)|(?:仍然|依然|依旧|依舊|还是|還是)[^。！？\n]{0,20}(?:失败|失敗|报错|報錯|不行|无法|無法|弹|彈|出现|出現|卡)|重新打开|重新開啟|又(?:开始|開始|发生|發生|出现|出現|坏|壞|掉|满|滿|报错|報錯|不行|失败|失敗|断|斷|卡)|再次(?:发生|發生|失败|失敗)|先?(?:别|別|不要)(?:关|關)",
    ),
    (
        "en_partly_or_back",
        r"(?i)\bbut\b[^.!?\n]{0,60}\bstill\b|\bstill\b[^.!?\n]{0,40}\b(?:get|gets|getting|see|seeing|fail|fails|failing|broken|stuck|prompt|prompted|errors?|crash|crashes|slow|down)\b|\breopen(?:ing|ed)?\b|\b(?:stopped|failing|failed|broke|crashed|dropped) again\b|\b(?:is|are|it's) happening again\b",
    ),
];
pub static PARTLY_OR_BACK: LazyLock<Vec<Rule>> = LazyLock::new(|| table(PARTLY_OR_BACK_TABLE));

/// The customer will try the fix later: thanks for a plan is no report of its outcome.
const PENDING_TABLE: &[(&str, &str)] = &[
    (
        "zh_will_try",
        r"(?:明天|稍后|稍後|晚点|晚點|下周|下週|今晚|周末|週末)[^。！？\n]{0,10}(?:试|試|做|改|处理|處理|安排|操作)|(?:会|會|再|先)(?:试|試)(?:一下|试|試)?(?:看|再)|安排(?:时间|時間)(?:处理|處理|操作)",
    ),
    (
        "en_will_try",
        r"(?i)(?:we|i)(?:'ll| will| are going to| plan to)\s+(?:try|test|apply|do|schedule|run|give it a go)|will (?:try|test) (?:it|this|that)|(?:first thing )?(?:tomorrow|tonight|next week|this weekend|over the weekend)[^.!?\n]{0,40}(?:try|apply|test|do)",
    ),
];
pub static PENDING: LazyLock<Vec<Rule>> = LazyLock::new(|| table(PENDING_TABLE));

/// The customer says the fix worked.
const CONFIRMS_TABLE: &[(&str, &str)] = &[
    (
        "zh_resolved",
        r"问题(?:已经|已|都)?(?:解决|修复)|已(?:经)?(?:解决|修复|恢复正常)|恢复正常|(?:都|已经|已)正常|升级成功|安装成功|登录成功|成功了|没有再(?:出现|发生|蓝屏|报错)|未再(?:出现|发生|蓝屏|报错)|可以(?:正常)?(?:使用|登录|连接|打印)了",
    ),
    (
        "en_resolved",
        r"(?i)\b(?:is|was|has been|are|been) (?:resolved|fixed|solved)|works? (?:now|again|fine)|working (?:now|again|fine)|(?:that|this) (?:did it|fixed it|worked)|no (?:more|further|new) (?:errors?|crash(?:es)?|failures?|blue screens?|events?)|succeeded|problem (?:is )?gone|flowing again|back to normal|without (?:any |a )?(?:errors?|crash(?:es)?|problems?|issues?)|(?:jobs?|reports?|backups?|mails?|installs?|installations?|upgrades?|syncs?|tests?) (?:all )?(?:completed|succeeded|went through|arrived|ran fine|passed)|went through|arrived this morning|completed (?:successfully|without|last night)",
    ),
];
pub static CONFIRMS: LazyLock<Vec<Rule>> = LazyLock::new(|| table(CONFIRMS_TABLE));

/// Someone asks to close, or support closes, the case: a closing verb on the case, ticket or
/// request, or a helpdesk's status change to resolved or closed.
const CLOSES_TABLE: &[(&str, &str)] = &[
    (
        "zh_close",
        r"关单|關單|结案|結案|(?:关闭|關閉|关掉|關掉|归档|歸檔)(?:此|这个|這個|本|该|該|这张|這張)?(?:案例|工单|工單|案件|请求|請求|事件|单子|單子|案子|单|單)|(?:案例|工单|工單|案件|请求|請求|事件|单子|單子|案子|本单|此单|這張|这张)[^。！？\n]{0,16}(?:关闭|關閉|关掉|關掉|归档|歸檔)|(?:已|将|將|予以|做|先)(?:关闭|關閉)|(?:→|->)\s*(?:已关闭|已關閉|已解决|已解決)|(?:案例|工单|工單|案件|事件|请求|請求)[^。！？\n]{0,24}(?:已解决|已解決)[。.]|(?:将|將|会|會)?(?:自动|自動)(?:关闭|關閉|结案|結案)|close\s*咗|(?:设为|設為|设置为|設定為|标记为|標記為|改为|改為|变更为|變更為)\s*[「“\x22]?(?:已解决|已解決|已关闭|已關閉|已结案|已結案)|(?:状态|狀態)[^。！？\n]{0,10}(?:已解决|已解決|已关闭|已關閉)",
    ),
    (
        "en_close",
        r"(?i)\b(?:clos(?:e|ing)|resolv(?:e|ing)|archiv(?:e|ing))\s+(?:out\s+)?(?:the|this|our|your|that)?\s*(?:case|ticket|request|incident)|(?:case|ticket|request|incident)\b(?:[^.!?\n]|\.\S){0,120}?\b(?:has|have|will|is|was|can|may)\s+(?:now\s+)?(?:been\s+|be\s+)?(?:closed|resolved|solved|archived)|\b(?:set(?:ting)?|chang(?:ed|ing)|mov(?:ed|ing)|mark(?:ed|ing)?)\b[^.\n]{0,40}\b(?:to|as)\s+[\x22“']?(?:solved|resolved|closed)\b|\bclos(?:e|ing|ed)\s+(?:at|per|on)\s+[^.\n]{0,25}\brequest\b|(?:resolved|closed|solved) this (?:request|ticket|case|incident|as)\b|\bmark (?:this|the) (?:request|ticket|case) as|(?:ok|okay|good|fine) to close|close (?:it|this)(?: off| out)?\b|(?:→|->)\s*(?:resolved|closed)",
    ),
];
pub static CLOSES: LazyLock<Vec<Rule>> = LazyLock::new(|| table(CLOSES_TABLE));

/// Support's closing note acknowledges that the fix worked: thanks for the confirmation, glad it
/// works, or a helpdesk resolution code of success.
const ACKNOWLEDGES_FIX_TABLE: &[(&str, &str)] = &[
    (
        "zh_ack_fix",
        r"感谢您?的?(?:确认|確認|反馈|回报|回報)|感謝您?的?(?:確認|回覆與確認|回報|反饋)|确认(?:您的)?问题已|確認(?:您的)?問題已|很高兴|很高興|太好了|客户(?:已)?确认|客戶(?:已)?確認|用户自行解决|用戶自行解決|问题已解决|問題已解決|恢复正常|恢復正常",
    ),
    (
        "en_ack_fix",
        r"(?i)thanks?(?: you)? for (?:confirming|the confirmation)|(?:glad|good|great|pleased|happy) to (?:hear|know|see)|customer (?:has )?confirmed|confirmed (?:that )?(?:the|all|it|this|scanning|shares|mail)|resolution code\s*:\s*(?:solved|resolved|fixed)|resolution\s*:\s*done",
    ),
];
pub static ACKNOWLEDGES_FIX: LazyLock<Vec<Rule>> = LazyLock::new(|| table(ACKNOWLEDGES_FIX_TABLE));

/// The customer withdraws the case, or support closes it at their request without a fix.
const WITHDRAWS_TABLE: &[(&str, &str)] = &[
    (
        "zh_withdraw",
        r"按(?:照)?您的要求|应您的要求|應您的要求|(?:不|唔)(?:准备|準備|打算|再|使|用|需要)(?:再)?(?:在|跟进|跟進|处理|處理|弄|改|做)|先不弄|不弄了|撤销|撤銷|决定不|決定不|不用了|不需要了",
    ),
    (
        "en_withdraw",
        r"(?i)(?:as|per|at) (?:per )?your request|as requested|withdraw|no longer (?:need|required|an issue for us)|won't do|(?:decided|agreed) (?:not to|to (?:replace|rebuild|retire|migrate|move))|not (?:going|planning) to (?:pursue|change|apply)",
    ),
];
pub static WITHDRAWS: LazyLock<Vec<Rule>> = LazyLock::new(|| table(WITHDRAWS_TABLE));

/// What the customer reports after trying something: words of a working outcome, each worth 2,
/// and thanks or "now"/"again", worth 1. Used only when no failure cue fires.
const OUTCOME_TABLE: &[(&str, &str)] = &[
    (
        "zh_outcome",
        r"正常|恢复|恢復|好了|成功|(?:没有|沒有|未|没|沒)再|清空|不见了|不見了|消失了|归零|歸零|没问题|沒問題|搞定|解决|解決|可以\S{0,8}了|都能|能\S{0,8}了|起來了|起来了|处理好|處理好|修好|改好|都是\s*\S{0,8}(?:Running|Ready|READY)",
    ),
    (
        "en_outcome",
        r"(?i)\b(?:works?|working|resolved|fixed|sorted|solved|normal(?:ly)?|clean|healthy|succeed(?:s|ed)?|successful(?:ly)?|that was it|spot on|nailed it|did the trick|all (?:done|good|green|back))\b|\bno (?:more |further |new )?(?:errors?|issues?|problems?|complaints?|failures?|drops?|prompts?)\b|\bnot (?:a single|one|once)\b|\b(?:returns?|shows?|is|are) (?:now )?(?:true|ready|running|started|empty|green|ok)\b|\bback (?:to normal|up|online)\b|\b(?:arrive|arrived|land|landed|print|printed|prints) (?:normally|straight away|every time|fine|again|in seconds)",
    ),
];
pub static OUTCOME: LazyLock<Vec<Rule>> = LazyLock::new(|| table(OUTCOME_TABLE));

/// Weak outcome words: thanks, and "now"/"again" on a state.
const OUTCOME_WEAK_TABLE: &[(&str, &str)] = &[
    ("zh_thanks", r"谢谢|謝謝|感谢|感謝|多谢|多謝"),
    ("en_thanks", r"(?i)\bthank|\bcheers\b|\b(?:now|again)\b"),
];
pub static OUTCOME_WEAK: LazyLock<Vec<Rule>> = LazyLock::new(|| table(OUTCOME_WEAK_TABLE));

/// Support reports it has not heard back: a closure that names no fix.
const NO_REPLY_TABLE: &[(&str, &str)] = &[
    (
        "zh_no_reply",
        r"未(?:收到|得到)(?:您的)?(?:回复|反馈)|没有收到(?:您的)?(?:回复|反馈)|长时间未",
    ),
    (
        "en_no_reply",
        r"(?i)(?:not|haven't|have not|did not|didn't) (?:heard|received|got)(?: back| a reply| any reply| a response)?|no (?:reply|response)|without (?:a |any )?(?:reply|response)",
    ),
];
pub static NO_REPLY: LazyLock<Vec<Rule>> = LazyLock::new(|| table(NO_REPLY_TABLE));

/// Templated follow-ups and receipts that carry no content. The cleaner decides pings by
/// similarity across the corpus; these catch the ones a short thread gives it no peers for.
const PINGS_TABLE: &[(&str, &str)] = &[
    ("zh_follow_up", r"(?m)^来信是想(?:了解|咨询)|进展状况"),
    (
        "en_follow_up",
        r"(?im)^(?:we are|i am|just) (?:following up|checking in)",
    ),
    (
        "zh_receipt",
        r"(?m)^您?(?:上传|发送|提供)?的?(?:日志|文件|信息)?已(?:经)?收到[^。\n]*。?\s*(?:有任何进展会及时与您沟通。?)?$",
    ),
    (
        "en_receipt",
        r"(?i)^(?:thanks?,? )?(?:we|i) (?:have )?received (?:the|your) (?:logs?|files?|data)[^.]*\.?$",
    ),
];
pub static PINGS: LazyLock<Vec<Rule>> = LazyLock::new(|| table(PINGS_TABLE));

/// A follow-up on the case's progress: asks how things stand or notes that nothing came back.
/// With no steps of its own it carries no new information, whatever else it politely offers.
const FOLLOW_UPS_TABLE: &[(&str, &str)] = &[
    (
        "zh_follow_up_any",
        r"跟进|跟進|(?:了解|确认|確認|询问|詢問)一下(?:目前|现在|現在|当前|當前)?的?(?:进展|進展|进度|進度|状况|狀況|情况|情況)|(?:目前|现在|現在|当前|當前)(?:的)?(?:进展|進展|进度|進度|状况|狀況|情况|情況)(?:如何|怎么样|怎麼樣)|(?:请问|請問).{0,30}(?:是否还需要|是否還需要|是否已经|是否已經)|(?:想|来信|來信)(?:了解|确认|確認)(?:一下)?[^。？?\n]{0,40}(?:是否已经|是否已經|是否还|是否還|有没有|有沒有|的?结果|的?結果)|仍未收到|尚未收到|还没有收到|還沒有收到",
    ),
    (
        "en_follow_up_any",
        r"(?i)\b(?:checking in|following up|follow(?:ing)?[- ]up on|just checking|any (?:news|updates?)\b|(?:still )?(?:haven't|have not|hadn't) (?:yet )?heard back|we have not received|(?:wanted|want) to check (?:in|whether|if)|did the (?:maintenance )?window .{0,40}go ahead|(?:do|did) you have (?:an|any) update|is there (?:an|any) update|any progress)",
    ),
];
pub static FOLLOW_UPS: LazyLock<Vec<Rule>> = LazyLock::new(|| table(FOLLOW_UPS_TABLE));

/// Support gives steps to apply.
const PLANS_TABLE: &[(&str, &str)] = &[
    (
        "zh_plan",
        r"请(?:进行|按照|按)以下|以下(?:步骤|方案|操作)|解决方案|解决办法|处理方法|建议(?:您|按照|如下)|行动计划|请您?(?:先)?(?:关闭并|先)?(?:禁用|卸载|安装|更新|修改|重启|升级|删除|配置|导入|续签|新增|调整|注销|执行以下|重建|部署)",
    ),
    (
        "en_plan",
        r"(?i)action plan|(?:please|kindly) (?:try|apply|install|import|update|upgrade|disable|uninstall|remove|grant|enable|rebind|set|change|rebuild|drop|add|follow|raise|increase|configure|edit|adjust|replace|reinstall|reboot|restart|roll back|revert|delete|re-run)|(?:the )?(?:fix|solution|workaround|resolution) (?:is|would be)|here (?:is|are) the (?:steps|fix)|steps to (?:fix|resolve)|to fix (?:this|it)|(?:we|i) (?:recommend|suggest)|next steps?:",
    ),
];
pub static PLANS: LazyLock<Vec<Rule>> = LazyLock::new(|| table(PLANS_TABLE));

/// Support asks the customer to collect, send or check something.
const REQUESTS_TABLE: &[(&str, &str)] = &[
    (
        "zh_request",
        r"[请請].{0,8}(?:收集|提供|上传|上傳|发送|發送|发给|發給|确认|確認|检查|檢查|查看|执行|執行|运行|運行|使用|截图|截圖)|再次收集|重新收集|以下(?:信息|资料|資料|資訊)|使用.{0,30}收集|(?:结果|結果|输出|輸出|截图|截圖|日志|日誌|内容|內容)\s*(?:[请請]\s*)?(?:一并|一併|直接)?(?:发给|發給|发送|發送|回传|回傳|上传|上傳|回复|回覆|贴|貼)|(?:发给|發給|回传给|回傳給)我们|(?:发给|發給)我們|麻[烦煩](?:您|你)?(?:提供|收集|补充|補充)|收集(?:后|後|完)|(?:下次|再次)(?:出现|出現).{0,8}(?:收集|抓)",
    ),
    (
        "en_request",
        r"(?i)(?:please|could you|can you|would you)\s+(?:\w+\s+){0,2}(?:send|collect|upload|provide|attach|run|check|share|export|capture|confirm|verify)|send (?:us|me)\b|send (?:the|its|their) (?:output|results?|logs?|files?)|the output of|to narrow (?:this|it) down|\bupload (?:the|it|them|a|your)\b|\btell (?:us|me)\b|(?:things|data|logs?) to (?:collect|gather)|\b(?:i|we) (?:need|would need) (?:a|an|the|some|more)\b",
    ),
];
pub static REQUESTS: LazyLock<Vec<Rule>> = LazyLock::new(|| table(REQUESTS_TABLE));

/// Support asks for data back: logs, output, screenshots, answers. Narrower than [`REQUESTS`]
/// (no "run" or "check"), so it can tell a list of data to collect from a list of steps.
const DATA_REQUESTS_TABLE: &[(&str, &str)] = &[
    (
        "zh_data_request",
        r"(?:收集|提供|上传|上傳|发给|發給|发送|發送|回传|回傳|截图|截圖|以下(?:信息|资料|資料|資訊))|(?:结果|結果|输出|輸出|日志|日誌)\s*(?:[请請]\s*)?(?:一并|一併|直接)?(?:回复|回覆|贴|貼)",
    ),
    (
        "en_data_request",
        r"(?i)\b(?:send|upload|attach|provide|collect|gather|share|capture|export)\b|\btell (?:us|me)\b|\bthe output of\b|\blet (?:us|me) know (?:which|what|whether|how|the)\b",
    ),
];
pub static DATA_REQUESTS: LazyLock<Vec<Rule>> = LazyLock::new(|| table(DATA_REQUESTS_TABLE));

/// A sentence that asks only if something else happens first (`If it still fails, send…`).
static CONDITIONAL: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?i)^\W*(?:如果|如|若|假如|万一|萬一|要是|否则|否則|if\b|should\b|in case\b|otherwise\b|once\b|after\b)|如果?(?:仍|还|還|依然)|若(?:仍|还|還)|\bif (?:it|this|that|the \w+) (?:still|fails|does not|doesn't|happens)",
    )
});

/// An unconditional request for data in `line`.
fn asks_for_data(line: &str) -> bool {
    fires(&DATA_REQUESTS, line).is_some() && !CONDITIONAL.is_match(line)
}

/// Support explains what the evidence shows.
const ANALYSES_TABLE: &[(&str, &str)] = &[
    (
        "zh_analysis",
        r"分析|发现|日志(?:显示|中|里)|看到|怀疑|原因|导致|由于|因为|说明|表明|崩溃|定位",
    ),
    (
        "en_analysis",
        r"(?i)\b(?:log|logs|dump|trace|events?) (?:shows?|indicates?|contains?)|we (?:found|see|saw|checked|analy[sz]ed)|i (?:found|see|checked|analy[sz]ed|looked)|the (?:crash|failure|error|problem|issue) (?:is|was|comes|happens)|caused by|due to|because|root cause|points to|indicates|appears to|looks like|(?:we|i) suspect|compar(?:ing|ed) (?:with|to)|fails (?:during|with|when)",
    ),
];
pub static ANALYSES: LazyLock<Vec<Rule>> = LazyLock::new(|| table(ANALYSES_TABLE));

/// The name of the first cue of `cues` that fires on `text`, traditional characters folded.
pub fn fires(cues: &'static [Rule], text: &str) -> Option<&'static str> {
    first_match(cues, &fold(text)).map(Rule::name)
}

/// The kind of a message and the name of the rule that decided it. `first` is true for the
/// thread's first message.
pub fn classify(text: &str, role: Role, status_ping: bool, first: bool) -> (Kind, &'static str) {
    match role {
        Role::Customer => customer_kind(text, first),
        Role::Engineer => engineer_kind(text, status_ping),
    }
}

fn customer_kind(text: &str, first: bool) -> (Kind, &'static str) {
    if first {
        return (Kind::Report, "first_message");
    }
    if let Some(rule) = fires(&FAILED, text).or_else(|| fires(&PARTLY_OR_BACK, text)) {
        return (Kind::CustomerUpdate, rule);
    }
    // "We'll try it tomorrow" reports no outcome, unless the message also tells one.
    if let Some(rule) = fires(&PENDING, text) {
        if outcome_score(text) < 3 {
            return (Kind::CustomerUpdate, rule);
        }
    }
    if let Some(rule) = fires(&CONFIRMS, text) {
        return (Kind::Confirmation, rule);
    }
    // A withdrawal often thanks support for following up; what it says is that the case ends.
    if let Some(rule) = fires(&WITHDRAWS, text) {
        return (Kind::Closure, rule);
    }
    if let Some(rule) = follow_up(text) {
        return (Kind::StatusPing, rule);
    }
    // Success in the customer's own words: what they did and that the symptom is gone.
    if outcome_score(text) >= 3 {
        return (Kind::Confirmation, "outcome_words");
    }
    // No rule fired: the model trained on labelled customer messages has the last word on
    // success told in words no table holds.
    if super::learned::CONFIRMS.probability(text) > super::learned::CONFIRMS_ABOVE {
        return (Kind::Confirmation, "learned_confirmation");
    }
    if let Some(rule) = fires(&CLOSES, text) {
        return (Kind::Closure, rule);
    }
    (Kind::CustomerUpdate, "customer_default")
}

/// A short follow-up without steps of its own: a status ping whoever sends it.
fn follow_up(text: &str) -> Option<&'static str> {
    if text.chars().count() > 400 || first_list(text).len() >= 2 {
        return None;
    }
    fires(&FOLLOW_UPS, text)
}

/// How strongly a message reports a working outcome: 2 per distinct strong cue match, 1 per weak.
pub fn outcome_score(text: &str) -> usize {
    let folded = fold(text);
    // A cue whose loose form finds nothing has no match to count ([`crate::prefilter`]).
    let count = |c: &Rule, most: usize| {
        if !c.may_match(&folded) {
            return 0;
        }
        c.regex.find_iter(&folded).count().min(most)
    };
    let strong: usize = OUTCOME.iter().map(|c| count(c, 2)).sum();
    let weak: usize = OUTCOME_WEAK.iter().map(|c| count(c, 1)).sum();
    strong * 2 + weak
}

fn engineer_kind(text: &str, status_ping: bool) -> (Kind, &'static str) {
    // What a message says decides its kind before how templated it looks: a templated closure
    // is a closure.
    if let Some(rule) = fires(&CLOSES, text) {
        return (Kind::Closure, rule);
    }
    if status_ping {
        // The cleaner judges pings by how alike messages are; a support team's stock action
        // plan or stock diagnosis is alike too, yet it carries the case. Steps to apply, or an
        // explanation naming a file or error code, outrank the resemblance — unless it opens
        // like a follow-up.
        if fires(&PINGS, text.trim()).is_some() || follow_up(text).is_some() {
            return (Kind::StatusPing, "cleaner_status_ping");
        }
        if let Some(rule) = fires(&PLANS, text).or_else(|| numbered_steps(text)) {
            if first_list(text).len() >= 2 {
                return (Kind::ActionPlan, rule);
            }
        }
        let e = crate::extract::entities(text);
        if fires(&ANALYSES, text).is_some() && (!e.files.is_empty() || !e.error_codes.is_empty()) {
            return (Kind::Analysis, "analysis_despite_ping");
        }
        return (Kind::StatusPing, "cleaner_status_ping");
    }
    if text.trim().is_empty() {
        return (Kind::StatusPing, "empty");
    }
    if let Some(rule) = fires(&PINGS, text.trim()) {
        return (Kind::StatusPing, rule);
    }
    if let Some(rule) = follow_up(text) {
        return (Kind::StatusPing, rule);
    }
    let plan = fires(&PLANS, text).or_else(|| numbered_steps(text));
    let request = fires(&REQUESTS, text);
    let analysis = fires(&ANALYSES, text);
    match (plan, request, analysis) {
        (Some(rule), _, _) => (Kind::ActionPlan, rule),
        (None, Some(rule), _) => (Kind::InfoRequest, rule),
        (None, None, Some(rule)) => (Kind::Analysis, rule),
        (None, None, None) => (Kind::Analysis, "engineer_default"),
    }
}

/// A numbered list whose introducing line does not ask for data is a list of steps to apply
/// (`Please:`, `You can allow SMTP AUTH for the reports mailbox only:`).
fn numbered_steps(text: &str) -> Option<&'static str> {
    let items = first_list(text);
    if items.len() < 2 {
        return None;
    }
    // Items that ask for data (`Run nwdiag.exe … and upload the zip`, `Tell us which CA …`)
    // make a request list, whatever the introduction says.
    let asking = items.iter().filter(|i| asks_for_data(i)).count();
    if asking * 2 >= items.len() {
        return None;
    }
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let first = lines
        .iter()
        .position(|l| numbered(l).is_some_and(|(n, _)| n == 1))?;
    let intro = lines[..first].iter().rev().find(|l| !l.is_empty());
    // The line after the list can ask for the results too (`收集后上传到案例附件即可。`).
    let after = lines[first..]
        .iter()
        .skip_while(|l| numbered(l).is_some() || l.is_empty())
        .find(|l| !l.is_empty());
    if [intro, after]
        .into_iter()
        .flatten()
        .any(|l| asks_for_data(l))
    {
        return None;
    }
    Some("numbered_steps")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For every cue of every table, a sentence it must fire on (first in its table).
    #[test]
    fn every_cue_fires_on_its_example() {
        type Examples<'a> = &'a [(&'a str, &'a str)];
        let tables: [(&str, &LazyLock<Vec<Rule>>, Examples); 8] = [
            (
                "FAILED",
                &FAILED,
                &[
                    ("zh_still_failing", "按步骤操作后升级还是失败。"),
                    ("en_still_failing", "We applied it but it did not help."),
                ],
            ),
            (
                "CONFIRMS",
                &CONFIRMS,
                &[
                    ("zh_resolved", "問題已解決，感謝協助。"),
                    ("en_resolved", "All jobs completed last night."),
                ],
            ),
            (
                "CLOSES",
                &CLOSES,
                &[
                    ("zh_close", "我将归档此案例。"),
                    ("en_close", "I am closing this case now."),
                ],
            ),
            (
                "NO_REPLY",
                &NO_REPLY,
                &[
                    ("zh_no_reply", "由于长时间未收到您的回复"),
                    ("en_no_reply", "As we have not heard back from you"),
                ],
            ),
            (
                "PINGS",
                &PINGS,
                &[
                    ("zh_follow_up", "许先生 您好：\n来信是想了解测试情况"),
                    (
                        "en_follow_up",
                        "We are following up on the status of this case.",
                    ),
                    ("zh_receipt", "您上传的日志已经收到。"),
                    (
                        "en_receipt",
                        "We have received the logs and will review them.",
                    ),
                ],
            ),
            (
                "PLANS",
                &PLANS,
                &[
                    ("zh_plan", "请按以下步骤处理："),
                    ("en_plan", "Please raise the proxy timeouts:"),
                ],
            ),
            (
                "REQUESTS",
                &REQUESTS,
                &[
                    ("zh_request", "请使用CMGELogCollector.exe收集日志。"),
                    ("en_request", "Could you please send us the setup.log?"),
                ],
            ),
            (
                "ANALYSES",
                &ANALYSES,
                &[
                    ("zh_analysis", "日志显示未能初始化DISM。"),
                    ("en_analysis", "The crash is inside msvcp140.dll."),
                ],
            ),
        ];
        for (table, cues, examples) in tables {
            assert_eq!(cues.len(), examples.len(), "{table}: one example per cue");
            for (cue, example) in examples.iter() {
                assert_eq!(fires(cues, example), Some(*cue), "{table} on {example:?}");
            }
        }
    }

    #[test]
    fn customer_messages() {
        let c = |t, first| customer_kind(t, first);
        assert_eq!(
            c("问题已解决，请关单。", false),
            (Kind::Confirmation, "zh_resolved")
        );
        assert_eq!(
            c("升级还是失败，问题仍未解决。", false),
            (Kind::CustomerUpdate, "zh_still_failing")
        );
        assert_eq!(
            c(
                "We applied it but the jobs still fail with 0x80070005.",
                false
            ),
            (Kind::CustomerUpdate, "en_still_failing")
        );
        assert_eq!(
            c(
                "The agent has been running for two days, so the problem is resolved.",
                false
            ),
            (Kind::Confirmation, "en_resolved")
        );
        assert_eq!(
            c("Please close the case.", false),
            (Kind::Closure, "en_close")
        );
        assert_eq!(
            c("Printing is slow.", true),
            (Kind::Report, "first_message")
        );
        assert_eq!(
            c("Logs attached.", false),
            (Kind::CustomerUpdate, "customer_default")
        );
        assert_eq!(
            c(
                "We rolled it out, but the error persists on two hosts.",
                false
            ),
            (Kind::CustomerUpdate, "en_still_failing")
        );
        assert_eq!(
            c("更新驱动后又蓝屏了。", false),
            (Kind::CustomerUpdate, "zh_still_failing")
        );
        assert_eq!(
            c("更新后一周没有再次出现，问题已解决。", false),
            (Kind::Confirmation, "zh_resolved")
        );
    }

    #[test]
    fn engineer_messages() {
        let e = |t| engineer_kind(t, false);
        assert_eq!(
            e("发现zk_hook.dll。\n请进行以下升级测试：\n1）禁用zkcloud相关应用和服务"),
            (Kind::ActionPlan, "zh_plan")
        );
        assert_eq!(
            e("初步怀疑离线升级镜像有问题。\n请使用powershell命令Get-FileHash校验升级镜像文件的Hash值"),
            (Kind::InfoRequest, "zh_request")
        );
        assert_eq!(
            e("Action plan:\n(1) Install the runtime"),
            (Kind::ActionPlan, "en_plan")
        );
        assert_eq!(
            e("To check the chain, please:\n1. Run nwdiag.exe and upload the zip.\n2. Tell us which CA issued it."),
            (Kind::InfoRequest, "en_request")
        );
        assert_eq!(
            e("The crash is inside msvcp140.dll, which is the old runtime."),
            (Kind::Analysis, "en_analysis")
        );
        assert_eq!(
            e("感谢您的回复，确认您的问题已经解决，我将归档此案例。"),
            (Kind::Closure, "zh_close")
        );
        assert_eq!(
            engineer_kind("来信是想了解进展", true),
            (Kind::StatusPing, "cleaner_status_ping")
        );
        assert_eq!(
            engineer_kind(
                "Please try:\n1. Disable the zkcloud services.\n2. Retry the upgrade.",
                true
            ),
            (Kind::ActionPlan, "en_plan")
        );
        assert_eq!(
            engineer_kind(
                "Comparing with a healthy system, vss.log fails with 0x8024200D. We suspect zkcloud.",
                true
            ),
            (Kind::Analysis, "analysis_despite_ping")
        );
        assert_eq!(
            e("来信是想咨询当前案例进展状况。最终用户测试升级情况如何？"),
            (Kind::StatusPing, "zh_follow_up")
        );
        assert_eq!(
            e("您上传的日志已经收到，有任何进展会及时与您沟通。"),
            (Kind::StatusPing, "zh_receipt")
        );
    }
}
