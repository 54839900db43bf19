//! A fresh Chinese export (not in the corpus) through the real pipeline: the customer's first
//! mail is missing, support proposes a fix, the customer goes silent and support closes the
//! case. The case is unresolved, closed, with the problem taken from support's restatement and
//! no resolution.

use casebook::model::{Kind, Role, Status};

const EXPORT: &str = "邮件主题：回复: [案例号: CAS-40002-QW12ER ] % |P4|SZGAS|门户登录页面加载缓慢 % 初次响应 CMIT:0004410

====第1封邮件====

发件人：周晓
发送时间：2024-05-06 09:30:00.000000+00:00
邮件内容:
陈工 您好：
感谢您今天上午的来电。根据您的描述，自5月3日起门户登录页面打开需要40秒以上，其他页面正常。
请您协助提供以下信息：
1. 门户服务器上的 portal.log
2. 在客户端执行 nslookup portal.szgas.example 的结果截图

====第2封邮件====

发件人：陈立
发送时间：2024-05-07 10:00:00.000000+00:00
邮件内容:
周工 您好：
日志已上传到FTP，文件名为 szgas-portal-0507.zip。
谢谢！

====第3封邮件====

发件人：周晓
发送时间：2024-05-08 15:00:00.000000+00:00
邮件内容:
陈工 您好：
portal.log 显示每次登录都要等待 LDAP 连接 ldap01 超时 30 秒后才切换到 ldap02，怀疑 ldap01 已下线但仍在配置中。
建议按以下步骤处理：
1）在门户管理台 认证设置 中删除 ldap01。
2）重启门户服务。

====第4封邮件====

发件人：周晓
发送时间：2024-05-13 09:00:00.000000+00:00
邮件内容:
陈工 您好：
来信是想了解当前案例进展状况。请您与最终用户沟通测试情况。
如果针对当前案例还有需要我们帮助的地方, 欢迎随时联系我们。

====第5封邮件====

发件人：周晓
发送时间：2024-05-20 09:00:00.000000+00:00
邮件内容:
陈工 您好：
由于长时间未收到您的回复，我们将关闭此案例。如问题仍然存在，欢迎随时联系我们。
";

#[test]
fn silent_customer_gives_an_unresolved_closed_case() {
    let out = crate::support::export::published_cases("zh-portal-ldap.txt", EXPORT);
    assert_eq!(out.len(), 1);
    let c = &out[0];
    assert_eq!(c.id, "CAS-40002-QW12ER");
    assert_eq!(c.title, "门户登录页面加载缓慢");
    assert_eq!(
        (c.customer.as_deref(), c.priority.as_deref()),
        (Some("SZGAS"), Some("P4"))
    );
    assert_eq!(c.language, "zh");
    assert_eq!(c.status, Status::Unresolved);
    assert_eq!(c.closed, c.messages[4].date);
    let roles: Vec<Role> = c.messages.iter().map(|m| m.role).collect();
    use Role::{Customer as C, Engineer as E};
    assert_eq!(roles, [E, C, E, E, E]);
    let kinds: Vec<Kind> = c.messages.iter().map(|m| m.kind).collect();
    assert_eq!(
        kinds,
        [
            Kind::InfoRequest,
            Kind::CustomerUpdate,
            Kind::ActionPlan,
            Kind::StatusPing,
            Kind::Closure
        ]
    );
    assert_eq!(
        c.problem,
        "门户登录页面加载缓慢\n根据您的描述，自5月3日起门户登录页面打开需要40秒以上，其他页面正常。"
    );
    assert_eq!(c.resolution, "");
    assert!(c.steps.is_empty());
    assert_eq!(
        c.cause,
        "portal.log 显示每次登录都要等待 LDAP 连接 ldap01 超时 30 秒后才切换到 ldap02，怀疑 ldap01 已下线但仍在配置中。"
    );
    assert_eq!(
        c.diagnostics,
        [
            "请您协助提供以下信息：",
            "1. 门户服务器上的 portal.log",
            "2. 在客户端执行 nslookup portal.szgas.example 的结果截图"
        ]
    );
    let json = serde_json::to_string(c).unwrap();
    for name in ["周晓", "陈立", "陈工", "周工"] {
        assert!(!json.contains(name), "{name} published");
    }
}
