//! Check before retry: how a change is sent again without ever being applied twice. After a
//! failure the portal may have acted on (a broken connection, a 5xx) the members' current state
//! is read back, and only those not yet in the wanted state are sent again, `ROUNDS` times at
//! most. A refusal (a portal error) is final.
//!
//! Here: the chunked runner (chunks sent concurrently, cancelling honoured, outcomes put back
//! in the members' order), the rounds of one chunk, and the same for a single change. Not
//! here: which changes exist and how their state is read (the parent module's helpers), and
//! the retries of the transport itself (which resends a write only when the portal surely did
//! not act).

use std::collections::HashSet;
use std::future::Future;

use futures::stream::{self, StreamExt};

use super::{order_like, Bulk, ItemOutcome, Outcome};
use crate::error::{Error, Result};
use crate::models::User;
use crate::transport::Client;

/// How many times a member is sent after failures that may or may not have been applied.
const ROUNDS: usize = 4;

/// Whether the portal may have acted before this failure.
fn maybe_applied(e: &Error) -> bool {
    matches!(e, Error::Network(_) | Error::Unavailable { .. })
}

impl Bulk<'_> {
    /// Chunks of `size` per request; after a failure that may have been applied, `verify`
    /// says which members of the chunk are already in the wanted state.
    pub(super) async fn batched<A, AF, V, VF>(
        &self,
        usernames: &[String],
        size: usize,
        mut progress: impl FnMut(usize, usize),
        apply: A,
        verify: V,
    ) -> Vec<ItemOutcome>
    where
        A: Fn(Vec<String>) -> AF,
        AF: Future<Output = Result<Vec<(String, std::result::Result<(), String>)>>>,
        V: Fn(Vec<String>) -> VF,
        VF: Future<Output = Result<HashSet<String>>>,
    {
        let total = usernames.len();
        let chunks: Vec<Vec<String>> = usernames
            .chunks(size.max(1))
            .map(<[String]>::to_vec)
            .collect();
        let mut results: Vec<ItemOutcome> = stream::iter(chunks)
            .map(|chunk| {
                let skip = self.cancelled();
                let apply = &apply;
                let verify = &verify;
                async move {
                    if skip {
                        return chunk
                            .into_iter()
                            .map(|username| ItemOutcome {
                                username,
                                outcome: Outcome::Skipped("cancelled".into()),
                            })
                            .collect::<Vec<_>>();
                    }
                    run_chunk(chunk, apply, verify).await
                }
            })
            .buffer_unordered(self.options.concurrency.max(1))
            .inspect({
                let mut done = 0;
                move |items: &Vec<ItemOutcome>| {
                    done += items.len();
                    progress(done, total);
                }
            })
            .flat_map(stream::iter)
            .collect()
            .await;
        order_like(&mut results, usernames);
        results
    }
}

/// Which of `names` the portal already shows in the wanted state (read back one by one).
pub(super) async fn already(
    client: &Client,
    names: Vec<String>,
    wanted: impl Fn(&User) -> bool,
) -> Result<HashSet<String>> {
    let mut ok = HashSet::new();
    for name in names {
        if client.users().get(&name).await?.is_some_and(|u| wanted(&u)) {
            ok.insert(name);
        }
    }
    Ok(ok)
}

/// Sends one chunk until every member has an outcome.
async fn run_chunk<A, AF, V, VF>(chunk: Vec<String>, apply: &A, verify: &V) -> Vec<ItemOutcome>
where
    A: Fn(Vec<String>) -> AF,
    AF: Future<Output = Result<Vec<(String, std::result::Result<(), String>)>>>,
    V: Fn(Vec<String>) -> VF,
    VF: Future<Output = Result<HashSet<String>>>,
{
    let mut out = Vec::with_capacity(chunk.len());
    let mut pending = chunk;
    let mut last_error = String::new();
    for _ in 0..ROUNDS {
        if pending.is_empty() {
            break;
        }
        match apply(pending.clone()).await {
            Ok(results) => {
                let mut answered = HashSet::new();
                for (name, r) in results {
                    answered.insert(name.to_lowercase());
                    out.push(ItemOutcome {
                        username: name,
                        outcome: match r {
                            Ok(()) => Outcome::Done,
                            Err(why) => Outcome::Failed(why),
                        },
                    });
                }
                for name in pending.drain(..) {
                    if !answered.contains(&name.to_lowercase()) {
                        out.push(ItemOutcome {
                            username: name,
                            outcome: Outcome::Failed(
                                "the portal did not answer for this member".into(),
                            ),
                        });
                    }
                }
            }
            Err(e) if maybe_applied(&e) => {
                last_error = e.to_string();
                match verify(pending.clone()).await {
                    Ok(already) => {
                        pending.retain(|name| {
                            if already.contains(name) {
                                out.push(ItemOutcome {
                                    username: name.clone(),
                                    outcome: Outcome::Done,
                                });
                                false
                            } else {
                                true
                            }
                        });
                    }
                    Err(v) => {
                        let why = format!("{e}; and the check of what was applied failed: {v}");
                        out.extend(pending.drain(..).map(|username| ItemOutcome {
                            username,
                            outcome: Outcome::Failed(why.clone()),
                        }));
                    }
                }
            }
            Err(e) => {
                let why = e.reason();
                out.extend(pending.drain(..).map(|username| ItemOutcome {
                    username,
                    outcome: Outcome::Failed(why.clone()),
                }));
            }
        }
    }
    out.extend(pending.into_iter().map(|username| ItemOutcome {
        username,
        outcome: Outcome::Failed(format!(
            "still failing after {ROUNDS} attempts: {last_error}"
        )),
    }));
    out
}

/// Applies a single change so that it lands once: after a failure that may have been applied,
/// `check` decides between "done" and "send again".
pub(super) async fn applied_once<A, AF, C, CF>(apply: A, check: C) -> Outcome
where
    A: Fn() -> AF,
    AF: Future<Output = Result<()>>,
    C: Fn() -> CF,
    CF: Future<Output = Result<bool>>,
{
    let mut last_error = String::new();
    for _ in 0..ROUNDS {
        match apply().await {
            Ok(()) => return Outcome::Done,
            Err(e) if maybe_applied(&e) => {
                last_error = e.to_string();
                match check().await {
                    Ok(true) => return Outcome::Done,
                    Ok(false) => continue,
                    Err(v) => {
                        return Outcome::Failed(format!(
                            "{e}; and the check of what was applied failed: {v}"
                        ))
                    }
                }
            }
            Err(e) => return Outcome::Failed(e.reason()),
        }
    }
    Outcome::Failed(format!(
        "still failing after {ROUNDS} attempts: {last_error}"
    ))
}
