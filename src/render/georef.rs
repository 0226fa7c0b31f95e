//! Georeferencing a rendered PNG: the ESRI world file (`.pgw`) and GDAL's side-car
//! (`.png.aux.xml`) that place the picture in the map's projected coordinates.
//!
//! The map frame is a linear image of a window of the projected plane (no rotation), so one
//! affine transform describes the whole canvas, header, legend and footer included:
//! `x = x0 + col · pixel_size`, `y = y0 − row · pixel_size` at pixel centres. The world
//! file carries that transform; GDAL does not read a `.prj` beside a PNG, so the CRS goes
//! into `map.png.aux.xml` as WKT (`<PAMDataset><SRS>…</SRS></PAMDataset>`), with the same
//! transform as `<GeoTransform>` for GDAL-based clients that read only the side-car.
//!
//! # References
//! * ESRI, "World files for raster datasets" (six lines: A, D, B, E, C, F).
//! * GDAL, "PAM (Persistable Auxiliary Metadata)" and the PNG driver's world-file support.

use std::path::{Path, PathBuf};

use super::display_list::DisplayList;

/// The affine transform from pixel (column, row) to projected coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoTransform {
    /// Projected x of the top-left corner of the top-left pixel (map units, usually m).
    pub left_x: f64,
    /// Projected y of the top-left corner of the top-left pixel (map units, usually m).
    pub top_y: f64,
    /// Size of one (square) pixel in map units (usually metres).
    pub pixel_size: f64,
}

impl GeoTransform {
    /// The transform of a laid-out map.
    pub fn of(list: &DisplayList) -> Self {
        let tf = list.transform;
        let (left_x, top_y) = tf.from_px([0.0, 0.0]);
        Self {
            left_x,
            top_y,
            pixel_size: 1.0 / tf.scale,
        }
    }

    /// Projected coordinates of the centre of pixel (`col`, `row`).
    pub fn pixel_centre(&self, col: f64, row: f64) -> (f64, f64) {
        (
            self.left_x + (col + 0.5) * self.pixel_size,
            self.top_y - (row + 0.5) * self.pixel_size,
        )
    }

    /// The pixel (column, row, fractional) holding projected point (`x`, `y`).
    pub fn pixel_of(&self, x: f64, y: f64) -> (f64, f64) {
        (
            (x - self.left_x) / self.pixel_size,
            (self.top_y - y) / self.pixel_size,
        )
    }

    /// The six lines of a world file: A (pixel width), D, B (rotations, 0), E (negative
    /// pixel height), C and F (x and y of the centre of the top-left pixel).
    ///
    /// # Example
    /// ```
    /// use infrange::render::georef::GeoTransform;
    /// let gt = GeoTransform { left_x: -1000.0, top_y: 500.0, pixel_size: 10.0 };
    /// assert_eq!(gt.world_file(), "10\n0\n0\n-10\n-995\n495\n");
    /// ```
    pub fn world_file(&self) -> String {
        let (cx, cy) = self.pixel_centre(0.0, 0.0);
        format!(
            "{}\n0\n0\n{}\n{}\n{}\n",
            num(self.pixel_size),
            num(-self.pixel_size),
            num(cx),
            num(cy)
        )
    }

    /// GDAL's `GeoTransform` (corner-based): x0, pixel width, 0, y0, 0, −pixel height.
    pub fn gdal(&self) -> [f64; 6] {
        [
            self.left_x,
            self.pixel_size,
            0.0,
            self.top_y,
            0.0,
            -self.pixel_size,
        ]
    }
}

/// Shortest round-tripping decimal, `0` without a sign.
fn num(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else {
        format!("{v}")
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// GDAL's PAM side-car for the PNG: the CRS as WKT and the geotransform.
pub fn aux_xml(gt: &GeoTransform, crs_wkt: &str) -> String {
    let g = gt.gdal().map(num).join(", ");
    format!(
        "<PAMDataset>\n  <SRS dataAxisToSRSAxisMapping=\"1,2\">{}</SRS>\n  <GeoTransform>{g}</GeoTransform>\n</PAMDataset>\n",
        xml_escape(crs_wkt)
    )
}

/// `map.png` → `map.pgw`.
pub fn world_file_path(png: &Path) -> PathBuf {
    png.with_extension("pgw")
}

/// `map.png` → `map.png.aux.xml`.
pub fn aux_xml_path(png: &Path) -> PathBuf {
    let mut name = png.file_name().unwrap_or_default().to_os_string();
    name.push(".aux.xml");
    png.with_file_name(name)
}

/// Writes the world file and, when the projection has a WKT, the side-car beside `png`
/// (each atomically). Returns the paths written.
pub fn write_sidecars(list: &DisplayList, png: &Path) -> crate::Result<Vec<PathBuf>> {
    let gt = GeoTransform::of(list);
    let mut written = Vec::new();
    let mut put = |path: PathBuf, text: String| -> crate::Result<()> {
        crate::export::atomic::write_atomic(&path, |w| {
            w.write_all(text.as_bytes())
                .map_err(|e| crate::Error::io(&path, e))
        })?;
        written.push(path);
        Ok(())
    };
    put(world_file_path(png), gt.world_file())?;
    if let Some(wkt) = &list.crs_wkt {
        put(aux_xml_path(png), aux_xml(&gt, wkt))?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixel_centres_round_trip() {
        let gt = GeoTransform {
            left_x: -2.0e6,
            top_y: 3.0e6,
            pixel_size: 2500.0,
        };
        let (x, y) = gt.pixel_centre(10.0, 20.0);
        assert_eq!((x, y), (-2.0e6 + 10.5 * 2500.0, 3.0e6 - 20.5 * 2500.0));
        assert_eq!(gt.pixel_of(x, y), (10.5, 20.5));
        let lines: Vec<f64> = gt
            .world_file()
            .lines()
            .map(|l| l.parse().expect("number"))
            .collect();
        assert_eq!(
            lines,
            vec![2500.0, 0.0, 0.0, -2500.0, -1998750.0, 2998750.0]
        );
    }

    #[test]
    fn sidecar_paths_and_xml() {
        assert_eq!(
            aux_xml_path(Path::new("out/map.png")),
            PathBuf::from("out/map.png.aux.xml")
        );
        assert_eq!(
            world_file_path(Path::new("out/map.png")),
            PathBuf::from("out/map.pgw")
        );
        let gt = GeoTransform {
            left_x: 0.0,
            top_y: 10.0,
            pixel_size: 1.0,
        };
        let xml = aux_xml(&gt, "PROJCRS[\"a<b\"]");
        assert!(xml.contains("<SRS dataAxisToSRSAxisMapping=\"1,2\">PROJCRS[\"a&lt;b\"]</SRS>"));
        assert!(xml.contains("<GeoTransform>0, 1, 0, 10, 0, -1</GeoTransform>"));
    }
}
