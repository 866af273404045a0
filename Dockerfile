# Two-stage image: build with the Swift toolchain, run on a slim Debian as a non-root user.
#
# There is no Docker engine on the project's machines, so this file is checked by review, not by CI. Its steps
# are the README's on purpose, so what the tests exercise is what the image runs:
#   build  = scripts/install-deps.sh's packages + `swift build -c release --product ganlab` (scripts/run.sh) with the
#            toolchain the tests run on (Swift 6.3), plus --static-swift-stdlib, so the runtime image needs no toolchain.
#            Package.swift names the test targets, so SwiftPM needs Tests/ to read the manifest (nothing in it is built);
#            Package.resolved is not committed here, so the build resolves the versions Package.swift allows;
#   run    = `ganlab serve --public Public` (scripts/run.sh) with --host 0.0.0.0 (a container's interface),
#            --data-dir /data (docs/run-format.md §2) and the committed pretrained runs.
#
#   docker build -t ganlab .
#   docker run -p 127.0.0.1:8080:8080 -v ganlab-data:/data ganlab
# Reached by any other name than localhost/127.0.0.1 (the host's network address for a classroom, a domain behind a
# proxy), the server answers 421 unless it is told that name: arguments after the image are added to `serve`, so
#   docker run -p 8080:8080 -v ganlab-data:/data ganlab --allow-host 192.168.1.20 --allow-host lab.school.example
FROM swift:6.3-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopenblas-dev libssl-dev zlib1g-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product ganlab --static-swift-stdlib \
 && mkdir -p /out && cp "$(swift build -c release --show-bin-path)/ganlab" /out/

FROM debian:bookworm-slim
# Runtime libraries only: OpenBLAS, libcrypto (SHA-1/SHA-256), zlib (permessage-deflate); curl for HEALTHCHECK.
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopenblas0-pthread libssl3 zlib1g ca-certificates curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 10001 ganlab \
 && mkdir -p /data && chown ganlab:ganlab /data
WORKDIR /app
COPY --from=build /out/ganlab /app/ganlab
COPY Public /app/Public
COPY Pretrained /app/Pretrained
USER ganlab
# Saved runs live here (one CODE.ganrun per run); mount a volume so they outlive the container.
VOLUME /data
EXPOSE 8080
# /healthz answers 200 with "status":"ok" or "degraded" (e.g. a full /data: runs kept in memory, saves retried).
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/healthz >/dev/null || exit 1
# 0.0.0.0 inside the container; publish with `docker run -p 127.0.0.1:8080:8080 ...`. SIGTERM (docker stop) saves every run.
# Add `--allow-host NAME` after the image name for every name or address people use to reach it (see the top), else 421.
ENTRYPOINT ["/app/ganlab", "serve", "--host", "0.0.0.0", "--port", "8080", "--public", "/app/Public", "--data-dir", "/data"]
