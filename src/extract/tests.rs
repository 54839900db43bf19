//! Entity rules on inline sentences.

use super::*;

/// One sentence per rule and the value that rule must find in it.
const EXAMPLES: &[(&str, &str, &str)] = &[
    ("case_id", "见案例 CAS-06616-G5Z4X1。", "CAS-06616-G5Z4X1"),
    (
        "url",
        "see https://kb.example/a?id=1。",
        "https://kb.example/a?id=1",
    ),
    (
        "hex_digest",
        "md5 9e107d9d372bb6826bd81d3542a419d6",
        "9e107d9d372bb6826bd81d3542a419d6",
    ),
    ("kb_number", "安装KB5005565后", "KB5005565"),
    ("file_name", "加载了zk_hook.dll文件", "zk_hook.dll"),
    ("hresult", "错误 0x80070005。", "0x80070005"),
    ("event_id", "事件ID：7031", "Event ID 7031"),
    ("oracle_error", "报 ORA-00600 错误", "ORA-00600"),
    (
        "stop_code",
        "stop code CRITICAL_PROCESS_DIED.",
        "CRITICAL_PROCESS_DIED",
    ),
    ("product_error", "客户端提示 HX-4012。", "HX-4012"),
    ("numbered_error", "服务启动报错误 1053。", "1053"),
    (
        "windows_version",
        "on Windows Server 2019 hosts",
        "Windows Server 2019",
    ),
    ("product_version", "升级V2020-L失败", "V2020-L"),
    ("dotted_version", "agent v8.4.1, runtime 14.36.", "8.4.1"),
    ("product", "a SQL Server 2019 instance", "SQL Server 2019"),
    ("path", "挂载点 /etc/fstab 里", "/etc/fstab"),
    ("smtp_status", "bounced with 530 5.7.57 today", "530 5.7.57"),
    ("sql_message", "fails with Msg 7302, Level 16", "Msg 7302"),
    ("http_status", "upload gets HTTP 413 back", "HTTP 413"),
    (
        "error_state",
        "pods stuck in ImagePullBackOff again",
        "ImagePullBackOff",
    ),
    (
        "exception",
        "throws SendAsDeniedException when",
        "SendAsDeniedException",
    ),
    (
        "exit_status",
        "code=exited, status=203/EXEC",
        "status=203/EXEC",
    ),
    (
        "device_log",
        "log shows IKE/4/IKE_PEER_DOWN then",
        "IKE/4/IKE_PEER_DOWN",
    ),
    ("release_tag", "升级到 CU18 之后", "CU18"),
    ("update_version", "vCenter 7.0 U3h appliance", "7.0 U3h"),
    ("suffixed_release", "升到 OpenSSH 9.6p1 以后", "9.6p1"),
    ("os_version", "two RHEL 8.6 hosts", "RHEL 8.6"),
    ("labelled_version", "Version 2401 (Build 17231)", "2401"),
    ("named_version", "the MKP 2.4 package", "MKP 2.4"),
    (
        "cli_tool",
        "登录后执行 esxcli network ip interface list 查看",
        "esxcli network ip interface list",
    ),
    (
        "network_cli",
        "<HZ-Core>display interface brief",
        "display interface brief",
    ),
    (
        "prompt_command",
        "[root@db01 ~]# lsblk -f /dev/sdb",
        "lsblk -f /dev/sdb",
    ),
    (
        "named_file",
        "附件是 sync_status.out，请查看",
        "sync_status.out",
    ),
    (
        "sql_command",
        "run DBCC CHECKDB (ERP) WITH NO_INFOMSGS",
        "DBCC CHECKDB",
    ),
    ("ps_cmdlet", "执行Get-FileHash获取", "Get-FileHash"),
    (
        "systemd",
        "run systemctl restart hxgateway.",
        "systemctl restart hxgateway",
    ),
    (
        "switch_tool",
        "执行 w32tm /query /status，然后",
        "w32tm /query /status",
    ),
    (
        "subcommand_tool",
        "run vssadmin list writers now",
        "vssadmin list writers",
    ),
];

#[test]
fn every_rule_finds_its_example() {
    for rule in RULES.iter().map(|r| &r.rule) {
        let Some((_, text, value)) = EXAMPLES.iter().find(|(n, _, _)| *n == rule.name) else {
            panic!("rule {} has no example", rule.name);
        };
        let found = matches(text);
        assert!(
            found
                .iter()
                .any(|f| f.rule == rule.name && f.value == *value),
            "{}: {found:?}",
            rule.name
        );
    }
    assert_eq!(EXAMPLES.len(), RULES.len());
}

