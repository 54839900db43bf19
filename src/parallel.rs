//! A small ordered parallel map (readers, segmentation): items in, one result per item out, in input
//! order. Parsing is CPU-bound and files (or mbox entries) are independent, so the work is spread
//! over the machine's cores with scoped threads; no thread pool crate is needed for this one
//! shape. `on_done` runs on the calling thread as results arrive (the progress bar lives there).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// Below this many items the threads cost more than they save.
const MIN_PARALLEL_ITEMS: usize = 4;

/// Maps `f` over `items` on up to `available_parallelism` threads, keeping input order.
pub fn ordered_map<T, R, F, D>(items: &[T], f: F, mut on_done: D) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    D: FnMut(&T, &R),
{
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 || items.len() < MIN_PARALLEL_ITEMS {
        return items
            .iter()
            .map(|item| {
                let r = f(item);
                on_done(item, &r);
                r
            })
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = Vec::with_capacity(items.len());
    slots.resize_with(items.len(), || None);
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, R)>();
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, f) = (&next, &f);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                if tx.send((i, f(item))).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for (i, r) in rx {
            on_done(&items[i], &r);
            slots[i] = Some(r);
        }
    });
    // Every index below items.len() was taken by exactly one worker and sent back; a worker
    // that panicked would have propagated its panic out of `scope` above.
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_reports_each_item() {
        let items: Vec<u64> = (0..1000).collect();
        let mut seen = 0;
        let out = ordered_map(&items, |x| x * 2, |_, _| seen += 1);
        assert_eq!(out, (0..1000).map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(seen, 1000);
    }
}
