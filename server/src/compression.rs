//! Compressed answers, in the encoding the browser asks for (`Accept-Encoding`).
//!
//! Two kinds of answer, compressed two ways (the levels measured in BENCHMARKS.md, "Compressed
//! as the browser asks"):
//! - pages and API answers are new each time: compressed as they go out, at [`PER_RESPONSE`].
//!   For brotli that is tower-http's own default (quality 4, as nginx's); for gzip it is level
//!   4 rather than 6, 40% less time for 1% more bytes on this app's pages;
//! - the site's files under `/pkg/` (the wasm, the JavaScript, the CSS) are the same bytes for
//!   every visitor while the server runs: each is compressed once at brotli's and gzip's best
//!   (quality 11 takes a hundred times quality 4's time, for a fifth fewer bytes) and kept in
//!   memory ([`SiteFiles`]). The first request for a file starts that in the background and
//!   is answered at the per-response level meanwhile.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Brotli quality 4 and gzip level 4, for every answer as it goes out.
pub const PER_RESPONSE: CompressionLevel = CompressionLevel::Precise(4);

/// Compression of what the handlers answer, as they answer it.
pub fn per_response_layer() -> CompressionLayer {
    CompressionLayer::new().quality(PER_RESPONSE)
}

/// Files smaller than this are not worth a second copy.
const MIN_BYTES: u64 = 1024;

/// The encodings a site file is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        })
    }
}

/// The encoding to answer in, from an `Accept-Encoding` header: brotli when accepted, else
/// gzip, else none. A coding with `q=0` is refused; `*` accepts both.
pub fn preferred(accept_encoding: &str) -> Option<Encoding> {
    let (mut brotli, mut gzip, mut any) = (None, None, None);
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let accepted = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .next_back()
            .is_none_or(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
        match coding.as_str() {
            "br" => brotli = Some(accepted),
            "gzip" | "x-gzip" => gzip = Some(accepted),
            "*" => any = Some(accepted),
            _ => {}
        }
    }
    if brotli.or(any).unwrap_or(false) {
        Some(Encoding::Brotli)
    } else if gzip.or(any).unwrap_or(false) {
        Some(Encoding::Gzip)
    } else {
        None
    }
}

/// One site file, compressed both ways at the best levels.
#[derive(Debug)]
struct Compressed {
    /// The file as it was when compressed: a build that replaces it is noticed.
    modified: Option<SystemTime>,
    len: u64,
    content_type: HeaderValue,
    brotli: Bytes,
    gzip: Bytes,
}

#[derive(Debug)]
enum Kept {
    /// Being compressed (by the first request's background task).
    Compressing,
    Ready(Arc<Compressed>),
}

/// The site's files under `/pkg/`, each compressed once and kept for as long as the file on
/// disk is unchanged. Bounded by the build: only files found in the directory are kept.
#[derive(Debug)]
pub struct SiteFiles {
    /// `site_root/site_pkg_dir`.
    dir: PathBuf,
    /// The URL path's prefix, `/pkg/`.
    prefix: String,
    kept: Mutex<HashMap<String, Kept>>,
}

impl SiteFiles {
    pub fn new(site_root: &str, site_pkg_dir: &str) -> Self {
        Self {
            dir: Path::new(site_root).join(site_pkg_dir),
            prefix: format!("/{}/", site_pkg_dir.trim_matches('/')),
            kept: Mutex::default(),
        }
    }

    /// The file's name under the directory, if `path` names one directly (never a path that
    /// climbs out or hides in a subdirectory).
    fn file_name<'a>(&self, path: &'a str) -> Option<&'a str> {
        let name = path.strip_prefix(&self.prefix)?;
        let plain = !name.is_empty()
            && !name.starts_with('.')
            && !name.contains(['/', '\\', '%'])
            && name
                .rsplit_once('.')
                .is_some_and(|(_, ext)| worth_compressing(ext));
        plain.then_some(name)
    }

    /// The kept copy of `name` when it is ready and still the file on disk; otherwise starts
    /// compressing it (once) and answers `None`.
    fn ready(self: &Arc<Self>, name: &str) -> Option<Arc<Compressed>> {
        let file = self.dir.join(name);
        let metadata = std::fs::metadata(&file).ok().filter(|m| m.is_file())?;
        if metadata.len() < MIN_BYTES {
            return None;
        }
        let modified = metadata.modified().ok();
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        match kept.get(name) {
            Some(Kept::Ready(c)) if c.modified == modified && c.len == metadata.len() => {
                return Some(Arc::clone(c))
            }
            Some(Kept::Compressing) => return None,
            _ => {}
        }
        kept.insert(name.to_owned(), Kept::Compressing);
        drop(kept);
        let (files, name) = (Arc::clone(self), name.to_owned());
        tokio::task::spawn_blocking(move || {
            let done = compress_file(&file);
            let mut kept = files.kept.lock().unwrap_or_else(|p| p.into_inner());
            match done {
                Ok(c) => {
                    kept.insert(name, Kept::Ready(Arc::new(c)));
                }
                Err(err) => {
                    tracing::warn!(file = %file.display(), error = %err, "site file not compressed");
                    kept.remove(&name);
                }
            }
        });
        None
    }
}

