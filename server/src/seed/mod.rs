//! Synthetic demo data: Indian engineers, Japanese employers in the programme's sectors and their
//! roles in Japanese and English. Deterministic for a given seed, so a demo or a benchmark can be
//! reproduced; every record is marked as demo data and the site says so.

mod applications;
mod careers;

use std::collections::HashMap;

use chrono::Utc;
use domain::jlpt::JlptLevel;
use domain::language::SpokenLevel;
use domain::profile::{Degree, Profile, ProfileSkill, SkillLevel, SpokenLanguage, VisaInterest};
use domain::role::{RemotePolicy, Role, RoleSkill, SalaryBand, WorkingLanguage};
use domain::skills::{SkillId, Taxonomy};
use indicatif::{ProgressBar, ProgressStyle};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, TransactionTrait,
};

use app::db::entities::{engineer_profile, organisation, profile_language, profile_skill, user};

/// How much to seed.
#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    pub engineers: usize,
    pub roles: usize,
    /// Mobility applications between the seeded engineers and roles, at every stage.
    pub applications: usize,
    pub seed: u64,
    pub progress: bool,
}

/// What was created, and the demo accounts one can log in as.
#[derive(Debug, Default)]
pub struct SeedReport {
    pub organisations: usize,
    pub employers: usize,
    pub engineers: usize,
    pub roles: usize,
    pub applications: usize,
    pub demo_engineer_email: String,
    pub demo_employer_email: String,
}

const DEMO_DOMAIN: &str = "demo.setubashi.example";
const BATCH: usize = 500;

/// Whether the database holds no users yet.
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(user::Entity::find().count(db).await? == 0)
}

