//! The shape of the code, checked: the modules form a one-way graph (no
//! cycle among the top-level modules, nor among the commands), and
//! everything a site does differently lives in its own folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

/// The code of a file without its tests (`#[cfg(test)]` to the end, as the
/// code base writes them) and without comments.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Edges between the modules named by `module_of`, from `crate::x` paths
/// (and `super::x` paths, for siblings below `parent`).
fn graph(
    files: &[PathBuf],
    module_of: impl Fn(&Path) -> Option<String>,
    reference: &regex::Regex,
) -> BTreeMap<String, BTreeSet<String>> {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let Some(from) = module_of(f) else { continue };
        let entry = g.entry(from.clone()).or_default();
        for c in reference.captures_iter(&code_of(f)) {
            let to = c[1].to_string();
            if to != from {
                entry.insert(to);
            }
        }
    }
    g
}

/// A cycle in the graph, if there is one.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_string());
        for m in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, g, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for n in g.keys() {
        if let Some(c) = visit(n, g, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

#[test]
fn the_top_level_modules_form_a_one_way_graph() {
    let root = src();
    let files = rust_files(&root);
    let top = |p: &Path| {
        let rel = p.strip_prefix(&root).ok()?;
        let first = rel.components().next()?.as_os_str().to_str()?;
        let name = first.trim_end_matches(".rs");
        (!matches!(name, "lib" | "main")).then(|| name.to_string())
    };
    let re = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let g = graph(&files, top, &re);
    assert!(g.len() > 10, "{g:#?}");
    if let Some(c) = cycle(&g) {
        panic!("module cycle: {}\n{g:#?}", c.join(" → "));
    }
}

#[test]
fn the_commands_do_not_call_each_other_in_a_circle() {
    let root = src().join("commands");
    let files = rust_files(&root);
    let module = |p: &Path| {
        let name = p.file_stem()?.to_str()?.to_string();
        (name != "mod").then_some(name)
    };
    let re = regex::Regex::new(r"super::([a-z_]+)::").unwrap();
    let g = graph(&files, module, &re);
    if let Some(c) = cycle(&g) {
        panic!("command cycle: {}\n{g:#?}", c.join(" → "));
    }
}

/// The code of a file without its tests, without whole-line comments and
/// without SQL comments (` -- …`); string literals, addresses among them,
/// kept whole.
fn code_without_comments(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .map(|l| match l.find(" -- ") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines outside `src/sources/<site>/` that match one of a site's rules.
fn outside(site: &str, rules: &[&str]) -> (Vec<String>, usize) {
    let root = src();
    let own = root.join("sources").join(site);
    let rules: Vec<regex::Regex> = rules
        .iter()
        .map(|r| regex::Regex::new(r).unwrap())
        .collect();
    let mut found = Vec::new();
    for f in rust_files(&root) {
        if f.starts_with(&own) {
            continue;
        }
        let code = code_without_comments(&f);
        for (n, line) in code.lines().enumerate() {
            for rule in &rules {
                if rule.is_match(line) {
                    found.push(format!(
                        "{}:{}: {rule}: {}",
                        f.strip_prefix(&root).unwrap().display(),
                        n + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    // The check reads what it should: the folder itself is full of them.
    let inside: usize = rust_files(&own)
        .iter()
        .map(|f| {
            let code = code_without_comments(f);
            rules.iter().filter(|r| r.is_match(&code)).count()
        })
        .sum();
    (found, inside)
}

#[test]
fn what_regjeringen_no_does_differently_lives_in_its_folder() {
    // Its markup, its addresses, its ids and its source kinds.
    let (found, inside) = outside(
        "regjeringen",
        &[
            r"regjeringen\.no/",
            r#""regjeringen""#,
            "regjeringen_list",
            r"/id(\d|\{)",
            r#""/id""#,
            "contentassets",
            "horing-meta",
            "listItem",
            "searchResultsListing",
            r"DC\.Identifier",
            "og:url",
            r"svar\.regjeringen",
            "hoyringar",
        ],
    );
    assert!(
        found.is_empty(),
        "regjeringen.no outside src/sources/regjeringen/:\n{}",
        found.join("\n")
    );
    assert!(inside >= 8, "{inside}");
}

#[test]
fn what_stortinget_does_differently_lives_in_its_folder() {
    // Its API, its answers' element names, its addresses and its kind.
    let (found, inside) = outside(
        "stortinget",
        &[
            r"data\.stortinget",
            r"www\.stortinget\.no",
            "stortinget_horinger",
            r#""stortinget""#,
            "horinger_oversikt",
            "sesjoner",
            "sak_henvisning",
            "respons_dato_tid",
            r"Hva-skjer-pa-Stortinget",
        ],
    );
    assert!(
        found.is_empty(),
        "stortinget.no outside src/sources/stortinget/:\n{}",
        found.join("\n")
    );
    assert!(inside >= 6, "{inside}");
}
