//! The documents a Japanese employer asks an applicant for, written from the person's own
//! profile and career: the 履歴書 (in the layout of the Ministry of Health, Labour and Welfare's
//! 2021 example), the 職務経歴書, and the same content as an English CV. A4 PDFs with the IPAex
//! fonts embedded as subsets; the text can be extracted (`pdftotext` gives the Japanese back).
//!
//! Headings, dates and fixed phrases are Japanese in the Japanese documents; what the person
//! wrote stays in their words and language (no machine translation pretending to be theirs).

mod layout;
mod pdf;
mod photo;

pub use photo::{check_photo, Photo, PhotoError, PhotoKind, MAX_PHOTO_SIDE, MIN_PHOTO_SIDE};

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use domain::career::{
    Career, EducationLevel, Qualification, QualificationKind, YearMonth, JAPANESE_IT_EXAMS,
};
use domain::documents::{year_in, DocumentDetails, DocumentKind, Era};
use domain::language::UiLanguage;
use domain::skills::{SkillId, Taxonomy};

use layout::{Face, Flow, FontData, Op};

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("font not readable: {0}")]
    Font(PathBuf),
    #[error("page layout failed")]
    Layout,
    #[error("PDF writing failed: {0}")]
    Pdf(String),
}

/// Where Debian's `fonts-ipaexfont` puts the two faces.
pub const DEBIAN_GOTHIC: &str = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf";
pub const DEBIAN_MINCHO: &str = "/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf";
/// Where Debian's `fonts-lohit-deva` puts its face: Devanagari, which IPAex lacks.
pub const DEBIAN_DEVANAGARI: &str =
    "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf";

/// The fonts the documents are set in, read once: a gothic and a mincho face, and a
/// Devanagari face that sets Hindi wherever the person wrote it.
#[derive(Clone)]
pub struct Fonts {
    gothic: (FontData, krilla::text::Font),
    mincho: (FontData, krilla::text::Font),
    devanagari: Option<krilla::text::Font>,
}

fn read_font(path: &Path) -> Result<(Arc<Vec<u8>>, krilla::text::Font), DocumentError> {
    let bytes = Arc::new(std::fs::read(path).map_err(|_| DocumentError::Font(path.into()))?);
    let font = krilla::text::Font::new(bytes.clone().into(), 0)
        .ok_or_else(|| DocumentError::Font(path.into()))?;
    Ok((bytes, font))
}

impl Fonts {
    /// Reads a gothic and a mincho font (TrueType or OpenType), and the Devanagari font if one
    /// is named.
    pub fn from_files(
        gothic: &Path,
        mincho: &Path,
        devanagari: Option<&Path>,
    ) -> Result<Fonts, DocumentError> {
        let fallback = devanagari.map(read_font).transpose()?;
        let face = |path: &Path| -> Result<(FontData, krilla::text::Font), DocumentError> {
            let (bytes, font) = read_font(path)?;
            Ok((
                FontData::new(bytes, fallback.as_ref().map(|(b, _)| b.clone())),
                font,
            ))
        };
        Ok(Fonts {
            gothic: face(gothic)?,
            mincho: face(mincho)?,
            devanagari: fallback.map(|(_, font)| font),
        })
    }

    /// Debian's IPAex fonts, with Lohit Devanagari when installed (without it, Hindi text is
    /// written but shows as missing glyphs).
    pub fn debian() -> Result<Fonts, DocumentError> {
        let devanagari = Path::new(DEBIAN_DEVANAGARI);
        Fonts::from_files(
            Path::new(DEBIAN_GOTHIC),
            Path::new(DEBIAN_MINCHO),
            devanagari.exists().then_some(devanagari),
        )
    }

    fn data(&self, face: Face) -> &FontData {
        match face {
            Face::Gothic => &self.gothic.0,
            Face::Mincho => &self.mincho.0,
        }
    }

    fn drawn(&self, face: Face) -> pdf::Drawn<'_> {
        let (data, font) = match face {
            Face::Gothic => (&self.gothic.0, self.gothic.1.clone()),
            Face::Mincho => (&self.mincho.0, self.mincho.1.clone()),
        };
        pdf::Drawn {
            data,
            font,
            fallback: self.devanagari.clone(),
        }
    }
}

