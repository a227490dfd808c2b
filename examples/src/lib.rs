//! Runnable examples live in examples/; the example service's parts are a library here
//! so that its tests can start it on a port of their own.

pub mod boards;
pub mod service;
