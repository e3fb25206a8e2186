//! The files of one operation, as the page and the CLI hand them over: the survey's own files
//! (catalogs, links, border, genotype tables — recognised by content) and the files that play a
//! named part in an operation (the basemap, habitat or region polygons, a proposed layout),
//! which are never mistaken for survey files.

use crate::io::border::{read_named_polygons, read_polygons};
use crate::io::geotiff::{read_geotiff, Raster};
use crate::io::topojson::{read_countries, Country};
use crate::io::{InputFile, IoError};
use crate::model::message::Message;
use geo::MultiPolygon;
use std::fmt;
use std::str::FromStr;

/// The part a file plays in an operation besides being one of the survey's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// TopoJSON country outlines: masks kept on land, N per country, map backgrounds.
    Basemap,
    /// GeoJSON habitat polygons: a SECR mask keeps only the cells inside.
    Habitat,
    /// GeoJSON regions with a `name` (e.g. protected areas): expected N in each.
    Regions,
    /// A CSV of proposed stations for a survey design (`id,lat,lon`, or `id,x,y` in UTM).
    Layout,
    /// A GeoTIFF mask covariate for SECR density models (projected metres, the fit's UTM
    /// zone); its name in model formulas is the file name without extension (`rugged.tif` →
    /// `D~rugged`).
    Covariate,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Basemap, Role::Habitat, Role::Regions, Role::Layout, Role::Covariate];

    pub fn name(self) -> &'static str {
        match self {
            Role::Basemap => "basemap",
            Role::Habitat => "habitat",
            Role::Regions => "regions",
            Role::Layout => "layout",
            Role::Covariate => "covariate",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.name() == s)
            .ok_or_else(|| format!("unknown file role '{s}': use basemap, habitat, regions, layout or covariate"))
    }
}

/// The files of one operation.
///
/// ```
/// use borderless::io::InputFile;
/// use borderless::pipeline::inputs::{Inputs, Role};
/// let mut inputs = Inputs::new(vec![InputFile::new("links.csv", b"catalog_a,id_a,catalog_b,id_b\n".to_vec())]);
/// inputs.set(Role::Layout, InputFile::new("proposed.csv", b"id,lat,lon\n".to_vec())).unwrap();
/// assert_eq!(inputs.files.len(), 1);
/// assert_eq!(inputs.get(Role::Layout).unwrap().name, "proposed.csv");
/// assert!(inputs.set(Role::Layout, InputFile::new("other.csv", Vec::new())).is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The survey's files, recognised by content (see [`super::load_files`]).
    pub files: Vec<InputFile>,
    basemap: Option<InputFile>,
    habitat: Option<InputFile>,
    covariate: Option<InputFile>,
    regions: Option<InputFile>,
    layout: Option<InputFile>,
}

impl Inputs {
    pub fn new(files: Vec<InputFile>) -> Inputs {
        Inputs { files, ..Default::default() }
    }

    fn slot(&mut self, role: Role) -> &mut Option<InputFile> {
        match role {
            Role::Basemap => &mut self.basemap,
            Role::Habitat => &mut self.habitat,
            Role::Regions => &mut self.regions,
            Role::Layout => &mut self.layout,
            Role::Covariate => &mut self.covariate,
        }
    }

    /// Gives `file` the part `role`; a second file for the same part is an error naming both.
    pub fn set(&mut self, role: Role, file: InputFile) -> Result<(), String> {
        let slot = self.slot(role);
        if let Some(old) = slot {
            return Err(format!("two {role} files: '{}' and '{}'; give one", old.name, file.name));
        }
        *slot = Some(file);
        Ok(())
    }

    /// The file playing `role`, if any.
    pub fn get(&self, role: Role) -> Option<&InputFile> {
        match role {
            Role::Basemap => self.basemap.as_ref(),
            Role::Habitat => self.habitat.as_ref(),
            Role::Regions => self.regions.as_ref(),
            Role::Layout => self.layout.as_ref(),
            Role::Covariate => self.covariate.as_ref(),
        }
    }

    /// Takes the file playing `role` out of these inputs.
    pub fn take(&mut self, role: Role) -> Option<InputFile> {
        self.slot(role).take()
    }

    /// The basemap's country outlines (none without a basemap).
    pub fn countries(&self) -> Result<Vec<Country>, IoError> {
        match &self.basemap {
            Some(f) => read_countries(&f.name, &f.bytes),
            None => Ok(Vec::new()),
        }
    }

    /// The habitat polygons, if a habitat file was given.
    pub fn habitat(&self) -> Result<Option<MultiPolygon<f64>>, IoError> {
        self.habitat.as_ref().map(|f| read_polygons(&f.name, &f.bytes)).transpose()
    }

    /// The covariate raster and its name (the file name without directory and extension), if
    /// a covariate file was given.
    pub fn covariate(&self) -> Result<Option<(String, Raster)>, IoError> {
        let Some(f) = &self.covariate else { return Ok(None) };
        let stem = f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name);
        let name = stem.rsplit_once('.').map_or(stem, |(s, _)| s).to_string();
        let raster =
            read_geotiff(&f.name, &f.bytes).map_err(|e| IoError::new(&f.name, Message::untranslated(e.to_string())))?;
        Ok(Some((name, raster)))
    }

    /// The named regions (none without a regions file).
    pub fn regions(&self) -> Result<Vec<(String, MultiPolygon<f64>)>, IoError> {
        match &self.regions {
            Some(f) => read_named_polygons(&f.name, &f.bytes),
            None => Ok(Vec::new()),
        }
    }
}
