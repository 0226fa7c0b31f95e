#!/usr/bin/env python3
"""Load infrange's GeoJSON layers with geopandas and draw them.

This is both the README's geopandas example and the script that made
docs/geopandas-layers.png:

    cargo run --release -- geojson --out output
    pip install geopandas matplotlib
    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz   # optional basemap
    python3 docs/plot_layers_geopandas.py output docs/geopandas-layers.png \
        package/countries-110m.json

The plot is in an azimuthal equidistant projection centred near the sites
(north polar aspect), so the pole-enclosing, antimeridian-crossing 5,500 km
zone is visible whole.
"""
import sys

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(folder: str, png: str, countries_topojson: str | None) -> None:
    sites = gpd.read_file(f"{folder}/sites.geojson")
    bands = gpd.read_file(f"{folder}/bands.geojson")
    coverage = gpd.read_file(f"{folder}/coverage.geojson")
    cities = gpd.read_file(f"{folder}/cities.geojson")
    print(bands[["site", "band", "min_km", "max_km", "max_error_m", "vertices"]].to_string())
    print(coverage[["kind", "band", "site", "max_error_m", "vertices"]].to_string())
    print(cities.groupby("band").size().to_string())

    crs = "+proj=aeqd +lat_0=90 +lon_0=45 +datum=WGS84"
    fig, ax = plt.subplots(figsize=(9, 9))
    if countries_topojson:
        # Natural Earth via world-atlas (TopoJSON, read by GDAL); the southern
        # hemisphere is dropped before projecting to a north-polar map.
        from shapely.geometry import box

        world = gpd.read_file(countries_topojson, layer="countries")
        import numpy as np
        import shapely

        world = world.set_crs(4326, allow_override=True).explode(index_parts=False)

        def unwrap(geom):
            # A few Natural Earth parts (Chukotka, Fiji) jump across ±180; move
            # their western longitudes east by 360° so they stay contiguous.
            minx, _, maxx, _ = geom.bounds
            if maxx - minx <= 180:
                return geom
            return shapely.transform(geom, lambda xy: np.column_stack(
                [np.where(xy[:, 0] < 0, xy[:, 0] + 360, xy[:, 0]), xy[:, 1]]))

        world["geometry"] = world.geometry.apply(unwrap).make_valid()
        world = gpd.clip(world, box(-180, -10, 360, 90))
        world.to_crs(crs).plot(ax=ax, color="#EEEEEE", edgecolor="#999999", linewidth=0.3)
    colours = {"shorter-range": "#E69F00", "intermediate-range": "#56B4E9"}
    zones = coverage[coverage["kind"] == "band"].to_crs(crs)
    # Draw fills over the basemap translucently.
    for _, z in zones.iterrows():
        gpd.GeoSeries([z.geometry], crs=crs).plot(
            ax=ax, color=colours.get(z["band"], "#999999"), alpha=0.45, edgecolor="none"
        )
    reach = coverage[coverage["kind"] == "reach"].to_crs(crs)
    reach.boundary.plot(ax=ax, color="#CC79A7", linewidth=0.8, linestyle="--")
    c = cities.to_crs(crs)
    for band, colour in colours.items():
        sel = c[c["band"] == band]
        sel.plot(ax=ax, color=colour, markersize=3, edgecolor="#333333", linewidth=0.2)
    sites.to_crs(crs).plot(ax=ax, color="black", marker="^", markersize=40)
    ax.set_xlim(-7.5e6, 7.5e6)
    ax.set_ylim(-9e6, 6e6)
    ax.set_title("infrange layers read by geopandas: INF 2019 default scenario\n"
                 "coverage zones (orange: shorter-range, blue: intermediate-range), "
                 "9M729 reach (dashed), cities", fontsize=9)
    ax.set_axis_off()
    fig.text(0.01, 0.01, "Cities: GeoNames, CC BY 4.0 · Made with Natural Earth", fontsize=7)
    fig.savefig(png, dpi=110, bbox_inches="tight")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
