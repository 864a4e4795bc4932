//! A [`TokenStore`] in a file, so that tokens, refresh tokens and WeChat's ticket outlive one
//! `tx` invocation: a ticket received by `tx wechat ticket` is used by the next command, an
//! Ads authorization exchanged once serves every later run.
//!
//! The file is a journal: one JSON object per line, each a change (`access`, `durable`,
//! `remove_access_if`, `remove`), replayed in order when the store is opened. A change is
//! appended under an exclusive lock of a companion `.lock` file, so several `tx` processes
//! can share the file without losing a write (a rotated refresh token must never be lost);
//! each process sees the others' changes from its next start. Opening compacts a journal
//! that has grown well past its live entries (rewritten whole, then renamed into place,
//! under the same lock). A line that does not parse (a write cut short by a crash) is
//! skipped. On Unix the directory is created `0700` and the file `0600`: it holds secrets.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tx_sdk::token::{Durable, Token, TokenStore};
use tx_sdk::{Error, ErrorKind, Secret};

/// The file name of the journal in a state directory.
pub const FILE_NAME: &str = "tokens.jsonl";

/// One change, as a journal line. No `Debug`: it holds token values.
#[derive(Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
enum Change {
    Access { key: String, value: String, expires_at: u64 },
    Durable { key: String, value: String, expires_at: Option<u64> },
    RemoveAccessIf { key: String, value: String },
    Remove { key: String },
}

/// The live entries: what replaying the journal gives.
#[derive(Default)]
struct Entries {
    access: HashMap<String, Token>,
    durable: HashMap<String, Durable>,
}

impl Entries {
    fn apply(&mut self, change: Change) {
        match change {
            Change::Access { key, value, expires_at } => {
                self.access.insert(key, Token { value: Secret::new(value), expires_at });
            }
            Change::Durable { key, value, expires_at } => {
                self.durable.insert(key, Durable::new(value, expires_at));
            }
            Change::RemoveAccessIf { key, value } => {
                if self.access.get(&key).is_some_and(|t| t.value.expose() == value) {
                    self.access.remove(&key);
                }
            }
            Change::Remove { key } => {
                self.access.remove(&key);
                self.durable.remove(&key);
            }
        }
    }

    fn len(&self) -> usize {
        self.access.len() + self.durable.len()
    }

    /// The changes that rebuild these entries, for a compacted journal.
    fn changes(&self) -> Vec<Change> {
        let access = self.access.iter().map(|(key, t)| Change::Access {
            key: key.clone(),
            value: t.value.expose().to_owned(),
            expires_at: t.expires_at,
        });
        let durable = self.durable.iter().map(|(key, d)| Change::Durable {
            key: key.clone(),
            value: d.value.expose().to_owned(),
            expires_at: d.expires_at,
        });
        access.chain(durable).collect()
    }
}

/// Tokens kept in a journal file; see the module documentation.
pub struct FileTokenStore {
    path: PathBuf,
    lock_path: PathBuf,
    entries: Mutex<Entries>,
    /// Orders this process's appends, so the file and the memory agree.
    writes: tokio::sync::Mutex<()>,
}

/// Shows the file and how many entries it holds, never a value.
impl fmt::Debug for FileTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries = lock(&self.entries);
        f.debug_struct("FileTokenStore")
            .field("path", &self.path)
            .field("access", &entries.access.len())
            .field("durable", &entries.durable.len())
            .finish()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn failure(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::other(ErrorKind::Auth, format!("cannot {what} the token store {}: {e}", path.display()), e)
}

impl FileTokenStore {
    /// Opens (creating if needed) the journal in `dir`, replays it, and compacts it when
    /// most of its lines are superseded.
    pub fn open(dir: &Path) -> Result<FileTokenStore, Error> {
        create_private_dir(dir).map_err(|e| failure(dir, "create the directory of", e))?;
        let path = dir.join(FILE_NAME);
        let lock_path = dir.join(format!("{FILE_NAME}.lock"));
        let guard = exclusive(&lock_path)?;
        let (entries, lines) = replay(&path)?;
        if lines > 2 * entries.len() + 64 {
            rewrite(&path, &entries.changes())?;
        }
        drop(guard);
        Ok(FileTokenStore { path, lock_path, entries: Mutex::new(entries), writes: tokio::sync::Mutex::new(()) })
    }