/// An engineer account without a password (it can never sign in): for benchmarks and tests that
/// need many people quickly. Returns its id.
pub async fn engineer_without_password(
    db: &DatabaseConnection,
    email: &str,
    display_name: &str,
) -> anyhow::Result<i32> {
    let now = Utc::now();
    let saved = user::ActiveModel {
        email: Set(email.to_owned()),
        password_hash: Set("not a hash: never signs in".to_owned()),
        role: Set("engineer".to_owned()),
        display_name: Set(display_name.to_owned()),
        ui_language: Set("en".to_owned()),
        organisation_id: Set(None),
        suspended: Set(false),
        // demo accounts: their (synthetic) addresses count as proven
        email_verified_at: Set(Some(now)),
        sessions_revoked_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(saved.id)
}

const FIRST_NAMES: &[&str] = &[
    "Aarav",
    "Aditi",
    "Aditya",
    "Akash",
    "Ananya",
    "Anil",
    "Anjali",
    "Arjun",
    "Arun",
    "Deepa",
    "Divya",
    "Gaurav",
    "Harini",
    "Ishaan",
    "Kavya",
    "Karthik",
    "Lakshmi",
    "Manoj",
    "Meera",
    "Neha",
    "Nikhil",
    "Pooja",
    "Pradeep",
    "Priya",
    "Rahul",
    "Rajesh",
    "Ramya",
    "Ravi",
    "Rohan",
    "Sahil",
    "Sanjay",
    "Shreya",
    "Siddharth",
    "Sneha",
    "Sunita",
    "Suresh",
    "Tanvi",
    "Varun",
    "Vikram",
    "Vivek",
    "Yash",
    "Zoya",
    "Farhan",
    "Gurpreet",
    "Harpreet",
    "Joseph",
    "Mary",
    "Sourav",
    "Ritika",
    "Abhishek",
];
const SURNAMES: &[&str] = &[
    "Sharma",
    "Verma",
    "Gupta",
    "Iyer",
    "Iyengar",
    "Nair",
    "Menon",
    "Reddy",
    "Rao",
    "Naidu",
    "Patel",
    "Shah",
    "Desai",
    "Joshi",
    "Kulkarni",
    "Deshpande",
    "Patil",
    "Chatterjee",
    "Banerjee",
    "Mukherjee",
    "Das",
    "Bose",
    "Singh",
    "Kaur",
    "Gill",
    "Khan",
    "Ahmed",
    "Qureshi",
    "Pillai",
    "Krishnan",
    "Subramanian",
    "Mishra",
    "Pandey",
    "Tiwari",
    "Yadav",
    "Chauhan",
    "Mehta",
    "Agarwal",
    "Fernandes",
    "D'Souza",
];
/// Indian states weighted roughly by their share of engineering graduates, with typical cities
/// and a regional language.
const STATES: &[(&str, u32, &[&str], &str)] = &[
    (
        "ka",
        16,
        &["Bengaluru", "Mysuru", "Mangaluru", "Hubballi"],
        "kn",
    ),
    ("mh", 14, &["Pune", "Mumbai", "Nagpur", "Nashik"], "mr"),
    (
        "tn",
        14,
        &["Chennai", "Coimbatore", "Madurai", "Tiruchirappalli"],
        "ta",
    ),
    ("tg", 11, &["Hyderabad", "Warangal"], "te"),
    ("ap", 7, &["Visakhapatnam", "Vijayawada", "Guntur"], "te"),
    ("up", 8, &["Noida", "Lucknow", "Kanpur", "Prayagraj"], "hi"),
    ("dl", 6, &["New Delhi"], "hi"),
    (
        "gj",
        5,
        &["Ahmedabad", "Vadodara", "Surat", "Gandhinagar"],
        "gu",
    ),
    ("wb", 5, &["Kolkata", "Durgapur"], "bn"),
    ("kl", 5, &["Kochi", "Thiruvananthapuram", "Kozhikode"], "ml"),
    ("hr", 3, &["Gurugram", "Faridabad"], "hi"),
    ("rj", 2, &["Jaipur", "Jodhpur"], "hi"),
    ("pb", 2, &["Mohali", "Ludhiana"], "pa"),
    ("od", 2, &["Bhubaneswar"], "or"),
];

/// Specialisms an engineer may have: the skills they draw from, as taxonomy names.
const SPECIALISMS: &[(&str, &[&str])] = &[
    (
        "Embedded software engineer",
        &[
            "Embedded C",
            "C",
            "C++",
            "RTOS",
            "FreeRTOS",
            "Embedded Linux",
            "Device drivers",
            "Firmware",
            "CAN",
            "Microcontrollers",
            "Python",
            "Git",
        ],
    ),
    (
        "RTL design engineer",
        &[
            "Verilog",
            "SystemVerilog",
            "RTL design",
            "VHDL",
            "FPGA",
            "ASIC",
            "Static timing analysis",
            "Python",
            "Perl",
            "Tcl",
        ],
    ),
    (
        "Verification engineer",
        &[
            "UVM",
            "SystemVerilog",
            "Functional verification",
            "Verilog",
            "Python",
            "Perl",
            "ASIC",
        ],
    ),
    (
        "Physical design engineer",
        &[
            "Physical design",
            "Place and route",
            "Static timing analysis",
            "Tcl",
            "Low-power design",
            "ASIC",
        ],
    ),
    (
        "Process engineer (fab)",
        &[
            "Lithography",
            "Etch",
            "Chemical vapor deposition",
            "Chemical mechanical planarization",
            "Process integration",
            "Yield enhancement",
            "Statistical process control",
            "Failure analysis",
        ],
    ),
    (
        "OSAT / test engineer",
        &[
            "Wire bonding",
            "Flip-chip",
            "Semiconductor packaging",
            "Final test",
            "Automatic test equipment",
            "Burn-in",
            "Reliability testing",
        ],
    ),
    (
        "Power electronics engineer",
        &[
            "Power electronics",
            "Inverters",
            "SiC",
            "GaN",
            "Power MOSFET",
            "IGBT",
            "Gate drivers",
            "MATLAB",
            "Motor control",
        ],
    ),
    (
        "Battery systems engineer",
        &[
            "Battery management system",
            "Battery cells",
            "Thermal management",
            "Embedded C",
            "CAN",
            "ISO 26262",
        ],
    ),
    (
        "Automotive software engineer",
        &[
            "AUTOSAR",
            "ISO 26262",
            "Embedded C",
            "CAN",
            "MATLAB/Simulink",
            "Model-based development",
            "ADAS",
        ],
    ),
    (
        "Machine learning engineer",
        &[
            "Machine learning",
            "Deep learning",
            "Python",
            "PyTorch",
            "TensorFlow",
            "Computer vision",
            "Natural language processing",
            "MLOps",
            "SQL",
        ],
    ),
    (
        "Data engineer",
        &[
            "Data engineering",
            "Apache Spark",
            "Python",
            "SQL",
            "AWS",
            "Apache Kafka",
            "Airflow",
        ],
    ),
    (
        "Backend engineer",
        &[
            "Java",
            "Spring Boot",
            "Go",
            "Python",
            "PostgreSQL",
            "Docker",
            "Kubernetes",
            "AWS",
            "Microservices",
            "REST API",
        ],
    ),
    (
        "Full-stack engineer",
        &[
            "TypeScript",
            "React",
            "Next.js",
            "Node.js",
            "PostgreSQL",
            "AWS",
            "Docker",
        ],
    ),
    (
        "Cloud / DevOps engineer",
        &[
            "AWS",
            "Azure",
            "Google Cloud",
            "Kubernetes",
            "Terraform",
            "Docker",
            "CI/CD",
            "Linux",
        ],
    ),
    (
        "Quality engineer (manufacturing)",
        &[
            "IATF 16949",
            "FMEA",
            "Six Sigma",
            "Kaizen",
            "Statistical process control",
            "Root cause analysis",
            "ISO 9001",
            "APQP",
        ],
    ),
    (
        "DPI / fintech engineer",
        &[
            "UPI",
            "Aadhaar",
            "India Stack",
            "Java",
            "Spring Boot",
            "Microservices",
            "API design",
        ],
    ),
];

/// Employers: sector, name stems (Japanese, English), the prefectures such companies are in.
const SECTORS: &[(&str, &str, &str, &[&str])] = &[
    (
        "semiconductors",
        "半導体",
        "Semiconductor",
        &["kumamoto", "hokkaido", "mie", "iwate", "hiroshima", "tokyo"],
    ),
    (
        "osat",
        "デバイステクノロジー",
        "Device Technology",
        &["kumamoto", "oita", "yamagata", "nagasaki"],
    ),
    (
        "ev_power_electronics",
        "パワーシステムズ",
        "Power Systems",
        &["aichi", "shizuoka", "kanagawa", "hyogo"],
    ),
    (
        "automotive",
        "モビリティ",
        "Mobility",
        &["aichi", "kanagawa", "gunma", "hiroshima"],
    ),
    (
        "artificial_intelligence",
        "AIラボ",
        "AI Lab",
        &["tokyo", "kyoto", "osaka", "fukuoka"],
    ),
    (
        "embedded",
        "エレクトロニクス",
        "Electronics",
        &["kanagawa", "nagano", "kyoto", "osaka"],
    ),
    (
        "software",
        "テクノロジーズ",
        "Technologies",
        &["tokyo", "osaka", "fukuoka", "miyagi"],
    ),
];
const COMPANY_STEMS: &[(&str, &str)] = &[
    ("さくら", "Sakura"),
    ("みらい", "Mirai"),
    ("ひかり", "Hikari"),
    ("富士見", "Fujimi"),
    ("大和", "Yamato"),
    ("青空", "Aozora"),
    ("新星", "Shinsei"),
    ("輝", "Kagayaki"),
    ("翼", "Tsubasa"),
    ("瑞穂", "Mizuho"),
    ("北斗", "Hokuto"),
    ("若葉", "Wakaba"),
    ("東雲", "Shinonome"),
    ("白山", "Hakusan"),
    ("朝日", "Asahi"),
];

/// Role templates per sector: Japanese and English titles, descriptions, skills, JLPT, salary.
/// Public for the search-quality benchmark, which posts them as roles in one language.
pub struct RoleTemplate {
    pub sector: &'static str,
    pub title_ja: &'static str,
    pub title_en: &'static str,
    pub description_ja: &'static str,
    pub description_en: &'static str,
    /// Skill names with minimum years.
    pub required: &'static [(&'static str, u8)],
    pub nice: &'static [&'static str],
    pub jlpt: Option<JlptLevel>,
    pub salary: (i64, i64),
}

