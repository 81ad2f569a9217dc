//! Property overrides (`add_override`): a dotted path, `\.` for a dot in a
//! key, applied to a resource's rendered JSON, creating the objects on the
//! way or deleting the key.

use crate::error::Result;

/// Splits a dotted override path; `\.` is a literal dot.
fn split_override_path(path: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'.') => {
                chars.next();
                if let Some(last) = parts.last_mut() {
                    last.push('.');
                }
            }
            '.' => parts.push(String::new()),
            c => {
                if let Some(last) = parts.last_mut() {
                    last.push(c);
                }
            }
        }
    }
    parts
}

/// Sets (or with `None` removes) the value at a dotted path.
pub(super) fn apply_override(
    root: &mut serde_json::Value,
    path: &str,
    value: Option<serde_json::Value>,
) -> Result<(), &'static str> {
    let parts = split_override_path(path);
    if parts.iter().any(String::is_empty) {
        return Err("a path component is empty");
    }
    let Some((last, parents)) = parts.split_last() else {
        return Err("the path is empty");
    };
    let mut at = root;
    for part in parents {
        let Some(obj) = at.as_object_mut() else {
            return Err("a component on the way is not an object");
        };
        if !obj.contains_key(part) {
            if value.is_none() {
                return Ok(());
            }
            obj.insert(
                part.clone(),
                serde_json::Value::Object(serde_json::Map::new()),
            );
        }
        let Some(next) = obj.get_mut(part) else {
            return Err("a component on the way is missing");
        };
        at = next;
    }
    let Some(obj) = at.as_object_mut() else {
        return Err("the parent of the last component is not an object");
    };
    match value {
        Some(v) => {
            obj.insert(last.clone(), v);
        }
        None => {
            obj.shift_remove(last);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn overrides_create_objects_and_delete_keys() {
        let mut v = json!({"Properties": {"A": 1}});
        apply_override(&mut v, "Properties.B.C", Some(json!(2))).unwrap();
        apply_override(&mut v, "Properties.A", None).unwrap();
        apply_override(&mut v, "Properties.X\\.Y", Some(json!(3))).unwrap();
        assert_eq!(v, json!({"Properties": {"B": {"C": 2}, "X.Y": 3}}));
        assert!(apply_override(&mut v, "Properties.B.C.D", Some(json!(1))).is_err());
    }
}
