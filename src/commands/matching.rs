//! `rematch`, `explain`, `pin`, `dismiss` and `classify`.

use std::io::BufRead;

use serde::Deserialize;

use super::{Exit, GlobalArgs, config_and_store};
use crate::cli::{ClassifyArgs, IdArgs, OverrideArgs};
use crate::config::Config;
use crate::job::match_stale;
use crate::matching::{DocText, Matcher, ThemeSet, Verdict};
use crate::store::{OverrideKind, Relevance};

pub fn rematch(g: &GlobalArgs) -> super::Result<Exit> {
    let (config, mut store) = config_and_store(g)?;
    let clock = super::clock(g);
    store.mark_all_stale()?;
    let matcher = Matcher::new(config.themes.clone());
    let report = match_stale(&mut store, &matcher, clock.now())?;
    outln!(
        "{} dokumenter vurdert mot {} temaer: {} relevante.",
        report.matched,
        config.themes.themes.len(),
        report.relevant
    )?;
    Ok(Exit::Ok)
}

pub fn set_override(
    g: &GlobalArgs,
    args: &OverrideArgs,
    kind: OverrideKind,
) -> super::Result<Exit> {
    let (_, store) = config_and_store(g)?;
    let doc = super::require_doc(&store, &args.id)?;
    let id = doc.id;
    let key = &doc.key;
    if args.undo {
        if store.clear_override(id)? {
            outln!(
                "{key} {}: sekretariatets vurdering fjernet; temamatchingen avgjør.",
                doc.title
            )?;
        } else {
            outln!("{key} {}: hadde ingen overstyring.", doc.title)?;
        }
        return Ok(Exit::Ok);
    }
    crate::job::set_override(
        &store,
        id,
        kind,
        args.reason.as_deref(),
        super::clock(g).now(),
    )?;
    let what = match kind {
        OverrideKind::Pin => "markert som relevant",
        OverrideKind::Dismiss => "avvist som ikke relevant",
    };
    outln!("{key} {}: {what}.", doc.title)?;
    Ok(Exit::Ok)
}

pub fn explain(g: &GlobalArgs, args: &IdArgs) -> super::Result<Exit> {
    let (config, store) = config_and_store(g)?;
    let doc = super::require_doc(&store, &args.id)?;
    let id = doc.id;
    // Explained with the themes as they are now.
    let matcher = Matcher::new(config.themes.clone());
    let verdict =
        crate::relevance::decide(&store, &doc, crate::relevance::own_verdict(&matcher, &doc))?;
    let stored = store.relevance(id)?;
    if args.json {
        let relevant = Relevance {
            verdict: Some(verdict.clone()),
            ..stored.clone()
        }
        .relevant();
        super::json::print(
            "explain",
            &super::json::Explain {
                document: (&doc).into(),
                relevant,
                verdict,
                overridden: stored.overridden.map(|o| super::json::OverrideJson {
                    kind: o.kind,
                    reason: o.reason,
                    at: o.at,
                }),
            },
        )?;
        return Ok(Exit::Ok);
    }
    outln!("{}  {}", doc.key, doc.title)?;
    out!("{}", explain_text(&verdict, &stored, &config))?;
    Ok(Exit::Ok)
}

/// A readable account of a verdict, in Norwegian.
pub(crate) fn explain_text(v: &Verdict, stored: &Relevance, config: &Config) -> String {
    let mut out = String::new();
    let threshold = config.themes.threshold;
    if let Some(o) = &stored.overridden {
        let what = match o.kind {
            OverrideKind::Pin => "RELEVANT: markert av sekretariatet",
            OverrideKind::Dismiss => "IKKE RELEVANT: avvist av sekretariatet",
        };
        let reason = o
            .reason
            .as_deref()
            .map(|r| format!(": «{r}»"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {what} {}{reason}. Det overstyrer temamatchingen under.\n",
            o.at
        ));
    }
    if v.relevant {
        out.push_str(&format!(
            "  Temamatchingen: relevant, poengsum {:.1} (terskel {threshold:.1}).\n",
            v.score
        ));
    } else if v.themes.iter().all(|t| t.score == 0.0) {
        out.push_str("  Temamatchingen: ikke relevant; ingen temaord i tittel eller sammendrag.\n");
    } else {
        out.push_str(&format!(
            "  Temamatchingen: ikke relevant, poengsum {:.1} er under terskelen {threshold:.1}.\n",
            v.score
        ));
    }
    for t in &v.themes {
        let state = if t.matched {
            "treff"
        } else {
            "under terskelen"
        };
        out.push_str(&format!(
            "  Tema {} – {}: {:.1} ({state})\n",
            t.id, t.name, t.score
        ));
        for h in &t.hits {
            out.push_str(&format!(
                "    «{}» i {}: «{}» ({:+.1})\n",
                h.term,
                h.field.label(),
                h.text,
                h.weight
            ));
        }
    }
    for s in &v.signals {
        if s.field == crate::model::verdict::Field::Refers {
            out.push_str(&format!(
                "  Gjelder {} («{}»), som rådet følger: relevant under de samme temaene\n",
                s.term, s.text
            ));
            continue;
        }
        out.push_str(&format!(
            "  {} «{}» ({:+.1}, teller når et tema har treff)\n",
            capitalise(s.field.label()),
            s.text,
            s.weight
        ));
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[derive(Deserialize)]
struct ClassifyInput {
    title: String,
    summary: Option<String>,
    #[serde(default)]
    departments: Vec<String>,
    #[serde(default)]
    topics: Vec<String>,
    /// Accepted for the record; the themes do not use the kind.
    #[allow(dead_code)]
    kind: Option<String>,
}

pub fn classify(g: &GlobalArgs, args: &ClassifyArgs) -> super::Result<Exit> {
    let themes = match &args.themes {
        Some(path) => ThemeSet::load(path).map_err(crate::config::ConfigError::from),
        None if g.config.exists() => Config::load(&g.config).map(|c| c.themes),
        None => Ok(ThemeSet::default_set()),
    };
    let themes = themes?;
    let matcher = Matcher::new(themes);
    let mut failed = false;
    let stdin = std::io::stdin();
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let out = match serde_json::from_str::<ClassifyInput>(&line) {
            Ok(doc) => {
                let v = matcher.classify(&DocText {
                    title: &doc.title,
                    summary: doc.summary.as_deref(),
                    departments: &doc.departments,
                    topics: &doc.topics,
                });
                serde_json::json!({
                    "relevant": v.relevant,
                    "score": v.score,
                    "themes": v.matched().map(|t| serde_json::json!({
                        "id": t.id,
                        "name": t.name,
                        "score": t.score,
                        "terms": t.hits,
                    })).collect::<Vec<_>>(),
                })
            }
            Err(e) => {
                failed = true;
                serde_json::json!({ "error": format!("linje {}: {e}", n + 1) })
            }
        };
        outln!("{out}")?;
    }
    Ok(if failed { Exit::Failure } else { Exit::Ok })
}
