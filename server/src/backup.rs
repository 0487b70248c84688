//! `server backup --output FILE` and `server restore --input FILE`: a consistent copy of the
//! database while the platform runs, and putting it back into an empty database.
//!
//! SQLite: `VACUUM INTO`, which copies one read snapshot (writers go on meanwhile; in WAL mode
//! they are not blocked) into a new, compact database file. PostgreSQL: `pg_dump` in its custom
//! format (one repeatable-read snapshot), restored with `pg_restore` in one transaction. Either
//! way the copy is written beside the output under a temporary name and renamed when complete,
//! so an interrupted backup never leaves a file that looks whole.
//!
//! Entry files are not in the database: the README ("Backups") says how to copy them with their
//! store, after the database backup, so every file the copy refers to is present.

use anyhow::{Context, bail};
use app::infra::db::{Backend, Db};
use std::path::{Path, PathBuf};

/// What a backup file holds, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    Sqlite,
    PostgresDump,
}

pub fn kind_of(head: &[u8]) -> Option<BackupKind> {
    if head.starts_with(b"SQLite format 3\0") {
        Some(BackupKind::Sqlite)
    } else if head.starts_with(b"PGDMP") {
        Some(BackupKind::PostgresDump)
    } else {
        None
    }
}

fn partial_path(output: &Path) -> PathBuf {
    let mut name = output.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    output.with_file_name(name)
}

/// Copies the database at `database_url` into `output` (which must not exist yet).
pub async fn backup(database_url: &str, output: &Path) -> anyhow::Result<BackupKind> {
    if output.exists() {
        bail!("{} đã tồn tại: chọn tên tệp khác để không ghi đè bản sao lưu cũ", output.display());
    }
    let partial = partial_path(output);
    let _ = std::fs::remove_file(&partial);
    let kind = match backend_of(database_url)? {
        Backend::Sqlite => {
            let db = Db::connect(database_url, 1).await?;
            let target = partial.to_str().context("the output path is not valid UTF-8")?;
            sqlx::query("VACUUM INTO $1").bind(target).execute(&db.pool).await.context("VACUUM INTO")?;
            db.pool.close().await;
            BackupKind::Sqlite
        }
        Backend::Postgres => {
            let mut dump = tool("pg_dump")?;
            dump.args(["--format=custom", "--no-owner", "--no-privileges", "--file"]).arg(&partial).arg(format!("--dbname={database_url}"));
            let status = run(dump).await?;
            if !status.success() {
                let _ = std::fs::remove_file(&partial);
                bail!("pg_dump thất bại ({status})");
            }
            BackupKind::PostgresDump
        }
    };
    std::fs::rename(&partial, output)?;
    Ok(kind)
}

/// Puts a backup into the database at `database_url`, which must be empty, then applies any
/// migrations newer than the backup.
pub async fn restore(database_url: &str, input: &Path) -> anyhow::Result<()> {
    let mut head = [0u8; 16];
    let n = std::io::Read::read(&mut std::fs::File::open(input).with_context(|| format!("mở {}", input.display()))?, &mut head)?;
    let kind = kind_of(&head[..n]).with_context(|| format!("{} không phải bản sao lưu của nền tảng (SQLite hoặc pg_dump)", input.display()))?;
    match (backend_of(database_url)?, kind) {
        (Backend::Sqlite, BackupKind::Sqlite) => {
            let path = sqlite_path(database_url)?;
            if path.exists() && std::fs::metadata(&path)?.len() > 0 {
                let db = Db::connect(database_url, 1).await?;
                let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetch_one(&db.pool).await?;
                db.pool.close().await;
                if tables > 0 {
                    bail!("{} không trống ({tables} bảng): khôi phục chỉ vào cơ sở dữ liệu trống", path.display());
                }
            }
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            let partial = partial_path(&path);
            std::fs::copy(input, &partial)?;
            std::fs::rename(&partial, &path)?;
        }
        (Backend::Postgres, BackupKind::PostgresDump) => {
            let db = Db::connect(database_url, 1).await?;
            let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'").fetch_one(&db.pool).await?;
            db.pool.close().await;
            if tables > 0 {
                bail!("cơ sở dữ liệu đích không trống ({tables} bảng): khôi phục chỉ vào cơ sở dữ liệu trống");
            }
            let mut load = tool("pg_restore")?;
            load.args(["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]).arg(format!("--dbname={database_url}")).arg(input);
            let status = run(load).await?;
            if !status.success() {
                bail!("pg_restore thất bại ({status}); cơ sở dữ liệu đích không bị thay đổi");
            }
        }
        (backend, kind) => bail!("bản sao lưu {kind:?} không khôi phục được vào {}: dùng cùng loại cơ sở dữ liệu", backend.name()),
    }
    let db = Db::connect(database_url, 1).await?;
    db.migrate().await?;
    app::counters::rebuild_if_missing(&db).await?;
    db.pool.close().await;
    Ok(())
}

fn backend_of(database_url: &str) -> anyhow::Result<Backend> {
    Backend::from_url(database_url).context("DATABASE_URL must start with sqlite: or postgres:")
}

/// `sqlite://PATH?…` → PATH.
fn sqlite_path(database_url: &str) -> anyhow::Result<PathBuf> {
    let rest = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:")).context("not a SQLite URL")?;
    Ok(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

/// A PostgreSQL client tool, or a clear message that it is missing.
fn tool(name: &str) -> anyhow::Result<std::process::Command> {
    let found = std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()));
    if !found {
        bail!("{name} không có trên máy này: cài gói postgresql-client (Debian: apt install postgresql-client), cùng phiên bản chính với máy chủ PostgreSQL");
    }
    Ok(std::process::Command::new(name))
}

/// Runs a client tool off the async threads (a dump takes minutes on a large city).
async fn run(mut command: std::process::Command) -> anyhow::Result<std::process::ExitStatus> {
    Ok(tokio::task::spawn_blocking(move || command.status()).await??)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_are_told_apart_by_their_first_bytes() {
        assert_eq!(kind_of(b"SQLite format 3\0rest"), Some(BackupKind::Sqlite));
        assert_eq!(kind_of(b"PGDMP\x01\x0e"), Some(BackupKind::PostgresDump));
        assert_eq!(kind_of(b"PK\x03\x04"), None);
        assert_eq!(kind_of(b""), None);
    }

    #[test]
    fn sqlite_paths_come_out_of_urls() {
        assert_eq!(sqlite_path("sqlite://data/x.db?mode=rwc").unwrap(), PathBuf::from("data/x.db"));
        assert_eq!(sqlite_path("sqlite:///tmp/y.db").unwrap(), PathBuf::from("/tmp/y.db"));
        assert!(sqlite_path("postgres://h/db").is_err());
    }
}