fn worth_compressing(extension: &str) -> bool {
    matches!(
        extension,
        "wasm" | "js" | "mjs" | "css" | "svg" | "json" | "html" | "txt" | "map"
    )
}

fn compress_file(file: &Path) -> std::io::Result<Compressed> {
    let metadata = std::fs::metadata(file)?;
    let raw = std::fs::read(file)?;
    let content_type = mime_guess::from_path(file).first_raw().map_or(
        HeaderValue::from_static("application/octet-stream"),
        HeaderValue::from_static,
    );
    Ok(Compressed {
        modified: metadata.modified().ok(),
        len: metadata.len(),
        content_type,
        brotli: Bytes::from(brotli_best(&raw)?),
        gzip: Bytes::from(gzip_best(&raw)?),
    })
}

/// Brotli at quality 11.
pub fn brotli_best(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    compress_brotli(raw, 11)
}

/// Brotli at `quality` (0-11).
pub fn compress_brotli(raw: &[u8], quality: u32) -> std::io::Result<Vec<u8>> {
    let out = Vec::with_capacity(raw.len() / 3);
    let mut writer = brotli::CompressorWriter::new(out, 64 * 1024, quality, 22);
    writer.write_all(raw)?;
    // ends the stream
    Ok(writer.into_inner())
}

/// gzip at level 9.
pub fn gzip_best(raw: &[u8]) -> std::io::Result<Vec<u8>> {
    compress_gzip(raw, 9)
}

/// gzip at `level` (0-9).
pub fn compress_gzip(raw: &[u8], level: u32) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(raw.len() / 3),
        flate2::Compression::new(level),
    );
    encoder.write_all(raw)?;
    encoder.finish()
}

/// Answers a GET for a site file from its kept compressed copy, when there is one and the
/// browser accepts its encoding; everything else goes on to the router (and a site file not
/// yet kept is compressed by the per-response layer, as before).
pub async fn kept_site_files(
    State(files): State<Arc<SiteFiles>>,
    request: Request,
    next: Next,
) -> Response {
    let whole_read = matches!(*request.method(), Method::GET | Method::HEAD)
        && !request.headers().contains_key(header::RANGE);
    let kept = whole_read
        .then(|| files.file_name(request.uri().path()))
        .flatten()
        .zip(accepted(request.headers()))
        .and_then(|(name, encoding)| Some((encoding, files.ready(name)?)));
    match kept {
        Some((encoding, compressed)) => answer(encoding, &compressed),
        None => next.run(request).await,
    }
}

fn accepted(headers: &HeaderMap) -> Option<Encoding> {
    preferred(headers.get(header::ACCEPT_ENCODING)?.to_str().ok()?)
}

