//! The public extraction API on support-mail sentences: `entities`, `title`, `priority`,
//! `customer`.

use casebook::extract::{customer, entities, priority, title};

#[test]
fn english_mail_entities() {
    let e = entities(
        "Since KB5025221 was installed on Windows Server 2019, NwAgent 8.4.1 stops with Event ID \
         7031. Faulting module msvcp140.dll, exception code 0xc0000005. Please run \
         Get-EventLog -LogName Application and sfc /scannow, then systemctl restart nwagent. \
         Image hash 9e107d9d372bb6826bd81d3542a419d6, notes at https://kb.northwind.example/a/7031.",
    );
    assert_eq!(e.kb, ["KB5025221"]);
    assert_eq!(e.versions, ["8.4.1", "Windows Server 2019"]);
    assert_eq!(e.error_codes, ["0xc0000005", "7031", "Event ID 7031"]);
    assert_eq!(e.files, ["msvcp140.dll"]);
    assert_eq!(
        e.commands,
        [
            "Get-EventLog",
            "Get-EventLog -LogName Application",
            "sfc /scannow",
            "systemctl restart nwagent"
        ]
    );
    assert_eq!(e.hashes, ["9e107d9d372bb6826bd81d3542a419d6"]);
    assert_eq!(e.urls, ["https://kb.northwind.example/a/7031"]);
}

#[test]
fn chinese_mail_entities() {
    let e = entities(
        "数据库报 ORA-00600，告警日志 alert_HXDM.log 中有 TNS-12535。\n\
         请执行 dism /online /cleanup-image /restorehealth 并安装 HXUsbRedirect-3.1.5.msi，\
         蓝屏代码 DRIVER_IRQL_NOT_LESS_OR_EQUAL。",
    );
    assert_eq!(
        e.error_codes,
        ["DRIVER_IRQL_NOT_LESS_OR_EQUAL", "ORA-00600", "TNS-12535"]
    );
    assert_eq!(e.files, ["HXUsbRedirect-3.1.5.msi", "alert_HXDM.log"]);
    assert_eq!(e.commands, ["dism /online /cleanup-image /restorehealth"]);
    assert!(e.versions.is_empty());
}

#[test]
fn subject_slots_and_title() {
    let s = "回复: 回复:【外来邮件，注意核实】回复: [案例号: CAS-06616-G5Z4X1 ] % |P2|ICBC|工行广东分行升级失败 % 初次响应 CMIT:0001374";
    assert_eq!(title(s), "工行广东分行升级失败");
    assert_eq!(priority(s).as_deref(), Some("P2"));
    assert_eq!(customer(s).as_deref(), Some("ICBC"));
    let e = entities(s);
    assert_eq!(e.case_ids, ["CAS-06616-G5Z4X1"]);
}
