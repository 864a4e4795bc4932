//! One platform's part of the soak: its seed, its input, the `tx` command that works
//! through it, and a fault-free read of what the emulator holds afterwards.

use async_trait::async_trait;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use tx_emulator::{Emulator, EmulatorBuilder};

#[async_trait]
pub trait Job: Send + Sync {
    /// The platform, as the report names it.
    fn name(&self) -> &'static str;
    /// Adds what the job needs to the emulator's starting state.
    fn seed(&self, emulator: EmulatorBuilder) -> EmulatorBuilder;
    /// Writes the input file; returns each item's key, in input order.
    fn write_input(&self, path: &Path) -> Vec<String>;
    /// The `tx` arguments working through `input`, writing what it does not try to
    /// `remaining`.
    fn args(&self, input: &Path, remaining: &Path) -> Vec<String>;
    /// The environment `tx` needs (credentials, endpoint, timeouts).
    fn env(&self, emulator: &Emulator) -> Vec<(String, String)>;
    /// Commands to run once before the work (e.g. exchanging an authorization code),
    /// each one `tx` run.
    async fn prepare(&self, emulator: &Emulator) -> Vec<Vec<String>> {
        let _ = emulator;
        Vec::new()
    }
    /// The key of the item an `item` record is about.
    fn key(&self, record: &Value) -> String;
    /// The items the emulator holds as done, read with faults off.
    async fn applied(&self, emulator: &Emulator) -> BTreeSet<String>;
}
