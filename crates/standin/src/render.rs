//! The stand-in site's pages, on the model of the real markup (see the
//! captures described in `shared/reference/regjeringen.md`).

use std::fmt::Write as _;

use super::{DocKind, SiteDoc, SiteList, esc, format_date};

fn nn(doc: &SiteDoc) -> bool {
    doc.language == "nn"
}

fn type_text(doc: &SiteDoc) -> &'static str {
    match doc.kind {
        DocKind::Horing if nn(doc) => "Høyring",
        DocKind::Horing => "Høring",
        DocKind::Nou => "NOU",
        DocKind::MeldSt => "Melding til Stortinget",
        DocKind::Prop => "Proposisjon til Stortinget",
        DocKind::Strategi => "Strategi",
        DocKind::Plan => "Handlingsplan",
        DocKind::Rapport => "Rapport",
        DocKind::Annet => "Dokument",
    }
}

fn deadline_label(doc: &SiteDoc) -> &'static str {
    if nn(doc) {
        "Høyringsfrist"
    } else {
        "Høringsfrist"
    }
}

fn dc_type(kind: DocKind) -> &'static str {
    match kind {
        DocKind::Horing => "Horing",
        DocKind::Nou => "NOU",
        DocKind::MeldSt => "Melding",
        DocKind::Prop => "Proposisjon",
        DocKind::Strategi => "Strategi",
        DocKind::Plan => "Plan",
        DocKind::Rapport => "Rapport",
        DocKind::Annet => "Dokument",
    }
}

