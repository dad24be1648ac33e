//! The three documents written from one applicant, read back with poppler's `pdftotext` (as an
//! employer's system would): the Japanese headings and dates, the person's own English words,
//! and the fonts embedded as subsets, not whole. `SETUBASHI_DOCUMENTS_OUT=dir` keeps the PDFs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::Command;

use chrono::NaiveDate;
use documents::{render, Applicant, Fonts};
use domain::career::CareerDraft;
use domain::documents::{DocumentDetails, DocumentKind, Era};
use domain::skills::Taxonomy;

fn career(taxonomy: &Taxonomy) -> domain::career::Career {
    let draft: CareerDraft = serde_json::from_value(serde_json::json!({
        "education": [
            {"level": "bachelors", "field": "Electronics and Communication", "institution": "NIT Trichy",
             "country": "IN", "started": "2012-07", "ended": "2016-05"},
            {"level": "masters", "field": "VLSI Design", "institution": "Tohoku University",
             "country": "JP", "started": "2016-10", "ended": "2019-09"}
        ],
        "employment": [
            {"employer": "Tata Elxsi", "country": "IN", "title": "Embedded software engineer",
             "started": "2019-10", "ended": "2022-03",
             "description": "Body control modules on AUTOSAR Classic; cut boot time by 40%. बैटरी प्रबंधन प्रणाली का परीक्षण।",
             "skills": "AUTOSAR, 組込みC"},
            {"employer": "Bosch Global Software Technologies", "country": "IN", "title": "Senior engineer",
             "started": "2022-04", "skills": "Rust"}
        ],
        "qualifications": [
            {"kind": "jlpt", "name": "N2", "obtained": "2023-12", "identifier": "N2A123456"},
            {"kind": "japanese_it", "name": "fe", "obtained": "2024-06"}
        ]
    }))
    .unwrap();
    draft
        .parse(taxonomy, NaiveDate::from_ymd_opt(2026, 12, 5).unwrap())
        .unwrap()
}

