//! Repairs what an earlier release stored from pages nobody should have
//! trusted: a document whose address is not an http(s) address on its
//! source's host (it followed a redirect elsewhere, or took a `data:` link)
//! gets the site's own short address for it, and its page is read again.

use url::Url;

use super::Crawler;
use crate::sources::on_site;

impl Crawler<'_> {
    /// Returns how many documents were repaired.
    pub(super) fn repair_addresses(&mut self) -> anyhow::Result<u64> {
        let mut n = 0;
        for doc in self.store.addresses()? {
            let Some(source) = self.config.source(&doc.source) else {
                continue;
            };
            if Url::parse(&doc.url).is_ok_and(|u| on_site(&u, &source.url)) {
                continue;
            }
            if doc.key.site != source.site.id() {
                continue;
            }
            let Some(url) = source.site.short_url(&source.url, &doc.key) else {
                continue;
            };
            tracing::warn!(id = %doc.id, stored = %crate::sources::clip(&doc.url), repaired = %url, "adressen var ikke på kildens vert; siden leses på nytt");
            self.store.repair_address(doc.id, url.as_str())?;
            n += 1;
        }
        Ok(n)
    }
}
