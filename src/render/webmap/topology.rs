//! Projected map geometry as a quantised TopoJSON topology, the form `map.html` decodes
//! with `topojson-client`.
//!
//! Every ring and line is projected in Rust, by the same [`Pipeline`] as `map.png` (PROJ,
//! the clip to the projection's domain in lon/lat, densification), then quantised to
//! integer *map units* of `quantum_m` projected metres with y pointing down, and
//! delta-encoded. The browser only scales and translates these units, so the
//! interactive map has exactly the static map's projection, ellipsoid included.
//!
//! Each ring or line is its own arc: arcs are not shared between neighbouring countries
//! (the topology is a compact container here, not a topological model). Consecutive
//! vertices that quantise to the same point are dropped.

use serde_json::{json, Value};

use crate::render::display_list::ScreenPolygon;

/// Builds the arcs and geometry objects of one topology.
#[derive(Debug, Default)]
pub struct Topology {
    arcs: Vec<Vec<[i64; 2]>>,
    objects: serde_json::Map<String, Value>,
    vertices: usize,
}

/// Rounds a pipeline point (already in map units) to integers.
fn quantise(p: [f64; 2]) -> [i64; 2] {
    [p[0].round() as i64, p[1].round() as i64]
}

impl Topology {
    /// An empty topology.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of arcs so far.
    pub fn arc_count(&self) -> usize {
        self.arcs.len()
    }

    /// Number of (quantised, deduplicated) vertices so far.
    pub fn vertex_count(&self) -> usize {
        self.vertices
    }

    /// Adds a delta-encoded arc; `None` if fewer than `min_points` distinct points remain.
    fn arc(&mut self, pts: &[[f64; 2]], closed: bool) -> Option<usize> {
        let mut q: Vec<[i64; 2]> = Vec::with_capacity(pts.len() + 1);
        for &p in pts {
            let v = quantise(p);
            if q.last() != Some(&v) {
                q.push(v);
            }
        }
        if closed {
            while q.len() > 1 && q.first() == q.last() {
                q.pop();
            }
            if q.len() < 3 {
                return None;
            }
            q.push(q[0]);
        } else if q.len() < 2 {
            return None;
        }
        self.vertices += q.len();
        let mut prev = [0i64, 0];
        let delta = q
            .into_iter()
            .map(|p| {
                let d = [p[0] - prev[0], p[1] - prev[1]];
                prev = p;
                d
            })
            .collect();
        self.arcs.push(delta);
        Some(self.arcs.len() - 1)
    }

    /// A MultiPolygon geometry object from screen polygons in map units (`None` if
    /// nothing is left after quantisation).
    pub fn multipolygon(&mut self, polygons: &[ScreenPolygon], properties: Value) -> Option<Value> {
        let mut polys: Vec<Vec<Vec<usize>>> = Vec::new();
        for p in polygons {
            let Some(ext) = self.arc(&p.exterior, true) else {
                continue;
            };
            let mut rings = vec![vec![ext]];
            rings.extend(
                p.holes
                    .iter()
                    .filter_map(|h| self.arc(h, true))
                    .map(|a| vec![a]),
            );
            polys.push(rings);
        }
        (!polys.is_empty()).then(|| {
            json!({
                "type": "MultiPolygon",
                "arcs": polys,
                "properties": properties,
            })
        })
    }

    /// A MultiLineString geometry object from lines in map units.
    pub fn multilinestring(&mut self, lines: &[Vec<[f64; 2]>], properties: Value) -> Option<Value> {
        let arcs: Vec<Vec<usize>> = lines
            .iter()
            .filter_map(|l| self.arc(l, false))
            .map(|a| vec![a])
            .collect();
        (!arcs.is_empty()).then(|| {
            json!({
                "type": "MultiLineString",
                "arcs": arcs,
                "properties": properties,
            })
        })
    }

    /// Adds a named object: a GeometryCollection of `geometries`.
    pub fn object(&mut self, name: &str, geometries: Vec<Value>) {
        self.objects.insert(
            name.to_owned(),
            json!({"type": "GeometryCollection", "geometries": geometries}),
        );
    }

    /// The topology as TopoJSON. The transform is the identity on the integer units, so
    /// decoders undo the delta encoding and leave the units as they are.
    pub fn to_json(&self) -> Value {
        json!({
            "type": "Topology",
            "transform": {"scale": [1, 1], "translate": [0, 0]},
            "objects": self.objects,
            "arcs": self.arcs,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rings_are_closed_deduplicated_and_delta_encoded() {
        let mut t = Topology::new();
        let square = ScreenPolygon {
            exterior: vec![
                [0.2, 0.1],
                [0.4, -0.2],
                [10.0, 0.0],
                [10.0, 10.0],
                [0.0, 10.0],
            ],
            holes: vec![vec![[1.0, 1.0], [1.2, 1.1]]],
        };
        let g = t
            .multipolygon(&[square], json!({"k": 1}))
            .expect("a polygon");
        // The degenerate hole (one distinct point) is dropped.
        assert_eq!(g["arcs"], json!([[[0]]]));
        let topo = t.to_json();
        assert_eq!(
            topo["arcs"][0],
            json!([[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]])
        );
        assert_eq!(t.vertex_count(), 5);
    }

    #[test]
    fn short_lines_are_dropped() {
        let mut t = Topology::new();
        assert!(t
            .multilinestring(&[vec![[0.1, 0.1], [0.2, 0.2]]], json!({}))
            .is_none());
        let g = t
            .multilinestring(&[vec![[0.0, 0.0], [3.0, 4.0]]], json!({}))
            .expect("a line");
        assert_eq!(g["arcs"], json!([[0]]));
        assert_eq!(t.to_json()["arcs"][0], json!([[0, 0], [3, 4]]));
    }
}
