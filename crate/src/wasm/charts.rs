//! Chart exports (capture histories, estimator comparison, RAI, accumulation, diel activity).
