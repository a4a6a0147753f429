//! Precision and recall of the shipped themes on labelled sets.
//!
//! `labelled.jsonl`: the 34 rows of the council's two overview tables
//! (relevant by the secretariat's own judgement), the 20 hearings of the
//! real list page of 2026-07-04 that the council did not track, clearly
//! unrelated documents, and borderline cases, each with a note on how it
//! was labelled. The themes were tuned against this set.
//!
//! `heldout.jsonl`: policy documents written down and labelled before the
//! themes were written, never tuned against: the check that the matcher
//! does as well on documents it has not seen.

use policywatch::matching::{DocText, Matcher, ThemeSet};
use serde::Deserialize;

#[derive(Deserialize)]
struct Labelled {
    title: String,
    summary: Option<String>,
    #[serde(default)]
    departments: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    relevant: bool,
    note: String,
}

struct Scores {
    tp: usize,
    fp: usize,
    tn: usize,
    fn_: usize,
}

impl Scores {
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
}

fn evaluate(file: &str) -> Scores {
    let path = format!("{}/tests/eval/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    let matcher = Matcher::new(ThemeSet::default_set());
    let mut s = Scores {
        tp: 0,
        fp: 0,
        tn: 0,
        fn_: 0,
    };
    let mut misses = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let item: Labelled =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{file}:{}: {e}", i + 1));
        let v = matcher.classify(&DocText {
            title: &item.title,
            summary: item.summary.as_deref(),
            departments: &item.departments,
            topics: &item.topics,
        });
        match (item.relevant, v.relevant) {
            (true, true) => s.tp += 1,
            (false, false) => s.tn += 1,
            (false, true) => {
                s.fp += 1;
                let why: Vec<String> = v
                    .matched()
                    .flat_map(|t| t.hits.iter().map(|h| format!("{}:{}", t.id, h.term)))
                    .collect();
                misses.push(format!(
                    "  FALSK POSITIV ({:.1}) {} [{}] — {}",
                    v.score,
                    item.title,
                    why.join(", "),
                    item.note
                ));
            }
            (true, false) => {
                s.fn_ += 1;
                misses.push(format!(
                    "  OVERSETT ({:.1}) {} — {}",
                    v.score, item.title, item.note
                ));
            }
        }
    }
    println!("{file}: {} dokumenter", s.tp + s.fp + s.tn + s.fn_);
    println!("                 relevant   ikke relevant   (fasit)");
    println!("  funnet       {:>8}   {:>13}", s.tp, s.fp);
    println!("  ikke funnet  {:>8}   {:>13}", s.fn_, s.tn);
    println!(
        "  presisjon {:.3}, treffrate (recall) {:.3}",
        s.precision(),
        s.recall()
    );
    for m in &misses {
        println!("{m}");
    }
    s
}

#[test]
fn labelled_set_meets_the_floors() {
    let s = evaluate("labelled.jsonl");
    assert!(s.tp + s.fn_ >= 34, "the 34 table rows are in the set");
    assert!(
        s.precision() >= 0.85,
        "precision {:.3} < 0.85",
        s.precision()
    );
    assert!(s.recall() >= 0.90, "recall {:.3} < 0.90", s.recall());
}

#[test]
fn heldout_set_meets_the_floors() {
    let s = evaluate("heldout.jsonl");
    assert!(
        s.precision() >= 0.85,
        "precision {:.3} < 0.85",
        s.precision()
    );
    assert!(s.recall() >= 0.90, "recall {:.3} < 0.90", s.recall());
}
