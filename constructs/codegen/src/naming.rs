//! Rust names for CloudFormation names.

/// Words that snake_case would split wrongly, and their replacement.
const WORDS: &[(&str, &str)] = &[
    ("IPv4", "Ipv4"),
    ("IPv6", "Ipv6"),
    ("GiB", "Gib"),
    ("MiB", "Mib"),
    ("KiB", "Kib"),
    ("TiB", "Tib"),
    ("VCpu", "Vcpu"),
];

/// `VPCZoneIdentifier` → `vpc_zone_identifier`, `TargetGroupARNs` →
/// `target_group_arns`, `Ipv6CidrBlock` → `ipv6_cidr_block`.
pub fn snake_case(name: &str) -> String {
    let mut name = name.to_owned();
    for (from, to) in WORDS {
        name = name.replace(from, to);
    }
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next = chars.get(i + 1).copied();
            let after = chars.get(i + 2).copied();
            // `ARNs`, `IDs`: an acronym's plural stays one word.
            let plural = next == Some('s')
                && after.is_none_or(|a| a.is_ascii_uppercase() || !a.is_ascii_alphanumeric());
            let boundary = prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase()
                    && next.is_some_and(|n| n.is_ascii_lowercase())
                    && !plural);
            if boundary && !out.ends_with('_') {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    let out = out.trim_matches('_').to_owned();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{out}")
    } else {
        out
    }
}

/// `dualstack-without-public-ipv4` → `DualstackWithoutPublicIpv4`,
/// `FARGATE_SPOT` → `FargateSpot`, `roundRobin` → `RoundRobin`.
pub fn pascal_case(value: &str) -> String {
    let mut out = String::new();
    for part in value.split(|c: char| !c.is_ascii_alphanumeric()) {
        if part.is_empty() {
            continue;
        }
        let uniform = part == part.to_ascii_uppercase() || part == part.to_ascii_lowercase();
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            if uniform {
                out.extend(chars.map(|c| c.to_ascii_lowercase()));
            } else {
                out.extend(chars);
            }
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

/// Rust keywords that cannot be field names as they are.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe",
    "use", "where", "while", "abstract", "become", "box", "do", "final", "macro", "override",
    "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// A field or module identifier: raw (`r#type`) for keywords, with a
/// trailing underscore for the few that cannot be raw.
pub fn ident(name: &str) -> proc_macro2::Ident {
    if matches!(name, "self" | "super" | "crate" | "Self") {
        proc_macro2::Ident::new(&format!("{name}_"), proc_macro2::Span::call_site())
    } else if KEYWORDS.contains(&name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_keeps_acronyms_whole() {
        for (from, to) in [
            ("VPCZoneIdentifier", "vpc_zone_identifier"),
            ("TargetGroupARNs", "target_group_arns"),
            ("Ipv6CidrBlock", "ipv6_cidr_block"),
            ("OKActions", "ok_actions"),
            ("EnableECSManagedTags", "enable_ecs_managed_tags"),
            ("S3Bucket", "s3_bucket"),
            ("CanonicalHostedZoneID", "canonical_hosted_zone_id"),
            ("MemoryGiBPerVCpu", "memory_gib_per_vcpu"),
            (
                "AssignIPv6AddressOnCreation",
                "assign_ipv6_address_on_creation",
            ),
            ("TTL", "ttl"),
            ("SubnetIds", "subnet_ids"),
        ] {
            assert_eq!(snake_case(from), to, "{from}");
        }
    }

    #[test]
    fn pascal_case_of_enum_values() {
        for (from, to) in [
            ("FARGATE_SPOT", "FargateSpot"),
            ("awsvpc", "Awsvpc"),
            (
                "dualstack-without-public-ipv4",
                "DualstackWithoutPublicIpv4",
            ),
            ("roundRobin", "RoundRobin"),
            ("aws:kms", "AwsKms"),
            ("1", "V1"),
        ] {
            assert_eq!(pascal_case(from), to, "{from}");
        }
    }
}
