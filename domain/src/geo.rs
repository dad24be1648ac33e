//! Places and sectors: the Japanese prefectures where employers are, the Indian
//! states and union territories where engineers are, and the industry sectors
//! that connect them, each with English, Japanese and Hindi display names.
//!
//! The codes are stable identifiers meant for storage and URLs; the names are
//! for display only.

use serde::{Deserialize, Serialize};

/// A trilingual display name: English, Japanese and Hindi.
///
/// The type is called `PlaceName` for historical reasons; it is also used for
/// the display names of [`Sector`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlaceName {
    /// The English name.
    pub en: &'static str,
    /// The Japanese name.
    pub ja: &'static str,
    /// The Hindi name, in Devanagari.
    pub hi: &'static str,
}

impl PlaceName {
    /// The name in the language with the given code: `ja` for Japanese, `hi`
    /// for Hindi, and English for `en` or any other code.
    pub fn in_language(&self, code: &str) -> &'static str {
        match code {
            "ja" => self.ja,
            "hi" => self.hi,
            _ => self.en,
        }
    }
}

/// A prefecture of Japan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Prefecture {
    /// A lowercase ascii slug of the English name, e.g. `tokyo`.
    pub code: &'static str,
    /// The display name; the Japanese name is the full official name with its
    /// suffix (都, 道, 府 or 県).
    pub name: PlaceName,
}

/// Shorthand for a [`PlaceName`] in the tables of this module.
const fn trilingual(en: &'static str, ja: &'static str, hi: &'static str) -> PlaceName {
    PlaceName { en, ja, hi }
}

