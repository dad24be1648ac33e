# Setubashi production image: built by `fly deploy` (multi-stage; the runtime image has only the
# server binary and the site). DATABASE_URL comes from the managed PostgreSQL as a secret.
FROM rust:1.95-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY scripts ./scripts
# cargo-leptos, wasm-bindgen-cli and the wasm target, from crates.io
RUN scripts/install-tools.sh run
# wasm-opt for the release wasm: npm's binaryen (Debian's 108 writes wasm that fails to hydrate)
RUN npm install -g binaryen@132
COPY . .
RUN cargo leptos build --release

FROM debian:bookworm-slim AS runtime
# mecab-ipadic: the sources from which the server builds its Japanese dictionary on first start
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates mecab-ipadic fonts-ipaexfont fonts-lohit-deva && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app setubashi && mkdir -p /data && chown setubashi /data
WORKDIR /app
COPY --from=build /src/target/release/server /app/server
# the hashed names of the site's files (cargo-leptos' hash-files), read from beside the binary
COPY --from=build /src/target/release/hash.txt /app/hash.txt
COPY --from=build /src/target/site /app/site
ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:8080 \
    SETUBASHI_ADDR=0.0.0.0:8080 \
    SETUBASHI_DATA_DIR=/data \
    SETUBASHI_SECURE_COOKIES=true \
    SETUBASHI_CLIENT_IP_HEADER=Fly-Client-IP \
    RUST_LOG=info
USER setubashi
EXPOSE 8080
CMD ["/app/server", "serve", "--no-demo"]
