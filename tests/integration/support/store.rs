//! What the store tests share: comparing search results of two stores built different ways.

/// Asserts two search results agree: the same hits, snippets, highlights, totals and facets, and
/// scores equal up to float rounding (tantivy sums BM25 over segments, and the two stores' segments
/// differ with the indexing threads' timing).
pub fn assert_same_results(a: &serde_json::Value, b: &serde_json::Value) {
    let strip = |v: &serde_json::Value| {
        let mut v = v.clone();
        let mut scores = Vec::new();
        for hit in v["hits"].as_array_mut().unwrap() {
            scores.push(hit["score"].as_f64().unwrap());
            hit["score"] = serde_json::Value::Null;
        }
        (v, scores)
    };
    let ((va, sa), (vb, sb)) = (strip(a), strip(b));
    assert_eq!(va, vb);
    for (x, y) in sa.iter().zip(&sb) {
        assert!(
            (x - y).abs() <= 1e-5 * x.abs().max(1.0),
            "{x} vs {y} in {a}"
        );
    }
}
