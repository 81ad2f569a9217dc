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
    let mut kept = components.iter().copied().filter(|c| *c != HIDDEN_ID);
    let Some(first) = kept.next() else {
        return String::new();
    };
    if kept.next().is_none() {
        let mut cleaned = String::with_capacity(first.len());
        push_alphanumeric(&mut cleaned, first);
        if cleaned.len() <= MAX_LOGICAL_ID_LEN {
            return cleaned;
        }
    }
    let kept = components.iter().copied().filter(|c| *c != HIDDEN_ID);
    // Only ASCII letters and digits go in, so every length below is in
    // characters as well as bytes.
    let mut human = String::with_capacity(64);
    // The hash covers every kept component, joined with `/`: gathered first
    // and hashed in one call, cheaper than one hasher update per piece.
    let mut joined: Vec<u8> = Vec::with_capacity(128);
    let mut previous: Option<&str> = None;
    for (i, component) in kept.enumerate() {
        if i > 0 {
            joined.push(b'/');
        }
        joined.extend_from_slice(component.as_bytes());
        if previous.is_some_and(|p| p.ends_with(component)) {
            continue;
        }
        previous = Some(component);
        if component != HIDDEN_FROM_HUMAN_ID && human.len() < MAX_HUMAN_LEN {
            push_alphanumeric(&mut human, component);
        }
    }
    human.truncate(MAX_HUMAN_LEN);
    push_hash(&mut human, &Md5::digest(&joined));
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
    if id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(());
    }
    if let Some(bad) = id.chars().find(|c| !c.is_ascii_alphanumeric()) {
        return Err(format!(
            "a logical ID holds only ASCII letters and digits, found {bad:?}"
        ));
    }
    Ok(())
}

/// Appends the ASCII letters and digits of `s`: the whole of it when it
/// holds nothing else, which is the usual case.
fn push_alphanumeric(out: &mut String, s: &str) {
    if s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(s);
    } else {
        out.extend(s.chars().filter(char::is_ascii_alphanumeric));
    }
}

/// Appends the first [`HASH_LEN`] hex digits of `digest`, upper-cased.
fn push_hash(out: &mut String, digest: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in digest.iter().take(HASH_LEN / 2) {
        for nibble in [byte >> 4, byte & 0x0f] {
            out.push(char::from(
                HEX.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
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

    /// The algorithm step by step as the module documents it, without the
    /// fast paths: the reference the faster function must agree with.
    fn step_by_step(components: &[&str]) -> String {
        let kept: Vec<&str> = components
            .iter()
            .copied()
            .filter(|c| *c != "Default")
            .collect();
        let clean = |c: &str| {
            c.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        };
        match kept.as_slice() {
            [] => return String::new(),
            [one] if clean(one).len() <= MAX_LOGICAL_ID_LEN => return clean(one),
            _ => {}
        }
        let mut human_parts: Vec<&str> = Vec::new();
        for c in &kept {
            if human_parts.last().is_some_and(|p: &&str| p.ends_with(c)) {
                continue;
            }
            human_parts.push(c);
        }
        let human: String = human_parts
            .iter()
            .filter(|c| **c != "Resource")
            .map(|c| clean(c))
            .collect::<String>()
            .chars()
            .take(MAX_HUMAN_LEN)
            .collect();
        let digest = Md5::digest(kept.join("/").as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02X}")).collect();
        format!("{human}{}", hex.get(..HASH_LEN).unwrap_or_default())
    }

    #[test]
    fn agrees_with_the_algorithm_step_by_step() {
        let long = "L".repeat(250);
        let cases: &[&[&str]] = &[
            &["Vpc"],
            &["my-bucket.v2"],
            &["Service", "Service", "Resource"],
            &["Api", "Resource", "Default"],
            &["Default", "Task", "Default", "Role"],
            &["Caf\u{e9}", "\u{1F600}Emoji", "x_y-z"],
            &["a", "ba", "cba", "Resource"],
            &["Resource"],
            &["-", "--"],
            &[long.as_str()],
            &[long.as_str(), long.as_str(), "Other"],
            &[long.as_str(), "Tail"],
            &["Stack-1", "Nested/Path", "Res"],
        ];
        for case in cases {
            assert_eq!(logical_id(case), step_by_step(case), "{case:?}");
        }
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
