//! `cargo xtask man [DIR]`: the `tx` man pages (`tx.1` and one page per subcommand, e.g.
//! `tx-tim-blocklist-add.1`), generated from the command's definition with `clap_mangen`.

use std::path::{Path, PathBuf};

pub fn run(dir: Option<PathBuf>) -> Result<(), String> {
    let dir = dir.unwrap_or_else(|| crate::process::root().join("target/man"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut command = tx_cli::command();
    command.build();
    let mut written = 0;
    write_pages(&command, "tx", &dir, &mut written)?;
    eprintln!("xtask: {written} man pages in {} (try: man {}/tx.1)", dir.display(), dir.display());
    Ok(())
}

/// Writes `command`'s page as `name.1`, then its subcommands' as `name-sub.1`.
fn write_pages(command: &clap::Command, name: &str, dir: &Path, written: &mut usize) -> Result<(), String> {
    // `build` gave every subcommand its display name (`tx-tim-blocklist-add`), which the
    // page's title and NAME section use.
    let mut bytes = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut bytes).map_err(|e| format!("cannot render {name}: {e}"))?;
    let path = dir.join(format!("{name}.1"));
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    *written += 1;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        write_pages(sub, &format!("{name}-{}", sub.get_name()), dir, written)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_gets_a_page() {
        let dir = std::env::temp_dir().join(format!("tx-man-{}", std::process::id()));
        super::run(Some(dir.clone())).unwrap();
        let page = std::fs::read_to_string(dir.join("tx-tim-blocklist-add.1")).unwrap();
        assert!(page.contains("tx\\-tim\\-blocklist\\-add") && page.contains("\\-\\-from\\-file"), "{page}");
        for name in ["tx.1", "tx-wechat-ams-category-ensure.1", "tx-ads-watermark-add.1", "tx-usersig-verify.1"] {
            assert!(dir.join(name).is_file(), "{name}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
