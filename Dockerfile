# syntax=docker/dockerfile:1
# Build: docker build -t stretchbot .
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The same build line CI runs (.ci/build), so this cannot silently rot.
RUN .ci/build /out/stretchbot

FROM gcr.io/distroless/static-debian12:nonroot
# Time zone data is compiled into the binary (time/tzdata); no OS files needed.
COPY --from=build /out/stretchbot /stretchbot
VOLUME /data
ENV STRETCHBOT_DB=/data/stretchbot.db \
    STRETCHBOT_HTTP=:9090
EXPOSE 9090
USER nonroot:nonroot
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["/stretchbot", "health", "--addr", "127.0.0.1:9090"]
ENTRYPOINT ["/stretchbot"]
CMD ["run"]
