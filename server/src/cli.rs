//! The `server` command line: `serve` (default), `migrate`, `create-admin`, `seed-demo`,
//! `export`, `backup`, `restore`.
//! Every command reads the same configuration (defaults → config.toml → environment).

use crate::config::Config;
use app::accounts::model::Role;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "server", about = "Nền tảng thi trực tuyến cải cách hành chính Hải Phòng")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web application and the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create an administrator account. Without --password a random one is generated and printed once.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Quản trị hệ thống")]
        name: String,
        #[arg(long, env = "ADMIN_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Seed the unit tree, one demo account per role, the demo questions and a demo contest whose
    /// closed round has N simulated entries (keeps existing data).
    SeedDemo {
        #[arg(long, default_value_t = 1000)]
        participants: usize,
    },
    /// A consistent copy of the database while the platform runs (SQLite: VACUUM INTO;
    /// PostgreSQL: pg_dump, custom format). Entry files are copied with their store (README).
    Backup {
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Put a backup into an empty database (DATABASE_URL), then apply newer migrations.
    Restore {
        #[arg(long)]
        input: std::path::PathBuf,
    },
    /// Write data out for other tools.
    Export {
        #[command(subcommand)]
        what: Export,
    },
}

#[derive(Subcommand)]
pub enum Export {
    /// A round's ranking: rank, account_id, unit_code, score, prediction, prediction_gap,
    /// time_taken_ms, submitted_at (ISO 8601, +07:00), prize, full_name, unit_name.
    Results {
        #[arg(long)]
        round: i64,
        #[arg(long, default_value = "csv")]
        format: String,
        /// A file to write; standard output without it.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// Participation of a contest: one row per unit and round (unit_code, unit_name,
    /// parent_code, block, round_id, eligible, participated, rate, source), frozen figures for
    /// closed rounds.
    Participation {
        #[arg(long)]
        contest: i64,
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
    /// An award competition's judging: one row per entry and stage (entry_id, code, title,
    /// genre, pool, stage, judge_count, mean_score, final_score, rank, prize).
    Judging {
        #[arg(long)]
        competition: i64,
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

/// The binary's whole work: logs, the command line, a runtime, the command. It lives in the
/// library, not in `main.rs`, because a future awaited in the binary crate is compiled again,
/// whole and optimised, in that crate: with `main` async, the release build spent three
/// minutes compiling the binary's 16 lines.
pub fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into()))
        .json()
        .with_current_span(true)
        .init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("the async runtime starts");
    match runtime.block_on(run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("Lỗi: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load()?;
    tracing::debug!(?config, "configuration loaded");
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let db = crate::connect(&config).await?;
            let (router, state) = crate::build_app(&config, db).await?;
            crate::serve(&config, router, state).await
        }
        Command::Backup { output } => {
            let started = std::time::Instant::now();
            let kind = crate::backup::backup(&config.database_url, &output).await?;
            let size = std::fs::metadata(&output)?.len();
            println!("Đã sao lưu ({kind:?}) vào {} — {size} byte, {:.1} s.", output.display(), started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Restore { input } => {
            let started = std::time::Instant::now();
            crate::backup::restore(&config.database_url, &input).await?;
            println!("Đã khôi phục {} vào cơ sở dữ liệu trống — {:.1} s.", input.display(), started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Migrate => {
            let db = app::infra::db::Db::connect(&config.database_url, 2).await?;
            db.migrate().await?;
            println!("Đã cập nhật cấu trúc cơ sở dữ liệu ({}).", db.backend.name());
            Ok(())
        }
        Command::CreateAdmin { email, name, password } => {
            let state = offline_state(&config).await?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(crate::seed::random_password);
            let id = app::accounts::service::create_staff_account(&state, &name, &email, password.clone(), &[(Role::Admin, None), (Role::Participant, None)])
                .await
                .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            println!("Đã tạo tài khoản quản trị #{id}: {email}");
            if generated {
                println!("Mật khẩu (chỉ hiển thị một lần): {password}");
            }
            Ok(())
        }
        Command::Export { what } => {
            let (format, output) = match &what {
                Export::Results { format, output, .. } | Export::Participation { format, output, .. } | Export::Judging { format, output, .. } => (format.clone(), output.clone()),
            };
            if format != "csv" {
                anyhow::bail!("định dạng không hỗ trợ: {format} (chỉ có csv)");
            }
            let state = offline_state(&config).await?;
            let csv = match what {
                Export::Results { round, .. } => app::rounds::export::export_csv(&state, round, app::cells::Headers::Codes).await,
                Export::Participation { contest, .. } => app::participation::service::export_csv(&state, contest, app::cells::Headers::Codes).await,
                Export::Judging { competition, .. } => app::awards::export::judging_csv(&state, competition, app::cells::Headers::Codes).await,
            }
            .map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            match output {
                Some(path) => std::fs::write(&path, csv)?,
                // A closed pipe (`| head`) is the reader's choice, not a failure.
                None => match std::io::Write::write_all(&mut std::io::stdout(), csv.as_bytes()) {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
                    _ => {}
                },
            }
            Ok(())
        }
        Command::SeedDemo { participants } => {
            let state = offline_state(&config).await?;
            let units = crate::seed::seed_units(&state).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            if units.created > 0 {
                println!("Đã tạo {} đơn vị (thành phố, sở ban ngành, xã phường đặc khu).", units.created);
            }
            let accounts = crate::seed::seed_demo_accounts(&state).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            let questions = crate::seed::seed_demo_questions(&state).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            if questions > 0 {
                println!("Đã thêm {questions} câu hỏi mẫu vào ngân hàng câu hỏi.");
            }
            let demo = crate::seed_contest::seed_demo_contest(&state, participants).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            if demo.created {
                println!("Đã tạo cuộc thi mẫu #{} với các đợt {:?}; hai đợt đầu đã kết thúc với {} bài dự thi mô phỏng của {participants} cán bộ trong danh sách các đơn vị.", demo.contest_id, demo.round_ids, demo.simulated);
            } else {
                println!("Cuộc thi mẫu đã có: #{} (đợt {:?}).", demo.contest_id, demo.round_ids);
            }
            println!("contest_id={} round_ids={}", demo.contest_id, demo.round_ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","));
            let (award, created) = crate::seed_awards::seed_demo_award(&state).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            if created {
                println!("Đã tạo giải báo chí mẫu #{award}: tác phẩm, giám khảo, chấm sơ khảo và chung khảo, Hội đồng điều chỉnh cơ cấu giải, đã công bố.");
            }
            println!("award_competition_id={award}");
            let (open_award, created) = crate::seed_awards::seed_open_award(&state).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            if created {
                println!("Đã tạo giải mẫu #{open_award} đang nhận tác phẩm (hạn nộp sau 30 ngày): hãy thử gửi một tác phẩm.");
            }
            let (public_round, created) = crate::seed_public::seed_public_round(&state).await.map_err(|e| anyhow::anyhow!("{}", describe(&e)))?;
            if created {
                println!("Đã tạo đợt thi #{public_round} dành cho người dân (đang mở): đăng ký tại /dang-ky-cong-dan.");
            }
            println!("public_round_id={public_round}");
            if accounts.is_empty() {
                println!("Dữ liệu mẫu đã có sẵn; mật khẩu các tài khoản mẫu đã được in ở lần chạy đầu.");
            } else {
                println!("\nTài khoản mẫu (mật khẩu chỉ hiển thị một lần):");
                for a in accounts {
                    println!("  {:<12} {:<36} {}", app::codes::Code::code(a.role), a.email, a.password);
                }
                println!();
            }
            Ok(())
        }
    }
}

/// The state for CLI commands that use the service layer without serving HTTP.
async fn offline_state(config: &Config) -> anyhow::Result<app::infra::state::AppState> {
    let db = app::infra::db::Db::connect(&config.database_url, 2).await?;
    db.migrate().await?;
    crate::app_state(config, db, app::infra::report_lane::ReportLane::inline())
}

fn describe(err: &app::error::AppError) -> String {
    use app::i18n::{Lang, t};
    match err.field_errors() {
        Some(fields) => fields.iter().map(|(f, k)| format!("{f}: {}", t(Lang::Vi, k))).collect::<Vec<_>>().join("; "),
        None => t(Lang::Vi, err.message_key()),
    }
}
