//! The library's one error type.
//!
//! Every error caused by user input says where the input came from (`source`:
//! a file path, or a description such as `--site argument`), the 1-based line
//! when there is one, and the field, so that the message alone lets the user
//! fix the input.

use std::fmt;
use std::path::PathBuf;

/// Where a piece of bad input sits: its source, line and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// A file path, or a description of a command-line argument.
    pub source: String,
    /// 1-based line number within `source`, when known.
    pub line: Option<u64>,
    /// The column, property or key that holds the bad value, when known.
    pub field: Option<String>,
}

impl Location {
    /// A location with only a source (file or argument).
    pub fn new(source: impl Into<String>) -> Self {
        Self {
            source: source.into(),
            line: None,
            field: None,
        }
    }

    /// The same location at a given 1-based line.
    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// The same location at a given field.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.source)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field `{field}`")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in infrange's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A value in the user's input is malformed or out of range.
    #[error("{location}: {message}")]
    Input {
        location: Box<Location>,
        message: String,
    },

    /// A name that must be one of a known list is not.
    #[error("{location}: unknown {kind} `{name}`; valid: {valid}")]
    Unknown {
        location: Box<Location>,
        kind: &'static str,
        name: String,
        valid: String,
    },

    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Building band polygons failed (e.g. an unusable radius or error bound). The cause is
    /// the error's source, so `{:#}` prints it once: "band geometry: …".
    #[error("band geometry")]
    Geometry(#[from] crate::geometry::GeometryError),

    /// Rendering a map failed.
    #[error("map: {0}")]
    Render(#[from] crate::render::RenderError),

    /// Embedded data failed to load: a build defect, never user input.
    #[error("embedded data {file} is corrupt: {message}")]
    EmbeddedData { file: &'static str, message: String },
}

impl Error {
    /// Shorthand for [`Error::Input`].
    pub fn input(location: Location, message: impl Into<String>) -> Self {
        Error::Input {
            location: Box::new(location),
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::Unknown`].
    pub fn unknown(
        location: Location,
        kind: &'static str,
        name: impl Into<String>,
        valid: impl Into<String>,
    ) -> Self {
        Error::Unknown {
            location: Box::new(location),
            kind,
            name: name.into(),
            valid: valid.into(),
        }
    }

    /// Shorthand for [`Error::Io`].
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// `Result` with infrange's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_error_names_file_line_and_field() {
        let err = Error::input(
            Location::new("sites.csv").at_line(3).field("lat"),
            "latitude 91 is outside [-90, 90]",
        );
        assert_eq!(
            err.to_string(),
            "sites.csv, line 3, field `lat`: latitude 91 is outside [-90, 90]"
        );
    }
}
