//! Several app nodes on one PostgreSQL behind nginx, started with the shipped configuration
//! (`deploy/nginx/haiphong-cchc.conf`: only its node addresses, ports and paths are replaced by
//! this run's own). The `cluster` scenario checks what a city relies on when it runs two nodes;
//! `round --nodes N` measures the round benchmark through the proxy (see `cluster_checks`).
//!
//! nginx runs as its own process tree under a temporary folder (`nginx -p DIR -c nginx.conf`,
//! not daemonised), TLS with a certificate made by `openssl` for the run, HTTP/2 on.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The shipped proxy configuration, read at run time so an edit of the file is what runs.
const SHIPPED_CONF: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/nginx/haiphong-cchc.conf");

pub struct ClusterArgs {
    pub nodes: usize,
    pub nginx: String,
    /// The built browser site (`target/site`), served by nginx from `pkg/` as in production.
    pub site: String,
}

impl Default for ClusterArgs {
    fn default() -> Self {
        ClusterArgs { nodes: 0, nginx: "/usr/sbin/nginx".into(), site: "target/site".into() }
    }
}

struct Node {
    port: u16,
    child: Option<Child>,
    log: PathBuf,
}

pub struct Cluster {
    dir: PathBuf,
    server: String,
    database_url: String,
    site: String,
    nodes: Vec<Node>,
    nginx: Child,
    /// `https://127.0.0.1:PORT`: the proxy, as people reach the platform.
    pub base: String,
    /// The proxy's plain-HTTP port (it only redirects to HTTPS).
    pub http_port: u16,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An HTTPS client for the run's own certificate (made for this run, trusted by nobody else).
pub fn client() -> reqwest13::Client {
    reqwest13::Client::builder().tls_danger_accept_invalid_certs(true).timeout(Duration::from_secs(30)).build().unwrap()
}

/// The shipped configuration with this run's addresses: each replaced text must be there, so a
/// change to the shipped file that this test does not follow fails loudly instead of testing
/// something else.
fn site_config(node_ports: &[u16], https_port: u16, http_port: u16, dir: &Path, site: &str) -> String {
    let mut conf = std::fs::read_to_string(SHIPPED_CONF).expect("deploy/nginx/haiphong-cchc.conf");
    let mut replace = |from: &str, to: &str| {
        assert!(conf.contains(from), "deploy/nginx/haiphong-cchc.conf no longer contains {from:?}: update tests/bench/cluster.rs");
        conf = conf.replace(from, to);
    };
    let upstream: String = node_ports.iter().map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=2s;\n")).collect();
    replace("    server 127.0.0.1:3001 max_fails=1 fail_timeout=2s;\n    server 127.0.0.1:3002 max_fails=1 fail_timeout=2s;\n", &upstream);
    replace("listen 443 ssl http2;", &format!("listen 127.0.0.1:{https_port} ssl http2;"));
    replace("listen 80;", &format!("listen 127.0.0.1:{http_port};"));
    replace("/etc/ssl/haiphong-cchc/fullchain.pem", &dir.join("cert.pem").display().to_string());
    replace("/etc/ssl/haiphong-cchc/privkey.pem", &dir.join("key.pem").display().to_string());
    let pkg = std::fs::canonicalize(site).map(|p| p.join("pkg")).unwrap_or_else(|_| PathBuf::from(site).join("pkg"));
    replace("/srv/haiphong-cchc/site/pkg/", &format!("{}/", pkg.display()));
    conf
}

/// The main file Debian's /etc/nginx/nginx.conf would be, for a process of our own.
fn main_config(dir: &Path) -> String {
    let d = dir.display();
    let brotli = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so";
    let load = if Path::new(brotli).exists() { format!("load_module {brotli};") } else { String::new() };
    format!(
        "{load}\nworker_processes 2;\npid {d}/nginx.pid;\nerror_log {d}/error.log warn;\ndaemon off;\nevents {{ worker_connections 8192; }}\n\
         http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n  access_log {d}/access.log;\n  \
         client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
         include {d}/site.conf;\n}}\n"
    )
}

