//! Expert decisions on candidate links (who, when, why), the links CSV and the Camtrap DP individuals resource.
