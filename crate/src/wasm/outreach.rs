//! Public outreach exports: only what the privacy module has generalised.
