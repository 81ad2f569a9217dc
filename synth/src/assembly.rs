//! The cloud assembly: what synth writes to `cdk.out/`, in the AWS CDK's
//! format so the official `cdk` CLI can read it.
//!
//! - `manifest.json`: cloud-assembly schema version, one
//!   `aws:cloudformation:stack` artifact per stack (environment, template
//!   file, tags, termination protection, dependencies) and the tree artifact;
//! - `<StackId>.template.json`: one template per stack;
//! - `tree.json`: the construct tree with each resource's type and logical ID.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use serde_json::json;

use crate::error::{Error, Result};
use crate::image_asset::ImageArtifact;
use crate::stack::{Env, NodePaths, Stack};
use crate::tree::ConstructPath;
use crate::tree::NodeKind;

/// The cloud-assembly schema version written to `manifest.json`; the CDK CLI
/// 2.1148 (aws-cdk-lib 2.276) writes and reads 55.0.0.
pub const CLOUD_ASSEMBLY_VERSION: &str = "55.0.0";

/// One synthesized stack.
#[derive(Debug, Clone)]
pub struct StackArtifact {
    /// The artifact id: the stack's construct id.
    pub id: String,
    /// The CloudFormation stack name.
    pub stack_name: String,
    /// Where it deploys.
    pub env: Env,
    /// Stack tags.
    pub tags: BTreeMap<String, String>,
    /// Whether termination protection is on.
    pub termination_protection: bool,
    /// The template, as written to `<id>.template.json`.
    pub template: String,
    /// Whether the template is over 51,200 bytes, so deploy must upload it to
    /// S3 and pass `TemplateURL` instead of `TemplateBody`.
    pub needs_upload: bool,
    /// Artifact ids of the stacks this one depends on.
    pub dependencies: Vec<String>,
    /// For each resource's logical ID, the properties whose change replaces
    /// it and those whose change may replace it (JSON pointers below
    /// `Properties`), from [`Resource::create_only_properties`] and
    /// [`Resource::conditional_create_only_properties`]. `diff` reads them.
    ///
    /// [`Resource::create_only_properties`]: crate::Resource::create_only_properties
    /// [`Resource::conditional_create_only_properties`]: crate::Resource::conditional_create_only_properties
    pub replacing_properties: BTreeMap<String, ReplacingProperties>,
    /// The Docker image assets the stack uses, one per hash, published
    /// before it deploys.
    pub images: Vec<ImageArtifact>,
    /// The warnings its constructs recorded, in order.
    pub warnings: Vec<Warning>,
}

/// A warning a construct recorded ([`Stack::add_warning`](crate::Stack::add_warning)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The construct's path.
    pub path: ConstructPath,
    /// The kind of warning, to acknowledge it with
    /// [`Stack::acknowledge_warning`](crate::Stack::acknowledge_warning).
    pub id: String,
    /// What can surprise, and what to do about it.
    pub message: String,
}

impl std::fmt::Display for Warning {
    /// `[path] message [ack: id]`, the CDK's way of naming the id.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {} [ack: {}]", self.path, self.message, self.id)
    }
}

/// The properties of one resource whose change replaces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReplacingProperties {
    /// Always replace (`createOnlyProperties`).
    pub always: &'static [&'static str],
    /// May replace (`conditionalCreateOnlyProperties`).
    pub conditionally: &'static [&'static str],
}

impl StackArtifact {
    /// The template file's name.
    #[must_use]
    pub fn template_file(&self) -> String {
        format!("{}.template.json", self.id)
    }

    /// The asset manifest's file name (`<id>.assets.json`), for a stack with
    /// image assets.
    #[must_use]
    pub fn asset_manifest_file(&self) -> Option<String> {
        (!self.images.is_empty()).then(|| format!("{}.assets.json", self.id))
    }

    /// The asset manifest's content, for a stack with image assets.
    #[must_use]
    pub fn asset_manifest(&self) -> Option<String> {
        (!self.images.is_empty())
            .then(|| crate::image_asset::asset_manifest(&self.images, CLOUD_ASSEMBLY_VERSION))
    }
}

/// The result of synth: every stack's template, in deployment order, and the
/// construct tree.
#[derive(Debug, Clone)]
pub struct Assembly {
    stacks: Vec<StackArtifact>,
    /// What `tree.json` is made of, in the order the stacks were added. It
    /// is made only when it is written or asked for ([`tree`](Self::tree)):
    /// `list`, `diff` and `deploy` never need it.
    tree: Vec<TreeStack>,
}

