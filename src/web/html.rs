//! The page's HTML: one layout, forms that always carry the session's CSRF
//! token, and escaping for everything that comes from a site, a feed or a
//! person. No inline script or style: the Content-Security-Policy allows
//! neither, and the style sheet is served from `/stil.css`.

use crate::escape::{html as esc, http_url};

/// The style sheet (`/stil.css`).
pub const STYLE: &str = "
*{box-sizing:border-box}
body{font-family:Calibri,Arial,sans-serif;margin:0;color:#1b1b1b;line-height:1.4;background:#f6f7f9}
header{background:#1f3a5a;color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem}
header a{color:#fff;text-decoration:none;padding:.25rem .4rem;border-radius:.25rem}
header a.here{background:#3b5f88}
header .brand{font-weight:bold;margin-right:.5rem}
header form{margin-left:auto}
header button{background:transparent;color:#fff;border:1px solid #9bb;padding:.15rem .5rem}
main{padding:1rem;max-width:90rem;margin:auto}
.run{font-size:.85rem;color:#444;margin:.25rem 0 1rem}
h1{font-size:1.4rem;margin:.25rem 0 .75rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.92rem}
th,td{border:1px solid #bbb;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#e8eef4}
.flag{display:inline-block;margin:.1rem 0;padding:0 .35rem;border-radius:.25rem;font-size:.8rem;font-weight:bold}
.flag-new{background:#d8f0d8}.flag-urgent{background:#ffc9a3}.flag-soon{background:#ffe3a3}.flag-passed{background:#f3c6c6}.flag-edited{background:#e0e0f0}
details{margin-top:.25rem}summary{cursor:pointer;color:#1f4f8a;font-size:.85rem}
textarea{width:100%;min-height:4rem;font:inherit}
input[type=text],input[type=password],input[type=search],select{font:inherit;padding:.2rem .35rem;max-width:100%}
button{font:inherit;padding:.2rem .6rem;cursor:pointer}
form.inline{display:inline}
.actions form{display:inline-block;margin:.1rem .2rem .1rem 0}
.card{background:#fff;border:1px solid #ccd;border-radius:.35rem;padding:.75rem;margin:.5rem 0}
.why{font-size:.85rem;color:#333;margin:.25rem 0 0 1rem}
.muted{color:#666;font-size:.85rem}
.notice{background:#fff7d6;border:1px solid #e5d28a;padding:.5rem .75rem;margin:.5rem 0}
.error{background:#fde2e2;border:1px solid #d99;padding:.5rem .75rem;margin:.5rem 0}
.login{max-width:22rem;margin:4rem auto;background:#fff;padding:1.5rem;border:1px solid #ccd;border-radius:.4rem}
.login label{display:block;margin:.5rem 0 .15rem}.login input{width:100%}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin-bottom:.75rem}
.filters label{display:flex;flex-direction:column;font-size:.85rem}
@media (max-width:700px){main{padding:.5rem}table,thead,tbody,tr,th,td{display:block}thead{display:none}
tr{border:1px solid #999;margin-bottom:.75rem;background:#fff}td{border:none;border-top:1px solid #ddd}
td::before{content:attr(data-label);display:block;font-weight:bold;font-size:.8rem;color:#555}}
";

/// The pages in the menu: (path, name).
pub const MENU: &[(&str, &str)] = &[
    ("/oversikt", "Oversikt"),
    ("/nye", "Nye treff"),
    ("/dokumenter", "Dokumenter"),
    ("/status", "Status"),
    ("/saken", "Saken"),
];

/// What every signed-in page shows around its content.
pub struct Frame<'a> {
    pub title: &'a str,
    /// The menu entry this page belongs to.
    pub here: &'a str,
    pub user: &'a str,
    pub csrf: &'a str,
    /// The line about the last run and the next.
    pub run_line: &'a str,
}

/// A whole signed-in page.
pub fn page(frame: &Frame<'_>, body: &str) -> String {
    let mut menu = String::new();
    for (path, name) in MENU {
        let class = if *path == frame.here {
            " class=\"here\""
        } else {
            ""
        };
        menu.push_str(&format!("<a href=\"{path}\"{class}>{name}</a>"));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title} – policywatch</title>\n<link rel=\"stylesheet\" href=\"/stil.css\">\n</head>\n<body>\n<header><span class=\"brand\">policywatch</span>{menu}{logout}</header>\n<main>\n<p class=\"run\">{run}</p>\n<h1>{title}</h1>\n{body}\n</main>\n</body>\n</html>\n",
        title = esc(frame.title),
        run = esc(frame.run_line),
        logout = form(
            "/logg-ut",
            frame.csrf,
            &format!(
                "<span>{}</span> <button type=\"submit\">Logg ut</button>",
                esc(frame.user)
            )
        ),
    )
}

/// A page for someone not signed in (the login form, the public table).
pub fn bare(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"nb\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{t}</title>\n<link rel=\"stylesheet\" href=\"/stil.css\">\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        t = esc(title)
    )
}

/// A POST form with the CSRF token.
pub fn form(action: &str, csrf: &str, inner: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">{inner}</form>",
        esc(action),
        esc(csrf)
    )
}

/// Hidden fields, escaped.
pub fn hidden<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                esc(k.as_ref()),
                esc(v.as_ref())
            )
        })
        .collect()
}

/// A form that is one button (with hidden fields).
pub fn button(action: &str, csrf: &str, label: &str, fields: &[(&str, &str)]) -> String {
    let hidden = hidden(fields);
    form(
        action,
        csrf,
        &format!("{hidden}<button type=\"submit\">{}</button>", esc(label)),
    )
}

/// A link, only when the address is http(s); else the text alone.
pub fn link(text: &str, url: &str) -> String {
    match http_url(url) {
        Some(u) => format!("<a href=\"{}\">{}</a>", esc(u), esc(text)),
        None => esc(text),
    }
}

pub use crate::overview::render::spans_html as spans;

/// A GET form choosing a meeting (`mote`) for `action`; `first` is an
/// extra first choice (value empty), if any.
pub fn meeting_picker(
    action: &str,
    label: &str,
    meetings: &[crate::config::Meeting],
    current: Option<&str>,
    first: Option<&str>,
) -> String {
    if meetings.is_empty() {
        return String::new();
    }
    let mut options: String = first
        .map(|f| format!("<option value=\"\">{}</option>", esc(f)))
        .unwrap_or_default();
    for m in meetings {
        let sel = if Some(m.id.as_str()) == current {
            " selected"
        } else {
            ""
        };
        options.push_str(&format!(
            "<option value=\"{id}\"{sel}>Møte {id} ({})</option>",
            crate::norsk::format_date(m.date),
            id = esc(&m.id)
        ));
    }
    format!(
        "<form method=\"get\" action=\"{}\" class=\"filters\"><label>{}<select name=\"mote\">{options}</select></label><button type=\"submit\">Vis</button></form>",
        esc(action),
        esc(label)
    )
}

/// A notice at the top of a page (after an action).
pub fn notice(text: &str) -> String {
    format!("<p class=\"notice\">{}</p>", esc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_from_outside_is_escaped_and_only_http_links_are_links() {
        assert_eq!(link("<b>", "javascript:alert(1)"), "&lt;b&gt;");
        assert_eq!(
            link("x", "https://a.no/?q=\"1\""),
            "<a href=\"https://a.no/?q=&quot;1&quot;\">x</a>"
        );
        let f = button("/a", "tok\"en", "Ta inn", &[("doc", "<1>")]);
        assert!(f.contains("value=\"tok&quot;en\""), "{f}");
        assert!(f.contains("value=\"&lt;1&gt;\""), "{f}");
        let s = spans(&[crate::overview::Span::link("<script>", "data:text/html,x")]);
        assert_eq!(s, "&lt;script&gt;");
    }
}
