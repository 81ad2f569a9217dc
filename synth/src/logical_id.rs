//! Logical IDs, allocated exactly as the AWS CDK allocates them.
//!
//! A port of a CDK app keeps its logical IDs, so CloudFormation updates its
//! resources in place instead of replacing them. The algorithm (aws-cdk-lib
//! `core/lib/private/uniqueid.ts`):
//!
//! 1. drop every path component equal to `Default`; nothing left is an error;
//! 2. a single remaining component is used as-is, non-alphanumerics removed,
//!    when that leaves at most 255 characters;
//! 3. otherwise the human part is the components with repeats removed (a
//!    component is dropped when the previous kept one ends with it), `Resource`
//!    left out, non-alphanumerics removed, cut to 240 characters; it is followed
//!    by the first 8 hex digits, upper-cased, of the MD5 of the remaining
//!    components joined with `/`.
//!
//! ```
//! use ecscdk_synth::logical_id;
//! assert_eq!(logical_id(&["TaskDef", "Resource"]), "TaskDef54694570");
//! assert_eq!(logical_id(&["Vpc"]), "Vpc");
//! ```

use md5::{Digest, Md5};

/// The path component the CDK leaves out of paths entirely.
const HIDDEN_ID: &str = "Default";
/// The path component the CDK hashes but leaves out of the human part.
const HIDDEN_FROM_HUMAN_ID: &str = "Resource";
/// Hex digits of the path hash appended to the human part.
const HASH_LEN: usize = 8;
/// Longest human part, in characters.
const MAX_HUMAN_LEN: usize = 240;
/// Longest logical ID CloudFormation accepts.
pub const MAX_LOGICAL_ID_LEN: usize = 255;

/// The logical ID the AWS CDK gives a resource whose construct path below its
/// stack is `components`.
///
/// Returns an empty string when nothing is left once `Default` components are
/// dropped, or when a single component has no alphanumeric character; an empty
/// string is never a valid logical ID, and [`validate_logical_id`] rejects it.
#[must_use]
pub fn logical_id(components: &[&str]) -> String {
    let kept: Vec<&str> = components
        .iter()
        .copied()
        .filter(|c| *c != HIDDEN_ID)
        .collect();
    if kept.is_empty() {
        return String::new();
    }
    if let [single] = kept.as_slice() {
        let cleaned = alphanumeric(single);
        if cleaned.len() <= MAX_LOGICAL_ID_LEN {
            return cleaned;
        }
    }
    let mut human = String::new();
    let mut previous: Option<&str> = None;
    for component in &kept {
        if previous.is_some_and(|p| p.ends_with(component)) {
            continue;
        }
        previous = Some(component);
        if *component != HIDDEN_FROM_HUMAN_ID {
            human.push_str(&alphanumeric(component));
        }
    }
    // Only ASCII is left, so byte and character counts agree.
    human.truncate(MAX_HUMAN_LEN);
    human.push_str(&path_hash(&kept));
    human
}

/// Checks a logical ID against CloudFormation's rule: 1 to 255 ASCII letters
/// and digits. Returns the reason when it fails.
pub fn validate_logical_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("a logical ID needs at least one ASCII letter or digit".to_owned());
    }
    if id.len() > MAX_LOGICAL_ID_LEN {
        return Err(format!(
            "a logical ID has at most {MAX_LOGICAL_ID_LEN} characters, this one has {}",
            id.len()
        ));
    }
    if let Some(bad) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "a logical ID holds only ASCII letters and digits, found {bad:?}"
        ));
    }
    Ok(())
}

fn alphanumeric(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).collect()
}

fn path_hash(components: &[&str]) -> String {
    let digest = Md5::digest(components.join("/").as_bytes());
    let mut hex = String::with_capacity(HASH_LEN);
    for byte in digest.iter().take(HASH_LEN / 2) {
        hex.push_str(&format!("{byte:02X}"));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_cdk_test_vectors() {
        assert_eq!(
            logical_id(&["FargateTaskDef", "TaskRole", "Resource"]),
            "FargateTaskDefTaskRole0B257552"
        );
        assert_eq!(
            logical_id(&["ExecutionRole", "Resource"]),
            "ExecutionRole605A040B"
        );
        assert_eq!(logical_id(&["TaskRole", "Resource"]), "TaskRole30FC0FBB");
    }

    #[test]
    fn drops_default_everywhere() {
        assert_eq!(logical_id(&["Foo", "Default"]), "Foo");
        assert_eq!(logical_id(&["Default", "Default"]), "");
    }

    #[test]
    fn rejects_bad_ids() {
        assert!(validate_logical_id("").is_err());
        assert!(validate_logical_id("a-b").is_err());
        assert!(validate_logical_id(&"a".repeat(256)).is_err());
        assert!(validate_logical_id(&"a".repeat(255)).is_ok());
    }
}
