//! Saving what was fetched (`poll --save-pages DIR`): each answer's body
//! byte for byte, and beside it its address, time, status and headers, so
//! a first run against a real site yields fixtures for the parsers.

use std::path::{Path, PathBuf};

use serde::Serialize;
use url::Url;

/// Where fetched pages are saved, and how many so far.
#[derive(Debug, Clone)]
pub struct PageSaver {
    dir: PathBuf,
    n: u32,
}

/// The sidecar of a saved body.
#[derive(Debug, Serialize)]
struct Saved<'a> {
    url: &'a str,
    status: u16,
    fetched_at: String,
    /// The body's file, beside this one.
    body: &'a str,
    bytes: usize,
    headers: Vec<(String, String)>,
}

impl PageSaver {
    /// Saves into `dir`, made if missing.
    pub fn new(dir: &Path) -> std::io::Result<PageSaver> {
        std::fs::create_dir_all(dir)?;
        Ok(PageSaver {
            dir: dir.to_path_buf(),
            n: 0,
        })
    }

    /// Saves one answer. A failure to save is logged, never a failed fetch.
    pub fn save(&mut self, url: &Url, status: u16, headers: &[(String, String)], body: &[u8]) {
        self.n += 1;
        let ext = extension(headers);
        let stem = format!("{:04}-{}", self.n, slug(url));
        let body_name = format!("{stem}.{ext}");
        let meta = Saved {
            url: url.as_str(),
            status,
            fetched_at: jiff::Timestamp::now().to_string(),
            body: &body_name,
            bytes: body.len(),
            headers: headers.to_vec(),
        };
        let result = std::fs::write(self.dir.join(&body_name), body).and_then(|()| {
            let json = serde_json::to_vec_pretty(&meta).map_err(std::io::Error::other)?;
            std::fs::write(self.dir.join(format!("{stem}.json")), json)
        });
        if let Err(e) = result {
            tracing::warn!(%url, dir = %self.dir.display(), error = %e, "kunne ikke lagre siden");
        }
    }
}

/// A file name from an address: host, path and query, safe characters
/// only, at most 120 of them.
fn slug(url: &Url) -> String {
    let raw = format!(
        "{}{}{}",
        url.host_str().unwrap_or("host"),
        url.path(),
        url.query().map(|q| format!("_{q}")).unwrap_or_default()
    );
    let mut out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '_'
            }
        })
        .collect();
    out = out.trim_matches('_').to_string();
    out.truncate(120);
    out
}

fn extension(headers: &[(String, String)]) -> &'static str {
    let ct = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default();
    if ct.contains("html") {
        "html"
    } else if ct.contains("xml") || ct.contains("rss") {
        "xml"
    } else if ct.contains("json") {
        "json.txt"
    } else {
        "txt"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_and_numbered() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = PageSaver::new(dir.path()).unwrap();
        let url =
            Url::parse("https://data.stortinget.no/eksport/horinger?sesjonid=2026-2027").unwrap();
        let headers = vec![(
            "content-type".to_string(),
            "text/xml; charset=utf-8".to_string(),
        )];
        s.save(&url, 200, &headers, b"<x/>");
        let body = dir
            .path()
            .join("0001-data.stortinget.no_eksport_horinger_sesjonid_2026-2027.xml");
        assert_eq!(std::fs::read(&body).unwrap(), b"<x/>");
        let meta: serde_json::Value =
            serde_json::from_slice(&std::fs::read(body.with_extension("json")).unwrap()).unwrap();
        assert_eq!(meta["url"], url.as_str());
        assert_eq!(meta["headers"][0][1], "text/xml; charset=utf-8");
        assert_eq!(
            slug(&Url::parse("http://h/../../etc/passwd").unwrap()),
            "h_etc_passwd"
        );
    }
}