/// A stack as `tree.json` shows it: its construct tree with the logical IDs
/// and paths synth gave its nodes (by node index).
#[derive(Debug, Clone)]
pub(crate) struct TreeStack {
    stack: Arc<Stack>,
    ids: Arc<[String]>,
    paths: NodePaths,
}

impl TreeStack {
    pub(crate) fn new(stack: Arc<Stack>, ids: Arc<[String]>, paths: NodePaths) -> Self {
        Self { stack, ids, paths }
    }
}

impl Assembly {
    pub(crate) fn new(stacks: Vec<StackArtifact>, tree: Vec<TreeStack>) -> Self {
        Self { stacks, tree }
    }

    /// `tree.json` in parts, one after the other ([`tree_json`]): each
    /// stack's subtree made on its own, on every core.
    fn tree_parts(&self) -> Vec<Vec<u8>> {
        let subtrees =
            crate::parallel::map(&self.tree, |t| tree_stack_json(&t.stack, &t.ids, &t.paths));
        tree_json(self.tree.iter().map(|t| &*t.stack), subtrees)
    }

    /// The stacks, each after the stacks it depends on.
    #[must_use]
    pub fn stacks(&self) -> &[StackArtifact] {
        &self.stacks
    }

    /// The stack with artifact id `id`.
    #[must_use]
    pub fn stack(&self, id: &str) -> Option<&StackArtifact> {
        self.stacks.iter().find(|s| s.id == id)
    }

    /// `tree.json`'s content, made on each call.
    #[must_use]
    pub fn tree(&self) -> String {
        String::from_utf8_lossy(&self.tree_parts().concat()).into_owned()
    }

    /// `manifest.json`'s content.
    #[must_use]
    pub fn manifest(&self) -> String {
        let mut artifacts = serde_json::Map::new();
        for s in &self.stacks {
            // The images a stack uses are an asset-manifest artifact it
            // depends on (the CDK's `<Stack>.assets`), so the `cdk` CLI
            // publishes them before it deploys the stack.
            let asset_artifact = s.asset_manifest_file().map(|file| {
                let id = format!("{}.assets", s.id);
                artifacts.insert(
                    id.clone(),
                    json!({"type": "cdk:asset-manifest", "properties": {"file": file}}),
                );
                id
            });
            let mut properties = serde_json::Map::new();
            properties.insert("templateFile".into(), json!(s.template_file()));
            properties.insert(
                "terminationProtection".into(),
                json!(s.termination_protection),
            );
            if !s.tags.is_empty() {
                properties.insert("tags".into(), json!(s.tags));
            }
            if s.stack_name != s.id {
                properties.insert("stackName".into(), json!(s.stack_name));
            }
            properties.insert("validateOnSynth".into(), json!(false));
            let mut artifact = serde_json::Map::new();
            artifact.insert("type".into(), json!("aws:cloudformation:stack"));
            artifact.insert("environment".into(), json!(s.env.assembly_uri()));
            artifact.insert("properties".into(), serde_json::Value::Object(properties));
            let dependencies: Vec<&String> = s
                .dependencies
                .iter()
                .chain(asset_artifact.as_ref())
                .collect();
            if !dependencies.is_empty() {
                artifact.insert("dependencies".into(), json!(dependencies));
            }
            artifact.insert("displayName".into(), json!(s.id));
            // The CDK's metadata: entries per construct path (with a
            // leading `/`), which its CLI prints as `[Warning at /path]`.
            if !s.warnings.is_empty() {
                let mut metadata = serde_json::Map::new();
                for w in &s.warnings {
                    if let serde_json::Value::Array(entries) = metadata
                        .entry(format!("/{}", w.path))
                        .or_insert_with(|| json!([]))
                    {
                        entries.push(json!({
                            "type": "aws:cdk:warning",
                            "data": format!("{} [ack: {}]", w.message, w.id)
                        }));
                    }
                }
                artifact.insert("metadata".into(), serde_json::Value::Object(metadata));
            }
            artifacts.insert(s.id.clone(), serde_json::Value::Object(artifact));
        }
        artifacts.insert(
            "Tree".into(),
            json!({"type": "cdk:tree", "properties": {"file": "tree.json"}}),
        );
        let manifest = json!({
            "version": CLOUD_ASSEMBLY_VERSION,
            "artifacts": artifacts,
        });
        pretty(&manifest)
    }

