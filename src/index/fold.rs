//! Traditional → Simplified folding, the one table every stage shares: the analyzer folds each
//! character before jieba ([`simplified`]), the segmenter and extractor fold a text before their
//! phrase tables ([`simplified_text`]). A table of the traditional characters common in support
//! mail (IT, banking, hospital and office vocabulary), one character to one character so offsets
//! are unchanged.
//!
//! jieba's dictionary is simplified, so `瘦客戶端開機無法連線` only segments (and matches a query
//! typed in simplified characters) after folding. The table is deliberately small and
//! unambiguous: characters whose simplified form merges two meanings in a way that would hurt
//! search (`乾`/`幹` → `干`, `髮` → `发`, `覆` → `复`) are left out. Where such a character is
//! unambiguous inside a word, the word goes in [`PHRASES`] instead, which only
//! [`simplified_text`] applies.

/// `(traditional, simplified)`, sorted by the traditional character for binary search.
const TABLE: &[(char, char)] = &[
    ('並', '并'),
    ('亂', '乱'),
    ('佈', '布'),
    ('來', '来'),
    ('個', '个'),
    ('們', '们'),
    ('備', '备'),
    ('傳', '传'),
    ('價', '价'),
    ('億', '亿'),
    ('優', '优'),
    ('儲', '储'),
    ('內', '内'),
    ('刪', '删'),
    ('則', '则'),
    ('劃', '划'),
    ('劑', '剂'),
    ('動', '动'),
    ('務', '务'),
    ('勢', '势'),
    ('區', '区'),
    ('協', '协'),
    ('參', '参'),
    ('叢', '丛'),
    ('員', '员'),
    ('問', '问'),
    ('啟', '启'),
    ('單', '单'),
    ('圍', '围'),
    ('團', '团'),
    ('執', '执'),
    ('報', '报'),
    ('塊', '块'),
    ('壓', '压'),
    ('壞', '坏'),
    ('夾', '夹'),
    ('實', '实'),
    ('寫', '写'),
    ('寬', '宽'),
    ('將', '将'),
    ('專', '专'),
    ('對', '对'),
    ('導', '导'),
    ('層', '层'),
    ('屬', '属'),
    ('帳', '账'),
    ('帶', '带'),
    ('庫', '库'),
    ('廣', '广'),
    ('彈', '弹'),
    ('後', '后'),
    ('徑', '径'),
    ('從', '从'),
    ('復', '复'),
    ('態', '态'),
    ('慣', '惯'),
    ('憑', '凭'),
    ('憶', '忆'),
    ('應', '应'),
    ('懷', '怀'),
    ('戶', '户'),
    ('換', '换'),
    ('擇', '择'),
    ('擊', '击'),
    ('據', '据'),
    ('擬', '拟'),
    ('擴', '扩'),
    ('數', '数'),
    ('斷', '断'),
    ('於', '于'),
    ('時', '时'),
    ('書', '书'),
    ('會', '会'),
    ('東', '东'),
    ('條', '条'),
    ('業', '业'),
    ('極', '极'),
    ('構', '构'),
    ('標', '标'),
    ('樣', '样'),
    ('機', '机'),
    ('檔', '档'),
    ('檢', '检'),
    ('權', '权'),
    ('歷', '历'),
    ('歸', '归'),
    ('氣', '气'),
    ('決', '决'),
    ('沒', '没'),
    ('況', '况'),
    ('測', '测'),
    ('準', '准'),
    ('溫', '温'),
    ('濟', '济'),
    ('濾', '滤'),
    ('瀏', '浏'),
    ('灣', '湾'),
    ('為', '为'),
    ('無', '无'),
    ('營', '营'),
    ('狀', '状'),
    ('現', '现'),
    ('環', '环'),
    ('產', '产'),
    ('異', '异'),
    ('當', '当'),
    ('發', '发'),
    ('監', '监'),
    ('確', '确'),
    ('碼', '码'),
    ('穩', '稳'),
    ('節', '节'),
    ('範', '范'),
    ('簡', '简'),
    ('簽', '签'),
    ('紀', '纪'),
    ('紅', '红'),
    ('級', '级'),
    ('終', '终'),
    ('組', '组'),
    ('結', '结'),
    ('絡', '络'),
    ('給', '给'),
    ('統', '统'),
    ('綁', '绑'),
    ('經', '经'),
    ('綠', '绿'),
    ('維', '维'),
    ('網', '网'),
    ('緊', '紧'),
    ('線', '线'),
    ('編', '编'),
    ('緩', '缓'),
    ('縮', '缩'),
    ('總', '总'),
    ('續', '续'),
    ('罰', '罚'),
    ('義', '义'),
    ('習', '习'),
    ('聲', '声'),
    ('腦', '脑'),
    ('臺', '台'),
    ('與', '与'),
    ('舉', '举'),
    ('舊', '旧'),
    ('萬', '万'),
    ('藍', '蓝'),
    ('處', '处'),
    ('虛', '虚'),
    ('號', '号'),
    ('螢', '萤'),
    ('術', '术'),
    ('衝', '冲'),
    ('補', '补'),
    ('裝', '装'),
    ('規', '规'),
    ('視', '视'),
    ('覽', '览'),
    ('觀', '观'),
    ('觸', '触'),
    ('訂', '订'),
    ('計', '计'),
    ('訊', '讯'),
    ('記', '记'),
    ('設', '设'),
    ('許', '许'),
    ('詢', '询'),
    ('試', '试'),
    ('該', '该'),
    ('誌', '志'),
    ('認', '认'),
    ('語', '语'),
    ('誤', '误'),
    ('說', '说'),
    ('調', '调'),
    ('談', '谈'),
    ('請', '请'),
    ('論', '论'),
    ('謝', '谢'),
    ('證', '证'),
    ('譯', '译'),
    ('議', '议'),
    ('護', '护'),
    ('讀', '读'),
    ('變', '变'),
    ('讓', '让'),
    ('負', '负'),
    ('財', '财'),
    ('貨', '货'),
    ('買', '买'),
    ('費', '费'),
    ('資', '资'),
    ('賣', '卖'),
    ('購', '购'),
    ('蹤', '踪'),
    ('軟', '软'),
    ('載', '载'),
    ('輔', '辅'),
    ('輪', '轮'),
    ('輸', '输'),
    ('轉', '转'),
    ('這', '这'),
    ('連', '连'),
    ('進', '进'),
    ('運', '运'),
    ('過', '过'),
    ('達', '达'),
    ('遷', '迁'),
    ('選', '选'),
    ('還', '还'),
    ('邊', '边'),
    ('郵', '邮'),
    ('醫', '医'),
    ('銀', '银'),
    ('銷', '销'),
    ('錄', '录'),
    ('錯', '错'),
    ('錶', '表'),
    ('鍵', '键'),
    ('鎖', '锁'),
    ('鏈', '链'),
    ('鐘', '钟'),
    ('鑰', '钥'),
    ('長', '长'),
    ('門', '门'),
    ('閉', '闭'),
    ('開', '开'),
    ('間', '间'),
    ('閘', '闸'),
    ('關', '关'),
    ('隊', '队'),
    ('階', '阶'),
    ('際', '际'),
    ('隨', '随'),
    ('險', '险'),
    ('雙', '双'),
    ('雜', '杂'),
    ('難', '难'),
    ('雲', '云'),
    ('電', '电'),
    ('韌', '韧'),
    ('響', '响'),
    ('頁', '页'),
    ('項', '项'),
    ('須', '须'),
    ('預', '预'),
    ('頓', '顿'),
    ('頭', '头'),
    ('頻', '频'),
    ('題', '题'),
    ('顯', '显'),
    ('風', '风'),
    ('餘', '余'),
    ('驅', '驱'),
    ('驗', '验'),
    ('驟', '骤'),
    ('體', '体'),
    ('鬆', '松'),
    ('麗', '丽'),
    ('麼', '么'),
    ('黃', '黄'),
    ('點', '点'),
];

