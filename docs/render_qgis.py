#!/usr/bin/env python3
"""Render infrange's layers in QGIS with the styles infrange writes beside them.

Usage (QGIS 3 with its Python bindings; headless):

    QT_QPA_PLATFORM=offscreen python3 docs/render_qgis.py DIR OUT.png [PROJ] [--kml]
        [--land=data/naturalearth/countries-50m.json] [--half=METRES] [--down=METRES]

Loads DIR/coverage.geojson, DIR/bands.geojson (checked, not drawn: the coverage zones
show the same bands), DIR/cities.geojson and DIR/sites.geojson the way *Layer → Add Vector Layer*
does — QGIS applies the same-named .qml files by itself — checks that each layer is valid,
is EPSG:4326 and got its style, then renders them over a graticule in PROJ (default:
north-polar azimuthal equidistant) to OUT.png.

With --kml it loads DIR/map.kml instead (GDAL's KML reader: one layer per folder) and draws
every feature with the style the KML gives it (QGIS's embedded-symbols renderer), to show
what the KML holds. --land draws Natural Earth's land underneath (world-atlas TopoJSON);
--half sets the half-width of the view in metres (default 7,600 km), --down moves its
centre down from the projection's centre.
"""
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsEmbeddedSymbolRenderer,
    QgsFeature,
    QgsGeometry,
    QgsLineString,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
    QgsSymbol,
    QgsVectorDataProvider,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def graticule():
    """Meridians every 30° and parallels every 10°, densified, as a memory layer."""
    layer = QgsVectorLayer("MultiLineString?crs=EPSG:4326", "graticule", "memory")
    feats = []
    for lon in range(-180, 180, 30):
        line = QgsLineString([QgsPointXY(lon, lat / 2) for lat in range(-180, 181)])
        f = QgsFeature()
        f.setGeometry(QgsGeometry(line))
        feats.append(f)
    for lat in range(-80, 90, 10):
        line = QgsLineString([QgsPointXY(lon / 2, lat) for lon in range(-360, 361)])
        f = QgsFeature()
        f.setGeometry(QgsGeometry(line))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    symbol = layer.renderer().symbol()
    symbol.setColor(QColor(111, 130, 148, 110))
    symbol.setWidth(0.2)
    return layer


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    kml = "--kml" in sys.argv
    land = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--land=")), None)
    half = float(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--half=")), 7.6e6))
    shift = float(next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--down=")), 0.0))
    folder, out = args[0], args[1]
    proj = args[2] if len(args) > 2 else "+proj=aeqd +lat_0=90 +lon_0=45 +datum=WGS84"
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    layers = []
    if kml:
        path = os.path.join(folder, "map.kml")
        for name in ("Band zones", "Band edges", "Reach", "Cities", "Sites"):
            layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
            assert layer.isValid(), f"KML folder {name} does not load"
            # Draw each feature with the style the KML gives it, as Google Earth does.
            layer.setRenderer(
                QgsEmbeddedSymbolRenderer(QgsSymbol.defaultSymbol(layer.geometryType()))
            )
            print(
                f"{name}: {layer.featureCount()} features, "
                f"{QgsWkbTypes.displayString(layer.wkbType())}, {layer.crs().authid()}, "
                f"embedded symbols: {bool(layer.dataProvider().capabilities() & QgsVectorDataProvider.FeatureSymbology)}"
            )
            layers.append(layer)
    else:
        for name in ("coverage", "bands", "cities", "sites"):
            path = os.path.join(folder, f"{name}.geojson")
            # As Add Vector Layer does: QGIS applies NAME.qml by itself.
            layer = QgsVectorLayer(path, name, "ogr")
            assert layer.isValid(), f"{path} does not load"
            want = {"sites": "singleSymbol", "bands": "categorizedSymbol"}.get(name, "RuleRenderer")
            assert layer.renderer().type() == want, f"{name}.qml was not applied"
            assert layer.crs().authid() == "EPSG:4326", f"{name}: CRS"
            print(
                f"{name}: {layer.featureCount()} features, "
                f"{QgsWkbTypes.displayString(layer.wkbType())}, {layer.crs().authid()}, "
                f"renderer {layer.renderer().type()}"
            )
            layers.append(layer)
    project = QgsProject.instance()
    grat = graticule()
    project.addMapLayer(grat)
    base = []
    if land:
        basemap = QgsVectorLayer(f"{land}|layername=land", "land", "ogr")
        assert basemap.isValid(), land
        # world-atlas TopoJSON carries no CRS; it is lon/lat.
        basemap.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
        symbol = basemap.renderer().symbol()
        symbol.setColor(QColor(213, 211, 207))
        symbol.symbolLayer(0).setStrokeStyle(0)
        project.addMapLayer(basemap)
        base.append(basemap)
    for layer in layers:
        project.addMapLayer(layer)
    # Top of the drawing first.
    order = [l for l in layers if l.name() in ("sites", "Sites")]
    order += [l for l in layers if l.name() in ("cities", "Cities")]
    order += [l for l in layers if l.name() in ("Reach", "Band edges")]
    order += [l for l in layers if l.name() in ("coverage", "Band zones")]
    order.append(grat)
    order += base
    settings = QgsMapSettings()
    settings.setLayers(order)
    crs = QgsCoordinateReferenceSystem()
    crs.createFromProj(proj)
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(1200, 1200))
    settings.setBackgroundColor(QColor(213, 237, 252) if land else QColor(255, 255, 255))
    settings.setExtent(QgsRectangle(-half, -half - shift, half, half - shift))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(out)
    print("wrote", out)
    app.exitQgis()


if __name__ == "__main__":
    main()