/// A search-result list page.
pub fn list_page(
    list: &SiteList,
    docs: &[&SiteDoc],
    page: usize,
    pages: usize,
    total: usize,
    per_page: usize,
    origin: &str,
) -> String {
    let mut h = String::new();
    let from = (page - 1) * per_page + 1;
    let to = from + docs.len() - 1;
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html class=\"no-js\" lang=\"nn\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} - regjeringen.no</title>\n",
        esc(&list.title)
    );
    if page < pages {
        let _ = writeln!(
            h,
            "<link rel=\"next\" href=\"{origin}{}?page={}\">",
            list.path,
            page + 1
        );
    }
    let _ = write!(
        h,
        "</head>\n<body>\n<main id=\"mainContent\">\n<h1>{}</h1>\n<div class=\"results\">\n<div class=\"statusLine\">\n<p class=\"count\">\n    Viser {from}-{to} av {total} treff.\n</p>\n</div>\n<ul class=\"listing\" tabindex=\"-1\" id=\"searchResultsListing\" data-nav=\"searchResultList\">\n",
        esc(&list.title)
    );
    for d in docs {
        let _ = write!(
            h,
            "<li class=\"listItem\">\n<h2 class=\"title\">\n<a href=\"{}\"  data-nav=searchResultItem >\n    {} \n</a>\n</h2>\n<div class=\"info\">\n    <span class=\"date\">{}</span>\n    <span class=\"type\">{}</span>\n    <span class=\"department\">{}</span>\n</div>\n<p class=\"excerpts\">{}</p>\n",
            d.path(),
            esc(&d.title),
            format_date(d.published),
            type_text(d),
            esc(&d.departments.join(", ")),
            esc(&d.summary)
        );
        if d.deadline.is_some() || d.status_text.is_some() {
            h.push_str("<p class=\"event-details\">\n");
            if let Some(deadline) = d.deadline {
                let _ = writeln!(
                    h,
                    "    <span class=\"event-details\">{}: {}</span>",
                    deadline_label(d),
                    format_date(deadline)
                );
            }
            if let Some(status) = &d.status_text {
                let class = if status.starts_with("På") {
                    "open"
                } else {
                    "closed"
                };
                let _ = writeln!(
                    h,
                    "    <span class=\"event-details-{class}\">Status: {}</span>",
                    esc(status)
                );
            }
            h.push_str("</p>\n");
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ul>\n");
    let _ = write!(
        h,
        "<ul class=\"pagination\" aria-label=\"Du er på sida {page} av {pages}\">\n<li class=\"current_{}\"><span>Side {page} av {pages}</span></li>\n",
        page - 1
    );
    if page < pages {
        let _ = writeln!(
            h,
            "<li class=\"next\"><a href=\"?page={}\"></a></li>",
            page + 1
        );
    } else {
        let _ = writeln!(
            h,
            "<li class=\"next disabled\"><a href=\"?page={}\"></a></li>",
            page + 1
        );
    }
    h.push_str("</ul>\n</div>\n</main>\n</body>\n</html>\n");
    h
}

/// A document page: DC meta tags, the article, and for a hearing its
/// status, deadline, fact boxes and the response link.
pub fn document_page(d: &SiteDoc, origin: &str) -> String {
    let mut h = String::new();
    let lang = if nn(d) { "nn" } else { "nb" };
    let url = format!("{origin}{}", d.path());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html class=\"no-js\" lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t} - regjeringen.no</title>\n\
<meta name=\"DC.Title\" content=\"{t}\">\n<meta name=\"DC.Creator\" content=\"{c}\">\n",
        t = esc(&d.title),
        c = esc(&d.departments.join(", ")),
    );
    for topic in &d.topics {
        let _ = writeln!(h, "<meta name=\"DC.Subject\" content=\"{}\">", esc(topic));
    }
    let _ = write!(
        h,
        "<meta name=\"DC.Description\" content=\"{s}\">\n<meta name=\"DC.Date\" content=\"{date}\">\n<meta name=\"DC.Type\" content=\"{ty}\">\n\
<meta name=\"DC.Identifier.URL\" content=\"{path}\">\n<meta name=\"DC.Language\" content=\"{lang}-NO\">\n<meta name=\"ownerid\" content=\"421\">\n\
<meta property=\"og:url\" content=\"{url}\">\n</head>\n<body>\n<main id=\"mainContent\"><div class=\"content-row article\"><div class=\"content-col-2 article-content\">\n\
<header class=\"article-header\"><h1>{t}</h1></header>\n<div class=\"article-info\"><p>\n<span class=\"type\">\n    {tt}\n|</span>\n\
<span class=\"date\">Dato: {pub_}</span>\n<span class=\"owner\"> | <a href=\"/no/dep/hod/id421/\">{c}</a></span></p></div>\n\
<div class=\"article-ingress\">\n    {s}\n</div>\n<div class=\"article-body\">\n",
        s = esc(&d.summary),
        date = d.published,
        ty = dc_type(d.kind),
        path = d.path(),
        t = esc(&d.title),
        tt = type_text(d),
        pub_ = format_date(d.published),
        c = esc(d.departments.first().map(String::as_str).unwrap_or("")),
    );
    if d.kind == DocKind::Horing {
        h.push_str("<div class=\"horing-meta content-row\">\n");
        if let Some(s) = &d.status_text {
            let _ = writeln!(h, "<p><strong>Status:</strong> {}</p>", esc(s));
        }
        if let Some(deadline) = d.deadline {
            let _ = writeln!(
                h,
                "<p><strong>{}:</strong> {}</p>",
                deadline_label(d),
                format_date(deadline)
            );
        }
        let (brev, notat, instanser) = if nn(d) {
            ("Høyringsbrev", "Høyringsnotat", "Høyringsinstansar")
        } else {
            ("Høringsbrev", "Høringsnotat", "Høringsinstanser")
        };
        let _ = write!(
            h,
            "</div>\n<div class=\"content-row\">\n\
<div class=\"factbox\"><h2 class=\"factbox-title\"><span class=\"factbox-title-text\">{brev}</span></h2>\n\
<div id=\"horingsbrev\" class=\"factbox-content\"><div class=\"horing-ref\">Vår ref.: 26/{id4}</div><p>{s}</p></div></div>\n\
<div class=\"factbox\"><h2 class=\"factbox-title\"><span class=\"factbox-title-text\">{notat}</span></h2>\n\
<div id=\"horingsnotater\" class=\"factbox-content\"><p><a title=\"{notat}.pdf\" href=\"/contentassets/{id:032x}/horingsnotat.pdf\">{notat}</a> (pdf)</p></div></div>\n\
<div class=\"factbox\"><h2 class=\"factbox-title\"><span class=\"factbox-title-text\">{instanser}</span></h2>\n\
<div id=\"horingsinstanser\" class=\"factbox-content\"><p>Helsedirektoratet<br />Folkehelseinstituttet<br />KS</p></div></div>\n</div>\n",
            id4 = d.id % 10000,
            id = d.id,
            s = esc(&d.summary),
        );
        if d.status_text
            .as_deref()
            .is_some_and(|s| s.starts_with("På"))
        {
            let _ = writeln!(
                h,
                "<div class=\"horing-cta content-row\"><a href=\"https://svar.regjeringen.no/{lang}/registrer_horingsuttalelse/H{}/\" class=\"btn-cta\">Send inn høringssvar</a></div>",
                d.id
            );
        }
    }
    h.push_str("</div>\n</div>\n<aside class=\"content-col-1 article-sidebar\">\n");
    if !d.topics.is_empty() {
        h.push_str("<div class=\"content-intro-topics\"><h2 class=\"title\">Tema</h2><ul class=\"topiclist\">\n");
        for t in &d.topics {
            let _ = writeln!(
                h,
                "<li><a href=\"/no/tema/{}/id917/\">{}</a></li>",
                super::slug(t),
                esc(t)
            );
        }
        h.push_str("</ul></div>\n");
    }
    h.push_str("</aside></div></main>\n</body>\n</html>\n");
    h
}

