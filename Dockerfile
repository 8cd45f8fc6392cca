# syntax=docker/dockerfile:1
# Multi-stage build of the ror server: a static binary (pure-Go SQLite, no cgo) on a distroless,
# non-root base. Not exercised by CI (no Docker engine there); see README.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/ror ./cmd/ror

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/ror /usr/local/bin/ror
# The embedded store lives in /data (mount a volume there); with ROR_MONGODB_URI it is unused.
ENV ROR_LISTEN=0.0.0.0:8080 \
    ROR_DATA_DIR=/data
VOLUME ["/data"]
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/ror"]
CMD ["serve"]
