//! `server`: the web server and the administration CLI in one binary (see `server::cli`).

fn main() -> std::process::ExitCode {
    server::cli::main()
}
