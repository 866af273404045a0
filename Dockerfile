# Two-stage image: build with the Swift toolchain, run on a slim Debian as a non-root user.
# (No Docker engine runs on our dev machines, so this file is checked by review, not by CI.)
FROM swift:6.1-bookworm AS build
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopenblas-dev libssl-dev pkg-config && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --product ganlab --static-swift-stdlib \
 && mkdir -p /out && cp "$(swift build -c release --show-bin-path)/ganlab" /out/

FROM debian:bookworm-slim
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libopenblas0-pthread libssl3 ca-certificates && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --uid 10001 ganlab
WORKDIR /app
COPY --from=build /out/ganlab /app/ganlab
COPY Public /app/Public
USER ganlab
EXPOSE 8080
# 0.0.0.0 inside the container; publish with `docker run -p 127.0.0.1:8080:8080 ...`.
ENTRYPOINT ["/app/ganlab", "serve", "--host", "0.0.0.0", "--port", "8080", "--public", "/app/Public"]
