//! Reference schemas written with the DSL.
