//! Interactive map exports: projected layers, raster redraw, picking, print export.
