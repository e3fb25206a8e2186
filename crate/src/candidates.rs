//! Candidate cross-border matches between photo-ID individuals of different catalogs, scored from the evidence the data hold.
