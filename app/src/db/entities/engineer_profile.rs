use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "engineer_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: i32,
    pub full_name: String,
    pub headline: Option<String>,
    pub summary: Option<String>,
    pub years_experience: i16,
    pub jlpt_level: Option<String>,
    pub jlpt_certified: bool,
    pub indian_state: Option<String>,
    pub city: Option<String>,
    pub degree: String,
    pub desired_salary_jpy: Option<i64>,
    pub date_of_birth: Option<Date>,
    pub visa_interest: String,
    pub searchable: bool,
    pub is_demo: bool,
    pub updated_at: DateTimeUtc,
    /// Set when the profile went unused for the retention period: hidden from search until its
    /// owner signs in again.
    pub dormant_since: Option<DateTimeUtc>,
    /// Skills typed that the taxonomy does not know, as JSON (migration 15).
    pub free_skills: String,
    /// Education, employment and qualifications, as JSON (migration 16).
    pub career: String,
    /// What the application documents need besides (`DocumentDetails`), as JSON (migration 16).
    pub documents: String,
    /// When the profile was first saved (migration 20): a saved talent search's "new".
    pub created_at: Option<DateTimeUtc>,
    /// The first day the person could start in Japan (migration 20).
    pub available_from: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The skills typed that the taxonomy does not know; a column that does not read (written
    /// by hand, say) reads as none rather than failing the profile.
    pub fn free_skills(&self) -> Vec<domain::skills::FreeSkill> {
        serde_json::from_str(&self.free_skills).unwrap_or_default()
    }

    /// Education, employment and qualifications; a column that does not read is an empty
    /// career rather than a failed profile.
    pub fn career(&self) -> domain::career::Career {
        serde_json::from_str(&self.career).unwrap_or_default()
    }

    /// Whether the JLPT level shown is certified: the profile's box ("I hold the certificate")
    /// or a certificate with its number in the career at that level or above. Otherwise it is
    /// self-declared, and every page that shows it says so.
    pub fn jlpt_is_certified(&self) -> bool {
        self.jlpt_is_certified_by(&self.career())
    }

    /// [`jlpt_is_certified`](Self::jlpt_is_certified) with the career already read.
    pub fn jlpt_is_certified_by(&self, career: &domain::career::Career) -> bool {
        let declared = self.declared_jlpt();
        self.certified_jlpt_by(career)
            .is_some_and(|held| declared.is_none_or(|d| held >= d))
    }

    /// The best JLPT level certified: a certificate with its number in the career, or the
    /// declared level when the profile's box says the certificate is held.
    pub fn certified_jlpt(&self) -> Option<domain::jlpt::JlptLevel> {
        self.certified_jlpt_by(&self.career())
    }

    fn certified_jlpt_by(
        &self,
        career: &domain::career::Career,
    ) -> Option<domain::jlpt::JlptLevel> {
        let boxed = self.declared_jlpt().filter(|_| self.jlpt_certified);
        career.certified_jlpt().max(boxed)
    }

    fn declared_jlpt(&self) -> Option<domain::jlpt::JlptLevel> {
        self.jlpt_level
            .as_deref()
            .and_then(domain::jlpt::JlptLevel::parse)
    }

    /// The documents' personal block and free-text boxes.
    pub fn document_details(&self) -> domain::documents::DocumentDetails {
        serde_json::from_str(&self.documents).unwrap_or_default()
    }
}
