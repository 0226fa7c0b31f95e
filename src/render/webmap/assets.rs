//! The page's scripts and styles, embedded in the binary: the vendored npm libraries
//! (`data/js/`, fetched by `data/scripts/fetch_js.sh`; versions and licences in
//! `data/README.md`) and infrange's own `map.js` and `map.css`.

/// A vendored JavaScript library.
#[derive(Debug, Clone, Copy)]
pub struct Library {
    /// npm package name.
    pub name: &'static str,
    /// Version.
    pub version: &'static str,
    /// SPDX licence identifier.
    pub license: &'static str,
    /// The minified UMD build, unchanged.
    pub source: &'static str,
    /// The package's licence text.
    pub license_text: &'static str,
}

macro_rules! library {
    ($name:literal, $version:literal, $license:literal) => {
        Library {
            name: $name,
            version: $version,
            license: $license,
            source: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/js/",
                $name,
                "-",
                $version,
                ".min.js"
            )),
            license_text: include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/js/LICENSE-",
                $name
            )),
        }
    };
}

/// The libraries, in load order (each after its dependencies).
pub const LIBRARIES: &[Library] = &[
    library!("d3-array", "3.2.5", "ISC"),
    library!("d3-geo", "3.1.2", "ISC"),
    library!("d3-quadtree", "3.0.2", "ISC"),
    library!("d3-dispatch", "3.0.2", "ISC"),
    library!("d3-selection", "3.0.1", "ISC"),
    library!("d3-color", "3.1.1", "ISC"),
    library!("d3-interpolate", "3.0.2", "ISC"),
    library!("d3-ease", "3.0.2", "BSD-3-Clause"),
    library!("d3-timer", "3.0.2", "ISC"),
    library!("d3-transition", "3.0.2", "ISC"),
    library!("d3-drag", "3.0.1", "ISC"),
    library!("d3-zoom", "3.0.1", "ISC"),
    library!("topojson-client", "3.1.0", "ISC"),
];

/// infrange's own script: drawing, interaction, search, labels.
pub const MAP_JS: &str = include_str!("map.js");

/// infrange's own style sheet.
pub const MAP_CSS: &str = include_str!("map.css");

#[cfg(test)]
mod tests {
    use super::*;

    /// Inline scripts must not close their `<script>` element early.
    #[test]
    fn scripts_are_safe_inline() {
        for src in LIBRARIES.iter().map(|l| l.source).chain([MAP_JS, MAP_CSS]) {
            let lower = src.to_ascii_lowercase();
            assert!(!lower.contains("</script") && !lower.contains("<!--"));
            assert!(!lower.contains("</style"));
        }
    }

    #[test]
    fn every_library_has_its_licence() {
        for l in LIBRARIES {
            assert!(l.license_text.contains("Copyright"), "{}", l.name);
            assert!(l.source.len() > 1000, "{}", l.name);
            assert!(l.source.contains(l.version), "{} {}", l.name, l.version);
        }
    }
}
