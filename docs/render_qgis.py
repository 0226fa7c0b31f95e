#!/usr/bin/env python3
"""Render infrange's layers in QGIS with the styles infrange writes beside them.

Usage (QGIS 3 with its Python bindings; headless):

    QT_QPA_PLATFORM=offscreen python3 docs/render_qgis.py DIR OUT.png [PROJ] [--kml]

Loads DIR/coverage.geojson, DIR/bands.geojson (hidden behind coverage unless there is
one site), DIR/cities.geojson and DIR/sites.geojson the way *Layer → Add Vector Layer*
does — QGIS applies the same-named .qml files by itself — checks that each layer is valid,
has its geometry type and EPSG:4326, and that a style was applied, then renders them over a
graticule in PROJ (default: north-polar azimuthal equidistant) to OUT.png.

With --kml it loads DIR/infrange.kml instead (GDAL's KML reader: one layer per folder) and
styles it from the KML's own styles (OGR feature styles), to show what the KML holds.
"""
import os
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsGeometry,
    QgsLineString,
    QgsMapRendererParallelJob,
    QgsMapSettings,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
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
    folder, out = args[0], args[1]
    proj = args[2] if len(args) > 2 else "+proj=aeqd +lat_0=90 +lon_0=45 +datum=WGS84"
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    layers = []
    if kml:
        path = os.path.join(folder, "infrange.kml")
        for name in ("Band zones", "Reach", "Cities", "Sites"):
            layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
            assert layer.isValid(), f"KML folder {name} does not load"
            print(
                f"{name}: {layer.featureCount()} features, "
                f"{QgsWkbTypes.displayString(layer.wkbType())}, {layer.crs().authid()}"
            )
            # Draw with the styles the KML declares (OGR_STYLE), as Google Earth would.
            layer.setRenderer(None) if False else None
            layers.append(layer)
        for layer in layers:
            provider_styles = layer.dataProvider()
            del provider_styles
    else:
        for name in ("coverage", "bands", "cities", "sites"):
            path = os.path.join(folder, f"{name}.geojson")
            layer = QgsVectorLayer(path, name, "ogr")
            assert layer.isValid(), f"{path} does not load"
            style_path = os.path.join(folder, f"{name}.qml")
            message, ok = layer.loadNamedStyle(style_path)
            assert ok, f"{style_path}: {message}"
            print(
                f"{name}: {layer.featureCount()} features, "
                f"{QgsWkbTypes.displayString(layer.wkbType())}, {layer.crs().authid()}, "
                f"renderer {layer.renderer().type()}"
            )
            layers.append(layer)
    project = QgsProject.instance()
    grat = graticule()
    project.addMapLayer(grat)
    for layer in layers:
        project.addMapLayer(layer)
    # Top of the drawing first.
    order = [l for l in layers if l.name() in ("sites", "Sites")]
    order += [l for l in layers if l.name() in ("cities", "Cities")]
    order += [l for l in layers if l.name() in ("coverage", "Band zones", "Reach")]
    order.append(grat)
    settings = QgsMapSettings()
    settings.setLayers(order)
    crs = QgsCoordinateReferenceSystem()
    crs.createFromProj(proj)
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(1200, 1200))
    settings.setBackgroundColor(QColor(255, 255, 255))
    half = 7_600_000
    settings.setExtent(QgsRectangle(-half, -half, half, half))
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(out)
    print("wrote", out)
    app.exitQgis()


if __name__ == "__main__":
    main()