fn text_of(pdf: &[u8]) -> String {
    let mut file = tempfile();
    file.1.write_all(pdf).unwrap();
    let out = Command::new("pdftotext")
        .args([file.0.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (Debian's poppler-utils) reads the PDF");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn tempfile() -> (std::path::PathBuf, std::fs::File) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = std::env::temp_dir().join(format!(
        "setubashi-doc-{}-{}.pdf",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let file = std::fs::File::create(&path).unwrap();
    (path, file)
}

#[test]
fn the_three_documents_carry_the_persons_history_in_extractable_text() {
    let fonts = Fonts::debian().expect("Debian's fonts-ipaexfont (scripts/install-tools.sh)");
    let taxonomy = Taxonomy::builtin();
    let career = career(&taxonomy);
    let details = DocumentDetails {
        name_kana: Some("プリヤ シャルマ".into()),
        postal_code: Some("560-0001".into()),
        address: Some("Bengaluru, Karnataka".into()),
        phone: Some("+91 98450 12345".into()),
        motivation: Some("I want to build safe vehicle software in Japan.".into()),
        career_summary: Some("Seven years of automotive embedded software.".into()),
        self_pr: Some("I lead small teams through ASPICE audits.".into()),
        era: Era::Japanese,
        ..Default::default()
    };
    let skills = career.skill_years(domain::career::YearMonth::new(2026, 12).unwrap());
    let applicant = Applicant {
        name: "Priya Sharma",
        email: "priya@example.in",
        date_of_birth: NaiveDate::from_ymd_opt(1994, 4, 2),
        details: &details,
        career: &career,
        skills: &skills,
        free_skills: &[("Acme FlowBuilder".to_owned(), 2)],
        taxonomy: &taxonomy,
        today: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        photo: None,
    };

    // SETUBASHI_DOCUMENTS_OUT=dir keeps the three PDFs there, to look at
    if let Ok(dir) = std::env::var("SETUBASHI_DOCUMENTS_OUT") {
        for kind in DocumentKind::ALL {
            let pdf = render(kind, &applicant, &fonts).unwrap();
            std::fs::write(format!("{dir}/{}.pdf", kind.slug()), pdf).unwrap();
        }
    }
    let rirekisho = render(DocumentKind::Rirekisho, &applicant, &fonts).unwrap();
    let text = text_of(&rirekisho);
    for expected in [
        "履",
        "歴",
        "令和8年12月5日現在",
        "プリヤ シャルマ",
        "Priya Sharma",
        "平成6年4月2日生（満32歳）",
        "学歴・職歴",
        "NIT Trichy Electronics and Communication 入学",
        "Tohoku University VLSI Design 修了",
        "Tata Elxsi 入社",
        "現在に至る",
        "以上",
        "日本語能力試験 N2 合格",
        "基本情報技術者試験 合格",
        "I want to build safe vehicle software in Japan.",
        "貴社の規定に従います。",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} not in the 履歴書:\n{text}"
        );
    }
    // 令和 began in May 2019: September 2019 is 令和元年
    assert!(text.contains("令和元年"), "{text}");

    let shokumu = text_of(&render(DocumentKind::ShokumuKeirekisho, &applicant, &fonts).unwrap());
    for expected in [
        "職務経歴書",
        "■職務要約",
        "Seven years of automotive embedded software.",
        "令和4年4月～現在",
        "Bosch Global Software Technologies",
        "使用技術：AUTOSAR、組み込みC",
        "Body control modules on AUTOSAR Classic; cut boot time by 40%.",
        // Hindi the person wrote stays Hindi, set in the Devanagari font
        "बैटरी प्रबंधन",
        "Acme FlowBuilder（2年）",
        "■自己PR",
    ] {
        assert!(
            shokumu.contains(expected),
            "{expected:?} not in the 職務経歴書:\n{shokumu}"
        );
    }

    let cv = text_of(&render(DocumentKind::Cv, &applicant, &fonts).unwrap());
    for expected in [
        "Priya Sharma",
        "Experience",
        "Senior engineer · Bosch Global Software Technologies",
        "Apr 2022 – present",
        "Master's degree, VLSI Design · Tohoku University",
        "Japanese-Language Proficiency Test N2 (no. N2A123456)",
        "Personal statement",
    ] {
        assert!(cv.contains(expected), "{expected:?} not in the CV:\n{cv}");
    }

    // the fonts are embedded as subsets: IPAex Mincho alone is 4 MB
    assert!(rirekisho.len() < 400_000, "{} bytes", rirekisho.len());
    assert!(rirekisho.windows(9).any(|w| w == b"FontFile2"));
    let fonts_used =
        pdffonts(&render(DocumentKind::ShokumuKeirekisho, &applicant, &fonts).unwrap());
    for face in ["IPAexMincho", "IPAexGothic", "Lohit-Devanagari"] {
        let line = fonts_used
            .lines()
            .find(|l| l.contains(face))
            .unwrap_or_else(|| panic!("{face} not in:\n{fonts_used}"));
        // poppler's columns: name type encoding emb sub uni ...; a subset's name has a tag
        assert!(line.contains('+'), "{face} is not a subset: {line}");
        assert!(
            line.contains(" yes yes "),
            "{face} is not embedded as a subset: {line}"
        );
    }
}

/// The fonts of a PDF as poppler's `pdffonts` lists them.
fn pdffonts(pdf: &[u8]) -> String {
    let mut file = tempfile();
    file.1.write_all(pdf).unwrap();
    let out = Command::new("pdffonts")
        .arg(file.0.to_str().unwrap())
        .output()
        .expect("pdffonts (Debian's poppler-utils)");
    String::from_utf8(out.stdout).unwrap()
}

/// A PNG of `width` × `height` pixels, a gradient.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| [(i % 251) as u8, (i / width % 251) as u8, 128])
        .collect();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

#[test]
fn a_photo_is_checked_by_its_bytes_and_drawn_in_the_rirekishos_box() {
    use documents::{check_photo, Photo, PhotoError, PhotoKind};
    let good = png(300, 400);
    assert_eq!(check_photo(&good), Ok(PhotoKind::Png));
    assert_eq!(
        check_photo(b"GIF89a not a photo"),
        Err(PhotoError::NotAnImage)
    );
    assert_eq!(check_photo(&png(40, 40)), Err(PhotoError::Size(40, 40)));
    assert_eq!(
        check_photo(&png(3_001, 80)),
        Err(PhotoError::Size(3_001, 80))
    );
    // the right first bytes with nothing an image needs after them
    let mut broken = good[..40].to_vec();
    broken.extend_from_slice(&[0; 64]);
    assert_eq!(check_photo(&broken), Err(PhotoError::NotAnImage));
    let jpeg_lookalike = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0];
    assert_eq!(check_photo(&jpeg_lookalike), Err(PhotoError::NotAnImage));

    let fonts = Fonts::debian().expect("Debian's fonts-ipaexfont");
    let taxonomy = Taxonomy::builtin();
    let career = career(&taxonomy);
    let details = DocumentDetails::default();
    let photo = Photo {
        kind: PhotoKind::Png,
        bytes: std::sync::Arc::new(good),
    };
    let applicant = |photo| Applicant {
        name: "Priya Sharma",
        email: "",
        date_of_birth: None,
        details: &details,
        career: &career,
        skills: &[],
        free_skills: &[],
        taxonomy: &taxonomy,
        today: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        photo,
    };
    let with = render(DocumentKind::Rirekisho, &applicant(Some(&photo)), &fonts).unwrap();
    let without = render(DocumentKind::Rirekisho, &applicant(None), &fonts).unwrap();
    if let Ok(dir) = std::env::var("SETUBASHI_DOCUMENTS_OUT") {
        std::fs::write(format!("{dir}/rirekisho-photo.pdf"), &with).unwrap();
    }
    let images = |pdf: &[u8]| {
        let mut file = tempfile();
        file.1.write_all(pdf).unwrap();
        let out = Command::new("pdfimages")
            .args(["-list", file.0.to_str().unwrap()])
            .output()
            .expect("pdfimages (Debian's poppler-utils)");
        String::from_utf8(out.stdout).unwrap()
    };
    let listed = images(&with);
    // poppler's list: a header of two lines, then one line an image, 300 × 400 as uploaded
    assert_eq!(listed.lines().count(), 3, "{listed}");
    assert!(
        listed.lines().nth(2).unwrap().contains(" 300   400 "),
        "{listed}"
    );
    assert_eq!(images(&without).lines().count(), 2);
    // without a photo the box says where it goes
    assert!(text_of(&without).contains("写真"));
    assert!(!text_of(&with).contains("写真"));
}