pub const ROLE_TEMPLATES: &[RoleTemplate] = &[
    RoleTemplate { sector: "semiconductors", title_ja: "デジタル回路設計エンジニア（RTL）", title_en: "Digital design engineer (RTL)", description_ja: "次世代ロジック半導体のRTL設計を担当します。SystemVerilogによる設計、合成、タイミング収束まで一貫して携わります。", description_en: "Own RTL design for next-generation logic chips, from SystemVerilog through synthesis to timing closure.", required: &[("SystemVerilog", 3), ("RTL design", 3)], nice: &["Static timing analysis", "Python"], jlpt: Some(JlptLevel::N3), salary: (6_000_000, 10_000_000) },
    RoleTemplate { sector: "semiconductors", title_ja: "検証エンジニア（UVM）", title_en: "Design verification engineer (UVM)", description_ja: "UVMを用いた検証環境の構築とカバレッジ改善を行います。英語での社内コミュニケーションも可能です。", description_en: "Build UVM testbenches and drive coverage closure. English is used within the verification team.", required: &[("UVM", 2), ("SystemVerilog", 3)], nice: &["Python", "Functional verification"], jlpt: Some(JlptLevel::N4), salary: (5_500_000, 9_000_000) },
    RoleTemplate { sector: "semiconductors", title_ja: "プロセスエンジニア（露光・エッチング）", title_en: "Process engineer (lithography and etch)", description_ja: "熊本の新工場で露光・エッチング工程の立ち上げと歩留まり改善を担当します。", description_en: "Ramp up lithography and etch at our new fab and drive yield improvement.", required: &[("Lithography", 2), ("Etch", 2)], nice: &["Yield enhancement", "Statistical process control"], jlpt: Some(JlptLevel::N2), salary: (5_000_000, 8_500_000) },
    RoleTemplate { sector: "osat", title_ja: "パッケージング技術者（フリップチップ）", title_en: "Packaging engineer (flip-chip)", description_ja: "先端パッケージのフリップチップ実装工程の開発と量産立ち上げを担当します。", description_en: "Develop flip-chip assembly for advanced packages and bring it into volume production.", required: &[("Flip-chip", 2), ("Semiconductor packaging", 3)], nice: &["Wire bonding", "Reliability testing"], jlpt: Some(JlptLevel::N3), salary: (4_500_000, 7_500_000) },
    RoleTemplate { sector: "osat", title_ja: "テストエンジニア（ATE）", title_en: "Test engineer (ATE)", description_ja: "最終試験工程のテストプログラム開発とATEの運用を担当します。", description_en: "Develop final-test programs and run automatic test equipment.", required: &[("Automatic test equipment", 2), ("Final test", 2)], nice: &["Burn-in", "Python"], jlpt: Some(JlptLevel::N3), salary: (4_500_000, 7_000_000) },
    RoleTemplate { sector: "ev_power_electronics", title_ja: "パワーエレクトロニクス回路設計（SiCインバータ）", title_en: "Power electronics engineer (SiC inverters)", description_ja: "EV向けSiCインバータの回路設計と評価を担当します。", description_en: "Design and test SiC traction inverters for electric vehicles.", required: &[("Power electronics", 3), ("Inverters", 2)], nice: &["SiC", "Gate drivers", "MATLAB"], jlpt: Some(JlptLevel::N3), salary: (6_000_000, 9_500_000) },
    RoleTemplate { sector: "ev_power_electronics", title_ja: "バッテリーマネジメントシステム開発エンジニア", title_en: "Battery management system engineer", description_ja: "BMSのファームウェア開発と機能安全対応を担当します。", description_en: "Develop BMS firmware and its functional-safety case.", required: &[("Battery management system", 2), ("Embedded C", 3)], nice: &["ISO 26262", "CAN"], jlpt: Some(JlptLevel::N3), salary: (5_500_000, 9_000_000) },
    RoleTemplate { sector: "automotive", title_ja: "車載ソフトウェアエンジニア（AUTOSAR）", title_en: "Automotive software engineer (AUTOSAR)", description_ja: "AUTOSAR準拠のECUソフトウェア開発を担当します。", description_en: "Develop AUTOSAR-compliant ECU software.", required: &[("AUTOSAR", 2), ("Embedded C", 3)], nice: &["ISO 26262", "CAN", "MATLAB/Simulink"], jlpt: Some(JlptLevel::N2), salary: (5_500_000, 9_000_000) },
    RoleTemplate { sector: "artificial_intelligence", title_ja: "機械学習エンジニア", title_en: "Machine learning engineer", description_ja: "製造現場の画像検査AIの開発と運用を担当します。チームの公用語は英語です。", description_en: "Build and run computer-vision models for factory inspection. The team works in English.", required: &[("Machine learning", 3), ("Python", 3)], nice: &["PyTorch", "Computer vision", "MLOps"], jlpt: None, salary: (7_000_000, 12_000_000) },
    RoleTemplate { sector: "artificial_intelligence", title_ja: "データエンジニア", title_en: "Data engineer", description_ja: "全社データ基盤の設計と構築を担当します。", description_en: "Design and build the company-wide data platform.", required: &[("Data engineering", 3), ("SQL", 3)], nice: &["Apache Spark", "AWS"], jlpt: Some(JlptLevel::N4), salary: (6_000_000, 10_000_000) },
    RoleTemplate { sector: "embedded", title_ja: "組み込みソフトウェアエンジニア", title_en: "Embedded software engineer", description_ja: "産業機器向けマイコンのファームウェア開発を担当します。", description_en: "Develop microcontroller firmware for industrial equipment.", required: &[("Embedded C", 3), ("RTOS", 2)], nice: &["Device drivers", "Embedded Linux"], jlpt: Some(JlptLevel::N3), salary: (5_000_000, 8_000_000) },
    RoleTemplate { sector: "software", title_ja: "バックエンドエンジニア（Java / Spring Boot）", title_en: "Backend engineer (Java / Spring Boot)", description_ja: "決済サービスのバックエンド開発を担当します。", description_en: "Build the backend of our payments service.", required: &[("Java", 3), ("Spring Boot", 2)], nice: &["Kubernetes", "AWS", "PostgreSQL"], jlpt: Some(JlptLevel::N3), salary: (5_500_000, 9_000_000) },
    RoleTemplate { sector: "software", title_ja: "クラウドインフラエンジニア", title_en: "Cloud infrastructure engineer", description_ja: "AWS上のインフラ設計・構築と自動化を担当します。", description_en: "Design, build and automate our AWS infrastructure.", required: &[("AWS", 3), ("Terraform", 2)], nice: &["Kubernetes", "CI/CD"], jlpt: Some(JlptLevel::N4), salary: (6_000_000, 10_000_000) },
];

