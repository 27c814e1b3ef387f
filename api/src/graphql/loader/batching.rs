//! When a request's DataLoader batches run: on the request's own task, each as soon as
//! the request can go no further without it.
//!
//! async-graphql's DataLoader starts a batch on a spawned task after a fixed delay (1 ms)
//! and sends its rows to the waiting fields one by one. Under load the request's task
//! waits longer than that for a core, so the keys of one level of the tree reach the
//! loader over several windows, and rows delivered one by one let part of the next level
//! ask before the rest: one batch became three or four statements at 32 clients.
//!
//! Here the loader's "spawner" only queues the batch, with no delay, and [`run`] drives
//! the request level by level: it polls the query; when the query is waiting and nothing
//! woke it (every field that could ask for a key has asked), it starts the queued batches
//! together; and it polls the query again only when all of them have handed their rows
//! over. The next level then asks for its keys together, from a cache that holds every
//! row of the level before: a key asked for again (a nomination's author who is also the
//! candidate's caseworker) is not fetched twice. The number of statements depends on
//! the query and the data, not on how busy the server is, and a request no longer sleeps
//! 1 ms per level. The price: a field's own await (one that is not a loader's) that
//! finishes while batches run goes on when they are done. A loader never waits for
//! another loader (it has no DataLoader to ask), so a running batch always finishes.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

type Batch = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// The batches a request's loaders queued and [`run`] has not started yet.
#[derive(Clone, Default)]
pub struct Batches(Arc<Mutex<Vec<Batch>>>);

impl Batches {
    /// The DataLoader's spawner: queues the batch for [`run`].
    pub fn spawner(&self) -> impl Fn(Batch) + Send + Sync + 'static {
        let queue = self.0.clone();
        move |batch| {
            queue
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(batch);
        }
    }

    fn take(&self) -> Vec<Batch> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn is_empty(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_empty()
    }
}

/// A waker that notes it was woken and passes the wake on to the task.
struct Noting {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for Noting {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake_by_ref();
    }
}

/// Drives `query` and the batches its loaders queue in `batches` to completion.
pub async fn run<F: Future>(batches: Batches, query: F) -> F::Output {
    let mut query = std::pin::pin!(query);
    let mut running: Vec<Batch> = Vec::new();
    // The waker the query was last polled with; `None` before the first poll.
    let mut last: Option<Arc<Noting>> = None;
    // Batches are queued, none is running, and the task has given the scheduler a turn.
    let mut settling = false;
    std::future::poll_fn(move |cx: &mut Context<'_>| {
        let woken = |last: &Option<Arc<Noting>>| {
            last.as_ref()
                .is_none_or(|noting| noting.woken.load(Ordering::Acquire))
        };
        // Nothing woke the query since it last stopped: every field that could ask for
        // a key has asked.
        if std::mem::take(&mut settling) && !woken(&last) {
            running.extend(batches.take());
        }
        running.retain_mut(|batch| batch.as_mut().poll(cx).is_pending());
        // The query goes on when the whole level is in: what the next level asks for
        // is looked up in a cache that holds every row of this one.
        if running.is_empty() && woken(&last) {
            let noting = Arc::new(Noting {
                woken: AtomicBool::new(false),
                task: cx.waker().clone(),
            });
            let waker = Waker::from(noting.clone());
            if let Poll::Ready(output) = query.as_mut().poll(&mut Context::from_waker(&waker)) {
                return Poll::Ready(output);
            }
            last = Some(noting);
        }
        if running.is_empty() && !batches.is_empty() {
            // Start them on the next poll, unless the query is woken before it: the
            // runtime defers some wakes (a yield, an exhausted budget) to the end of
            // this poll. While a batch runs, its end wakes the task (and it wakes the
            // query, whose rows it has handed over).
            settling = true;
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use std::collections::HashMap;
    use std::sync::Mutex;

    use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};

    use super::{Batches, run};

    /// Records the keys of every batch.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<Vec<u32>>>);

    impl Loader<u32> for Recorder {
        type Value = u32;
        type Error = String;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, String> {
            let mut sorted = keys.to_vec();
            sorted.sort_unstable();
            self.0.lock().unwrap().push(sorted);
            // The database answers later, as it does.
            for _ in 0..5 {
                tokio::task::yield_now().await;
            }
            Ok(keys.iter().map(|k| (*k, k * 10)).collect())
        }
    }

    /// Another loader of the same request, which answers at once.
    impl Loader<u64> for Recorder {
        type Value = u64;
        type Error = String;

        async fn load(&self, keys: &[u64]) -> Result<HashMap<u64, u64>, String> {
            Ok(keys.iter().map(|k| (*k, *k)).collect())
        }
    }

    fn loader(batches: &Batches) -> DataLoader<Recorder, HashMapCache> {
        DataLoader::with_cache(
            Recorder::default(),
            batches.spawner(),
            HashMapCache::default(),
        )
        .delay(std::time::Duration::ZERO)
    }

    #[tokio::test]
    async fn one_batch_per_level_however_the_fields_interleave() {
        let batches = Batches::default();
        let loader = loader(&batches);
        // Fifty fields, each asks for one key, yields to the scheduler a different number
        // of times, then asks for a second key (none of the first) from what the first gave.
        let fields = (0..50_u32).map(|i| {
            let loader = &loader;
            async move {
                for _ in 0..(i % 7) {
                    tokio::task::yield_now().await;
                }
                let first = loader.load_one(i).await.unwrap().unwrap();
                loader.load_one(first + 1000).await.unwrap().unwrap()
            }
        });
        let answers = run(batches, futures::future::join_all(fields)).await;
        assert_eq!(
            answers,
            (0..50).map(|i| (i * 10 + 1000) * 10).collect::<Vec<_>>()
        );
        let recorded = loader.loader().0.lock().unwrap().clone();
        assert_eq!(
            recorded,
            vec![
                (0..50).collect::<Vec<_>>(),
                (0..50).map(|i| i * 10 + 1000).collect::<Vec<_>>()
            ],
            "one batch for the first keys, one for the second"
        );
    }

    /// A key asked for again while its first batch runs (a nomination's author who is
    /// also the candidate's caseworker) comes from the cache, not from a second batch.
    #[tokio::test]
    async fn a_key_asked_for_while_its_batch_runs_is_fetched_once() {
        let batches = Batches::default();
        let loader = loader(&batches);
        let slow = async { loader.load_one(1_u32).await.unwrap() };
        let fast_then_slow = async {
            loader.load_one(7_u64).await.unwrap();
            loader.load_one(1_u32).await.unwrap()
        };
        let (a, b) = run(batches, futures::future::join(slow, fast_then_slow)).await;
        assert_eq!((a, b), (Some(10), Some(10)));
        assert_eq!(*loader.loader().0.lock().unwrap(), vec![vec![1]]);
    }
}
