//! Species known to Borderless: scientific names, common names in the five interface languages.
