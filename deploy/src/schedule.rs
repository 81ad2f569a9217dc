//! Stacks worked on at the same time (`--concurrency N`): a stack starts
//! once the stacks it waits for are done (deploy waits for its
//! dependencies, destroy for its dependents) and fewer than `N` are under
//! way. The first failure stops new stacks from starting; the ones under
//! way finish, and (with more than one at a time) the stacks never started
//! are named.

use std::collections::HashSet;
use std::future::Future;

use ecscdk_synth::{Assembly, StackArtifact};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;

use crate::error::{Error, Result};
use crate::watch::Console;

/// Which way dependencies point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    /// A stack waits for the stacks it depends on.
    Deploy,
    /// A stack waits for the stacks that depend on it.
    Destroy,
}

/// For each of `stacks`, the indices (into `stacks`) of those it waits for:
/// the stacks it depends on, directly or through stacks left out of
/// `stacks`, or for destroy the stacks that so depend on it.
fn waits_for(
    assembly: &Assembly,
    stacks: &[&StackArtifact],
    direction: Direction,
) -> Vec<Vec<usize>> {
    // What each chosen stack depends on, transitively, among the chosen.
    let depends: Vec<HashSet<usize>> = stacks
        .iter()
        .map(|stack| {
            let mut seen: HashSet<&str> = HashSet::new();
            let mut todo: Vec<&str> = stack.dependencies.iter().map(String::as_str).collect();
            let mut found = HashSet::new();
            while let Some(id) = todo.pop() {
                if !seen.insert(id) {
                    continue;
                }
                if let Some(i) = stacks.iter().position(|s| s.id == id) {
                    found.insert(i);
                    continue;
                }
                if let Some(s) = assembly.stack(id) {
                    todo.extend(s.dependencies.iter().map(String::as_str));
                }
            }
            found
        })
        .collect();
    (0..stacks.len())
        .map(|i| {
            let mut waits: Vec<usize> = match direction {
                Direction::Deploy => depends.get(i).into_iter().flatten().copied().collect(),
                Direction::Destroy => (0..stacks.len())
                    .filter(|j| depends.get(*j).is_some_and(|d| d.contains(&i)))
                    .collect(),
            };
            waits.sort_unstable();
            waits
        })
        .collect()
}