    /// Writes the assembly into `dir`, creating it; templates and asset
    /// manifests of stacks no longer in the app are removed. A file whose
    /// content is already what would be written is left alone, modification
    /// time included: re-synthesizing an unchanged app rewrites nothing, and
    /// reading a file back costs far less than truncating and rewriting it.
    /// Each image asset's build context is copied to `asset.<hash>/` unless
    /// that directory is there already (a hash names its content).
    ///
    /// # Errors
    /// [`Error::Io`] when a file cannot be written; [`Error::Asset`] when a
    /// build context cannot be staged.
    pub fn write(&self, dir: &Path) -> Result<()> {
        let io = |file: &Path| {
            let file = file.to_path_buf();
            move |source| Error::Io { file, source }
        };
        fs::create_dir_all(dir).map_err(io(dir))?;
        let tree = self.tree_parts();
        // What this assembly writes, in parts, largest first so that the
        // cores finish together; `manifest.json` last, once everything it
        // names is there.
        let mut owned: Vec<(String, Vec<u8>)> = Vec::new();
        for s in &self.stacks {
            if let (Some(file), Some(manifest)) = (s.asset_manifest_file(), s.asset_manifest()) {
                owned.push((file, manifest.into_bytes()));
            }
        }
        let version = json!({"version": CLOUD_ASSEMBLY_VERSION}).to_string();
        owned.push(("cdk.out".to_owned(), version.into_bytes()));
        let mut files: Vec<(&str, Vec<&[u8]>)> = Vec::new();
        let templates: Vec<String> = self
            .stacks
            .iter()
            .map(StackArtifact::template_file)
            .collect();
        for (s, file) in self.stacks.iter().zip(&templates) {
            files.push((file, vec![s.template.as_bytes()]));
        }
        for (file, bytes) in &owned {
            files.push((file, vec![bytes]));
        }
        files.push(("tree.json", tree.iter().map(Vec::as_slice).collect()));
        files.sort_by_key(|(_, parts)| {
            std::cmp::Reverse(parts.iter().map(|p| p.len()).sum::<usize>())
        });
        // Templates and asset manifests of stacks no longer in the app.
        if let Ok(entries) = fs::read_dir(dir) {
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let ours = name.ends_with(".template.json") || name.ends_with(".assets.json");
                if ours && !files.iter().any(|(file, _)| *file == name) {
                    let path = entry.path();
                    fs::remove_file(&path).map_err(io(&path))?;
                }
            }
        }
        // Written on every core; the first problem in the list's order is
        // reported.
        let written = crate::parallel::map(&files, |(file, parts)| -> Result<()> {
            let path = dir.join(file);
            write_if_changed(&path, parts).map_err(io(&path))
        });
        written.into_iter().collect::<Result<()>>()?;
        // One stack after the other: stacks that build the same image stage
        // the same folder.
        for s in &self.stacks {
            for image in &s.images {
                crate::asset::stage_docker_image(&image.source, &image.hash, dir).map_err(
                    |source| Error::Asset {
                        path: crate::tree::ConstructPath::new(format!(
                            "{}/{}",
                            s.id, image.display_name
                        )),
                        source,
                    },
                )?;
            }
        }
        let path = dir.join("manifest.json");
        write_if_changed(&path, &[self.manifest().as_bytes()]).map_err(io(&path))?;
        Ok(())
    }
}

/// Writes `parts`, one after the other, to `path` unless the file holds
/// exactly them already.
fn write_if_changed(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    use std::io::Write;
    if holds(path, parts) {
        return Ok(());
    }
    let mut file = fs::File::create(path)?;
    for part in parts {
        file.write_all(part)?;
    }
    Ok(())
}