/// All 47 prefectures of Japan, in JIS X 0401 order (01 Hokkaido to
/// 47 Okinawa).
pub const PREFECTURES: [Prefecture; 47] = [
    Prefecture {
        code: "hokkaido",
        name: trilingual("Hokkaido", "北海道", "होक्काइदो"),
    },
    Prefecture {
        code: "aomori",
        name: trilingual("Aomori", "青森県", "आओमोरी"),
    },
    Prefecture {
        code: "iwate",
        name: trilingual("Iwate", "岩手県", "इवाते"),
    },
    Prefecture {
        code: "miyagi",
        name: trilingual("Miyagi", "宮城県", "मियागी"),
    },
    Prefecture {
        code: "akita",
        name: trilingual("Akita", "秋田県", "आकिता"),
    },
    Prefecture {
        code: "yamagata",
        name: trilingual("Yamagata", "山形県", "यामागाता"),
    },
    Prefecture {
        code: "fukushima",
        name: trilingual("Fukushima", "福島県", "फ़ुकुशिमा"),
    },
    Prefecture {
        code: "ibaraki",
        name: trilingual("Ibaraki", "茨城県", "इबाराकी"),
    },
    Prefecture {
        code: "tochigi",
        name: trilingual("Tochigi", "栃木県", "तोचिगी"),
    },
    Prefecture {
        code: "gunma",
        name: trilingual("Gunma", "群馬県", "गुन्मा"),
    },
    Prefecture {
        code: "saitama",
        name: trilingual("Saitama", "埼玉県", "साइतामा"),
    },
    Prefecture {
        code: "chiba",
        name: trilingual("Chiba", "千葉県", "चिबा"),
    },
    Prefecture {
        code: "tokyo",
        name: trilingual("Tokyo", "東京都", "टोक्यो"),
    },
    Prefecture {
        code: "kanagawa",
        name: trilingual("Kanagawa", "神奈川県", "कानागावा"),
    },
    Prefecture {
        code: "niigata",
        name: trilingual("Niigata", "新潟県", "निइगाता"),
    },
    Prefecture {
        code: "toyama",
        name: trilingual("Toyama", "富山県", "तोयामा"),
    },
    Prefecture {
        code: "ishikawa",
        name: trilingual("Ishikawa", "石川県", "इशिकावा"),
    },
    Prefecture {
        code: "fukui",
        name: trilingual("Fukui", "福井県", "फ़ुकुई"),
    },
    Prefecture {
        code: "yamanashi",
        name: trilingual("Yamanashi", "山梨県", "यामानाशी"),
    },
    Prefecture {
        code: "nagano",
        name: trilingual("Nagano", "長野県", "नागानो"),
    },
    Prefecture {
        code: "gifu",
        name: trilingual("Gifu", "岐阜県", "गिफ़ु"),
    },
    Prefecture {
        code: "shizuoka",
        name: trilingual("Shizuoka", "静岡県", "शिज़ुओका"),
    },
    Prefecture {
        code: "aichi",
        name: trilingual("Aichi", "愛知県", "आइची"),
    },
    Prefecture {
        code: "mie",
        name: trilingual("Mie", "三重県", "मिए"),
    },
    Prefecture {
        code: "shiga",
        name: trilingual("Shiga", "滋賀県", "शिगा"),
    },
    Prefecture {
        code: "kyoto",
        name: trilingual("Kyoto", "京都府", "क्योटो"),
    },
    Prefecture {
        code: "osaka",
        name: trilingual("Osaka", "大阪府", "ओसाका"),
    },
    Prefecture {
        code: "hyogo",
        name: trilingual("Hyogo", "兵庫県", "ह्योगो"),
    },
    Prefecture {
        code: "nara",
        name: trilingual("Nara", "奈良県", "नारा"),
    },
    Prefecture {
        code: "wakayama",
        name: trilingual("Wakayama", "和歌山県", "वाकायामा"),
    },
    Prefecture {
        code: "tottori",
        name: trilingual("Tottori", "鳥取県", "तोत्तोरी"),
    },
    Prefecture {
        code: "shimane",
        name: trilingual("Shimane", "島根県", "शिमाने"),
    },
    Prefecture {
        code: "okayama",
        name: trilingual("Okayama", "岡山県", "ओकायामा"),
    },
    Prefecture {
        code: "hiroshima",
        name: trilingual("Hiroshima", "広島県", "हिरोशिमा"),
    },
    Prefecture {
        code: "yamaguchi",
        name: trilingual("Yamaguchi", "山口県", "यामागुची"),
    },
    Prefecture {
        code: "tokushima",
        name: trilingual("Tokushima", "徳島県", "तोकुशिमा"),
    },
    Prefecture {
        code: "kagawa",
        name: trilingual("Kagawa", "香川県", "कागावा"),
    },
    Prefecture {
        code: "ehime",
        name: trilingual("Ehime", "愛媛県", "एहिमे"),
    },
    Prefecture {
        code: "kochi",
        name: trilingual("Kochi", "高知県", "कोची"),
    },
    Prefecture {
        code: "fukuoka",
        name: trilingual("Fukuoka", "福岡県", "फ़ुकुओका"),
    },
    Prefecture {
        code: "saga",
        name: trilingual("Saga", "佐賀県", "सागा"),
    },
    Prefecture {
        code: "nagasaki",
        name: trilingual("Nagasaki", "長崎県", "नागासाकी"),
    },
    Prefecture {
        code: "kumamoto",
        name: trilingual("Kumamoto", "熊本県", "कुमामोतो"),
    },
    Prefecture {
        code: "oita",
        name: trilingual("Oita", "大分県", "ओइता"),
    },
    Prefecture {
        code: "miyazaki",
        name: trilingual("Miyazaki", "宮崎県", "मियाज़ाकी"),
    },
    Prefecture {
        code: "kagoshima",
        name: trilingual("Kagoshima", "鹿児島県", "कागोशिमा"),
    },
    Prefecture {
        code: "okinawa",
        name: trilingual("Okinawa", "沖縄県", "ओकिनावा"),
    },
];

/// The prefecture with the given code, if there is one.
pub fn prefecture(code: &str) -> Option<&'static Prefecture> {
    let all: &'static [Prefecture; 47] = &PREFECTURES;
    all.iter().find(|p| p.code == code)
}

/// A state or union territory of India.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IndianState {
    /// The ISO 3166-2:IN subdivision code without the `IN-` prefix, in
    /// lowercase, e.g. `ka` for Karnataka. Telangana is `tg`.
    pub code: &'static str,
    /// The display name; in Japanese, states carry the suffix 州 and union
    /// territories are written bare (デリー).
    pub name: PlaceName,
}