/// A distribution of JLPT levels among Indian engineers applying to Japan (none is the most
/// common).
fn random_jlpt(rng: &mut ChaCha8Rng) -> Option<JlptLevel> {
    match rng.gen_range(0..100) {
        0..=39 => None,
        40..=59 => Some(JlptLevel::N5),
        60..=77 => Some(JlptLevel::N4),
        78..=89 => Some(JlptLevel::N3),
        90..=96 => Some(JlptLevel::N2),
        _ => Some(JlptLevel::N1),
    }
}

fn resolve_all(taxonomy: &Taxonomy, names: &[&str]) -> anyhow::Result<Vec<SkillId>> {
    names
        .iter()
        .map(|name| {
            taxonomy
                .resolve(name)
                .map(|s| s.id.clone())
                .ok_or_else(|| anyhow::anyhow!("seed names a skill the taxonomy lacks: {name}"))
        })
        .collect()
}

fn weighted_state(
    rng: &mut ChaCha8Rng,
) -> &'static (&'static str, u32, &'static [&'static str], &'static str) {
    let total: u32 = STATES.iter().map(|s| s.1).sum();
    let mut pick = rng.gen_range(0..total);
    for state in STATES {
        if pick < state.1 {
            return state;
        }
        pick -= state.1;
    }
    &STATES[0]
}

