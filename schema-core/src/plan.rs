//! Creation plan.