/// All 28 states and 8 union territories of India, in alphabetical order of
/// their English names.
pub const INDIAN_STATES: [IndianState; 36] = [
    IndianState {
        code: "an",
        name: trilingual(
            "Andaman and Nicobar Islands",
            "アンダマン・ニコバル諸島",
            "अंडमान और निकोबार द्वीपसमूह",
        ),
    },
    IndianState {
        code: "ap",
        name: trilingual("Andhra Pradesh", "アーンドラ・プラデーシュ州", "आंध्र प्रदेश"),
    },
    IndianState {
        code: "ar",
        name: trilingual(
            "Arunachal Pradesh",
            "アルナーチャル・プラデーシュ州",
            "अरुणाचल प्रदेश",
        ),
    },
    IndianState {
        code: "as",
        name: trilingual("Assam", "アッサム州", "असम"),
    },
    IndianState {
        code: "br",
        name: trilingual("Bihar", "ビハール州", "बिहार"),
    },
    IndianState {
        code: "ch",
        name: trilingual("Chandigarh", "チャンディーガル", "चंडीगढ़"),
    },
    IndianState {
        code: "cg",
        name: trilingual("Chhattisgarh", "チャッティースガル州", "छत्तीसगढ़"),
    },
    IndianState {
        code: "dh",
        name: trilingual(
            "Dadra and Nagar Haveli and Daman and Diu",
            "ダードラー・ナガル・ハヴェーリーおよびダマン・ディーウ",
            "दादरा और नगर हवेली और दमन और दीव",
        ),
    },
    IndianState {
        code: "dl",
        name: trilingual("Delhi", "デリー", "दिल्ली"),
    },
    IndianState {
        code: "ga",
        name: trilingual("Goa", "ゴア州", "गोवा"),
    },
    IndianState {
        code: "gj",
        name: trilingual("Gujarat", "グジャラート州", "गुजरात"),
    },
    IndianState {
        code: "hr",
        name: trilingual("Haryana", "ハリヤーナー州", "हरियाणा"),
    },
    IndianState {
        code: "hp",
        name: trilingual(
            "Himachal Pradesh",
            "ヒマーチャル・プラデーシュ州",
            "हिमाचल प्रदेश",
        ),
    },
    IndianState {
        code: "jk",
        name: trilingual(
            "Jammu and Kashmir",
            "ジャンムー・カシミール",
            "जम्मू और कश्मीर",
        ),
    },
    IndianState {
        code: "jh",
        name: trilingual("Jharkhand", "ジャールカンド州", "झारखंड"),
    },
    IndianState {
        code: "ka",
        name: trilingual("Karnataka", "カルナータカ州", "कर्नाटक"),
    },
    IndianState {
        code: "kl",
        name: trilingual("Kerala", "ケーララ州", "केरल"),
    },
    IndianState {
        code: "la",
        name: trilingual("Ladakh", "ラダック", "लद्दाख"),
    },
    IndianState {
        code: "ld",
        name: trilingual("Lakshadweep", "ラクシャドウィープ", "लक्षद्वीप"),
    },
    IndianState {
        code: "mp",
        name: trilingual("Madhya Pradesh", "マディヤ・プラデーシュ州", "मध्य प्रदेश"),
    },
    IndianState {
        code: "mh",
        name: trilingual("Maharashtra", "マハーラーシュトラ州", "महाराष्ट्र"),
    },
    IndianState {
        code: "mn",
        name: trilingual("Manipur", "マニプル州", "मणिपुर"),
    },
    IndianState {
        code: "ml",
        name: trilingual("Meghalaya", "メーガーラヤ州", "मेघालय"),
    },
    IndianState {
        code: "mz",
        name: trilingual("Mizoram", "ミゾラム州", "मिज़ोरम"),
    },
    IndianState {
        code: "nl",
        name: trilingual("Nagaland", "ナガランド州", "नागालैंड"),
    },
    IndianState {
        code: "od",
        name: trilingual("Odisha", "オディシャ州", "ओडिशा"),
    },
    IndianState {
        code: "py",
        name: trilingual("Puducherry", "プドゥチェリー", "पुदुचेरी"),
    },
    IndianState {
        code: "pb",
        name: trilingual("Punjab", "パンジャーブ州", "पंजाब"),
    },
    IndianState {
        code: "rj",
        name: trilingual("Rajasthan", "ラージャスターン州", "राजस्थान"),
    },
    IndianState {
        code: "sk",
        name: trilingual("Sikkim", "シッキム州", "सिक्किम"),
    },
    IndianState {
        code: "tn",
        name: trilingual("Tamil Nadu", "タミル・ナードゥ州", "तमिलनाडु"),
    },
    IndianState {
        code: "tg",
        name: trilingual("Telangana", "テランガーナ州", "तेलंगाना"),
    },
    IndianState {
        code: "tr",
        name: trilingual("Tripura", "トリプラ州", "त्रिपुरा"),
    },
    IndianState {
        code: "up",
        name: trilingual("Uttar Pradesh", "ウッタル・プラデーシュ州", "उत्तर प्रदेश"),
    },
    IndianState {
        code: "uk",
        name: trilingual("Uttarakhand", "ウッタラーカンド州", "उत्तराखंड"),
    },
    IndianState {
        code: "wb",
        name: trilingual("West Bengal", "西ベンガル州", "पश्चिम बंगाल"),
    },
];

