//! Assembling `map.html`: the page skeleton, the data as JSON in a
//! `<script type="application/json">` element, and the scripts and styles inline.
//!
//! Text from data reaches the page in two ways, each escaped for where it goes:
//! [`escape_html`] for the title, subtitle and credits written into the markup, and
//! [`json_for_script`] for the data block, where every `<`, `>` and `&` is written as a
//! `\u` escape so no name can close the element (`</script>`) or open a comment. The
//! page's script puts names on screen with `textContent` or canvas text only, never as
//! markup. Control characters were removed before ([`super::clean`]).

use serde_json::Value;

use super::assets::{self, LIBRARIES};
use super::clean;
use crate::render::MapScene;

/// What the page may load: nothing from outside. Inline scripts and styles, and images
/// made by the page itself (`data:`/`blob:` URLs), are all it uses.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'unsafe-inline'; \
     style-src 'unsafe-inline'; img-src data: blob:; base-uri 'none'; form-action 'none'";

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON text that is safe inside a `<script>` element: `<`, `>` and `&` (which JSON
/// only has inside strings) and the line separators U+2028/U+2029 as `\u` escapes.
pub fn json_for_script(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The licence texts of the embedded libraries, each text once with the packages it
/// covers.
fn licences_html() -> String {
    let mut groups: Vec<(Vec<String>, &str)> = Vec::new();
    for l in LIBRARIES {
        let name = format!("{} {} ({})", l.name, l.version, l.license);
        match groups.iter_mut().find(|(_, t)| *t == l.license_text) {
            Some((names, _)) => names.push(name),
            None => groups.push((vec![name], l.license_text)),
        }
    }
    let mut out = String::new();
    for (names, text) in groups {
        out.push_str(&format!(
            "<h3>{}</h3><pre>{}</pre>",
            escape_html(&names.join(", ")),
            escape_html(text.trim())
        ));
    }
    out
}

/// The whole page.
pub fn page(scene: &MapScene, data: &Value) -> String {
    let title = escape_html(&clean(&scene.title));
    let subtitle = escape_html(&clean(&scene.subtitle));
    let attribution = escape_html(data["attribution"].as_str().unwrap_or_default());
    let projection = escape_html(
        data["projection"]["definition"]
            .as_str()
            .unwrap_or_default(),
    );
    let libraries: Vec<String> = LIBRARIES
        .iter()
        .map(|l| format!("{} {}", l.name, l.version))
        .collect();
    let mut html = String::with_capacity(4 << 20);
    html.push_str(&format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="generator" content="infrange {version}">
<title>{title}</title>
<style>
{css}</style>
</head>
<body>
<header id="head">
<h1 id="title">{title}</h1>
<p id="subtitle">{subtitle}</p>
</header>
<main id="main">
<div id="mapbox">
<canvas id="map" role="img" aria-label="{title}"></canvas>
<div id="search" role="search">
<input id="q" type="search" placeholder="Find a city…" autocomplete="off" spellcheck="false" aria-label="Find a city by name">
<ul id="hits" role="listbox" hidden></ul>
</div>
<div id="zoom">
<button id="zin" type="button" title="Zoom in" aria-label="Zoom in">+</button>
<button id="zout" type="button" title="Zoom out" aria-label="Zoom out">−</button>
<button id="zhome" type="button" title="Whole map" aria-label="Back to the whole map">⤢</button>
</div>
<div id="scale" aria-hidden="true"><div id="scalebar"></div><span id="scaletext"></span></div>
<button id="legendtoggle" type="button" aria-controls="legend" aria-expanded="true">Legend</button>
<div id="tip" role="status" hidden></div>
<noscript><p class="noscript">This map needs JavaScript; the data are also in cities.csv and the GeoJSON layers.</p></noscript>
</div>
<aside id="legend" aria-label="Legend and layers"></aside>
</main>
<footer id="foot">
<span id="attribution">{attribution}</span>
<details id="software"><summary>Software</summary>
<p>Drawn with {libs}, embedded in this file (licences below). Made by infrange {version}.</p>
{licences}</details>
<span id="projection">Projection: {projection}</span>
</footer>
<script type="application/json" id="infrange-data">{json}</script>
"#,
        csp = CONTENT_SECURITY_POLICY,
        version = env!("CARGO_PKG_VERSION"),
        css = assets::MAP_CSS,
        libs = escape_html(&libraries.join(", ")),
        licences = licences_html(),
        json = json_for_script(data),
    ));
    for l in LIBRARIES {
        html.push_str("<script>\n");
        html.push_str(l.source.trim_end());
        html.push_str("\n</script>\n");
    }
    html.push_str("<script>\n");
    html.push_str(assets::MAP_JS);
    html.push_str("</script>\n</body>\n</html>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn script_data_cannot_close_its_element() {
        let v = json!({"name": "</script><script>alert(1)</script> & <!-- \u{2028}"});
        let s = json_for_script(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert!(!s.contains('\u{2028}'));
        let back: Value = serde_json::from_str(&s).expect("still JSON");
        assert_eq!(back, v);
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            escape_html(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );
    }

    #[test]
    fn page_escapes_titles_and_data() {
        let scene = MapScene {
            title: "A </script> title\u{0}".into(),
            subtitle: "x<y".into(),
            ..MapScene::default()
        };
        let data = json!({"attribution": "a & b", "projection": {"definition": "+proj=laea"},
                          "n": "</script>"});
        let page = page(&scene, &data);
        assert!(page.contains("<title>A &lt;/script&gt; title</title>"));
        assert!(page.contains("x&lt;y"));
        // One closing tag per script element, none from data.
        let closes = page.matches("</script>").count();
        let opens = page.matches("<script").count();
        assert_eq!(closes, opens);
        assert!(page.contains("\\u003c/script\\u003e"));
    }
}
