//! `casebook serve [--store DIR] [--addr 127.0.0.1:7878] [--token T] [--keep-pii]`: the case
//! library in a browser and the JSON API (see `casebook::serve`). Runs until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;

use anyhow::Context;

use casebook::serve::{self, security, Options};

use super::args::LibraryArgs;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub(super) library: LibraryArgs,
    /// Address to listen on. Anything but loopback needs --token.
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: SocketAddr,
    /// Access token (16 characters or more): every request must send `Authorization: Bearer T`.
    #[arg(long, env = "CASEBOOK_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Show the names, addresses and phone numbers the store holds (off: the KB's redaction).
    #[arg(long)]
    keep_pii: bool,
    /// Largest request body in bytes (bigger ones get 413).
    #[arg(long, default_value_t = serve::MAX_BODY_BYTES)]
    max_body: usize,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    // Refuse before touching the store or the network.
    security::check_bind(&args.addr, args.token.as_deref())?;
    let (config, mut store) = args.library.open()?;
    // Search and suggest expand queries with the thesaurus, as `casebook search` does.
    store.set_thesaurus(casebook::index::Thesaurus::with_config(&config.search));
    let options = Options {
        token: args.token,
        keep_pii: args.keep_pii,
        max_body: args.max_body,
        ..Options::new(args.addr)
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .with_context(|| format!("listening on {}", options.addr))?;
        let local = listener.local_addr()?;
        let options = Options {
            addr: local,
            ..options
        };
        // The first stderr line names the real address (port 0 picks a free one).
        eprintln!(
            "casebook: serving {} on http://{local}/",
            store.dir.display()
        );
        serve::run(store, config, options, listener, shutdown()).await?;
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