/// Everything a document is written from.
pub struct Applicant<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub date_of_birth: Option<NaiveDate>,
    pub details: &'a DocumentDetails,
    pub career: &'a Career,
    /// Skills with years (the work history's years where it names them).
    pub skills: &'a [(SkillId, u8)],
    /// Skills typed that the taxonomy does not know, with years.
    pub free_skills: &'a [(String, u8)],
    pub taxonomy: &'a Taxonomy,
    /// The date the document is written on (Japan's date).
    pub today: NaiveDate,
    /// The 履歴書's photo, if the person gave one.
    pub photo: Option<&'a Photo>,
}

/// Writes one document as PDF bytes.
pub fn render(
    kind: DocumentKind,
    applicant: &Applicant,
    fonts: &Fonts,
) -> Result<Vec<u8>, DocumentError> {
    let data = |face: Face| fonts.data(face);
    let mut flow = Flow::new(&data);
    let (title, language) = match kind {
        DocumentKind::Rirekisho => {
            rirekisho(&mut flow, applicant);
            (format!("履歴書 {}", applicant.name), "ja")
        }
        DocumentKind::ShokumuKeirekisho => {
            shokumu_keirekisho(&mut flow, applicant);
            (format!("職務経歴書 {}", applicant.name), "ja")
        }
        DocumentKind::Cv => {
            cv(&mut flow, applicant);
            (format!("Curriculum vitae {}", applicant.name), "en")
        }
    };
    pdf::write(&flow.pages, |face| fonts.drawn(face), &title, language)
}

fn month_ja(era: Era, month: YearMonth) -> String {
    format!("{}{}月", year_in(era, month), month.month)
}

fn date_ja(era: Era, date: NaiveDate) -> String {
    format!(
        "{}{}月{}日",
        year_in(era, YearMonth::of(date)),
        date.month(),
        date.day()
    )
}

fn skill_name(taxonomy: &Taxonomy, id: &SkillId, lang: UiLanguage) -> String {
    taxonomy
        .get(id.as_str())
        .map_or_else(|| id.as_str().to_owned(), |s| s.name(lang).to_owned())
}

/// A qualification as the 資格 rows write it.
fn qualification_ja(q: &Qualification) -> String {
    match q.kind {
        QualificationKind::JapaneseIt => JAPANESE_IT_EXAMS
            .iter()
            .find(|(code, _, _)| *code == q.name)
            .map_or(q.name.clone(), |(_, ja, _)| format!("{ja}試験 合格")),
        QualificationKind::Nielit => format!("NIELIT {}レベル 取得", q.name),
        QualificationKind::Jlpt => format!("日本語能力試験 {} 合格", q.name),
        QualificationKind::Foreign => format!("{} 取得", q.name),
        QualificationKind::Patent => format!("特許 {}", q.name),
        QualificationKind::Paper => format!("論文 {}", q.name),
    }
}

fn qualification_en(q: &Qualification) -> String {
    let number = q
        .identifier
        .as_ref()
        .map(|n| format!(" (no. {n})"))
        .unwrap_or_default();
    match q.kind {
        QualificationKind::JapaneseIt => JAPANESE_IT_EXAMS
            .iter()
            .find(|(code, _, _)| *code == q.name)
            .map_or(q.name.clone(), |(_, _, en)| {
                format!("{en} Examination (IPA, Japan)")
            }),
        QualificationKind::Nielit => format!("NIELIT {} Level", q.name),
        QualificationKind::Jlpt => format!("Japanese-Language Proficiency Test {}{number}", q.name),
        QualificationKind::Foreign => format!("{}{number}", q.name),
        QualificationKind::Patent => format!("Patent: {}{number}", q.name),
        QualificationKind::Paper => format!("Paper: {}{number}", q.name),
    }
}

