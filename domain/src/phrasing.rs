//! Activity phrases as CVs and occupational classifications write them ("analyse data",
//! "manage databases", "debug software", "team handling") read again as the nouns a taxonomy
//! names skills with ("data analysis", "database administration", "software debugging",
//! "team management"). The look-up tries these readings beside the words as typed.

/// Verbs (and their -ing forms) of activity phrases, with the nouns that name the activity.
/// Spellings are American: text is folded to them before it is read.
const ACTIVITIES: &[(&[&str], &[&str])] = &[
    (
        &["analyze", "analyzing", "analyse", "analysing"],
        &["analysis", "analytics"],
    ),
    (
        &[
            "manage", "managing", "handle", "handling", "lead", "leading",
        ],
        &["management", "administration", "leadership"],
    ),
    (
        &["administer", "administering", "administrate"],
        &["administration"],
    ),
    (
        &["maintain", "maintaining"],
        &["maintenance", "administration", "tuning"],
    ),
    (
        &[
            "develop",
            "developing",
            "build",
            "building",
            "create",
            "creating",
        ],
        &["development"],
    ),
    (&["design", "designing"], &["design"]),
    (&["test", "testing"], &["testing"]),
    (
        &["debug", "debugging", "troubleshoot", "troubleshooting"],
        &["debugging", "troubleshooting"],
    ),
    (
        &["implement", "implementing"],
        &["implementation", "development"],
    ),
    (&["deploy", "deploying"], &["deployment"]),
    (&["automate", "automating"], &["automation"]),
    (&["monitor", "monitoring"], &["monitoring"]),
    (
        &[
            "optimize",
            "optimizing",
            "optimise",
            "optimising",
            "tune",
            "tuning",
        ],
        &["optimization", "tuning"],
    ),
    (
        &["program", "programming", "code", "coding"],
        &["programming"],
    ),
    (&["model", "modeling", "modelling"], &["modeling"]),
    (
        &["secure", "securing", "protect", "protecting"],
        &["security"],
    ),
    (&["operate", "operating", "run", "running"], &["operations"]),
    (&["plan", "planning"], &["planning"]),
    (&["configure", "configuring"], &["configuration"]),
    (&["integrate", "integrating"], &["integration"]),
    (&["migrate", "migrating"], &["migration"]),
    (&["verify", "verifying"], &["verification"]),
    (&["validate", "validating"], &["validation"]),
    (
        &["visualize", "visualizing", "visualise", "visualising"],
        &["visualization"],
    ),
    (&["estimate", "estimating"], &["estimation"]),
    (&["document", "documenting"], &["documentation"]),
    (&["review", "reviewing"], &["review"]),
    (&["train", "training"], &["training"]),
];

/// Words that only say something is done, not what: dropped from an activity phrase
/// ("use software design patterns" → "software design patterns").
const EMPTY_VERBS: &[&str] = &[
    "use",
    "using",
    "apply",
    "applying",
    "perform",
    "performing",
    "write",
    "writing",
    "work",
    "working",
    "do",
    "doing",
    "carry",
    "out",
    "with",
    "on",
    "in",
    "of",
    "for",
    "the",
    "a",
    "an",
    "hands",
    "experience",
    "knowledge",
    "skills",
    "skill",
    "cases",
    "case",
];

/// Words ending in s that are no plural.
const NOT_PLURAL: &[&str] = &[
    "kubernetes",
    "jenkins",
    "redis",
    "devops",
    "postgres",
    "windows",
];

/// A plural's singular, for the object of an activity ("databases" → "database"); words
/// that merely end in s are left ("analysis", "kubernetes", "robotics", "sass"). A wrong
/// singular only loses a reading: the words as typed are read too.
fn singular(word: &str) -> &str {
    let keep = word.len() <= 4
        || !word.ends_with('s')
        || ["ss", "us", "is", "ics"]
            .iter()
            .any(|end| word.ends_with(end))
        || NOT_PLURAL.contains(&word);
    if keep {
        word
    } else {
        &word[..word.len() - 1]
    }
}

/// The readings of an activity phrase as skill nouns, most likely first; empty when the
/// phrase holds no activity verb. `words` are lower case, in the order typed.
pub fn activity_readings(words: &[&str]) -> Vec<String> {
    if words.len() < 2 || words.len() > 8 {
        return Vec::new();
    }
    // the activity is the first word that says something ("analyse data") or the last
    // ("team handling"): a verb inside a name ("software design patterns") is part of it
    let is_activity = |word: &str| {
        ACTIVITIES
            .iter()
            .find(|(verbs, _)| verbs.contains(&word))
            .map(|(_, nouns)| *nouns)
    };
    let saying: Vec<usize> = (0..words.len())
        .filter(|&i| !EMPTY_VERBS.contains(&words[i]))
        .collect();
    let activity = [saying.first(), saying.last()]
        .into_iter()
        .flatten()
        .find_map(|&i| is_activity(words[i]).map(|nouns| (i, nouns)));
    let object: Vec<&str> = words
        .iter()
        .enumerate()
        .filter(|(i, w)| activity.is_none_or(|(at, _)| at != *i) && !EMPTY_VERBS.contains(w))
        .map(|(_, w)| singular(w))
        .collect();
    if object.is_empty() {
        return Vec::new();
    }
    let object = object.join(" ");
    let mut readings = Vec::new();
    if let Some((_, nouns)) = activity {
        for noun in nouns {
            readings.push(format!("{object} {noun}"));
        }
    }
    if object.split(' ').count() < words.len() {
        // the phrase without its empty verbs names the thing itself
        readings.push(object);
    }
    readings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readings(phrase: &str) -> Vec<String> {
        let words: Vec<&str> = phrase.split(' ').collect();
        activity_readings(&words)
    }

    #[test]
    fn activity_phrases_read_as_the_nouns_of_the_activity() {
        assert_eq!(readings("analyze data")[0], "data analysis");
        assert!(readings("manage databases").contains(&"database administration".to_owned()));
        assert_eq!(readings("debug software")[0], "software debugging");
        assert!(readings("team handling").contains(&"team management".to_owned()));
        assert!(readings("use software design patterns")
            .contains(&"software design pattern".to_owned()));
        assert!(readings("writing unit test cases").contains(&"unit testing".to_owned()));
    }

    #[test]
    fn a_name_or_a_single_word_is_no_activity() {
        assert!(readings("python").is_empty());
        assert!(readings("machine learning").is_empty());
        assert!(readings("test").is_empty());
        assert_eq!(singular("kubernetes"), "kubernetes");
        assert_eq!(singular("analysis"), "analysis");
    }
}
