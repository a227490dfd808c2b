//! DDL rendering.
