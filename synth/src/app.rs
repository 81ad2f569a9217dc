//! The app: the set of stacks synthesized and deployed together.

use crate::assembly::Assembly;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

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
    pub(crate) stacks: Vec<Arc<Stack>>,
    pub(crate) reference_strength: ReferenceStrength,
    context_file: Option<PathBuf>,
    context: ContextValues,
    ahead: Mutex<Option<Ahead>>,
}

/// Synth's first pass over each stack ([`first_pass`]), made on another
/// thread as soon as the stack joins the app, while the program builds
/// the next ones: a stack's logical IDs, property checks, draft template
/// and `tree.json` subtree need no other stack. Synth keeps what still
/// holds ([`FirstPass::still_holds`]) and makes the rest itself.
///
/// [`first_pass`]: crate::synth::first_pass
/// [`FirstPass::still_holds`]: crate::synth::FirstPass
struct Ahead {
    jobs: mpsc::Sender<(usize, Arc<Stack>)>,
    /// Set when synth starts: the stacks not yet begun are left to it.
    stop: Arc<AtomicBool>,
    worker: JoinHandle<Vec<(usize, crate::synth::FirstPass)>>,
    settings: crate::synth::Settings,
}

impl std::fmt::Debug for Ahead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ahead").finish_non_exhaustive()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // An app dropped unsynthesized: the worker skips what is left.
        if let Ok(Some(ahead)) = self.ahead.get_mut() {
            ahead.stop.store(true, Ordering::Release);
        }
    }
}

impl Ahead {
    /// A worker for an app with these settings; `None` on a single core,
    /// where it would only take turns with the program.
    fn start(settings: crate::synth::Settings) -> Option<Self> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        if cores < 2 {
            return None;
        }
        let (jobs, queue) = mpsc::channel::<(usize, Arc<Stack>)>();
        let stop = Arc::new(AtomicBool::new(false));
        let worker_settings = settings.clone();
        let worker_stop = Arc::clone(&stop);
        let worker = std::thread::Builder::new()
            .name("ecscdk-synth-ahead".to_owned())
            .spawn(move || {
                // No other stack in the index: a pass that looks one up
                // (to read its values, or to name it in a problem) does not
                // hold, and synth makes it again with the whole app's.
                let index = Arc::new(crate::resolve::Index::default());
                let mut done = Vec::new();
                while let Ok((position, stack)) = queue.recv() {
                    if worker_stop.load(Ordering::Acquire) {
                        continue;
                    }
                    let pass = crate::synth::first_pass(&stack, &index, &worker_settings);
                    done.push((position, pass));
                }
                done
            })
            .ok()?;
        Some(Self {
            jobs,
            stop,
            worker,
            settings,
        })
    }

    /// Stops the worker once its current stack is done and gives back the
    /// passes it made, with the settings they were made with; nothing when
    /// it failed.
    fn finish(self) -> Vec<(usize, crate::synth::FirstPass, crate::synth::Settings)> {
        self.stop.store(true, Ordering::Release);
        drop(self.jobs);
        let settings = self.settings;
        self.worker
            .join()
            .map(|done| {
                done.into_iter()
                    .map(|(i, pass)| (i, pass, settings.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }
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
        let stack = Arc::new(stack);
        self.work_ahead(self.stacks.len(), &stack);
        self.stacks.push(stack);
        Ok(())
    }

    /// Hands `stack` to the worker that makes synth's first passes while the
    /// app is built, starting it with the first stack.
    fn work_ahead(&mut self, position: usize, stack: &Arc<Stack>) {
        if self.stacks.is_empty() {
            // An unreadable context file is synth's error to report.
            let settings = self
                .context_values()
                .ok()
                .map(|context| crate::synth::Settings {
                    strength: self.reference_strength,
                    context: Arc::new(context),
                    context_file: self.context_file_path(),
                });
            if let Ok(ahead) = self.ahead.get_mut() {
                *ahead = settings.and_then(Ahead::start);
            }
        }
        let Ok(ahead) = self.ahead.get_mut() else {
            return;
        };
        if let Some(worker) = ahead.as_ref()
            && worker.jobs.send((position, Arc::clone(stack))).is_err()
        {
            *ahead = None;
        }
    }

    /// The first passes the worker made; none when there was no worker.
    fn passes_made_ahead(&self) -> Vec<(usize, crate::synth::FirstPass, crate::synth::Settings)> {
        let ahead = match self.ahead.lock() {
            Ok(mut ahead) => ahead.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        ahead.map(Ahead::finish).unwrap_or_default()
    }

    /// The stacks, in the order they were added.
    pub fn stacks(&self) -> impl ExactSizeIterator<Item = &Stack> {
        self.stacks.iter().map(|s| &**s)
    }

    /// The stack with construct id `id`, to add to it after it joined the app.
    pub fn stack_mut(&mut self, id: &str) -> Option<&mut Stack> {
        // The worker holds the stacks it has yet to pass over, and a pass
        // made before the change would not hold: let synth make them all.
        drop(self.passes_made_ahead());
        self.stacks
            .iter_mut()
            .find(|s| s.construct_id == id)
            .and_then(Arc::get_mut)
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
        crate::synth::synthesize(&self.stacks, &settings, self.passes_made_ahead())
    }
}
