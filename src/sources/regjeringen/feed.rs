//! regjeringen.no's RSS 2.0 feed (`/no/rss/Rss/2581966/`). Items carry no
//! deadline or status: they only tell the crawler which documents exist.

use jiff::civil::Date;
use serde::Serialize;
use url::Url;

use super::words::{SITE, id_in_url};
use crate::model::DocKey;
use crate::norsk::collapse_ws;
use crate::sources::ParseError;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedItem {
    /// The document, from the link (or the guid, a bare number there).
    pub key: Option<DocKey>,
    pub guid: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    /// `pubDate` as a calendar date in Europe/Oslo.
    pub published: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feed {
    pub title: String,
    pub items: Vec<FeedItem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Reads an RSS 2.0 document. A feed that does not parse is an error; an
/// empty feed is not (a filtered feed can be empty), but the caller treats
/// it as "nothing learned", never as "everything removed".
pub fn parse_feed(xml: &[u8], base: &Url) -> Result<Feed, ParseError> {
    let channel = rss::Channel::read_from(xml)
        .map_err(|e| ParseError::broken(format!("RSS-strømmen kan ikke leses: {e}")))?;
    let mut warnings = Vec::new();
    let mut unreadable = 0usize;
    let items: Vec<FeedItem> = channel
        .items()
        .iter()
        .map(|item| {
            let title = item
                .title()
                .map(|t| crate::norsk::clean_text(t, crate::model::MAX_TITLE));
            // Only http(s) links on the feed's own host are followed.
            let url = item.link().and_then(|l| match base.join(l.trim()) {
                Ok(u) if crate::sources::on_site(&u, base) => Some(u),
                _ => {
                    unreadable += 1;
                    warnings.push(format!(
                        "element «{}»: lenken «{}» er ikke en http(s)-adresse på {}; hoppet over",
                        crate::sources::clip(title.as_deref().unwrap_or("")),
                        crate::sources::clip(l),
                        base.host_str().unwrap_or("nettstedet")
                    ));
                    None
                }
            });
            let guid = item.guid().map(|g| g.value().trim().to_string());
            // The id comes from the link when there is one: a guid alone
            // cannot say where the document is.
            let id = url
                .as_ref()
                .and_then(|u| id_in_url(u.as_str()))
                .or_else(|| {
                    url.as_ref()?;
                    guid.as_deref().and_then(|g| g.parse().ok())
                });
            let published = item.pub_date().and_then(|d| match oslo_date(d) {
                Some(date) => Some(date),
                None => {
                    warnings.push(format!("ukjent pubDate «{}»", crate::sources::clip(d)));
                    None
                }
            });
            FeedItem {
                key: id.map(|id: u64| DocKey::new(SITE, id.to_string())),
                guid,
                url: url.map(String::from),
                title,
                published,
            }
        })
        .collect();
    if !items.is_empty() && unreadable * 2 >= items.len() {
        return Err(ParseError::broken(format!(
            "RSS-strømmen er ødelagt: {unreadable} av {} elementer har ingen brukbar lenke",
            items.len()
        )));
    }
    Ok(Feed {
        title: collapse_ws(channel.title()),
        items,
        warnings,
    })
}

/// An RFC 822/2822 date-time as the calendar date it falls on in Oslo.
fn oslo_date(s: &str) -> Option<Date> {
    let ts = jiff::fmt::rfc2822::parse(s.trim()).ok()?.timestamp();
    Some(crate::clock::oslo_date(ts))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>RSS Regjeringen.no</title>
<link>https://www.regjeringen.no/</link><description>d</description>
<item><title> Høring - NOU 2026: 8 Samarbeid </title><link>https://www.regjeringen.no/no/dokumenter/horing-nou-2026-8/id3171341/</link>
<description>x</description><guid isPermaLink="false">3171341</guid><pubDate>Wed, 30 Sep 2026 23:30:00 +0000</pubDate></item>
<item><title>Uten guid</title><link>/no/dokumenter/noe/id42/</link><pubDate>i morgen</pubDate></item>
<item><title>Lurt</title><link>javascript:alert(1)//id43/</link><guid>43</guid></item>
<item><title>Annen vert</title><link>https://evil.example/no/dokumenter/x/id44/</link></item>
<item><title>Tredje</title><link>https://www.regjeringen.no/no/dokumenter/tredje/id45/</link></item>
</channel></rss>"#;

    #[test]
    fn reads_items_with_oslo_dates() {
        let base = Url::parse("https://www.regjeringen.no/no/rss/Rss/2581966/").unwrap();
        let feed = parse_feed(FEED.as_bytes(), &base).unwrap();
        assert_eq!(feed.items.len(), 5);
        let first = &feed.items[0];
        assert_eq!(first.key, Some(super::super::key(3171341)));
        assert_eq!(
            first.title.as_deref(),
            Some("Høring - NOU 2026: 8 Samarbeid")
        );
        // 23:30 UTC on 30 September is 1 October in Oslo.
        assert_eq!(first.published, Some(jiff::civil::date(2026, 10, 1)));
        let second = &feed.items[1];
        assert_eq!(second.key, Some(super::super::key(42)));
        assert_eq!(
            second.url.as_deref(),
            Some("https://www.regjeringen.no/no/dokumenter/noe/id42/")
        );
        assert_eq!(second.published, None);
        // The odd links are skipped, said, and give no id to follow.
        assert_eq!(
            (feed.items[2].key.clone(), feed.items[2].url.as_deref()),
            (None, None)
        );
        assert_eq!(
            (feed.items[3].key.clone(), feed.items[3].url.as_deref()),
            (None, None)
        );
        assert_eq!(feed.warnings.len(), 3, "{:?}", feed.warnings);
    }

    #[test]
    fn a_feed_of_mostly_odd_links_is_broken() {
        let base = Url::parse("https://www.regjeringen.no/no/rss/Rss/2581966/").unwrap();
        let feed = r#"<rss version="2.0"><channel><title>t</title><link>x</link><description>d</description>
<item><title>a</title><link>data:text/html,x/id5/</link></item>
<item><title>b</title><link>/no/dokumenter/b/id6/</link></item></channel></rss>"#;
        assert!(parse_feed(feed.as_bytes(), &base).is_err());
    }

    #[test]
    fn garbage_is_an_error() {
        let base = Url::parse("https://x/").unwrap();
        assert!(parse_feed(b"<html>not a feed</html>", &base).is_err());
    }
}
