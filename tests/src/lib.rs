//! End-to-end tests across the tx crates live in `tests/`.
