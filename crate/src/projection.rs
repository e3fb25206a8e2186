//! Map projections: Web Mercator for display, a metric projection (UTM / Lambert azimuthal equal-area) for analysis.