    /// The journal file.
    #[cfg(test)]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `change` to the journal, then applies it here. Durable values and removals
    /// reach the disk before this returns; an access token may be lost to a crash, which
    /// costs one fetch.
    async fn record(&self, change: Change) -> Result<(), Error> {
        let sync = !matches!(change, Change::Access { .. });
        let _ordered = self.writes.lock().await;
        let mut line = serde_json::to_string(&change)
            .map_err(|e| Error::other(ErrorKind::Auth, "cannot encode a token store change", e))?;
        line.push('\n');
        let (path, lock_path) = (self.path.clone(), self.lock_path.clone());
        tokio::task::spawn_blocking(move || append(&lock_path, &path, &line, sync))
            .await
            .map_err(|e| Error::other(ErrorKind::Auth, "the token store's writer stopped", e))??;
        lock(&self.entries).apply(change);
        Ok(())
    }
}

/// An exclusive lock of `lock_path`, held until the file is dropped.
fn exclusive(lock_path: &Path) -> Result<File, Error> {
    let file = private_options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path)
        .map_err(|e| failure(lock_path, "open the lock of", e))?;
    fs4::FileExt::lock(&file).map_err(|e| failure(lock_path, "lock", e))?;
    Ok(file)
}

/// The entries of the journal at `path` (none if it does not exist) and its line count.
fn replay(path: &Path) -> Result<(Entries, usize), Error> {
    let mut entries = Entries::default();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((entries, 0)),
        Err(e) => return Err(failure(path, "read", e)),
    };
    let mut lines = 0;
    for line in BufReader::new(file).lines() {
        let line = line.map_err(|e| failure(path, "read", e))?;
        lines += 1;
        if let Ok(change) = serde_json::from_str::<Change>(&line) {
            entries.apply(change);
        }
    }
    Ok((entries, lines))
}

/// Appends one line under the lock, and with `sync` waits for it to reach the disk. The
/// path is opened afresh every time, so a journal compacted (renamed into place) by another
/// process is written to, not its old inode.
fn append(lock_path: &Path, path: &Path, line: &str, sync: bool) -> Result<(), Error> {
    let _guard = exclusive(lock_path)?;
    let mut file = private_options().append(true).create(true).open(path).map_err(|e| failure(path, "open", e))?;
    file.write_all(line.as_bytes()).map_err(|e| failure(path, "write", e))?;
    if sync {
        file.sync_data().map_err(|e| failure(path, "write", e))?;
    }
    Ok(())
}

/// Replaces the journal with `changes`, written to a temporary file first.
fn rewrite(path: &Path, changes: &[Change]) -> Result<(), Error> {
    let temp = path.with_extension("jsonl.tmp");
    let mut file = private_options()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&temp)
        .map_err(|e| failure(&temp, "write", e))?;
    for change in changes {
        let line = serde_json::to_string(change)
            .map_err(|e| Error::other(ErrorKind::Auth, "cannot encode a token store change", e))?;
        writeln!(file, "{line}").map_err(|e| failure(&temp, "write", e))?;
    }
    file.sync_all().map_err(|e| failure(&temp, "write", e))?;
    std::fs::rename(&temp, path).map_err(|e| failure(path, "replace", e))
}

/// Options that create files readable by their owner only (on Unix).
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Creates `dir` and its parents, the last one private to its owner (on Unix).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

#[async_trait::async_trait]
impl TokenStore for FileTokenStore {
    async fn access(&self, key: &str) -> Result<Option<Token>, Error> {
        Ok(lock(&self.entries).access.get(key).cloned())
    }

    async fn put_access(&self, key: &str, token: &Token) -> Result<(), Error> {
        let change = Change::Access {
            key: key.to_owned(),
            value: token.value.expose().to_owned(),
            expires_at: token.expires_at,
        };
        self.record(change).await
    }

    async fn remove_access_if(&self, key: &str, value: &Secret) -> Result<bool, Error> {
        if !lock(&self.entries).access.get(key).is_some_and(|t| &t.value == value) {
            return Ok(false);
        }
        self.record(Change::RemoveAccessIf { key: key.to_owned(), value: value.expose().to_owned() }).await?;
        Ok(true)
    }

