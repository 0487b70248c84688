//! The `server` binary as an operator runs it: its commands, a migration of a fresh database,
//! and a clear refusal for what does not exist. (Building this test also builds the binary the
//! crash test and the browser tests start, in the same `cargo test` as everything else.)

use std::process::Command;

fn server() -> Command {
    Command::new(env!("CARGO_BIN_EXE_server"))
}

#[test]
fn help_lists_every_command() {
    let out = server().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for command in ["serve", "migrate", "create-admin", "seed-demo", "export"] {
        assert!(help.contains(command), "{command} missing from:\n{help}");
    }
}

#[test]
fn migrates_a_fresh_database_and_refuses_an_unknown_round() {
    let dir = std::env::temp_dir().join(format!("hp_cli_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("cli.db").display());
    let migrate = server().current_dir(&dir).arg("migrate").env("DATABASE_URL", &url).env("APP_FILES_DIR", dir.join("files")).output().unwrap();
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    assert!(dir.join("cli.db").exists());
    let export = server().current_dir(&dir).args(["export", "results", "--round", "999"]).env("DATABASE_URL", &url).env("APP_FILES_DIR", dir.join("files")).output().unwrap();
    assert!(!export.status.success(), "a round that does not exist cannot be exported");
    let said = String::from_utf8_lossy(&export.stderr).to_string() + &String::from_utf8_lossy(&export.stdout);
    assert!(!said.trim().is_empty(), "the refusal says why");
    let _ = std::fs::remove_dir_all(&dir);
}
