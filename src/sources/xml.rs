//! A small, tolerant XML tree over `quick-xml` for the sites that answer in
//! XML: elements by local name (namespaces ignored), their text with
//! entities resolved, nesting capped. Enough to read an API's records; not
//! a general XML library.

use quick_xml::Reader;
use quick_xml::events::Event;

/// The deepest nesting read; an answer nested deeper is refused.
pub const MAX_DEPTH: usize = 64;

/// One element: its local name, its own text, its children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// The first child named `name`.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child named `name`.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The trimmed text of the first child named `name`, when not empty.
    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name)
            .map(|c| c.text.trim().to_string())
            .filter(|t| !t.is_empty())
    }

    /// The element at a path of child names.
    pub fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter().try_fold(self, |e, name| e.child(name))
    }
}

/// Reads a document into its root element. An answer that is not
/// well-formed XML (cut short, garbled, HTML) is an error, never an empty
/// tree.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("ugyldig XML ved byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err("mer enn ett rotelement".into());
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("XML nøstet dypere enn {MAX_DEPTH} nivåer"));
                }
                stack.push(Element {
                    name: local_name(start.local_name().as_ref()),
                    ..Element::default()
                });
            }
            Event::Empty(start) => {
                let e = Element {
                    name: local_name(start.local_name().as_ref()),
                    ..Element::default()
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(e),
                    None if root.is_none() => root = Some(e),
                    None => return Err("mer enn ett rotelement".into()),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err("en slutt-tagg uten start".into());
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => root = Some(done),
                }
            }
            Event::Text(t) => {
                if let Some(e) = stack.last_mut() {
                    let text = t.decode().map_err(|e| format!("ugyldig tekst: {e}"))?;
                    e.text.push_str(&text);
                }
            }
            Event::CData(t) => {
                if let Some(e) = stack.last_mut() {
                    e.text.push_str(&String::from_utf8_lossy(&t));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(e) = stack.last_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        e.text.push(c);
                    } else {
                        let name = r.decode().map_err(|e| format!("ugyldig entitet: {e}"))?;
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => e.text.push_str(s),
                            None => return Err(format!("ukjent entitet &{name};")),
                        }
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(format!(
            "XML-en slutter før <{}> er lukket (avkortet?)",
            stack.last().map_or("", |e| e.name.as_str())
        ));
    }
    root.ok_or_else(|| "ingen XML".to_string())
}

fn local_name(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

/// The local name of the root element, read cheaply from the start of a
/// text (for telling which answer a saved file is).
pub fn root_name(text: &str) -> Option<String> {
    let mut reader = Reader::from_str(text);
    for _ in 0..64 {
        match reader.read_event().ok()? {
            Event::Start(s) | Event::Empty(s) => {
                return Some(local_name(s.local_name().as_ref()));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_names_text_and_entities_and_refuses_broken_xml() {
        let doc = parse(
            r#"<?xml version="1.0"?><a:root xmlns:a="http://data.stortinget.no"><x>Helse- &amp; omsorg&#x2013;A</x><y/><x>2</x><![CDATA[c]]></a:root>"#,
        )
        .unwrap();
        assert_eq!(doc.name, "root");
        assert_eq!(doc.text_of("x").as_deref(), Some("Helse- & omsorg–A"));
        assert_eq!(doc.children_named("x").count(), 2);
        assert_eq!(doc.text_of("y"), None);
        assert_eq!(doc.text, "c");
        assert!(parse("<a><b></a>").is_err());
        assert!(parse("<a><b>cut").is_err());
        assert!(parse("").is_err());
        assert!(parse("<a>&bogus;</a>").is_err());
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(parse(&deep).unwrap_err().contains("dypere"));
        assert_eq!(
            root_name("<?xml version=\"1.0\"?>\n<s:x xmlns:s=\"u\"/>").as_deref(),
            Some("x")
        );
    }
}