impl Cluster {
    /// Starts `nodes` app nodes on `database_url` (already migrated) and nginx in front of them;
    /// returns when every node is ready and the proxy answers.
    pub async fn start(server: &str, database_url: &str, args: &ClusterArgs) -> Cluster {
        let dir = std::env::temp_dir().join(format!("hp-cluster-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        // nginx's workers run as an unprivileged user when started by root: they read the
        // certificate and write their temporary files here.
        let _ = Command::new("chmod").arg("0755").arg(&dir).status();
        let made = Command::new("openssl")
            .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout"])
            .arg(dir.join("key.pem"))
            .arg("-out")
            .arg(dir.join("cert.pem"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl (Debian package openssl)");
        assert!(made.success(), "openssl could not make the test certificate");
        let _ = Command::new("chmod").arg("0644").arg(dir.join("key.pem")).status();
        let nodes: Vec<Node> = (0..args.nodes).map(|i| Node { port: free_port(), child: None, log: dir.join(format!("node{i}.log")) }).collect();
        let (https_port, http_port) = (free_port(), free_port());
        let ports: Vec<u16> = nodes.iter().map(|n| n.port).collect();
        std::fs::write(dir.join("site.conf"), site_config(&ports, https_port, http_port, &dir, &args.site)).unwrap();
        std::fs::write(dir.join("nginx.conf"), main_config(&dir)).unwrap();
        let tested = Command::new(&args.nginx).arg("-t").arg("-p").arg(&dir).arg("-c").arg(dir.join("nginx.conf")).output().expect("nginx (Debian package nginx)");
        assert!(tested.status.success(), "nginx -t refused the configuration: {}", String::from_utf8_lossy(&tested.stderr));
        let nginx = Command::new(&args.nginx).arg("-p").arg(&dir).arg("-c").arg(dir.join("nginx.conf")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("start nginx");
        let mut cluster = Cluster {
            dir,
            server: server.to_string(),
            database_url: database_url.to_string(),
            site: args.site.clone(),
            nodes,
            nginx,
            base: format!("https://127.0.0.1:{https_port}"),
            http_port,
        };
        for i in 0..cluster.nodes.len() {
            cluster.start_node(i).await;
        }
        wait_for(&format!("{}/readyz", cluster.base)).await;
        cluster
    }

    /// `http://127.0.0.1:PORT` of node `i`, bypassing the proxy.
    pub fn node_url(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.nodes[i].port)
    }

    pub fn node_log(&self, i: usize) -> String {
        std::fs::read_to_string(&self.nodes[i].log).unwrap_or_default()
    }

    /// Starts node `i` and waits until it is ready (database reachable, migrations current).
    pub async fn start_node(&mut self, i: usize) {
        let node = &mut self.nodes[i];
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&node.log).unwrap();
        let child = Command::new(&self.server)
            .arg("serve")
            .env("DATABASE_URL", &self.database_url)
            .env("APP_BIND", format!("127.0.0.1:{}", node.port))
            .env("APP_PUBLIC_URL", &self.base)
            .env("APP_CLIENT_IP_HEADER", "x-forwarded-for")
            .env("APP_SITE_ROOT", &self.site)
            .env("APP_FILES_DIR", self.dir.join("files"))
            .env("APP_MAX_CONNECTIONS", "16")
            .env("RUST_LOG", "info")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("the server binary (--server PATH)");
        node.child = Some(child);
        wait_for(&format!("http://127.0.0.1:{}/readyz", node.port)).await;
    }

    /// SIGKILL: the node vanishes mid-request, as when its machine loses power.
    pub fn kill_node(&mut self, i: usize) {
        if let Some(mut child) = self.nodes[i].child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    /// SIGTERM, as systemd sends on a restart, then waits for the node to finish and exit.
    /// Returns how long the node took to drain.
    pub async fn stop_node(&mut self, i: usize) -> Duration {
        let Some(mut child) = self.nodes[i].child.take() else { return Duration::ZERO };
        let t = Instant::now();
        Command::new("kill").arg("-TERM").arg(child.id().to_string()).status().unwrap();
        let status = tokio::task::spawn_blocking(move || child.wait().unwrap()).await.unwrap();
        assert!(status.success(), "node {i} exited with {status} after SIGTERM");
        t.elapsed()
    }

    /// The proxy's error log (a request it could not place shows there).
    pub fn proxy_errors(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for node in &mut self.nodes {
            if let Some(child) = node.child.as_mut() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
        let _ = Command::new("kill").arg("-QUIT").arg(self.nginx.id().to_string()).status();
        let _ = self.nginx.wait();
        if std::env::var_os("KEEP_CLUSTER_DIR").is_none() {
            let _ = std::fs::remove_dir_all(&self.dir);
        } else {
            println!("cluster folder kept: {}", self.dir.display());
        }
    }
}

async fn wait_for(url: &str) {
    let http = client();
    let until = Instant::now() + Duration::from_secs(60);
    while Instant::now() < until {
        if http.get(url).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{url} did not answer within 60 s");
}
