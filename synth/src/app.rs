//! The app: the set of stacks synthesized and deployed together.

use crate::assembly::Assembly;
use std::path::PathBuf;

use crate::context::{ContextValues, default_context_file};
use crate::error::{Error, Result};
use crate::reference::ReferenceStrength;
use crate::stack::Stack;
use crate::tree::ConstructPath;

/// The root of a program's constructs: its stacks.
///
/// ```
/// use ecscdk_synth::prelude::*;
///
/// # fn main() -> ecscdk_synth::Result<()> {
/// let mut app = App::new();
/// let mut stack = Stack::new("Queue");
/// let root = stack.root();
/// stack.add(root, "Topic", RawResource::new("AWS::SNS::Topic"))?;
/// app.add(stack)?;
/// let assembly = app.synth()?;
/// assert!(assembly.stack("Queue").is_some());
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct App {
    pub(crate) stacks: Vec<Stack>,
    pub(crate) reference_strength: ReferenceStrength,
    context_file: Option<PathBuf>,
    context: ContextValues,
}

impl App {
    /// An app with no stacks.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// How a stack reads a value of another stack of the app: strong
    /// references (exports and `Fn::ImportValue`), weak ones (plain outputs
    /// and `Fn::GetStackOutput`), or both during the move from one to the
    /// other; see [`ReferenceStrength`] for the trade-off. A stack can choose
    /// otherwise ([`Stack::cross_stack_references`]), and so can one value
    /// ([`Expr::with_reference_strength`](crate::Expr::with_reference_strength)).
    ///
    /// ```
    /// use ecscdk_synth::prelude::*;
    ///
    /// # fn main() -> ecscdk_synth::Result<()> {
    /// let mut app = App::new().cross_stack_references(ReferenceStrength::Weak);
    /// let mut network = Stack::new("Network");
    /// let root = network.root();
    /// let topic = network.add(root, "Topic", RawResource::new("AWS::SNS::Topic"))?;
    /// let mut service = Stack::new("Service");
    /// service.output("Topic", Output::new(topic.reference()))?;
    /// app.add(network)?;
    /// app.add(service)?;
    /// let assembly = app.synth()?;
    /// let service = &assembly.stack("Service").unwrap().template;
    /// assert!(service.contains("Fn::GetStackOutput") && !service.contains("Fn::ImportValue"));
    /// # Ok(()) }
    /// ```
    ///
    /// Default: [`ReferenceStrength::Strong`], the AWS CDK's behaviour when
    /// its flag is not set; weak is its recommendation for new apps.
    #[must_use]
    pub fn cross_stack_references(mut self, strength: ReferenceStrength) -> Self {
        self.reference_strength = strength;
        self
    }

    /// The file that holds the values the app looked up in AWS (see
    /// [`context`](crate::context)), read at synth and written by the
    /// command line's lookups.
    ///
    /// Default: [`default_context_file`]: `cdk.context.json` in the
    /// program's package folder under Cargo, else in the current folder.
    #[must_use]
    pub fn context_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.context_file = Some(file.into());
        self
    }

    /// A context entry given in code (the CDK's `new App({ context })`),
    /// which wins over the file's entry under the same key.
    #[must_use]
    pub fn context(mut self, key: impl Into<String>, value: serde_json::Value) -> Self {
        self.context.set(key, value);
        self
    }

    /// The context file in use.
    #[must_use]
    pub fn context_file_path(&self) -> PathBuf {
        self.context_file
            .clone()
            .unwrap_or_else(default_context_file)
    }

    /// The app's context: the file's entries, then those given in code.
    ///
    /// # Errors
    /// [`Error::Io`] or [`Error::ContextFile`] when the file cannot be read
    /// or is not a JSON object.
    pub fn context_values(&self) -> Result<ContextValues> {
        Ok(ContextValues::load(&self.context_file_path())?.merged(&self.context))
    }

    /// Adds a stack.
    ///
    /// # Errors
    /// [`Error::DuplicateStack`] when a stack with the same id or the same
    /// CloudFormation name is already in the app; [`Error::InvalidId`] for an
    /// empty id or one containing `/`.
    pub fn add(&mut self, stack: Stack) -> Result<()> {
        let path = ConstructPath::new(stack.construct_id.clone());
        if let Some(reason) = crate::tree::construct_id_problem(&stack.construct_id) {
            return Err(Error::InvalidId {
                path: ConstructPath::new("App"),
                id: stack.construct_id.clone(),
                reason,
            });
        }
        if self
            .stacks
            .iter()
            .any(|s| s.construct_id == stack.construct_id)
        {
            return Err(Error::DuplicateStack { path, what: "id" });
        }
        if self.stacks.iter().any(|s| s.name() == stack.name()) {
            return Err(Error::DuplicateStack { path, what: "name" });
        }
        self.stacks.push(stack);
        Ok(())
    }

    /// The stacks, in the order they were added.
    #[must_use]
    pub fn stacks(&self) -> &[Stack] {
        &self.stacks
    }

    /// The stack with construct id `id`, to add to it after it joined the app.
    pub fn stack_mut(&mut self, id: &str) -> Option<&mut Stack> {
        self.stacks.iter_mut().find(|s| s.construct_id == id)
    }

    /// Synthesizes every stack in memory: logical IDs, validation,
    /// cross-stack exports, ordering, templates. Reads the context file
    /// when it exists.
    ///
    /// # Errors
    /// Every problem found, as one error or as [`Error::Many`];
    /// [`Error::MissingContext`] among them when a construct needs a value
    /// the context does not have.
    pub fn synth(&self) -> Result<Assembly> {
        let settings = crate::synth::Settings {
            strength: self.reference_strength,
            context: std::sync::Arc::new(self.context_values()?),
            context_file: self.context_file_path(),
        };
        crate::synth::synthesize(&self.stacks, &settings)
    }
}
