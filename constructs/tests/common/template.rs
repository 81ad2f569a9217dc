//! Synthesizes one stack in an app of its own and reads its template back
//! as JSON, for tests that assert on templates (each test crate takes this
//! module with `#[path = "common/template.rs"] mod template;`).

use ecscdk::App;
use ecscdk::Stack;

/// The template of `stack`, synthesized alone.
///
/// # Panics
/// When the stack is refused or synth fails: the test's failure.
#[allow(clippy::unwrap_used, reason = "a test helper: a failure is the test's")]
pub fn synth(stack: Stack) -> serde_json::Value {
    let id = stack.id().to_owned();
    let mut app = App::new();
    app.add(stack).unwrap();
    let assembly = app.synth().unwrap();
    serde_json::from_str(&assembly.stack(&id).unwrap().template).unwrap()
}
