# syntax=docker/dockerfile:1

# Build: a static binary (pure-Go SQLite driver, so no cgo needed).
FROM golang:1.26-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOTOOLCHAIN=local
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -trimpath -ldflags="-s -w" -o /dakflow ./cmd/dakflow

# Runtime: a small Debian with CA roots and the zone database (dates are shown in WIB).
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 dakflow \
 && useradd --system --uid 10001 --gid dakflow --home-dir /var/lib/dakflow --shell /usr/sbin/nologin dakflow \
 && install -d -o dakflow -g dakflow -m 0750 /var/lib/dakflow
COPY --from=build /dakflow /usr/local/bin/dakflow

ENV DAKFLOW_ADDR=:8080 \
    DAKFLOW_DATA_DIR=/var/lib/dakflow \
    DAKFLOW_DATABASE_URL=sqlite:/var/lib/dakflow/dakflow.db
VOLUME ["/var/lib/dakflow"]
WORKDIR /var/lib/dakflow
USER dakflow:dakflow
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/dakflow"]
CMD ["serve"]