/// A navigation menu of about `bytes` bytes (none for 0).
pub fn head_padding(bytes: usize) -> String {
    let mut head = String::new();
    let mut i = 0;
    while head.len() < bytes {
        let _ = writeln!(
            head,
            "<link rel=\"stylesheet\" href=\"/dist-web/css/main-{i}.css?v=20260704\" media=\"all\">\n\
<meta name=\"twitter:card-{i}\" content=\"summary_large_image\">\n\
<script type=\"text/javascript\">window.dataLayer = window.dataLayer || []; dataLayer.push({{'event': 'page-{i}'}});</script>"
        );
        i += 1;
    }
    head
}

/// `bytes` of article text: paragraphs of a hearing note.
pub fn article_text(bytes: usize) -> String {
    let mut text = String::new();
    let mut i = 0;
    while text.len() < bytes {
        let _ = writeln!(
            text,
            "<p>Departementet foreslår i punkt {i} endringer som skal gjøre regelverket enklere å forstå og bruke. \
Forslaget har vært drøftet med berørte etater, kommunene og <a href=\"/no/tema/helse-og-omsorg/id{}/\">fagmiljøene</a>.</p>",
            917 + i
        );
        i += 1;
    }
    text
}

pub fn navigation(bytes: usize) -> String {
    let mut nav = String::new();
    if bytes == 0 {
        return nav;
    }
    nav.push_str("<nav class=\"mainmenu\"><ul>\n");
    let mut i = 0;
    while nav.len() < bytes {
        let _ = writeln!(
            nav,
            "<li class=\"menu-item\"><a href=\"/no/tema/tema-{i}/id{}/\" data-nav=\"menu\">Tema nummer {i} om samfunn, helse og økonomi</a></li>",
            100_000 + i
        );
        i += 1;
    }
    nav.push_str("</ul></nav>\n");
    nav
}

/// The RSS 2.0 feed of the newest documents.
pub fn rss_feed(docs: &[&SiteDoc], origin: &str) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\"><channel><title>RSS Regjeringen.no</title>\n<link>",
    );
    let _ = writeln!(x, "{origin}/</link><description>Dokumenter</description>");
    for d in docs {
        let _ = writeln!(
            x,
            "<item><title>{}</title><link>{origin}{}</link><description>{}</description><guid isPermaLink=\"false\">{}</guid><pubDate>{}</pubDate></item>",
            esc(&d.title),
            d.path(),
            esc(&d.summary),
            d.id,
            rfc822_noon(d.published)
        );
    }
    x.push_str("</channel></rss>\n");
    x
}

fn rfc822_noon(d: jiff::civil::Date) -> String {
    d.at(12, 0, 0, 0)
        .in_tz("Europe/Oslo")
        .ok()
        .and_then(|z| jiff::fmt::rfc2822::to_string(&z).ok())
        .unwrap_or_default()
}

/// robots.txt with the real site's rules that matter to a crawler: every
/// list filter but `?page=` is disallowed.
pub fn robots_txt() -> String {
    [
        "User-agent: *",
        "Disallow: /*/?documenttype",
        "Disallow: /*/?topic",
        "Disallow: /*/?ownerid",
        "Disallow: /*/?from",
        "Disallow: /*/?term",
        "Disallow: /*/?sortby",
        "Disallow: /*/?q",
        "Disallow: /*/?uid",
        "Disallow: /api/*",
        "Disallow: /no/dokumentarkiv/*",
        "",
    ]
    .join("\n")
}