/// Words whose traditional form holds a character [`TABLE`] leaves out on purpose, with their
/// simplified form: `覆` is "cover" in `覆盖` but "reply" in `回覆`, where it is `复`. Each pair
/// has as many characters on both sides, all three bytes in UTF-8, so offsets are unchanged.
const PHRASES: &[(&str, &str)] = &[("回覆", "回复"), ("答覆", "答复")];

/// The simplified form of `c`, or `c` itself.
pub fn simplified(c: char) -> char {
    TABLE
        .binary_search_by_key(&c, |&(t, _)| t)
        .map_or(c, |i| TABLE[i].1)
}

/// `text` with every character of [`TABLE`] and every word of [`PHRASES`] folded, for matching
/// phrase tables written in simplified characters; byte offsets are unchanged.
pub fn simplified_text(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| if c.is_ascii() { c } else { simplified(c) })
        .collect();
    for (traditional, simple) in PHRASES {
        if out.contains(traditional) {
            out = out.replace(traditional, simple);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_folds() {
        assert!(TABLE.windows(2).all(|w| w[0].0 < w[1].0));
        let folded: String = "瘦客戶端開機無法連線管理伺服器"
            .chars()
            .map(simplified)
            .collect();
        assert_eq!(folded, "瘦客户端开机无法连线管理伺服器");
    }

    #[test]
    fn phrases_fold_where_the_character_alone_does_not() {
        assert!(PHRASES
            .iter()
            .all(|(t, s)| t.len() == s.len() && t.chars().count() == s.chars().count()));
        let text = "請回覆：覆蓋安裝後問題已解決";
        assert_eq!(simplified_text(text), "请回复：覆蓋安装后问题已解决");
        assert_eq!(simplified_text(text).len(), text.len());
        assert_eq!(simplified('覆'), '覆');
    }
}