/// The Indian state or union territory with the given code, if there is one.
pub fn indian_state(code: &str) -> Option<&'static IndianState> {
    let all: &'static [IndianState; 36] = &INDIAN_STATES;
    all.iter().find(|s| s.code == code)
}

/// An industry sector that engineers work in and employers hire for.
///
/// Serialised as its [`code`](Sector::code), the snake_case variant name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sector {
    /// Semiconductor design and fabrication.
    Semiconductors,
    /// Outsourced semiconductor assembly and test.
    Osat,
    /// Electric vehicles and power electronics.
    EvPowerElectronics,
    /// Automotive engineering.
    Automotive,
    /// Artificial intelligence and machine learning.
    ArtificialIntelligence,
    /// Embedded systems and firmware.
    Embedded,
    /// Software engineering.
    Software,
    /// Digital public infrastructure (identity, payments, data exchange).
    DigitalPublicInfrastructure,
    /// Manufacturing.
    Manufacturing,
    /// Telecommunications.
    Telecom,
}

impl Sector {
    /// Every sector, in declaration order.
    pub const ALL: [Sector; 10] = [
        Sector::Semiconductors,
        Sector::Osat,
        Sector::EvPowerElectronics,
        Sector::Automotive,
        Sector::ArtificialIntelligence,
        Sector::Embedded,
        Sector::Software,
        Sector::DigitalPublicInfrastructure,
        Sector::Manufacturing,
        Sector::Telecom,
    ];