fn answer(encoding: Encoding, compressed: &Compressed) -> Response {
    let body = match encoding {
        Encoding::Brotli => compressed.brotli.clone(),
        Encoding::Gzip => compressed.gzip.clone(),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = StatusCode::OK;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, compressed.content_type.clone());
    headers.insert(header::CONTENT_ENCODING, encoding.header_value());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_is_preferred_and_a_refused_coding_is_never_chosen() {
        assert_eq!(preferred("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(preferred("gzip, deflate"), Some(Encoding::Gzip));
        assert_eq!(preferred("br;q=0, gzip;q=0.5"), Some(Encoding::Gzip));
        assert_eq!(preferred("br;q=0, gzip;q=0"), None);
        assert_eq!(preferred("identity"), None);
        assert_eq!(preferred(""), None);
        assert_eq!(preferred("*"), Some(Encoding::Brotli));
        // a coding named with q=0 is refused even where "*" accepts the rest
        assert_eq!(preferred("br;q=0, *"), Some(Encoding::Gzip));
        assert_eq!(preferred("BR"), Some(Encoding::Brotli));
        assert_eq!(preferred("gzip;q=nonsense"), None);
        assert_eq!(preferred("x-gzip"), Some(Encoding::Gzip));
    }

    #[test]
    fn only_files_directly_in_the_directory_are_kept() {
        let files = SiteFiles::new("target/site", "pkg");
        assert_eq!(files.file_name("/pkg/app-1a2b.wasm"), Some("app-1a2b.wasm"));
        assert_eq!(files.file_name("/pkg/app.css"), Some("app.css"));
        for refused in [
            "/pkg/../secret.js",
            "/pkg/sub/app.js",
            "/pkg/.hidden.js",
            "/pkg/%2e%2e%2fsecret.js",
            "/pkg/",
            "/pkg/photo.png",
            "/favicon.ico",
            "/pkgx/app.js",
        ] {
            assert_eq!(files.file_name(refused), None, "{refused}");
        }
    }

    fn page_of(lines: u32, word: &str) -> Vec<u8> {
        (0..lines)
            .flat_map(|i| format!("<li>{word} {}</li>\n", i % 97).into_bytes())
            .collect()
    }

    fn unbrotli(bytes: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut back = Vec::new();
        brotli::Decompressor::new(bytes, 4096)
            .read_to_end(&mut back)
            .unwrap();
        back
    }

    /// Through a router as the server's (the kept files in front of the directory, the
    /// per-response layer around both): the first answer is compressed as it goes out, later
    /// ones are the kept best copy, and a file replaced on disk is never answered from the
    /// old copy.
    #[tokio::test]
    async fn a_site_file_is_compressed_once_at_the_best_level_and_follows_the_file() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("pkg")).unwrap();
        let file = site.path().join("pkg/app-1a2b.js");
        let first = page_of(3_000, "engineer");
        std::fs::write(&file, &first).unwrap();
        let files = Arc::new(SiteFiles::new(site.path().to_str().unwrap(), "pkg"));
        let router = axum::Router::new()
            .fallback_service(tower_http::services::ServeDir::new(site.path()))
            .layer(axum::middleware::from_fn_with_state(files, kept_site_files))
            .layer(per_response_layer());
        let best = brotli_best(&first).unwrap();
        let (headers, on_the_fly) = ask(&router, "gzip, deflate, br").await;
        assert_eq!(headers[header::CONTENT_ENCODING], "br");
        assert!(headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("javascript"));
        assert_eq!(unbrotli(&on_the_fly), first);
        assert_ne!(
            on_the_fly, best,
            "the first answer cannot have waited for the best copy"
        );
        let kept = answered_in_time(&router, "gzip, deflate, br", &best).await;
        assert_eq!(kept, best, "the best copy is answered once ready");

        // a new build replaces the file under the same name (a build without hashed names):
        // never the old copy, and the new one kept in its turn (gzip for a browser without br)
        let second = page_of(4_000, "recruiter");
        std::fs::write(&file, &second).unwrap();
        let (_, after) = ask(&router, "gzip, deflate, br").await;
        assert_eq!(unbrotli(&after), second);
        let best_gzip = gzip_best(&second).unwrap();
        let kept = answered_in_time(&router, "gzip, deflate", &best_gzip).await;
        assert_eq!(kept, best_gzip);

        // asked for neither: the file itself
        let (headers, plain) = ask(&router, "identity").await;
        assert!(!headers.contains_key(header::CONTENT_ENCODING));
        assert_eq!(plain, second);
    }

    /// Asks `router` for the test's site file in `encoding`: the answer's headers and body.
    async fn ask(router: &axum::Router, encoding: &str) -> (HeaderMap, Bytes) {
        use tower::ServiceExt;
        let response = router
            .clone()
            .oneshot(
                axum::http::Request::get("/pkg/app-1a2b.js")
                    .header(header::ACCEPT_ENCODING, encoding)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (headers, body)
    }

    /// Asks until the answer is `expected` (the background compression done), for 4 s at most;
    /// the last answer.
    async fn answered_in_time(router: &axum::Router, encoding: &str, expected: &[u8]) -> Bytes {
        let mut answer = Bytes::new();
        for _ in 0..200 {
            answer = ask(router, encoding).await.1;
            if answer == expected {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        answer
    }

    #[test]
    fn the_best_levels_decompress_to_the_file() {
        use std::io::Read;
        let raw: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("<li>engineer {}</li>", i % 97).into_bytes())
            .collect();
        let brotli = brotli_best(&raw).unwrap();
        assert_eq!(unbrotli(&brotli), raw);
        let gzip = gzip_best(&raw).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, raw);
        assert!(brotli.len() < raw.len() / 10 && gzip.len() < raw.len() / 5);
    }
}
