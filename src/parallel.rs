//! A small ordered parallel map (readers, staging, segmentation): items in, one result per item
//! out, in input order. Parsing, cleaning and segmenting are CPU-bound and independent per item,
//! so the work is spread over the machine's cores by rayon's pool.
//!
//! The pool's threads live as long as the process. An ingest calls this map thousands of times,
//! and threads spawned per call cost more than their start: each new thread took the slow path
//! of every shared regex's cache pool, and the allocator abandoned each dead thread's heap with
//! live messages in it (memory that stayed resident). `on_done` runs on the calling thread for
//! each item, in order, once the batch is done.

use rayon::prelude::*;

/// Below this many items the pool costs more than it saves.
const MIN_PARALLEL_ITEMS: usize = 4;

/// Maps `f` over `items` on the machine's cores, keeping input order.
pub fn ordered_map<T, R, F, D>(items: &[T], f: F, mut on_done: D) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> R + Sync,
    D: FnMut(&T, &R),
{
    let out: Vec<R> = if items.len() < MIN_PARALLEL_ITEMS {
        items.iter().map(f).collect()
    } else {
        // One item per task: items differ a lot in cost (a 2 MiB mail beside a one-liner).
        items.par_iter().with_max_len(1).map(&f).collect()
    };
    for (item, r) in items.iter().zip(&out) {
        on_done(item, r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_reports_each_item() {
        let items: Vec<u64> = (0..1000).collect();
        let mut seen = Vec::new();
        let out = ordered_map(&items, |x| x * 2, |x, r| seen.push((*x, *r)));
        assert_eq!(out, (0..1000).map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(seen, (0..1000).map(|x| (x, x * 2)).collect::<Vec<_>>());
    }
}