fn progress(enabled: bool, len: usize, what: &'static str) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}

/// Makes a synthetic engineer profile.
fn engineer_profile(
    rng: &mut ChaCha8Rng,
    taxonomy: &Taxonomy,
    index: usize,
) -> anyhow::Result<(String, Profile)> {
    let first = FIRST_NAMES.choose(rng).copied().unwrap_or("Asha");
    let last = SURNAMES.choose(rng).copied().unwrap_or("Rao");
    let (state, _, cities, regional) = *weighted_state(rng);
    let city = cities.choose(rng).copied().unwrap_or("Bengaluru");
    let (specialism, pool) = SPECIALISMS[rng.gen_range(0..SPECIALISMS.len())];
    let years: u8 = rng.gen_range(1..=16);
    let pool = resolve_all(taxonomy, pool)?;
    let count = rng.gen_range(3..=pool.len().min(8));
    let skills = pool
        .choose_multiple(rng, count)
        .map(|id| ProfileSkill {
            skill: id.clone(),
            years: rng.gen_range(1..=years.max(1)),
            level: SkillLevel::ALL[rng.gen_range(0..SkillLevel::ALL.len())],
        })
        .collect();
    let mut languages = vec![SpokenLanguage {
        language: "en".to_owned(),
        level: if rng.gen_bool(0.8) {
            SpokenLevel::Professional
        } else {
            SpokenLevel::Conversational
        },
    }];
    languages.push(SpokenLanguage {
        language: regional.to_owned(),
        level: SpokenLevel::Native,
    });
    if regional != "hi" && rng.gen_bool(0.6) {
        languages.push(SpokenLanguage {
            language: "hi".to_owned(),
            level: SpokenLevel::Conversational,
        });
    }
    let jlpt_level = random_jlpt(rng);
    let degree = match rng.gen_range(0..10) {
        0 => Degree::Diploma,
        1..=5 => Degree::Bachelors,
        6..=8 => Degree::Masters,
        _ => Degree::Doctorate,
    };
    let email = format!(
        "{}.{}.{index}@engineers.{DEMO_DOMAIN}",
        first.to_lowercase(),
        last.to_lowercase().replace('\'', "")
    );
    Ok((
        email,
        Profile {
            full_name: format!("{first} {last}"),
            headline: Some(format!("{specialism} · {years} years")),
            summary: Some(format!("{specialism} from {city} with {years} years of experience, preparing to work in Japan.")),
            years_experience: years,
            jlpt_level,
            jlpt_certified: jlpt_level.is_some() && rng.gen_bool(0.7),
            indian_state: Some(state.to_owned()),
            city: Some(city.to_owned()),
            degree,
            desired_salary_jpy: Some(i64::from(rng.gen_range(40..=120)) * 100_000),
            // ages 22 to 45 at the programme's start
            date_of_birth: applications::programme_start()
                .checked_sub_days(chrono::Days::new(rng.gen_range(22 * 365..45 * 365)))
                .filter(|_| rng.gen_bool(0.85)),
            visa_interest: VisaInterest::ALL[rng.gen_range(0..VisaInterest::ALL.len())],
            searchable: rng.gen_bool(0.92),
            available_from: None,
            skills,
            free_skills: Vec::new(),
            languages,
        },
    ))
}

/// Seeds `options.engineers` engineers, enough organisations for `options.roles` roles, and the
/// roles, plus one demo engineer and one demo employer whose password is `demo_password`.
pub async fn seed(
    db: &DatabaseConnection,
    taxonomy: &Taxonomy,
    options: SeedOptions,
    demo_password: &str,
) -> anyhow::Result<SeedReport> {
    let mut rng = ChaCha8Rng::seed_from_u64(options.seed);
    let now = Utc::now();
    // Bulk accounts share one hash of a random password nobody knows: nobody can log in as them,
    // and seeding does not spend an argon2 hash per row.
    let unusable: String = (0..32)
        .map(|_| rng.gen_range(b'a'..=b'z') as char)
        .collect();
    let bulk_hash = app::auth::server::hash_password(unusable)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let demo_hash = app::auth::server::hash_password(demo_password.to_owned())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut report = SeedReport {
        demo_engineer_email: format!("engineer@{DEMO_DOMAIN}"),
        demo_employer_email: format!("employer@{DEMO_DOMAIN}"),
        ..SeedReport::default()
    };

    // Organisations and one employer user for each.
    let org_count = options.roles.div_ceil(4).max(1);
    let mut orgs: Vec<(i32, i32, &'static str)> = Vec::new(); // (org id, employer user id, sector)
    let bar = progress(options.progress, org_count, "employers");
    for i in 0..org_count {
        let (sector, ja_word, en_word, prefectures) = SECTORS[i % SECTORS.len()];
        let (stem_ja, stem_en) = COMPANY_STEMS[(i / SECTORS.len()) % COMPANY_STEMS.len()];
        let round = i / (SECTORS.len() * COMPANY_STEMS.len());
        let suffix = if round == 0 {
            String::new()
        } else {
            format!(" {}", round + 1)
        };
        let prefecture = prefectures[rng.gen_range(0..prefectures.len())];
        let size = ["small", "medium", "large", "enterprise"][rng.gen_range(0..4)];
        let txn = db.begin().await?;
        let org = organisation::Entity::insert(organisation::ActiveModel {
            name_ja: Set(Some(format!("{stem_ja}{ja_word}株式会社{suffix}"))),
            name_en: Set(Some(format!("{stem_en} {en_word} K.K.{suffix}"))),
            prefecture: Set(prefecture.to_owned()),
            sector: Set(sector.to_owned()),
            size: Set(size.to_owned()),
            sponsorship: Set(serde_json::to_string(&careers::demo_sponsorship(
                options.seed,
                i,
                size,
            ))?),
            // a reserved domain: demo companies are synthetic, and get no corporate number
            // (any valid one could be a real company's)
            website: Set(Some(format!(
                "https://{}.example.jp",
                stem_en.to_ascii_lowercase().replace(' ', "-")
            ))),
            // most demo employers are verified; a few wait in the administrators' queue
            verified: Set(i == 0 || rng.gen_bool(0.85)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        let (email, hash) = if i == 0 {
            (report.demo_employer_email.clone(), demo_hash.clone())
        } else {
            (format!("hr{i}@employers.{DEMO_DOMAIN}"), bulk_hash.clone())
        };
        let employer = user::Entity::insert(user::ActiveModel {
            email: Set(email),
            password_hash: Set(hash),
            role: Set("employer".to_owned()),
            display_name: Set(format!("{stem_en} {en_word} HR")),
            ui_language: Set("ja".to_owned()),
            organisation_id: Set(Some(org)),
            suspended: Set(false),
            // demo accounts: their (synthetic) addresses count as proven
            email_verified_at: Set(Some(now)),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .exec(&txn)
        .await?
        .last_insert_id;
        txn.commit().await?;
        orgs.push((org, employer, sector));
        bar.inc(1);
    }
    bar.finish_and_clear();
    report.organisations = orgs.len();
    report.employers = orgs.len();

    // Roles, spread over the organisations, each from a template of its sector.
    let bar = progress(options.progress, options.roles, "roles");
    for i in 0..options.roles {
        let (org, employer, sector) = orgs[i % orgs.len()];
        let templates: Vec<&RoleTemplate> = ROLE_TEMPLATES
            .iter()
            .filter(|t| t.sector == sector)
            .collect();
        let Some(template) = templates.choose(&mut rng).copied() else {
            continue;
        };
        let required = template
            .required
            .iter()
            .map(|(name, years)| {
                Ok(RoleSkill {
                    skill: resolve_all(taxonomy, &[name])?.remove(0),
                    min_years: *years,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let nice = resolve_all(taxonomy, template.nice)?
            .into_iter()
            .map(|skill| RoleSkill {
                skill,
                min_years: 0,
            })
            .collect();
        let bump = i64::from(rng.gen_range(0..=5)) * 100_000;
        let salary = SalaryBand::parse(
            &(template.salary.0 + bump).to_string(),
            &(template.salary.1 + bump).to_string(),
        )
        .map_err(|e| anyhow::anyhow!("bad template salary: {e:?}"))?;
        let prefecture = SECTORS
            .iter()
            .find(|s| s.0 == sector)
            .map_or("tokyo", |s| s.3[rng.gen_range(0..s.3.len())]);
        let role = Role {
            sector: None,
            title_ja: Some(template.title_ja.to_owned()),
            title_en: Some(template.title_en.to_owned()),
            description_ja: Some(template.description_ja.to_owned()),
            description_en: Some(template.description_en.to_owned()),
            required_skills: required,
            nice_skills: nice,
            free_skills: Default::default(),
            min_jlpt: template.jlpt,
            jlpt_strict: template.jlpt.is_some() && rng.gen_bool(0.3),
            working_language: if template.jlpt.is_none() {
                WorkingLanguage::English
            } else {
                WorkingLanguage::ALL[rng.gen_range(0..WorkingLanguage::ALL.len())]
            },
            salary,
            prefecture: prefecture.to_owned(),
            remote_policy: RemotePolicy::ALL[rng.gen_range(0..RemotePolicy::ALL.len())],
            visa_sponsorship: rng.gen_bool(0.9),
            apply_from_abroad: rng.gen_bool(0.8),
            headcount: rng.gen_range(1..=5),
            is_open: rng.gen_bool(0.9),
            closes_on: None,
        };
        app::roles::server::create_with(db, employer, org, &role, true)
            .await
            .map_err(|e| anyhow::anyhow!("creating a demo role failed: {e}"))?;
        report.roles += 1;
        bar.inc(1);
    }
    bar.finish_and_clear();

    // Engineers, in batches: users, then their profiles, skills and languages.
    let bar = progress(options.progress, options.engineers, "engineers");
    let mut made = 0;
    while made < options.engineers {
        let size = BATCH.min(options.engineers - made);
        let mut batch = Vec::with_capacity(size);
        for k in 0..size {
            let index = made + k;
            let (mut email, profile) = engineer_profile(&mut rng, taxonomy, index)?;
            if index == 0 {
                email = report.demo_engineer_email.clone();
            }
            batch.push((email, profile));
        }
        let txn = db.begin().await?;
        user::Entity::insert_many(batch.iter().enumerate().map(|(k, (email, p))| {
            user::ActiveModel {
                email: Set(email.clone()),
                password_hash: Set(if made + k == 0 {
                    demo_hash.clone()
                } else {
                    bulk_hash.clone()
                }),
                role: Set("engineer".to_owned()),
                display_name: Set(p.full_name.clone()),
                ui_language: Set("en".to_owned()),
                organisation_id: Set(None),
                suspended: Set(false),
                // demo accounts: their (synthetic) addresses count as proven
                email_verified_at: Set(Some(now)),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
        }))
        .exec(&txn)
        .await?;
        let ids: HashMap<String, i32> = user::Entity::find()
            .filter(user::Column::Email.is_in(batch.iter().map(|(e, _)| e.clone())))
            .all(&txn)
            .await?
            .into_iter()
            .map(|u| (u.email, u.id))
            .collect();
        let id_of = |email: &String| {
            ids.get(email)
                .copied()
                .ok_or_else(|| anyhow::anyhow!("seeded user vanished: {email}"))
        };
        let mut profiles = Vec::with_capacity(size);
        let mut skills = Vec::new();
        let mut languages = Vec::new();
        for (k, (email, p)) in batch.iter().enumerate() {
            let id = id_of(email)?;
            let career =
                careers::demo_career(options.seed, made + k, p, applications::programme_start());
            let details = careers::demo_details(p, made + k);
            profiles.push(engineer_profile::ActiveModel {
                user_id: Set(id),
                full_name: Set(p.full_name.clone()),
                headline: Set(p.headline.clone()),
                summary: Set(p.summary.clone()),
                years_experience: Set(i16::from(p.years_experience)),
                jlpt_level: Set(p.jlpt_level.map(|l| l.code().to_owned())),
                jlpt_certified: Set(p.jlpt_certified),
                indian_state: Set(p.indian_state.clone()),
                city: Set(p.city.clone()),
                degree: Set(p.degree.code().to_owned()),
                desired_salary_jpy: Set(p.desired_salary_jpy),
                date_of_birth: Set(p.date_of_birth),
                visa_interest: Set(p.visa_interest.code().to_owned()),
                searchable: Set(p.searchable),
                is_demo: Set(true),
                updated_at: Set(now),
                dormant_since: Set(None),
                free_skills: Set("[]".to_owned()),
                career: Set(serde_json::to_string(&career)?),
                documents: Set(serde_json::to_string(&details)?),
                created_at: Set(Some(now)),
                available_from: Set(p.available_from),
            });
            skills.extend(p.skills.iter().map(|s| profile_skill::ActiveModel {
                user_id: Set(id),
                skill_id: Set(s.skill.as_str().to_owned()),
                years: Set(i16::from(s.years)),
                level: Set(s.level.code().to_owned()),
            }));
            languages.extend(p.languages.iter().map(|l| profile_language::ActiveModel {
                user_id: Set(id),
                language: Set(l.language.clone()),
                level: Set(l.level.code().to_owned()),
            }));
        }
        engineer_profile::Entity::insert_many(profiles)
            .exec(&txn)
            .await?;
        for chunk in skills.chunks(BATCH) {
            profile_skill::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        for chunk in languages.chunks(BATCH) {
            profile_language::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        made += size;
        bar.inc(size as u64);
    }
    bar.finish_and_clear();
    report.engineers = made;

    let demo_engineer: Option<i32> = user::Entity::find()
        .filter(user::Column::Email.eq(report.demo_engineer_email.clone()))
        .one(db)
        .await?
        .map(|u| u.id);
    let bar = progress(options.progress, options.applications, "applications");
    report.applications = applications::seed_applications(
        db,
        &mut rng,
        options.applications,
        demo_engineer,
        orgs.first().map(|o| o.0),
        &bar,
    )
    .await?;
    bar.finish_and_clear();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_skill_the_seeder_names_is_in_the_taxonomy() {
        let taxonomy = Taxonomy::builtin();
        for (_, pool) in SPECIALISMS {
            resolve_all(&taxonomy, pool).unwrap();
        }
        for t in ROLE_TEMPLATES {
            for (name, _) in t.required {
                resolve_all(&taxonomy, &[name]).unwrap();
            }
            resolve_all(&taxonomy, t.nice).unwrap();
        }
    }

    #[test]
    fn every_sector_has_a_role_template_and_known_prefectures() {
        for (sector, _, _, prefectures) in SECTORS {
            assert!(
                ROLE_TEMPLATES.iter().any(|t| t.sector == *sector),
                "{sector}"
            );
            assert!(domain::geo::Sector::parse(sector).is_some(), "{sector}");
            for p in *prefectures {
                assert!(domain::geo::prefecture(p).is_some(), "{p}");
            }
        }
        for (state, ..) in STATES {
            assert!(domain::geo::indian_state(state).is_some(), "{state}");
        }
    }

    #[test]
    fn the_same_seed_makes_the_same_engineers() {
        let taxonomy = Taxonomy::builtin();
        let make = |seed| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            (0..20)
                .map(|i| engineer_profile(&mut rng, &taxonomy, i).unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(make(7), make(7));
        assert_ne!(make(7), make(8));
    }
}
