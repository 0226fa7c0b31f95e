/* infrange map.html — draws the scene and handles pan, zoom, hover, search and layers.
 *
 * The geometry arrives projected (by PROJ, in infrange) as quantised TopoJSON in "map
 * units" (y down); this script only scales and translates it. Layers are Path2D objects
 * built once with d3-geo's geoPath; cities are drawn as cached marker sprites on a
 * canvas, so 50,000 points stay fast; labels are placed anew for every view.
 *
 * Names from the data reach the page only through textContent and canvas text.
 * window.infrange exposes the state for tests (drawn counts, timings, city positions).
 */
(function () {
  "use strict";

  const $ = (id) => document.getElementById(id);
  const api = (window.infrange = { ready: false, errors: [], timings: {} });
  api.timings.script_start_ms = performance.now();

  function fail(err) {
    api.errors.push(String(err && err.stack ? err.stack : err));
    console.error("infrange map:", err);
    const box = $("mapbox");
    if (box) {
      const p = document.createElement("p");
      p.className = "noscript";
      p.textContent = "The map could not be drawn: " + (err && err.message ? err.message : err);
      box.appendChild(p);
    }
  }

  // ---------------------------------------------------------------- numbers (numbers.rs)
  function group(n) {
    const s = String(Math.abs(Math.trunc(n)));
    let out = "";
    for (let i = 0; i < s.length; i++) {
      if (i > 0 && (s.length - i) % 3 === 0) out += ",";
      out += s[i];
    }
    return (n < 0 ? "-" : "") + out;
  }
  function fmtKm(km) {
    const tenths = Math.round(km * 10);
    const whole = group(Math.trunc(tenths / 10));
    const d = Math.abs(tenths % 10);
    return d === 0 ? whole : whole + "." + d;
  }
  function fmtPopShort(p) {
    return p >= 1e6 ? (p / 1e6).toFixed(1) + " million" : group(p);
  }

  let D, S, C, N, SITES, SHOWN_SITES;
  let canvas, ctx;
  let W = 0, H = 0, DPR = 1;
  let T = null; // d3 zoom transform: screen = units * k + (x, y), CSS pixels
  let homeK = 1;
  let userMoved = false;
  const G = {};
  const layers = {
    basemap: true, graticule: true, cities: true, sites: true, reach: true, labels: true,
    zones: new Map(),
  };
  let order, labelOrder, quadtree, radius, kind, folded;
  let selected = -1; // city chosen by search or click
  let tip = { kind: null, index: -1, pinned: false };
  let zoom;

  // ---------------------------------------------------------------- style helpers
  function zoneStyle(z) {
    return z >= 0 ? S.bands[z % S.bands.length] : S.below;
  }
  function cityRadius(pop) {
    const R = S.radius;
    const p = Math.max(pop || 1, 1);
    return Math.min(R.base + R.per_doubling * Math.log2(Math.max(p / R.from, 1)), R.max);
  }
  /** Marker kind, as markers.rs: "d" filled dot, "r" ring, "f" named city, "o" outside. */
  function markerKind(i) {
    const z = C.zone[i];
    if (z > -2) return C.reached_by[i].length > 0 || !D.with_reach ? "d" : "r";
    return api.forced.has(i) ? "f" : "o";
  }
  /** Draws a city marker centred at (x, y) in the current user space (CSS pixels). */
  function drawMarker(g, x, y, k, z, r) {
    const TAU = 2 * Math.PI;
    g.beginPath();
    if (k === "d" || k === "o") {
      const w = S.dot_halo_px;
      g.arc(x, y, r + w / 2, 0, TAU);
      g.fillStyle = k === "d" ? zoneStyle(z).dot : S.city_out;
      g.fill();
      g.lineWidth = w;
      g.strokeStyle = S.dot_halo;
      g.stroke();
    } else if (k === "r") {
      const rr = Math.max(r, S.ring_min_radius_px);
      g.arc(x, y, rr, 0, TAU);
      g.fillStyle = S.ring_centre;
      g.fill();
      g.lineWidth = Math.min(Math.max(0.3 * rr, 0.8), 1.6);
      g.strokeStyle = zoneStyle(z).dot;
      g.stroke();
    } else {
      g.arc(x, y, r, 0, TAU);
      g.fillStyle = S.text;
      g.fill();
      g.lineWidth = 1.2;
      g.strokeStyle = "#FFFFFF";
      g.stroke();
    }
  }
  /** Marker sprites in device pixels, one per kind, zone and radius (quarter pixels). */
  const sprites = new Map();
  function sprite(k, z, r) {
    const rq = Math.round(r * 4) / 4;
    const key = k + z + "|" + rq + "|" + DPR;
    let s = sprites.get(key);
    if (!s) {
      const half = Math.ceil((Math.max(rq, S.ring_min_radius_px) + 2) * DPR);
      const c = document.createElement("canvas");
      c.width = c.height = 2 * half;
      const g = c.getContext("2d");
      g.scale(DPR, DPR);
      drawMarker(g, half / DPR, half / DPR, k, z, rq);
      // Its pixels, premultiplied, for compositing without the canvas (see drawCities).
      const d = g.getImageData(0, 0, c.width, c.height).data;
      const xs = [], ys = [], px = [];
      for (let y = 0; y < c.height; y++) {
        for (let x = 0; x < c.width; x++) {
          const o = 4 * (y * c.width + x), a = d[o + 3];
          if (!a) continue;
          xs.push(x);
          ys.push(y);
          px.push((d[o] * a) / 255, (d[o + 1] * a) / 255, (d[o + 2] * a) / 255, a, 1 - a / 255);
        }
      }
      s = { c, half, size: c.width, xs: Int16Array.from(xs), ys: Int16Array.from(ys),
        px: Float32Array.from(px), offsets: null, forWidth: 0 };
      sprites.set(key, s);
    }
    return s;
  }

  /**
   * Cities composited by hand into one RGBA buffer, then drawn with one call: tens of
   * thousands of canvas drawImage calls are slow where the canvas is rasterised on the
   * CPU; adding up premultiplied sprite pixels is not. Same pixels as drawImage would
   * give (source-over, in order).
   */
  let points = null;
  function drawCities(k, pad) {
    const w = canvas.width, h = canvas.height;
    if (!points || points.w !== w || points.h !== h) {
      const c = document.createElement("canvas");
      c.width = w;
      c.height = h;
      points = { w, h, c, g: c.getContext("2d"), img: new ImageData(w, h) };
    }
    const d = points.img.data;
    d.fill(0);
    const w4 = 4 * w;
    let count = 0;
    for (let n = 0; n < N; n++) {
      const i = order[n];
      if (!cityVisible(i)) continue;
      const sx = C.x[i] * k + T.x, sy = C.y[i] * k + T.y;
      if (sx < -pad || sy < -pad || sx > W + pad || sy > H + pad) continue;
      count++;
      const s = sprite(kind[i], C.zone[i], radius[i]);
      const x0 = Math.round(sx * DPR) - s.half, y0 = Math.round(sy * DPR) - s.half;
      const xs = s.xs, ys = s.ys, px = s.px, m = xs.length;
      if (x0 >= 0 && y0 >= 0 && x0 + s.size <= w && y0 + s.size <= h) {
        if (s.forWidth !== w) {
          s.offsets = Int32Array.from(xs, (x, j) => 4 * x + w4 * ys[j]);
          s.forWidth = w;
        }
        const offs = s.offsets, base = 4 * x0 + w4 * y0;
        for (let j = 0, q = 0; j < m; j++, q += 5) {
          const o = base + offs[j], inv = px[q + 4];
          d[o] = px[q] + d[o] * inv;
          d[o + 1] = px[q + 1] + d[o + 1] * inv;
          d[o + 2] = px[q + 2] + d[o + 2] * inv;
          d[o + 3] = px[q + 3] + d[o + 3] * inv;
        }
      } else {
        for (let j = 0, q = 0; j < m; j++, q += 5) {
          const x = x0 + xs[j], y = y0 + ys[j];
          if (x < 0 || y < 0 || x >= w || y >= h) continue;
          const o = 4 * x + w4 * y, inv = px[q + 4];
          d[o] = px[q] + d[o] * inv;
          d[o + 1] = px[q + 1] + d[o + 1] * inv;
          d[o + 2] = px[q + 2] + d[o + 2] * inv;
          d[o + 3] = px[q + 3] + d[o + 3] * inv;
        }
      }
    }
    // ImageData is not premultiplied.
    for (let o = 3; o < d.length; o += 4) {
      const a = d[o];
      if (a === 0 || a === 255) continue;
      const f = 255 / a;
      d[o - 3] *= f;
      d[o - 2] *= f;
      d[o - 1] *= f;
    }
    points.g.putImageData(points.img, 0, 0);
    ctx.drawImage(points.c, 0, 0);
    return count;
  }
  function drawSite(g, x, y, r) {
    const tri = (rr) => {
      g.beginPath();
      g.moveTo(x, y - rr);
      g.lineTo(x - rr * 0.866, y + rr * 0.5);
      g.lineTo(x + rr * 0.866, y + rr * 0.5);
      g.closePath();
    };
    tri(r + 2.5);
    g.fillStyle = "#FFFFFF";
    g.fill();
    tri(r);
    g.fillStyle = "#000000";
    g.fill();
  }

  // ---------------------------------------------------------------- geometry
  function buildGeometry() {
    const topo = D.topology;
    const feats = (name) =>
      topo.objects[name] ? topojson.feature(topo, topo.objects[name]).features : [];
    const toPath = (fs) => {
      const p = new Path2D();
      const gp = d3.geoPath(null, p);
      for (const f of fs) gp(f);
      return p;
    };
    const countries = feats("countries");
    G.sea = toPath(feats("sea"));
    G.land = toPath(countries.filter((f) => !f.properties.allied));
    G.allied = toPath(countries.filter((f) => f.properties.allied));
    G.borders = toPath(feats("borders"));
    G.graticule = toPath(feats("graticule"));
    G.zones = new Map();
    G.outlines = new Map();
    for (const f of feats("zones")) G.zones.set(f.properties.zone, toPath([f]));
    for (const f of feats("zone_outlines")) G.outlines.set(f.properties.zone, toPath([f]));
    G.reach = feats("reach").map((f) => toPath([f]));
  }

  function prepareCities() {
    N = C.x.length;
    api.forced = new Set(C.forced);
    radius = new Float32Array(N);
    kind = new Array(N);
    for (let i = 0; i < N; i++) {
      radius[i] = cityRadius(C.pop[i]);
      kind[i] = markerKind(i);
    }
    // Largest first, so small markers stay visible on top (as in map.png).
    order = Int32Array.from({ length: N }, (_, i) => i).sort(
      (a, b) => (C.pop[b] || 0) - (C.pop[a] || 0)
    );
    // Label priority: named cities, capitals, cities in a zone, then by population.
    const rank = (i) =>
      (api.forced.has(i) ? 0 : 4) + (C.capital[i] ? 0 : 2) + (C.zone[i] > -2 ? 0 : 1);
    labelOrder = Int32Array.from({ length: N }, (_, i) => i).sort(
      (a, b) => rank(a) - rank(b) || (C.pop[b] || 0) - (C.pop[a] || 0) ||
        (C.name[a] < C.name[b] ? -1 : C.name[a] > C.name[b] ? 1 : 0)
    );
    quadtree = d3.quadtree().x((i) => C.x[i]).y((i) => C.y[i]).addAll(
      Array.from({ length: N }, (_, i) => i)
    );
  }

  function cityVisible(i) {
    return layers.cities && (C.zone[i] < -1 || layers.zones.get(C.zone[i]) !== false);
  }

  // ---------------------------------------------------------------- drawing
  let pending = false;
  function requestDraw() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  }

  function uiBoxes() {
    const base = canvas.getBoundingClientRect();
    return ["search", "zoom", "scale", "legendtoggle"]
      .map((id) => $(id))
      .filter((e) => e && e.offsetParent !== null)
      .map((e) => {
        const r = e.getBoundingClientRect();
        return [r.left - base.left - 4, r.top - base.top - 4, r.right - base.left + 4,
          r.bottom - base.top + 4];
      });
  }

  function draw() {
    const t0 = performance.now();
    const k = T.k;
    const drawn = { zones: 0, zone_outlines: 0, reach_rings: 0, sites: 0, cities: 0, labels: [] };
    ctx.setTransform(DPR, 0, 0, DPR, 0, 0);
    ctx.fillStyle = layers.basemap ? S.outside : S.paper;
    ctx.fillRect(0, 0, W, H);
    // Geographic layers, in map units.
    ctx.setTransform(DPR * k, 0, 0, DPR * k, DPR * T.x, DPR * T.y);
    ctx.lineJoin = "round";
    ctx.lineCap = "round";
    if (layers.basemap) {
      ctx.fillStyle = S.sea;
      ctx.fill(G.sea, "evenodd");
      ctx.fillStyle = S.land;
      ctx.fill(G.land, "evenodd");
      ctx.fillStyle = S.allied;
      ctx.fill(G.allied, "evenodd");
    }
    if (layers.graticule) {
      ctx.strokeStyle = S.graticule;
      ctx.lineWidth = 0.6 / k;
      ctx.stroke(G.graticule);
    }
    for (const [z, p] of G.zones) {
      if (layers.zones.get(z) === false) continue;
      ctx.fillStyle = zoneStyle(z).fill;
      ctx.fill(p, "evenodd");
      drawn.zones++;
    }
    if (layers.basemap) {
      ctx.strokeStyle = S.border;
      ctx.lineWidth = 0.7 / k;
      ctx.stroke(G.borders);
    }
    for (const [z, p] of G.outlines) {
      if (layers.zones.get(z) === false) continue;
      ctx.strokeStyle = zoneStyle(z).outline;
      ctx.lineWidth = 1.5 / k;
      ctx.stroke(p);
      drawn.zone_outlines++;
    }
    if (layers.reach && G.reach.length) {
      ctx.strokeStyle = S.reach;
      ctx.lineWidth = 1.6 / k;
      ctx.lineCap = "butt";
      ctx.setLineDash([11 / k, 6 / k]);
      for (const p of G.reach) {
        ctx.stroke(p);
        drawn.reach_rings++;
      }
      ctx.setLineDash([]);
    }
    const tGeo = performance.now();
    // Cities: sprites at whole device pixels.
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    const pad = 12;
    if (layers.cities) drawn.cities = drawCities(k, pad);
    ctx.setTransform(DPR, 0, 0, DPR, 0, 0);
    // The city found or clicked: a ring round it.
    if (selected >= 0 && cityVisible(selected)) {
      const sx = C.x[selected] * k + T.x, sy = C.y[selected] * k + T.y;
      ctx.beginPath();
      ctx.arc(sx, sy, radius[selected] + 5, 0, 2 * Math.PI);
      ctx.lineWidth = 2.5;
      ctx.strokeStyle = "#FFFFFF";
      ctx.stroke();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = "#1E1E1E";
      ctx.stroke();
    }
    if (layers.sites) {
      for (const s of SHOWN_SITES) {
        const sx = s.x * k + T.x, sy = s.y * k + T.y;
        if (sx < -pad || sy < -pad || sx > W + pad || sy > H + pad) continue;
        drawSite(ctx, sx, sy, D.legend.name_sites ? 9 : 5);
        drawn.sites++;
      }
    }
    const tCities = performance.now();
    if (layers.labels) drawn.labels = drawLabels();
    const tLabels = performance.now();
    updateScale();
    if (tip.index >= 0) positionTip();
    api.drawn = drawn;
    api.transform = { k: T.k / homeK, x: T.x, y: T.y };
    api.timings.last_draw_ms = performance.now() - t0;
    api.timings.last_draw_parts_ms = {
      geography: tGeo - t0, cities: tCities - tGeo, labels: tLabels - tCities,
    };
    canvas.dataset.cities = drawn.cities;
    canvas.dataset.zones = drawn.zones;
    canvas.dataset.sites = drawn.sites;
  }

  // ---------------------------------------------------------------- labels
  const widths = new Map();
  function textWidth(text, font) {
    const key = font + "\u0000" + text;
    let w = widths.get(key);
    if (w === undefined) {
      ctx.font = font;
      w = ctx.measureText(text).width;
      widths.set(key, w);
    }
    return w;
  }
  const FONT_FAMILY = '"DejaVu Sans", Verdana, "Helvetica Neue", Arial, sans-serif';
  const font = (size, bold) => (bold ? "bold " : "") + size + "px " + FONT_FAMILY;

  /** Label boxes on a coarse grid, for quick overlap tests. */
  function Placer(w, h) {
    const cell = 64, cols = Math.ceil(w / cell) + 1, grid = new Map();
    const cells = (b, f) => {
      const x0 = Math.max(0, Math.floor(b[0] / cell)), x1 = Math.floor(b[2] / cell);
      const y0 = Math.max(0, Math.floor(b[1] / cell)), y1 = Math.floor(b[3] / cell);
      for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) if (f(y * cols + x)) return true;
      return false;
    };
    const hit = (a, b) => a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    return {
      free(b) {
        if (b[0] < 0 || b[1] < 0 || b[2] > w || b[3] > h) return false;
        return !cells(b, (c) => (grid.get(c) || []).some((o) => hit(o, b)));
      },
      reserve(b) {
        cells(b, (c) => {
          let l = grid.get(c);
          if (!l) grid.set(c, (l = []));
          l.push(b);
          return false;
        });
      },
    };
  }

  /** Candidate boxes round a point: right, left, above, below, then the diagonals. */
  function around(x, y, r, w, h, gap) {
    const d = r + gap;
    return [
      [x + d, y - h / 2], [x - d - w, y - h / 2], [x - w / 2, y - d - h], [x - w / 2, y + d],
      [x + d * 0.8, y - d * 0.8 - h], [x + d * 0.8, y + d * 0.8],
      [x - d * 0.8 - w, y - d * 0.8 - h], [x - d * 0.8 - w, y + d * 0.8],
    ].map(([a, b]) => [a, b, a + w, b + h]);
  }

  function drawLabels() {
    const k = T.k;
    const placer = Placer(W, H);
    for (const b of uiBoxes()) placer.reserve(b);
    const out = [];
    const texts = [];
    const pos = (i) => [C.x[i] * k + T.x, C.y[i] * k + T.y];
    const inView = (p) => p[0] >= 0 && p[1] >= 0 && p[0] <= W && p[1] <= H;
    // Sites: named, unless there are so many that their names would hide the cities.
    if (layers.sites && D.legend.name_sites) {
      for (const s of SHOWN_SITES) {
        const p = [s.x * k + T.x, s.y * k + T.y];
        if (inView(p)) placer.reserve([p[0] - 10, p[1] - 10, p[0] + 10, p[1] + 10]);
      }
      for (const s of SHOWN_SITES) {
        const p = [s.x * k + T.x, s.y * k + T.y];
        if (!inView(p)) continue;
        const f = font(15, true);
        const c = around(p[0], p[1], 9, textWidth(s.name, f), 15, 4);
        const b = c.find((b) => placer.free(b)) || c[0];
        placer.reserve(b);
        texts.push([s.name, b, f, null]);
      }
    }
    if (layers.cities) {
      const must = (i) => i === selected || api.forced.has(i) || C.capital[i] === 1;
      // Dots of the cities that must be named are obstacles from the start.
      for (let n = 0; n < N; n++) {
        const i = labelOrder[n];
        if (!must(i)) break;
        if (!cityVisible(i)) continue;
        const p = pos(i);
        if (!inView(p)) continue;
        const r = radius[i];
        placer.reserve([p[0] - r, p[1] - r, p[0] + r, p[1] + r]);
      }
      // More labels as one zooms in: the budget grows with the zoom.
      const zoomIn = Math.max(0, Math.log2(k / homeK));
      const budget = Math.round((W * H) / (150 * 150) * (1 + 0.35 * zoomIn));
      let placed = 0, tried = 0;
      const seq = selected >= 0 ? [selected, ...labelOrder] : labelOrder;
      const done = new Set();
      for (const i of seq) {
        if (done.has(i)) continue;
        done.add(i);
        const m = must(i);
        if (!m && (placed >= budget || tried > 4000)) break;
        if (!cityVisible(i)) continue;
        const p = pos(i);
        if (!inView(p)) continue;
        if (!m) tried++;
        const bold = C.capital[i] === 1 || api.forced.has(i) || i === selected;
        const size = bold ? 13 : 12;
        const f = font(size, bold);
        const w = textWidth(C.name[i], f), r = radius[i];
        const near = around(p[0], p[1], r, w, size, 3);
        let b = near.find((b) => placer.free(b));
        let leader = false;
        if (!b && m) {
          b = around(p[0], p[1], r, w, size, 22).find((b) => placer.free(b));
          leader = !!b;
        }
        if (!b) continue;
        placer.reserve(b);
        if (!m) {
          placer.reserve([p[0] - r, p[1] - r, p[0] + r, p[1] + r]);
          placed++;
        }
        texts.push([C.name[i], b, f, leader ? p : null]);
        out.push(C.name[i]);
      }
    }
    // Leaders, then halos, then text.
    ctx.lineWidth = 0.9;
    ctx.strokeStyle = S.muted;
    for (const [, b, , p] of texts) {
      if (!p) continue;
      const cx = Math.min(Math.max(p[0], b[0]), b[2]), cy = Math.min(Math.max(p[1], b[1]), b[3]);
      ctx.beginPath();
      ctx.moveTo(p[0], p[1]);
      ctx.lineTo(cx, cy);
      ctx.stroke();
    }
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255,255,255,0.85)";
    for (const [t, b, f] of texts) {
      ctx.font = f;
      ctx.strokeText(t, b[0], b[1] + 0.5);
    }
    ctx.fillStyle = S.text;
    for (const [t, b, f] of texts) {
      ctx.font = f;
      ctx.fillText(t, b[0], b[1] + 0.5);
    }
    return out;
  }

  // ---------------------------------------------------------------- scale bar
  function kmPerUnitAt(ux, uy) {
    const g = D.scale_grid;
    const fi = Math.min(Math.max((ux - g.x0) / g.dx, 0), g.n - 1);
    const fj = Math.min(Math.max((uy - g.y0) / g.dy, 0), g.n - 1);
    // Nearest sample with a value.
    let best = null, bd = Infinity;
    for (let j = Math.floor(fj); j <= Math.ceil(fj); j++) {
      for (let i = Math.floor(fi); i <= Math.ceil(fi); i++) {
        const v = g.km[j * g.n + i];
        const d = (i - fi) ** 2 + (j - fj) ** 2;
        if (v != null && d < bd) { bd = d; best = v; }
      }
    }
    return best;
  }
  function updateScale() {
    const box = $("scale");
    const u = [(W / 2 - T.x) / T.k, (H / 2 - T.y) / T.k];
    const kmU = kmPerUnitAt(u[0], u[1]);
    if (!kmU) { box.hidden = true; return; }
    box.hidden = false;
    const kmPx = kmU / T.k;
    const max = kmPx * 160;
    const p = Math.pow(10, Math.floor(Math.log10(max)));
    const len = [5, 2, 1].map((m) => m * p).find((v) => v <= max) || p;
    $("scalebar").style.width = (len / kmPx).toFixed(1) + "px";
    $("scaletext").textContent = fmtKm(len) + " km (at the centre of the view)";
  }

  // ---------------------------------------------------------------- tooltip
  function zoneLabel(z) {
    if (z >= 0) {
      const b = D.bands[z];
      return b.name + " (" + fmtKm(b.min_km) + "–" + fmtKm(b.max_km) + " km)";
    }
    if (z === -1) {
      const first = D.bands[0];
      return D.below_label + " (under " + fmtKm(first ? first.min_km : 0) + " km)";
    }
    return D.beyond_label;
  }
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function row(key, value) {
    const r = el("div", "row");
    r.appendChild(el("span", "k", key + ": "));
    r.appendChild(document.createTextNode(value));
    return r;
  }
  function cityTip(i) {
    const box = el("div");
    box.appendChild(el("div", "t", C.name[i] + (C.capital[i] ? " ★" : "")));
    const cc = C.countries[C.country[i]];
    const country = cc && cc[1] ? cc[1] + (cc[0] && cc[0] !== cc[1] ? " (" + cc[0] + ")" : "") : "";
    const pop = C.pop[i] == null ? "population unknown" : "population " + group(C.pop[i]);
    box.appendChild(el("div", "row", [country, pop, C.capital[i] ? "capital" : ""].filter(Boolean).join(" · ")));
    if (C.dist_m[i] != null) {
      const s = SITES[C.site[i]];
      box.appendChild(row("Nearest site", (s ? s.name : "?") + ", " + fmtKm(C.dist_m[i] / 1000) + " km"));
      box.appendChild(row("Bearing from the site", (C.bearing[i] / 10).toFixed(1) + "°"));
      box.appendChild(row("Band", zoneLabel(C.zone[i])));
      if (D.with_reach) {
        const by = C.reached_by[i].map((j) => SITES[j] ? SITES[j].name : "?");
        const shown = by.length > 6 ? by.slice(0, 6).join(", ") + " and " + (by.length - 6) + " more" : by.join(", ");
        box.appendChild(row("Reached by", by.length ? shown : "no site (out of every system's reach)"));
      }
    }
    if (D.with_flight) box.appendChild(flightRow(i));
    return box;
  }
  // Time of flight (cities.csv's flight_time_min): only when some site has a
  // trajectory model; a city without a time says why rather than showing none.
  function flightRow(i) {
    const t = C.flight_min[i];
    if (t != null) {
      const r = row("Time of flight", t.toFixed(1) + " min");
      r.appendChild(el("span", "q", " (fastest reaching site with a trajectory model)"));
      r.dataset.flight = String(t);
      return r;
    }
    const reached = C.reached_by[i] && C.reached_by[i].length > 0;
    const why = reached
      ? "none (no reaching site's system has a trajectory model)"
      : "none (beyond every system's stated range)";
    const r = row("Time of flight", why);
    r.dataset.flight = "";
    return r;
  }
  function siteTip(j) {
    const s = SITES[j];
    const box = el("div");
    box.appendChild(el("div", "t", "▲ " + s.name));
    box.appendChild(row("System", s.system || (s.range_km != null ? "user-given range" : "none given")));
    if (s.range_km != null) box.appendChild(row("Range", fmtKm(s.range_km) + " km"));
    if (s.source) box.appendChild(el("div", "src", "Source: " + s.source));
    if (s.flight) {
      box.appendChild(row("Trajectory model", s.flight.model));
      if (s.flight.source) box.appendChild(el("div", "src", "Model source: " + s.flight.source));
    }
    if (s.note) box.appendChild(el("div", "src", s.note));
    box.appendChild(el("div", "src", s.lat.toFixed(4) + "°, " + s.lon.toFixed(4) + "° (lat, lon)"));
    return box;
  }
  function showTip(kindName, index, pinned) {
    const t = $("tip");
    t.replaceChildren(kindName === "site" ? siteTip(index) : cityTip(index));
    t.hidden = false;
    t.classList.toggle("pinned", !!pinned);
    tip = { kind: kindName, index, pinned: !!pinned };
    positionTip();
  }
  function hideTip() {
    $("tip").hidden = true;
    tip = { kind: null, index: -1, pinned: false };
  }
  function positionTip() {
    const t = $("tip");
    const p = tip.kind === "site"
      ? [SITES[tip.index].x * T.k + T.x, SITES[tip.index].y * T.k + T.y]
      : [C.x[tip.index] * T.k + T.x, C.y[tip.index] * T.k + T.y];
    const w = t.offsetWidth, h = t.offsetHeight;
    let x = p[0] + 14, y = p[1] + 14;
    if (x + w > W - 4) x = p[0] - 14 - w;
    if (y + h > H - 4) y = p[1] - 14 - h;
    t.style.left = Math.max(4, x) + "px";
    t.style.top = Math.max(4, y) + "px";
  }

  /** The site or city under a point (CSS pixels in the canvas), or null. */
  function pick(px, py) {
    if (layers.sites) {
      for (let j = SITES.length - 1; j >= 0; j--) {
        const s = SITES[j];
        if (s.x != null && Math.hypot(s.x * T.k + T.x - px, s.y * T.k + T.y - py) <= 12) return ["site", j];
      }
    }
    if (!layers.cities || N === 0) return null;
    const ux = (px - T.x) / T.k, uy = (py - T.y) / T.k;
    const reach = (S.radius.max + 6) / T.k;
    let best = -1, bestScore = Infinity;
    quadtree.visit((node, x0, y0, x1, y1) => {
      if (!node.length) {
        do {
          const i = node.data;
          if (cityVisible(i)) {
            const d = Math.hypot(C.x[i] - ux, C.y[i] - uy) * T.k;
            const score = d - Math.max(radius[i], 4); // inside the marker scores < 0
            if (d <= radius[i] + 6 && score < bestScore) { best = i; bestScore = score; }
          }
        } while ((node = node.next));
      }
      return x0 > ux + reach || x1 < ux - reach || y0 > uy + reach || y1 < uy - reach;
    });
    return best >= 0 ? ["city", best] : null;
  }

  // ---------------------------------------------------------------- search
  const FOLD = { "ł": "l", "ø": "o", "ß": "ss", "ı": "i", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d" };
  function fold(s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[łøßıđæœþð]/g, (c) => FOLD[c]).trim();
  }
  function search(q) {
    const f = fold(q);
    if (!f) return [];
    if (!folded) folded = C.name.map(fold);
    const hits = [];
    for (let i = 0; i < N; i++) {
      const n = folded[i];
      let score = -1;
      if (n === f) score = 0;
      else if (n.startsWith(f)) score = 1;
      else if (n.includes(" " + f) || n.includes("-" + f)) score = 2;
      else if (f.length >= 3 && n.includes(f)) score = 3;
      if (score >= 0) hits.push([score, i]);
    }
    hits.sort((a, b) => a[0] - b[0] || C.capital[b[1]] - C.capital[a[1]] ||
      (C.pop[b[1]] || 0) - (C.pop[a[1]] || 0));
    return hits.slice(0, 8).map((h) => h[1]);
  }
  let hitList = [], hitActive = -1;
  function showHits(q) {
    const ul = $("hits");
    hitList = search(q);
    hitActive = hitList.length ? 0 : -1;
    ul.replaceChildren();
    if (!q.trim()) { ul.hidden = true; return; }
    if (!hitList.length) {
      ul.appendChild(el("li", "none", "No city named “" + q.trim() + "” on this map"));
    }
    hitList.forEach((i, n) => {
      const li = el("li");
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", String(n === hitActive));
      li.appendChild(el("div", null, C.name[i] + (C.capital[i] ? " ★" : "")));
      const cc = C.countries[C.country[i]];
      li.appendChild(el("div", "sub", [cc ? cc[1] : "", C.zone[i] > -2 ? zoneLabel(C.zone[i]) : ""].filter(Boolean).join(" · ")));
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(i); });
      ul.appendChild(li);
    });
    ul.hidden = false;
  }
  function choose(i) {
    $("hits").hidden = true;
    $("q").value = C.name[i];
    goToCity(i);
  }
  function goToCity(i) {
    // Show what the city belongs to.
    if (!layers.cities) setLayer("cities", true);
    if (C.zone[i] > -2 && layers.zones.get(C.zone[i]) === false) setZone(C.zone[i], true);
    selected = i;
    api.selected = C.name[i];
    const k = Math.max(T.k, homeK * 6);
    const target = d3.zoomIdentity.translate(W / 2 - C.x[i] * k, H / 2 - C.y[i] * k).scale(k);
    userMoved = true;
    d3.select(canvas).transition().duration(600).call(zoom.transform, target)
      .on("end", () => { showTip("city", i, true); api.found = C.name[i]; });
  }

  // ---------------------------------------------------------------- legend and layers
  function setZone(z, on) {
    layers.zones.set(z, on);
    const box = document.querySelector('#legend input[data-zone="' + z + '"]');
    if (box) box.checked = on;
    if (tip.kind === "city" && !cityVisible(tip.index)) hideTip();
    requestDraw();
  }
  function setLayer(name, on) {
    layers[name] = on;
    const box = document.querySelector('#legend input[data-layer="' + name + '"]');
    if (box) box.checked = on;
    if ((name === "cities" && !on && tip.kind === "city") || (name === "sites" && !on && tip.kind === "site")) hideTip();
    requestDraw();
  }
  function sampleCanvas(w, h, paint) {
    const c = document.createElement("canvas");
    c.className = "sw";
    c.width = Math.round(w * DPR);
    c.height = Math.round(h * DPR);
    c.style.width = w + "px";
    c.style.height = h + "px";
    const g = c.getContext("2d");
    g.scale(DPR, DPR);
    paint(g);
    return c;
  }
  function entry(swatch, textNodes, toggle) {
    const e = el(toggle ? "label" : "div", "entry");
    if (toggle) {
      const box = el("input");
      box.type = "checkbox";
      box.checked = true;
      if (toggle.zone != null) box.dataset.zone = toggle.zone;
      else box.dataset.layer = toggle.layer;
      box.addEventListener("change", () =>
        toggle.zone != null ? setZone(toggle.zone, box.checked) : setLayer(toggle.layer, box.checked));
      e.appendChild(box);
    }
    if (swatch) e.appendChild(swatch);
    const t = el("div", "txt");
    for (const n of textNodes) t.appendChild(n);
    e.appendChild(t);
    return e;
  }
  function buildLegend() {
    const L = D.legend, box = $("legend");
    box.replaceChildren();
    box.appendChild(el("h2", null, "Range bands"));
    for (const z of L.zones) {
      const st = zoneStyle(z.zone);
      const sw = el("div", "sw");
      sw.style.background = st.swatch;
      sw.style.border = "1.5px solid " + st.outline;
      box.appendChild(entry(sw, [el("div", "name", z.name), el("div", "detail", z.detail)], { zone: z.zone }));
    }
    box.appendChild(el("h2", null, "Symbols"));
    if (L.reach_ring) {
      const sw = sampleCanvas(30, 20, (g) => {
        g.strokeStyle = S.reach; g.lineWidth = 1.6; g.setLineDash([8, 4]);
        g.beginPath(); g.moveTo(0, 10); g.lineTo(30, 10); g.stroke();
      });
      box.appendChild(entry(sw, [document.createTextNode(L.reach_ring)], { layer: "reach" }));
    }
    box.appendChild(entry(sampleCanvas(30, 20, (g) => drawSite(g, 15, 12, L.name_sites ? 8 : 5)),
      [document.createTextNode(L.site)], { layer: "sites" }));
    box.appendChild(entry(null, [document.createTextNode("Allied city, coloured by band, sized by population:")], { layer: "cities" }));
    const sizes = el("div", "sizes");
    for (const [p, label] of [[1e5, "100,000"], [1e6, "1 million"], [5e6, "5 million"]]) {
      const r = cityRadius(p), d = Math.ceil(2 * r + 4);
      sizes.appendChild(sampleCanvas(d, d, (g) => drawMarker(g, d / 2, d / 2, "d", 0, r)));
      sizes.appendChild(el("span", null, label));
    }
    box.appendChild(sizes);
    const dot = (k, z) => sampleCanvas(30, 20, (g) => drawMarker(g, 15, 10, k, z, cityRadius(1e6)));
    const firstZone = L.zones.length ? L.zones[L.zones.length > 1 && L.zones[0].zone < 0 ? 1 : 0].zone : 0;
    if (D.with_reach) {
      const reached = L.reach.length ? L.reach : ["Reached by the deployed system"];
      box.appendChild(entry(dot("d", firstZone), reached.map((t) => el("div", "bold", t))));
      box.appendChild(entry(dot("r", firstZone), [document.createTextNode("In a band, out of the system's reach")]));
    }
    box.appendChild(entry(sampleCanvas(30, 20, (g) => drawMarker(g, 15, 10, "o", -2, cityRadius(3e5))),
      [document.createTextNode("Allied city outside every band")]));
    const tint = (c) => { const s = el("div", "sw"); s.style.background = c; s.style.border = "1px solid " + S.border; return s; };
    box.appendChild(entry(tint(S.allied), [document.createTextNode(L.allied)]));
    box.appendChild(entry(tint(S.land), [document.createTextNode("Other country")]));
    box.appendChild(el("h2", null, "Layers"));
    box.appendChild(entry(null, [document.createTextNode("Basemap (countries, sea, borders)")], { layer: "basemap" }));
    box.appendChild(entry(null, [document.createTextNode("Graticule (every 10°)")], { layer: "graticule" }));
    box.appendChild(entry(null, [document.createTextNode("Labels")], { layer: "labels" }));
    box.appendChild(el("h2", null, "Projection"));
    box.appendChild(el("p", "note", D.projection.name));
    if (D.projection.warning) box.appendChild(el("p", "note warn", D.projection.warning));
    box.appendChild(el("p", "hint",
      "Drag to pan; wheel, pinch or +/− to zoom. Hover over or tap a city for its distance, band and " +
      "bearing; click a site for its system and source. Switch a band off to hide its zone and its cities."));
  }

  // ---------------------------------------------------------------- setup
  function resize() {
    const r = canvas.getBoundingClientRect();
    W = r.width;
    H = r.height;
    DPR = window.devicePixelRatio || 1;
    canvas.width = Math.max(1, Math.round(W * DPR));
    canvas.height = Math.max(1, Math.round(H * DPR));
    const v = D.view;
    homeK = Math.min(W / v.width, H / v.height);
    zoom.scaleExtent([homeK / 3, homeK * 64]);
  }
  function homeTransform() {
    const v = D.view;
    return d3.zoomIdentity.translate((W - v.width * homeK) / 2, (H - v.height * homeK) / 2).scale(homeK);
  }

  function init() {
    D = JSON.parse($("infrange-data").textContent);
    api.timings.data_parsed_ms = performance.now();
    S = D.style;
    C = D.cities;
    SITES = D.sites;
    // Sites the projection cannot show have no position: never drawn or picked.
    SHOWN_SITES = SITES.filter((s) => s.x != null);
    for (const z of D.legend.zones) layers.zones.set(z.zone, true);
    canvas = $("map");
    ctx = canvas.getContext("2d");
    buildGeometry();
    prepareCities();
    api.timings.geometry_ms = performance.now();
    const v = D.view;
    zoom = d3.zoom()
      .translateExtent([[-v.width, -v.height], [2 * v.width, 2 * v.height]])
      .on("start", (ev) => { if (ev.sourceEvent) canvas.classList.add("dragging"); })
      .on("zoom", (ev) => { T = ev.transform; if (ev.sourceEvent) userMoved = true; requestDraw(); })
      .on("end", () => canvas.classList.remove("dragging"));
    resize();
    T = homeTransform();
    d3.select(canvas).call(zoom).call(zoom.transform, T);
    buildLegend();
    draw();
    api.timings.first_draw_ms = performance.now();
    // The second animation frame after the first draw comes once that frame was made.
    requestAnimationFrame(() => requestAnimationFrame(() => {
      api.timings.first_frame_ms = performance.now();
      api.ready = true;
      document.documentElement.dataset.ready = "1";
    }));

    // Hover, tap and click.
    canvas.addEventListener("pointermove", (e) => {
      if (e.buttons) return;
      const r = canvas.getBoundingClientRect();
      const h = pick(e.clientX - r.left, e.clientY - r.top);
      canvas.classList.toggle("pointing", !!h);
      if (tip.pinned) return;
      if (h) showTip(h[0], h[1], false);
      else hideTip();
    });
    canvas.addEventListener("pointerleave", () => { if (!tip.pinned) hideTip(); });
    canvas.addEventListener("click", (e) => {
      const r = canvas.getBoundingClientRect();
      const h = pick(e.clientX - r.left, e.clientY - r.top);
      if (h) {
        if (h[0] === "city") { selected = h[1]; api.selected = C.name[h[1]]; }
        showTip(h[0], h[1], true);
      } else {
        selected = -1;
        api.selected = null;
        hideTip();
      }
      requestDraw();
    });
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { hideTip(); selected = -1; $("hits").hidden = true; requestDraw(); }
    });
    // Zoom buttons.
    const by = (f) => d3.select(canvas).transition().duration(250).call(zoom.scaleBy, f);
    $("zin").addEventListener("click", () => { userMoved = true; by(2); });
    $("zout").addEventListener("click", () => { userMoved = true; by(0.5); });
    $("zhome").addEventListener("click", () => {
      userMoved = false;
      d3.select(canvas).transition().duration(400).call(zoom.transform, homeTransform());
    });
    // Search.
    const q = $("q");
    q.addEventListener("input", () => showHits(q.value));
    q.addEventListener("keydown", (e) => {
      const items = $("hits").querySelectorAll("li[role=option]");
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!hitList.length) return;
        hitActive = (hitActive + (e.key === "ArrowDown" ? 1 : hitList.length - 1)) % hitList.length;
        items.forEach((li, n) => li.setAttribute("aria-selected", String(n === hitActive)));
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (!hitList.length) showHits(q.value);
        if (hitList.length) choose(hitList[Math.max(hitActive, 0)]);
      } else if (e.key === "Escape") {
        $("hits").hidden = true;
      }
    });
    q.addEventListener("blur", () => { $("hits").hidden = true; });
    // Legend on small screens.
    $("legendtoggle").addEventListener("click", () => {
      const lg = $("legend");
      lg.classList.toggle("closed");
      $("legendtoggle").setAttribute("aria-expanded", String(!lg.classList.contains("closed")));
    });
    if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
      $("legend").classList.add("closed");
      $("legendtoggle").setAttribute("aria-expanded", "false");
    }
    // Window size.
    let lastW = W, lastH = H;
    new ResizeObserver(() => {
      const r = canvas.getBoundingClientRect();
      if (r.width === lastW && r.height === lastH) return;
      const centre = T.invert([lastW / 2, lastH / 2]);
      const rel = T.k / homeK;
      resize();
      lastW = W;
      lastH = H;
      const k = userMoved ? homeK * rel : homeK;
      const t = userMoved
        ? d3.zoomIdentity.translate(W / 2 - centre[0] * k, H / 2 - centre[1] * k).scale(k)
        : homeTransform();
      d3.select(canvas).call(zoom.transform, t);
      draw();
    }).observe(canvas);

    // For tests and scripting: where a city is on screen, by name.
    api.cityIndex = (name) => C.name.indexOf(name);
    api.cityPoint = (name) => {
      const i = C.name.indexOf(name);
      if (i < 0) return null;
      const r = canvas.getBoundingClientRect();
      return { x: r.left + C.x[i] * T.k + T.x, y: r.top + C.y[i] * T.k + T.y, index: i };
    };
    api.sitePoint = (name) => {
      const s = SHOWN_SITES.find((s) => s.name === name);
      if (!s) return null;
      const r = canvas.getBoundingClientRect();
      return { x: r.left + s.x * T.k + T.x, y: r.top + s.y * T.k + T.y };
    };
    api.counts = { cities: N, sites: SHOWN_SITES.length, zones: G.zones.size, reach_rings: G.reach.length };
  }

  try {
    init();
  } catch (err) {
    fail(err);
  }
})();