/// Runs `job` on every stack of `stacks`, at most `concurrency` at a time,
/// each once the stacks it waits for have succeeded; returns the results
/// in the order the stacks finished, or the first failure once the stacks
/// under way have finished (later failures are printed on `console`).
pub(crate) async fn run<'a, T, F, Fut>(
    assembly: &Assembly,
    stacks: &[&'a StackArtifact],
    direction: Direction,
    concurrency: usize,
    console: &Console,
    mut job: F,
) -> Result<Vec<(&'a StackArtifact, T)>>
where
    F: FnMut(&'a StackArtifact) -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let waits = waits_for(assembly, stacks, direction);
    let mut started = vec![false; stacks.len()];
    let mut done = vec![false; stacks.len()];
    let mut running = FuturesUnordered::new();
    let mut results = Vec::with_capacity(stacks.len());
    let mut failure: Option<Error> = None;
    loop {
        if failure.is_none() {
            for (i, stack) in stacks.iter().enumerate() {
                if running.len() >= concurrency.max(1) {
                    break;
                }
                let ready = !started.get(i).copied().unwrap_or(true)
                    && waits
                        .get(i)
                        .is_some_and(|w| w.iter().all(|j| done.get(*j).copied().unwrap_or(false)));
                if ready {
                    if let Some(s) = started.get_mut(i) {
                        *s = true;
                    }
                    let future = job(stack);
                    running.push(async move { (i, future.await) });
                }
            }
        }
        let Some((i, outcome)) = running.next().await else {
            break;
        };
        match outcome {
            Ok(value) => {
                if let Some(d) = done.get_mut(i) {
                    *d = true;
                }
                if let Some(stack) = stacks.get(i) {
                    results.push((*stack, value));
                }
            }
            Err(e) => match &failure {
                None => failure = Some(e),
                Some(_) => console.line(&format!(
                    "{}: {e}",
                    stacks.get(i).map_or("?", |s| s.stack_name.as_str())
                )),
            },
        }
    }
    let left: Vec<&str> = stacks
        .iter()
        .zip(&started)
        .filter(|(_, started)| !**started)
        .map(|(s, _)| s.stack_name.as_str())
        .collect();
    if let Some(e) = failure {
        // One at a time, the order says which stacks came after.
        if concurrency > 1 && !left.is_empty() {
            console.line(&format!(
                "not started after the failure: {}",
                left.join(", ")
            ));
        }
        return Err(e);
    }
    if !left.is_empty() {
        // Only a dependency cycle leaves stacks unstarted without a
        // failure; the engine refuses cycles at synth.
        return Err(Error::InvalidArgument {
            argument: "stacks",
            value: left.join(", "),
            fix: "these stacks wait for each other; break the dependency cycle",
        });
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::time::Duration;

    use super::*;

    /// An app of stacks `(id, the ids it depends on)`, each depending on
    /// earlier ones only.
    fn assembly(edges: &[(&str, &[&str])]) -> Assembly {
        let mut built: Vec<ecscdk_synth::Stack> = Vec::new();
        for (id, deps) in edges {
            let mut stack = ecscdk_synth::Stack::new(*id);
            for dep in *deps {
                let other = built.iter().find(|b| b.id() == *dep).unwrap();
                stack.add_dependency(other, "test");
            }
            built.push(stack);
        }
        let mut app = ecscdk_synth::App::new();
        for stack in built {
            app.add(stack).unwrap();
        }
        app.synth().unwrap()
    }

    fn named(stacks: &[&StackArtifact], waits: &[Vec<usize>]) -> Vec<(String, Vec<String>)> {
        stacks
            .iter()
            .zip(waits)
            .map(|(s, w)| {
                (
                    s.id.clone(),
                    w.iter().map(|j| stacks[*j].id.clone()).collect(),
                )
            })
            .collect()
    }

    fn pair(id: &str, waits: &[&str]) -> (String, Vec<String>) {
        (
            id.to_owned(),
            waits.iter().map(|w| (*w).to_owned()).collect(),
        )
    }

    #[test]
    fn deploy_waits_for_dependencies_and_destroy_for_dependents() {
        let a = assembly(&[
            ("Net", &[]),
            ("Data", &["Net"]),
            ("Web", &["Net", "Data"]),
            ("Other", &[]),
        ]);
        let all: Vec<&StackArtifact> = a.stacks().iter().collect();
        let deploy = named(&all, &waits_for(&a, &all, Direction::Deploy));
        assert!(
            deploy.contains(&pair("Web", &["Net", "Data"])),
            "{deploy:?}"
        );
        assert!(deploy.contains(&pair("Other", &[])), "{deploy:?}");
        let destroy = named(&all, &waits_for(&a, &all, Direction::Destroy));
        assert!(
            destroy.contains(&pair("Net", &["Data", "Web"])),
            "{destroy:?}"
        );
        assert!(destroy.contains(&pair("Web", &[])), "{destroy:?}");
    }

    #[test]
    fn a_left_out_stack_still_orders_the_chosen_ones() {
        let a = assembly(&[("Net", &[]), ("Data", &["Net"]), ("Web", &["Data"])]);
        let chosen: Vec<&StackArtifact> = a.stacks().iter().filter(|s| s.id != "Data").collect();
        let deploy = named(&chosen, &waits_for(&a, &chosen, Direction::Deploy));
        assert!(deploy.contains(&pair("Web", &["Net"])), "{deploy:?}");
    }

    /// Runs jobs of 10 ms on the stacks of `a`, failing on `fail`; returns
    /// the result, the order the jobs started and the most under way at
    /// once.
    fn simulate(
        a: &Assembly,
        concurrency: usize,
        fail: &str,
    ) -> (Result<Vec<String>>, Vec<String>, usize) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let all: Vec<&StackArtifact> = a.stacks().iter().collect();
        let starts = RefCell::new(Vec::new());
        let (now, most) = (Cell::new(0), Cell::new(0));
        let console = Console::new();
        let result = runtime.block_on(run(
            a,
            &all,
            Direction::Deploy,
            concurrency,
            &console,
            |stack| {
                starts.borrow_mut().push(stack.id.clone());
                now.set(now.get() + 1);
                most.set(most.get().max(now.get()));
                let (now, id) = (&now, stack.id.clone());
                async move {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    now.set(now.get() - 1);
                    if id == fail {
                        return Err(Error::Aborted { what: id });
                    }
                    Ok(id)
                }
            },
        ));
        let result = result.map(|r| r.into_iter().map(|(_, id)| id).collect());
        (result, starts.into_inner(), most.get())
    }

    #[test]
    fn independent_stacks_run_together_up_to_the_limit_and_dependents_wait() {
        let a = assembly(&[
            ("A", &[]),
            ("B", &[]),
            ("C", &[]),
            ("D", &["A"]),
            ("E", &[]),
        ]);
        let (result, starts, most) = simulate(&a, 4, "");
        assert_eq!(most, 4);
        // D waits for A although a slot is free; E takes it first.
        assert_eq!(starts, ["A", "B", "C", "E", "D"]);
        assert_eq!(result.unwrap().len(), 5);
        let (_, starts, most) = simulate(&a, 1, "");
        assert_eq!(most, 1);
        assert_eq!(starts, ["A", "B", "C", "D", "E"]);
    }

    #[test]
    fn the_first_failure_starts_nothing_new_and_lets_the_others_finish() {
        let a = assembly(&[("A", &[]), ("B", &[]), ("C", &["A"]), ("D", &[])]);
        let (result, starts, _) = simulate(&a, 2, "A");
        assert!(
            matches!(result, Err(Error::Aborted { ref what }) if what == "A"),
            "{result:?}"
        );
        // B was under way and finished; C (after A) and D never started.
        assert_eq!(starts, ["A", "B"]);
    }
}