#[test]
fn sample_sentences_give_files_commands_versions_and_hash() {
    let e = entities(
        "查看升级失败的procmon日志，可以看到升级程序setuphost.exe加载了zk_hook.dll文件。\n\
         而测试正常离线升级的日志显示此时加载dismapi.dll初始化DISM。\n\
         2）执行powershell 命令 Get-FileHash V2020-L(xxxxxx).iso 获取对应的Hash值\n\
         sha256: C6989F6BB1DDB66023776F00EBB120B2258DD5F7FB891C18C9D172BB9C8CFAB7",
    );
    assert_eq!(e.files, ["dismapi.dll", "setuphost.exe", "zk_hook.dll"]);
    assert_eq!(
        e.commands,
        [
            "Get-FileHash",
            "Get-FileHash V2020-L(xxxxxx).iso",
            "powershell"
        ]
    );
    assert_eq!(e.versions, ["V2020-L"]);
    assert_eq!(
        e.hashes,
        ["C6989F6BB1DDB66023776F00EBB120B2258DD5F7FB891C18C9D172BB9C8CFAB7"]
    );
}

#[test]
fn error_codes_of_every_family() {
    let e = entities(
        "Backup fails with 0x80070005; the System log has Event ID: 1001 and 事件ID 7031. \
         The database says ORA-00600 and the host stopped with CRITICAL_PROCESS_DIED.",
    );
    assert_eq!(
        e.error_codes,
        [
            "0x80070005",
            "1001",
            "7031",
            "CRITICAL_PROCESS_DIED",
            "Event ID 1001",
            "Event ID 7031",
            "ORA-00600",
            "事件ID 7031"
        ]
    );
}

#[test]
fn versions_skip_ip_addresses_and_keep_windows_releases() {
    let e = entities(
        "Upgrade from 11.2.3 to 5.2 on Windows Server 2019 (host 10.0.0.12), agent v8.4.1.",
    );
    assert_eq!(
        e.versions,
        ["11.2.3", "5.2", "8.4.1", "Windows Server 2019", "v8.4.1"]
    );
    assert_eq!(e.products, ["Windows Server 2019"]);
}

#[test]
fn releases_with_their_suffixes() {
    let e = entities("OpenSSH 9.6p1 on SLES 15 SP6, PHP 2.4.6-p4, JRE 1.8.0_292, GUI 7.70 PL9.");
    for want in ["9.6p1", "15 SP6", "2.4.6-p4", "1.8.0_292", "7.70 PL9"] {
        assert!(
            e.versions.iter().any(|v| v == want),
            "{want} not in {:?}",
            e.versions
        );
    }
}

#[test]
fn commands_kb_and_urls() {
    let e = entities(
        "Run sfc /scannow, then DISM /Online /Cleanup-Image /RestoreHealth and \
         systemctl restart nginx. Install KB5005565 from https://support.example/kb/5005565.",
    );
    assert_eq!(
        e.commands,
        [
            "DISM /Online /Cleanup-Image /RestoreHealth",
            "sfc /scannow",
            "systemctl restart nginx"
        ]
    );
    assert_eq!(e.kb, ["KB5005565"]);
    assert_eq!(e.urls, ["https://support.example/kb/5005565"]);
    assert!(e.versions.is_empty());
}

#[test]
fn corpus_style_codes_and_subcommands() {
    let e = entities(
        "克隆任务报错 HX-5031，服务启动报 错误 1053，KRB_AP_ERR_SKEW 失败代码 0x25。\n\
         执行 sc start HXAgent 后运行 vssadmin list writers，再执行 w32tm /resync /force。\n\
         Oracle 19.3.0.0，客户端 6.2.0.1187，日志 HXDM_ora_21877.trc",
    );
    assert_eq!(
        e.error_codes,
        ["0x25", "1053", "HX-5031", "KRB_AP_ERR_SKEW"]
    );
    assert_eq!(
        e.commands,
        [
            "sc start HXAgent",
            "vssadmin list writers",
            "w32tm /resync /force"
        ]
    );
    assert_eq!(e.versions, ["19.3.0.0", "6.2.0.1187", "Oracle 19.3.0.0"]);
    assert_eq!(e.files, ["HXDM_ora_21877.trc"]);
}

#[test]
fn matches_name_the_rule_that_fired() {
    let found = matches("see setup.log");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].rule, "file_name");
    assert_eq!(found[0].value, "setup.log");
}

#[test]
fn a_teams_own_tools_and_products_are_found_like_the_built_in_ones() {
    let inv = Inventory::new(&["hxctl".to_string()], &["HX Gateway".to_string()]);
    let e = inv.entities("执行 hxctl restart gw01 后，HX Gateway 5.4 恢复。");
    assert_eq!(e.commands, ["hxctl restart gw01"]);
    assert_eq!(e.products, ["HX Gateway"]);
    assert!(Inventory::default()
        .entities("hxctl restart")
        .commands
        .is_empty());
}