/// Whether the file at `path` holds exactly `parts`, one after the other;
/// `false` when it cannot be read.
fn holds(path: &Path, parts: &[&[u8]]) -> bool {
    use std::io::Read;
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let len: usize = parts.iter().map(|p| p.len()).sum();
    if file.metadata().map(|m| m.len()).ok() != u64::try_from(len).ok() {
        return false;
    }
    let mut buffer = vec![0; 64 * 1024];
    let mut parts = parts.iter().copied();
    let mut rest: &[u8] = &[];
    loop {
        let read = match file.read(&mut buffer) {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        if read == 0 {
            return rest.is_empty() && parts.all(<[u8]>::is_empty);
        }
        let mut found = buffer.get(..read).unwrap_or_default();
        while !found.is_empty() {
            if rest.is_empty() {
                match parts.next() {
                    Some(part) => rest = part,
                    None => return false,
                }
                continue;
            }
            let n = rest.len().min(found.len());
            if rest.get(..n) != found.get(..n) {
                return false;
            }
            rest = rest.get(n..).unwrap_or_default();
            found = found.get(n..).unwrap_or_default();
        }
    }
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// One stack's subtree of `tree.json`, compact: `ids` and `paths` are the
/// stack's logical IDs and node paths by node index.
///
/// Written straight into bytes: a node's keys and punctuation are fixed,
/// so only its id, path, type, logical ID and fqn go through the string
/// writer. The result is what `serde_json::to_writer` writes for the same
/// tree (a test compares them).
pub(crate) fn tree_stack_json(stack: &Stack, ids: &[String], paths: &NodePaths) -> Vec<u8> {
    // About 200 bytes a node: one allocation instead of repeated doubling.
    let mut out = Vec::with_capacity(stack.nodes.len() * 256);
    TreeWriter { stack, ids, paths }.node(&mut out, 0);
    out
}

/// `tree.json` in parts: the app's node with every stack's subtree
/// ([`tree_stack_json`]), given in the order of `stacks`, under it; one
/// after the other they are what `serde_json::to_writer` writes for the
/// whole tree, byte for byte.
pub(crate) fn tree_json<'a>(
    stacks: impl ExactSizeIterator<Item = &'a Stack>,
    subtrees: Vec<Vec<u8>>,
) -> Vec<Vec<u8>> {
    let mut parts = Vec::with_capacity(2 * stacks.len() + 2);
    let mut joint = br#"{"version":"tree-0.1","tree":{"id":"App","path":"","children":{"#.to_vec();
    for (i, (stack, subtree)) in stacks.zip(subtrees).enumerate() {
        if i > 0 {
            joint.push(b',');
        }
        crate::json::write_str(&mut joint, &stack.construct_id);
        joint.push(b':');
        parts.push(std::mem::take(&mut joint));
        parts.push(subtree);
    }
    joint.extend_from_slice(br#"},"#);
    write_construct_info(&mut joint, "ecscdk.App");
    joint.extend_from_slice(b"}}");
    parts.push(joint);
    parts
}

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A node's `"constructInfo":{"fqn":…,"version":…}`.
fn write_construct_info(out: &mut Vec<u8>, fqn: &str) {
    out.extend_from_slice(br#""constructInfo":{"fqn":"#);
    crate::json::write_str(out, fqn);
    out.extend_from_slice(br#","version":"#);
    crate::json::write_str(out, VERSION);
    out.push(b'}');
}

/// Writes one stack's nodes as `tree.json` nodes.
struct TreeWriter<'a> {
    stack: &'a Stack,
    /// The stack's logical IDs, by node index.
    ids: &'a [String],
    /// The stack's node paths, by node index.
    paths: &'a NodePaths,
}

impl TreeWriter<'_> {
    /// `{"id":…,"path":…,"children":{…},"attributes":{…},"constructInfo":{…}}`,
    /// children and attributes only where the node has them.
    fn node(&self, out: &mut Vec<u8>, index: u32) {
        let Some(node) = self.stack.nodes.get(index as usize) else {
            out.extend_from_slice(b"null");
            return;
        };
        out.extend_from_slice(br#"{"id":"#);
        crate::json::write_str(out, &node.id);
        out.extend_from_slice(br#","path":"#);
        crate::json::write_str(out, self.paths.get(index));
        if !node.children.is_empty() {
            out.extend_from_slice(br#","children":{"#);
            let mut first = true;
            for &child in &node.children {
                let Some(c) = self.stack.nodes.get(child as usize) else {
                    continue;
                };
                if !first {
                    out.push(b',');
                }
                first = false;
                crate::json::write_str(out, &c.id);
                out.push(b':');
                self.node(out, child);
            }
            out.push(b'}');
        }
        if let NodeKind::Resource(r) = node.kind
            && let Some(entry) = self.stack.resources.get(r as usize)
        {
            out.extend_from_slice(br#","attributes":{"aws:cdk:cloudformation:type":"#);
            crate::json::write_str(out, entry.props.type_name());
            out.extend_from_slice(br#","aws:cdk:cloudformation:logicalId":"#);
            crate::json::write_str(out, nth(self.ids, index));
            out.push(b'}');
        }
        out.push(b',');
        write_construct_info(out, fqn_of(node));
        out.push(b'}');
    }
}

/// The `index`th string of `list`, or an empty one.
fn nth(list: &[String], index: u32) -> &str {
    list.get(index as usize).map_or("", String::as_str)
}

/// The fqn `tree.json` gives a node: its construct's, or its kind's.
fn fqn_of(node: &crate::tree::Node) -> &'static str {
    node.fqn.unwrap_or(match node.kind {
        NodeKind::Stack => "ecscdk.Stack",
        NodeKind::Scope => "ecscdk.Construct",
        NodeKind::Resource(_) => "ecscdk.CfnResource",
        NodeKind::Parameter(_) => "ecscdk.CfnParameter",
        NodeKind::Condition(_) => "ecscdk.CfnCondition",
        NodeKind::Mapping(_) => "ecscdk.CfnMapping",
        NodeKind::Rule(_) => "ecscdk.CfnRule",
        NodeKind::Output(_) => "ecscdk.CfnOutput",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `tree.json` node of `index` as a JSON value, built from the
    /// stack's nodes independently of the byte writer.
    fn tree_value(
        stack: &Stack,
        ids: &[String],
        paths: &NodePaths,
        index: u32,
    ) -> serde_json::Value {
        let node = &stack.nodes[index as usize];
        let mut object = serde_json::Map::new();
        object.insert("id".into(), json!(node.id));
        object.insert("path".into(), json!(paths.get(index)));
        if !node.children.is_empty() {
            let children: serde_json::Map<String, serde_json::Value> = node
                .children
                .iter()
                .map(|&c| {
                    let child = &stack.nodes[c as usize];
                    (child.id.clone(), tree_value(stack, ids, paths, c))
                })
                .collect();
            object.insert("children".into(), children.into());
        }
        if let NodeKind::Resource(r) = node.kind {
            object.insert(
                "attributes".into(),
                json!({
                    "aws:cdk:cloudformation:type": stack.resources[r as usize].props.type_name(),
                    "aws:cdk:cloudformation:logicalId": ids[index as usize],
                }),
            );
        }
        object.insert(
            "constructInfo".into(),
            json!({"fqn": fqn_of(node), "version": VERSION}),
        );
        object.into()
    }

    #[test]
    fn a_stack_subtree_is_what_serde_json_writes_for_its_nodes() {
        use crate::prelude::*;
        let mut stack = Stack::new("Tree\"Stack");
        let root = stack.root();
        let scope = stack.scope(root, "Scope \"quoted\" \\ and\ttab").unwrap();
        let inner = stack.scope(scope, "Inner\u{1}é").unwrap();
        stack
            .add(inner, "Topic", RawResource::new("AWS::SNS::Topic"))
            .unwrap();
        stack
            .add(root, "Queue", RawResource::new("AWS::SQS::Queue"))
            .unwrap();
        stack
            .output("Out", Output::new(Value::<String>::from("x")))
            .unwrap();
        let paths = stack.node_paths();
        let ids: Vec<String> = (0..stack.nodes.len()).map(|i| format!("Id\"{i}")).collect();
        let written = tree_stack_json(&stack, &ids, &paths);
        let expected = serde_json::to_vec(&tree_value(&stack, &ids, &paths, 0)).unwrap();
        assert_eq!(
            String::from_utf8(written).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }

    #[test]
    fn a_file_holds_its_bytes_however_they_are_split_into_parts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        fs::write(&path, &content).unwrap();
        let (a, b) = content.split_at(70_000);
        let (b, c) = b.split_at(65_536);
        assert!(holds(&path, &[&content]));
        assert!(holds(&path, &[a, b, c]));
        assert!(holds(&path, &[a, &[], b, c, &[]]));
        let mut changed = c.to_vec();
        changed[100] ^= 1;
        assert!(!holds(&path, &[a, b, &changed]));
        assert!(!holds(&path, &[a, b]));
        assert!(!holds(&dir.path().join("missing"), &[a]));
        write_if_changed(&path, &[a, b, &changed]).unwrap();
        assert_eq!(fs::read(&path).unwrap(), [a, b, &changed[..]].concat());
    }
}