    async fn durable(&self, key: &str) -> Result<Option<Durable>, Error> {
        Ok(lock(&self.entries).durable.get(key).cloned())
    }

    async fn put_durable(&self, key: &str, value: &Durable) -> Result<(), Error> {
        let change = Change::Durable {
            key: key.to_owned(),
            value: value.value.expose().to_owned(),
            expires_at: value.expires_at,
        };
        self.record(change).await
    }

    async fn remove(&self, key: &str) -> Result<(), Error> {
        self.record(Change::Remove { key: key.to_owned() }).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(value: &str, expires_at: u64) -> Token {
        Token { value: Secret::new(value), expires_at }
    }

    #[tokio::test]
    async fn changes_survive_a_reopen_and_other_processes_see_them() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::open(dir.path()).unwrap();
        store.put_access("wechat:component:wx1", &token("t1", 100)).await.unwrap();
        store.put_durable("wechat:ticket:wx1", &Durable::new("ticket@@@1", Some(200))).await.unwrap();
        store.put_durable("ads:1:20000001", &Durable::new("refresh", None)).await.unwrap();
        store.put_access("ads:1:20000001", &token("a1", 300)).await.unwrap();
        store.remove("ads:1:20000001").await.unwrap();

        // A second store on the same directory (another `tx` process) sees every change, and
        // its writes interleave with the first's without loss.
        let other = FileTokenStore::open(dir.path()).unwrap();
        assert_eq!(other.access("wechat:component:wx1").await.unwrap(), Some(token("t1", 100)));
        assert_eq!(other.durable("wechat:ticket:wx1").await.unwrap(), Some(Durable::new("ticket@@@1", Some(200))));
        assert_eq!(other.durable("ads:1:20000001").await.unwrap(), None);
        assert_eq!(other.access("ads:1:20000001").await.unwrap(), None);
        other.put_durable("refresh:a", &Durable::new("r-a", None)).await.unwrap();
        store.put_durable("refresh:b", &Durable::new("r-b", None)).await.unwrap();
        let third = FileTokenStore::open(dir.path()).unwrap();
        assert!(
            third.durable("refresh:a").await.unwrap().is_some() && third.durable("refresh:b").await.unwrap().is_some()
        );
    }

    #[tokio::test]
    async fn compare_and_remove_removes_only_the_token_that_failed() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::open(dir.path()).unwrap();
        store.put_access("k", &token("old", 100)).await.unwrap();
        let other = FileTokenStore::open(dir.path()).unwrap();
        other.put_access("k", &token("new", 200)).await.unwrap();
        // This process still holds "old" and removes it; replayed in order, the other
        // process's "new" survives.
        assert!(store.remove_access_if("k", &Secret::new("old")).await.unwrap());
        assert!(!store.remove_access_if("k", &Secret::new("other")).await.unwrap());
        let reopened = FileTokenStore::open(dir.path()).unwrap();
        assert_eq!(reopened.access("k").await.unwrap(), Some(token("new", 200)));
    }

    #[tokio::test]
    async fn a_long_journal_is_compacted_and_a_torn_line_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let store = FileTokenStore::open(dir.path()).unwrap();
        for i in 0..200 {
            store.put_access("k", &token(&format!("t{i}"), i)).await.unwrap();
        }
        let mut file = OpenOptions::new().append(true).open(store.path()).unwrap();
        file.write_all(b"{\"op\":\"access\",\"key\":\"k\",\"val").unwrap();
        let lines = |p: &Path| std::fs::read_to_string(p).unwrap().lines().count();
        assert_eq!(lines(store.path()), 201);
        let reopened = FileTokenStore::open(dir.path()).unwrap();
        assert_eq!(reopened.access("k").await.unwrap(), Some(token("t199", 199)));
        assert_eq!(lines(reopened.path()), 1, "compacted to its one live entry");
        reopened.put_access("j", &token("x", 1)).await.unwrap();
        assert_eq!(lines(reopened.path()), 2);
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn the_file_and_its_directory_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("state");
        let store = FileTokenStore::open(&dir).unwrap();
        store.put_access("k", &token("secret-value", 1)).await.unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!((mode(&dir), mode(store.path())), (0o700, 0o600));
        let shown = format!("{store:?}");
        assert!(!shown.contains("secret-value") && shown.contains("access: 1"), "{shown}");
    }
}