    /// The stable code of the sector: its snake_case name, as serde writes it.
    pub fn code(self) -> &'static str {
        match self {
            Sector::Semiconductors => "semiconductors",
            Sector::Osat => "osat",
            Sector::EvPowerElectronics => "ev_power_electronics",
            Sector::Automotive => "automotive",
            Sector::ArtificialIntelligence => "artificial_intelligence",
            Sector::Embedded => "embedded",
            Sector::Software => "software",
            Sector::DigitalPublicInfrastructure => "digital_public_infrastructure",
            Sector::Manufacturing => "manufacturing",
            Sector::Telecom => "telecom",
        }
    }

    /// The sector with the given [`code`](Sector::code), if there is one.
    pub fn parse(code: &str) -> Option<Sector> {
        match code {
            "semiconductors" => Some(Sector::Semiconductors),
            "osat" => Some(Sector::Osat),
            "ev_power_electronics" => Some(Sector::EvPowerElectronics),
            "automotive" => Some(Sector::Automotive),
            "artificial_intelligence" => Some(Sector::ArtificialIntelligence),
            "embedded" => Some(Sector::Embedded),
            "software" => Some(Sector::Software),
            "digital_public_infrastructure" => Some(Sector::DigitalPublicInfrastructure),
            "manufacturing" => Some(Sector::Manufacturing),
            "telecom" => Some(Sector::Telecom),
            _ => None,
        }
    }

    /// The trilingual display name of the sector.
    pub fn name(self) -> PlaceName {
        match self {
            Sector::Semiconductors => trilingual("Semiconductors", "半導体", "अर्धचालक"),
            Sector::Osat => trilingual(
                "Semiconductor assembly and test (OSAT)",
                "半導体後工程（OSAT）",
                "सेमीकंडक्टर असेंबली और परीक्षण (OSAT)",
            ),
            Sector::EvPowerElectronics => trilingual(
                "EV and power electronics",
                "EV・パワーエレクトロニクス",
                "ईवी और पावर इलेक्ट्रॉनिक्स",
            ),
            Sector::Automotive => trilingual("Automotive", "自動車", "ऑटोमोटिव"),
            Sector::ArtificialIntelligence => trilingual(
                "Artificial intelligence",
                "人工知能（AI）",
                "कृत्रिम बुद्धिमत्ता (AI)",
            ),
            Sector::Embedded => trilingual("Embedded systems", "組込みシステム", "एम्बेडेड सिस्टम"),
            Sector::Software => trilingual("Software", "ソフトウェア", "सॉफ़्टवेयर"),
            Sector::DigitalPublicInfrastructure => trilingual(
                "Digital public infrastructure",
                "デジタル公共インフラ",
                "डिजिटल सार्वजनिक अवसंरचना",
            ),
            Sector::Manufacturing => trilingual("Manufacturing", "製造業", "विनिर्माण"),
            Sector::Telecom => trilingual("Telecommunications", "通信", "दूरसंचार"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn is_lowercase_ascii_code(code: &str) -> bool {
        !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase())
    }

    fn is_complete(name: &PlaceName) -> bool {
        !name.en.trim().is_empty() && !name.ja.trim().is_empty() && !name.hi.trim().is_empty()
    }

    #[test]
    fn there_are_47_prefectures() {
        assert_eq!(PREFECTURES.len(), 47);
    }

    #[test]
    fn there_are_36_indian_states_and_union_territories() {
        assert_eq!(INDIAN_STATES.len(), 36);
    }

    #[test]
    fn every_prefecture_code_is_unique_and_lowercase_ascii() {
        let mut seen = HashSet::new();
        for p in &PREFECTURES {
            assert!(is_lowercase_ascii_code(p.code), "bad code {:?}", p.code);
            assert!(seen.insert(p.code), "duplicate code {:?}", p.code);
        }
    }

    #[test]
    fn every_indian_state_code_is_unique_and_two_lowercase_ascii_letters() {
        let mut seen = HashSet::new();
        for s in &INDIAN_STATES {
            assert!(is_lowercase_ascii_code(s.code), "bad code {:?}", s.code);
            assert_eq!(s.code.len(), 2, "bad code {:?}", s.code);
            assert!(seen.insert(s.code), "duplicate code {:?}", s.code);
        }
    }

    #[test]
    fn prefectures_run_from_hokkaido_to_okinawa() {
        assert_eq!(PREFECTURES[0].code, "hokkaido");
        assert_eq!(PREFECTURES[12].code, "tokyo");
        assert_eq!(PREFECTURES[46].code, "okinawa");
    }

    #[test]
    fn indian_states_are_in_alphabetical_order() {
        for pair in INDIAN_STATES.windows(2) {
            assert!(
                pair[0].name.en < pair[1].name.en,
                "{} should come after {}",
                pair[0].name.en,
                pair[1].name.en
            );
        }
    }

    #[test]
    fn tokyo_is_written_with_its_metropolis_suffix_in_japanese() {
        assert_eq!(prefecture("tokyo").map(|p| p.name.ja), Some("東京都"));
    }

    #[test]
    fn ka_is_karnataka() {
        assert_eq!(indian_state("ka").map(|s| s.name.en), Some("Karnataka"));
    }

    #[test]
    fn unknown_codes_find_nothing() {
        assert_eq!(prefecture("Tokyo"), None);
        assert_eq!(prefecture(""), None);
        assert_eq!(indian_state("KA"), None);
        assert_eq!(indian_state("ts"), None);
        assert_eq!(Sector::parse("Software"), None);
        assert_eq!(Sector::parse(""), None);
    }

    #[test]
    fn every_sector_round_trips_through_its_code() {
        for sector in Sector::ALL {
            assert_eq!(Sector::parse(sector.code()), Some(sector));
        }
    }

    #[test]
    fn every_sector_code_is_unique_snake_case() {
        let mut seen = HashSet::new();
        for sector in Sector::ALL {
            let code = sector.code();
            assert!(
                !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "bad code {code:?}"
            );
            assert!(seen.insert(code), "duplicate code {code:?}");
        }
    }

    #[test]
    fn no_name_is_empty() {
        for p in &PREFECTURES {
            assert!(is_complete(&p.name), "incomplete name for {}", p.code);
        }
        for s in &INDIAN_STATES {
            assert!(is_complete(&s.name), "incomplete name for {}", s.code);
        }
        for sector in Sector::ALL {
            assert!(
                is_complete(&sector.name()),
                "incomplete name for {}",
                sector.code()
            );
        }
    }

    #[test]
    fn names_are_given_in_the_requested_language() {
        let osaka = prefecture("osaka").map(|p| p.name);
        assert_eq!(osaka.map(|n| n.in_language("ja")), Some("大阪府"));
        assert_eq!(osaka.map(|n| n.in_language("hi")), Some("ओसाका"));
        assert_eq!(osaka.map(|n| n.in_language("en")), Some("Osaka"));
        assert_eq!(osaka.map(|n| n.in_language("fr")), Some("Osaka"));
    }
}
