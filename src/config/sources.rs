//! `[[source]]`: what to read, resolved against the registry of sites.

use std::fmt;

use serde::Deserialize;
use url::Url;

use super::ConfigError;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    name: String,
    kind: String,
    url: String,
    enabled: Option<bool>,
    max_pages: Option<u32>,
    link_contains: Option<String>,
}

/// The site a source belongs to (its plug-in in `sources`).
#[derive(Clone, Copy)]
pub struct SiteRef(pub &'static dyn crate::sources::Site);

impl std::ops::Deref for SiteRef {
    type Target = dyn crate::sources::Site;
    fn deref(&self) -> &Self::Target {
        self.0
    }
}

impl fmt::Debug for SiteRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.id())
    }
}

impl PartialEq for SiteRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.id() == other.0.id()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub name: String,
    /// The site that reads it.
    pub site: SiteRef,
    /// Its kind, as the site names it (`regjeringen_list`, `rss`, …).
    pub kind: &'static str,
    pub url: Url,
    pub enabled: bool,
    /// Pages walked in a normal poll at most (a backfill may go further).
    pub max_pages: u32,
    /// Only items whose links contain this are followed (the feed's news
    /// items are not documents).
    pub link_contains: Option<String>,
}

/// The sources as configured: names unique, kinds a site reads, addresses
/// the site can read from, page limits in range.
pub(super) fn resolve(
    raw: Vec<RawSource>,
    err: &dyn Fn(&str, String) -> ConfigError,
) -> Result<Vec<Source>, ConfigError> {
    let mut sources: Vec<Source> = Vec::new();
    for (i, s) in raw.into_iter().enumerate() {
        let key = |field: &str| format!("source[{i}] ({}).{field}", s.name);
        if s.name.trim().is_empty() {
            return Err(err(
                &format!("source[{i}].name"),
                "kan ikke være tomt".into(),
            ));
        }
        if sources.iter().any(|o| o.name == s.name) {
            return Err(err(&key("name"), "navnet er brukt før".into()));
        }
        let Some((site, kind)) = crate::sources::site_for_kind(&s.kind) else {
            return Err(err(
                &key("kind"),
                format!(
                    "ukjent kilde-type «{}» (kjente: {})",
                    s.kind,
                    crate::sources::all_kinds().join(", ")
                ),
            ));
        };
        let url = Url::parse(&s.url).map_err(|e| err(&key("url"), format!("«{}»: {e}", s.url)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(err(&key("url"), "må være http eller https".into()));
        }
        site.check_source(kind, &url)
            .map_err(|why| err(&key("url"), why))?;
        let max_pages = s.max_pages.unwrap_or(2);
        if max_pages == 0 || max_pages > 1000 {
            return Err(err(&key("max_pages"), "må være mellom 1 og 1000".into()));
        }
        sources.push(Source {
            name: s.name,
            site: SiteRef(site),
            kind,
            url,
            enabled: s.enabled.unwrap_or(true),
            max_pages,
            link_contains: s
                .link_contains
                .or_else(|| site.default_link_contains(kind).map(str::to_string)),
        });
    }
    Ok(sources)
}