/// The rows of the 学歴・職歴 table: (month, text, centred or right-aligned marker).
enum Row {
    Heading(&'static str),
    Entry(Option<YearMonth>, String),
    End,
}

fn history_rows(career: &Career) -> Vec<Row> {
    let mut rows = vec![Row::Heading("学歴")];
    let mut education: Vec<_> = career.education.iter().collect();
    education.sort_by_key(|e| e.started);
    for e in education {
        let school = format!("{} {}", e.institution, e.field);
        rows.push(Row::Entry(Some(e.started), format!("{school} 入学")));
        let finished = match e.level {
            EducationLevel::Diploma | EducationLevel::Bachelors => "卒業",
            _ => "修了",
        };
        match e.ended {
            Some(ended) => rows.push(Row::Entry(Some(ended), format!("{school} {finished}"))),
            None => rows.push(Row::Entry(None, "在学中".to_owned())),
        }
    }
    rows.push(Row::Heading("職歴"));
    let mut jobs: Vec<_> = career.employment.iter().collect();
    jobs.sort_by_key(|j| j.started);
    for j in jobs {
        rows.push(Row::Entry(Some(j.started), format!("{} 入社", j.employer)));
        rows.push(Row::Entry(None, format!("　{}", j.title)));
        match j.ended {
            Some(ended) => rows.push(Row::Entry(Some(ended), format!("{} 退社", j.employer))),
            None => rows.push(Row::Entry(None, "現在に至る".to_owned())),
        }
    }
    rows.push(Row::End);
    rows
}

const ROW: f32 = 22.0;
const YEAR_COLUMN: f32 = 78.0;
const MONTH_COLUMN: f32 = 30.0;

/// A 年 | 月 | text table with a header, continued on the next page when it runs over.
fn year_month_table(flow: &mut Flow, era: Era, heading: &str, rows: &[Row]) {
    let (left, right) = (flow.left(), flow.right());
    let year_right = left + YEAR_COLUMN;
    let month_right = year_right + MONTH_COLUMN;
    let header = |flow: &mut Flow| {
        let top = flow.y;
        flow.text_centred(left, year_right, 9.0, Face::Gothic, "年");
        flow.text_centred(year_right, month_right, 9.0, Face::Gothic, "月");
        flow.text_centred(month_right, right, 9.0, Face::Gothic, heading);
        flow.y += ROW * 0.8;
        let bottom = flow.y;
        flow.line((left, top), (right, top), 1.0);
        flow.line((left, bottom), (right, bottom), 0.5);
        for (x, width) in [
            (left, 1.0),
            (year_right, 0.3),
            (month_right, 0.3),
            (right, 1.0),
        ] {
            flow.line((x, top), (x, bottom), width);
        }
    };
    flow.y += 4.0;
    header(flow);
    for row in rows {
        let text_top = flow.y + 5.0;
        if flow.ensure(ROW) {
            header(flow);
        }
        let top = flow.y;
        flow.y = text_top.max(top + 5.0);
        match row {
            Row::Heading(text) => flow.text_centred(month_right, right, 10.5, Face::Mincho, text),
            Row::Entry(month, text) => {
                if let Some(month) = month {
                    flow.text_centred(left, year_right, 10.0, Face::Mincho, &year_in(era, *month));
                    flow.text_centred(
                        year_right,
                        month_right,
                        10.0,
                        Face::Mincho,
                        &month.month.to_string(),
                    );
                }
                let width = right - month_right - 12.0;
                let line = layout::wrap(flow.font(Face::Mincho), text, 10.0, width)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                flow.text_at(month_right + 6.0, 10.0, Face::Mincho, &line);
            }
            Row::End => flow.text_right(right - 12.0, 10.0, Face::Mincho, "以上"),
        }
        flow.y = top + ROW;
        flow.line((left, flow.y), (right, flow.y), 0.3);
        flow.line((year_right, top), (year_right, flow.y), 0.3);
        flow.line((month_right, top), (month_right, flow.y), 0.3);
        flow.line((left, top), (left, flow.y), 1.0);
        flow.line((right, top), (right, flow.y), 1.0);
    }
}

/// A framed box with a heading and wrapped text (at least `min_height` tall).
fn text_box(flow: &mut Flow, heading: &str, text: &str, min_height: f32) {
    let (left, right) = (flow.left(), flow.right());
    flow.ensure(min_height.min(200.0));
    let page = flow.pages.len();
    let top = flow.y;
    flow.y += 4.0;
    flow.text_at(left + 6.0, 9.0, Face::Gothic, heading);
    flow.y += 16.0;
    flow.paragraph(left + 8.0, right - 8.0, 10.0, Face::Mincho, text);
    flow.y = flow.y.max(top + min_height);
    if flow.pages.len() == page {
        flow.frame(left, top, right, flow.y, 1.0);
    } else {
        // the text ran onto another page: close the box where it ends
        let y = flow.y;
        flow.line((left, y), (right, y), 1.0);
    }
    flow.gap(10.0);
}

/// 履歴書: the personal block with a place for the photo, 学歴・職歴, 免許・資格, 志望の動機,
/// 本人希望記入欄.
fn rirekisho(flow: &mut Flow, a: &Applicant) {
    let era = a.details.era;
    let (left, right) = (flow.left(), flow.right());
    flow.text_at(left, 20.0, Face::Gothic, "履　歴　書");
    flow.text_right(
        right - 100.0,
        9.5,
        Face::Mincho,
        &format!("{}現在", date_ja(era, a.today)),
    );
    flow.y += 34.0;

    // the personal block, with the photo's place (4 cm × 3 cm) on its right
    let photo_left = right - 85.0;
    let block_right = photo_left - 12.0;
    let top = flow.y;
    flow.frame(photo_left, top - 28.0, right, top + 85.0, 0.5);
    match a
        .photo
        .and_then(|photo| photo.image().ok().map(|image| (photo, image.size())))
    {
        // the photo fitted inside the box, centred, its proportions kept
        Some((photo, (width, height))) => {
            let (box_width, box_height) = (right - photo_left, 113.0);
            let scale = (box_width / width as f32).min(box_height / height as f32);
            let (w, h) = (width as f32 * scale, height as f32 * scale);
            flow.push(Op::Image {
                x: photo_left + (box_width - w) / 2.0,
                y: top - 28.0 + (box_height - h) / 2.0,
                width: w,
                height: h,
                photo: photo.clone(),
            });
        }
        None => {
            flow.y = top + 20.0;
            flow.text_centred(photo_left, right, 8.0, Face::Mincho, "写真");
        }
    }
    flow.y = top;
    let rows: [(&str, String, f32); 6] = [
        (
            "ふりがな",
            a.details.name_kana.clone().unwrap_or_default(),
            9.0,
        ),
        ("氏　名", a.name.to_owned(), 16.0),
        (
            "生年月日",
            a.date_of_birth
                .map(|born| {
                    format!(
                        "{}生（満{}歳）",
                        date_ja(era, born),
                        domain::profile::age_on(born, a.today)
                    )
                })
                .unwrap_or_default(),
            10.0,
        ),
        (
            "現住所",
            format!(
                "{}{}",
                a.details
                    .postal_code
                    .as_ref()
                    .map(|p| format!("〒{p}　"))
                    .unwrap_or_default(),
                a.details.address.clone().unwrap_or_default()
            ),
            10.0,
        ),
        ("電　話", a.details.phone.clone().unwrap_or_default(), 10.0),
        ("メール", a.email.to_owned(), 10.0),
    ];
    flow.line((left, top), (block_right, top), 1.0);
    for (label, value, size) in rows {
        let row_top = flow.y;
        let height = if size > 12.0 { 30.0 } else { 20.0 };
        flow.y = row_top + (height - size) / 2.0;
        flow.text_at(left + 4.0, 8.0, Face::Gothic, label);
        let width = block_right - left - 70.0;
        let line = layout::wrap(flow.font(Face::Mincho), &value, size, width)
            .into_iter()
            .next()
            .unwrap_or_default();
        flow.text_at(left + 62.0, size, Face::Mincho, &line);
        flow.y = row_top + height;
        flow.line((left, flow.y), (block_right, flow.y), 0.5);
        flow.line((left, row_top), (left, flow.y), 1.0);
        flow.line((left + 56.0, row_top), (left + 56.0, flow.y), 0.3);
        flow.line((block_right, row_top), (block_right, flow.y), 1.0);
    }
    flow.gap(14.0);

    year_month_table(flow, era, "学歴・職歴", &history_rows(a.career));
    flow.gap(14.0);
    let mut held: Vec<&Qualification> = a.career.qualifications.iter().collect();
    held.sort_by_key(|q| q.obtained);
    let rows: Vec<Row> = held
        .into_iter()
        .map(|q| Row::Entry(Some(q.obtained), qualification_ja(q)))
        .collect();
    year_month_table(flow, era, "免許・資格", &rows);
    flow.gap(14.0);
    text_box(
        flow,
        "志望の動機、特技、好きな学科、アピールポイントなど",
        a.details.motivation.as_deref().unwrap_or(""),
        110.0,
    );
    text_box(
        flow,
        "本人希望記入欄（特に給料・職種・勤務時間・勤務地・その他についての希望などがあれば記入）",
        a.details
            .wishes
            .as_deref()
            .unwrap_or("貴社の規定に従います。"),
        70.0,
    );
}

fn heading(flow: &mut Flow, text: &str) {
    flow.ensure(40.0);
    flow.gap(8.0);
    flow.text_at(flow.left(), 12.0, Face::Gothic, text);
    flow.y += 16.0;
    let (left, right, y) = (flow.left(), flow.right(), flow.y);
    flow.line((left, y), (right, y), 0.8);
    flow.gap(6.0);
}

fn skills_lines(a: &Applicant, lang: UiLanguage, years: impl Fn(u8) -> String) -> Vec<String> {
    let mut lines: Vec<(String, u8)> = a
        .skills
        .iter()
        .map(|(id, y)| (skill_name(a.taxonomy, id, lang), *y))
        .chain(a.free_skills.iter().cloned())
        .collect();
    lines.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
    lines
        .into_iter()
        .map(|(name, y)| format!("・{name}（{}）", years(y)))
        .collect()
}

/// 職務経歴書: 職務要約, 職務経歴 (newest first), 活かせる経験・知識・技術, 資格, 自己PR.
fn shokumu_keirekisho(flow: &mut Flow, a: &Applicant) {
    let era = a.details.era;
    let (left, right) = (flow.left(), flow.right());
    flow.text_centred(left, right, 18.0, Face::Gothic, "職務経歴書");
    flow.y += 28.0;
    flow.text_right(
        right,
        10.0,
        Face::Mincho,
        &format!("{}現在", date_ja(era, a.today)),
    );
    flow.y += 15.0;
    flow.text_right(right, 10.0, Face::Mincho, &format!("氏名　{}", a.name));
    flow.y += 18.0;

    heading(flow, "■職務要約");
    flow.paragraph(
        left + 8.0,
        right,
        10.0,
        Face::Mincho,
        a.details.career_summary.as_deref().unwrap_or(""),
    );

    heading(flow, "■職務経歴");
    let mut jobs: Vec<_> = a.career.employment.iter().collect();
    jobs.sort_by_key(|job| std::cmp::Reverse(job.started));
    for job in jobs {
        flow.ensure(60.0);
        let period = format!(
            "{}～{}",
            month_ja(era, job.started),
            job.ended.map_or("現在".to_owned(), |e| month_ja(era, e))
        );
        flow.text_at(
            left + 4.0,
            10.5,
            Face::Gothic,
            &format!("{period}　{}", job.employer),
        );
        flow.y += 17.0;
        flow.paragraph(
            left + 16.0,
            right,
            10.0,
            Face::Mincho,
            &format!("役職：{}", job.title),
        );
        if let Some(description) = &job.description {
            flow.paragraph(left + 16.0, right, 10.0, Face::Mincho, "業務内容・実績：");
            flow.paragraph(left + 28.0, right, 10.0, Face::Mincho, description);
        }
        let used: Vec<String> = job
            .skills
            .iter()
            .map(|id| skill_name(a.taxonomy, id, UiLanguage::Ja))
            .chain(job.free_skills.iter().cloned())
            .collect();
        if !used.is_empty() {
            flow.paragraph(
                left + 16.0,
                right,
                10.0,
                Face::Mincho,
                &format!("使用技術：{}", used.join("、")),
            );
        }
        flow.gap(8.0);
    }

    heading(flow, "■活かせる経験・知識・技術");
    for line in skills_lines(a, UiLanguage::Ja, |y| format!("{y}年")) {
        flow.paragraph(left + 8.0, right, 10.0, Face::Mincho, &line);
    }

    heading(flow, "■資格");
    let mut held: Vec<&Qualification> = a.career.qualifications.iter().collect();
    held.sort_by_key(|q| q.obtained);
    for q in held {
        flow.paragraph(
            left + 8.0,
            right,
            10.0,
            Face::Mincho,
            &format!("{}　{}", month_ja(era, q.obtained), qualification_ja(q)),
        );
    }

    heading(flow, "■自己PR");
    flow.paragraph(
        left + 8.0,
        right,
        10.0,
        Face::Mincho,
        a.details.self_pr.as_deref().unwrap_or(""),
    );
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn month_en(month: YearMonth) -> String {
    format!(
        "{} {}",
        MONTHS[usize::from(month.month.clamp(1, 12) - 1)],
        month.year
    )
}

/// The English CV: the same content, English headings.
fn cv(flow: &mut Flow, a: &Applicant) {
    let (left, right) = (flow.left(), flow.right());
    flow.text_at(left, 20.0, Face::Gothic, a.name);
    flow.y += 28.0;
    let contact: Vec<String> = [
        Some(a.email.to_owned()),
        a.details.phone.clone(),
        a.details.address.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    flow.paragraph(left, right, 9.5, Face::Gothic, &contact.join(" · "));

    heading(flow, "Summary");
    flow.paragraph(
        left,
        right,
        10.0,
        Face::Gothic,
        a.details.career_summary.as_deref().unwrap_or(""),
    );

    heading(flow, "Experience");
    let mut jobs: Vec<_> = a.career.employment.iter().collect();
    jobs.sort_by_key(|job| std::cmp::Reverse(job.started));
    for job in jobs {
        flow.ensure(50.0);
        let period = format!(
            "{} – {}",
            month_en(job.started),
            job.ended.map_or("present".to_owned(), month_en)
        );
        flow.paragraph(
            left,
            right,
            10.5,
            Face::Gothic,
            &format!("{} · {}", job.title, job.employer),
        );
        flow.paragraph(
            left,
            right,
            9.0,
            Face::Gothic,
            &format!("{period} · {}", job.country),
        );
        if let Some(description) = &job.description {
            flow.paragraph(left + 10.0, right, 10.0, Face::Gothic, description);
        }
        let used: Vec<String> = job
            .skills
            .iter()
            .map(|id| skill_name(a.taxonomy, id, UiLanguage::En))
            .chain(job.free_skills.iter().cloned())
            .collect();
        if !used.is_empty() {
            flow.paragraph(
                left + 10.0,
                right,
                9.5,
                Face::Gothic,
                &format!("Skills: {}", used.join(", ")),
            );
        }
        flow.gap(6.0);
    }

    heading(flow, "Education");
    let mut education: Vec<_> = a.career.education.iter().collect();
    education.sort_by_key(|e| std::cmp::Reverse(e.started));
    for e in education {
        let level = match e.level {
            EducationLevel::Diploma => "Diploma",
            EducationLevel::Bachelors => "Bachelor's degree",
            EducationLevel::Masters => "Master's degree",
            EducationLevel::MbaOrMot => "MBA / MOT",
            EducationLevel::Doctorate => "Doctorate",
        };
        let period = format!(
            "{} – {}",
            month_en(e.started),
            e.ended.map_or("present".to_owned(), month_en)
        );
        flow.paragraph(
            left,
            right,
            10.0,
            Face::Gothic,
            &format!("{level}, {} · {}", e.field, e.institution),
        );
        flow.paragraph(
            left,
            right,
            9.0,
            Face::Gothic,
            &format!("{period} · {}", e.country),
        );
    }

    heading(flow, "Skills");
    for line in skills_lines(a, UiLanguage::En, |y| {
        if y == 1 {
            "1 year".to_owned()
        } else {
            format!("{y} years")
        }
    }) {
        flow.paragraph(
            left,
            right,
            10.0,
            Face::Gothic,
            &line
                .replace('・', "• ")
                .replace('（', " (")
                .replace('）', ")"),
        );
    }

    heading(flow, "Qualifications");
    let mut held: Vec<&Qualification> = a.career.qualifications.iter().collect();
    held.sort_by_key(|q| q.obtained);
    for q in held {
        flow.paragraph(
            left,
            right,
            10.0,
            Face::Gothic,
            &format!("{} · {}", month_en(q.obtained), qualification_en(q)),
        );
    }

    if let Some(statement) = &a.details.self_pr {
        heading(flow, "Personal statement");
        flow.paragraph(left, right, 10.0, Face::Gothic, statement);
    }
}
