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

/// An I/O error in the user's words: what happened, without the OS error
/// number or the temporary file's path that some layers add.
fn plain_io(error: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match error.kind() {
        K::NotFound => "no such file or folder".into(),
        K::PermissionDenied => "permission denied".into(),
        K::StorageFull => "no space left on the device".into(),
        K::AlreadyExists => "already exists".into(),
        K::NotADirectory => "not a folder".into(),
        K::IsADirectory => "is a folder, not a file".into(),
        K::ReadOnlyFilesystem => "the file system is read-only".into(),
        K::QuotaExceeded => "disk quota exceeded".into(),
        K::BrokenPipe => "the reader closed the pipe".into(),
        _ => {
            let text = error.to_string();
            let text = text.split(" at path ").next().unwrap_or_default();
            match text.find(" (os error ") {
                Some(i) => text[..i].to_owned(),
                None => text.to_owned(),
            }
        }
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
    #[error("{}: {}", path.display(), plain_io(error))]
    Io {
        path: PathBuf,
        /// The operating system's error (not a `source`: its message is
        /// part of this one, said once).
        error: std::io::Error,
    },

    /// Building band polygons failed (e.g. an unusable radius or error bound).
    #[error("band geometry: {0}")]
    Geometry(crate::geometry::GeometryError),

    /// Rendering a map failed.
    #[error("map: {0}")]
    Render(crate::render::RenderError),

    /// Embedded data failed to load: a build defect, never user input.
    #[error("embedded data {file} is corrupt: {message}")]
    EmbeddedData { file: &'static str, message: String },
}

// Not `#[from]`: that would make the inner error a `source` too, and a
// report that prints the chain would say it twice.
impl From<crate::geometry::GeometryError> for Error {
    fn from(e: crate::geometry::GeometryError) -> Self {
        Error::Geometry(e)
    }
}

impl From<crate::render::RenderError> for Error {
    fn from(e: crate::render::RenderError) -> Self {
        Error::Render(e)
    }
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
    pub fn io(path: impl Into<PathBuf>, error: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            error,
        }
    }

    /// Whether this is a closed pipe on output (e.g. `| head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Io { error, .. } if error.kind() == std::io::ErrorKind::BrokenPipe)
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
