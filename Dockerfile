# syntax=docker/dockerfile:1
# Build stage: CI's Maven command (.ci/run, "mvn -B verify": tests included, checked by DeployFilesTest), so an
# image is only ever built from a tree that passes. For a quick local image: --build-arg MAVEN_EXTRA_ARGS=-DskipTests
FROM maven:3.9-eclipse-temurin-17 AS build
# The Prometheus integration test needs Debian/Ubuntu's prometheus package (prometheus + promtool), as in CI.
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
# Everything the tests read (schemas, deploy files, .ci/run, the Dockerfile itself); .dockerignore keeps build
# outputs and local data out.
COPY . .
ARG MAVEN_EXTRA_ARGS=""
RUN mvn -B verify ${MAVEN_EXTRA_ARGS}

# Run stage: a JRE only, non-root (numeric uid, so Kubernetes' runAsNonRoot can verify it).
FROM eclipse-temurin:17-jre
RUN apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --gid 0 --home-dir /var/lib/ganstream ganstream \
    && mkdir -p /var/lib/ganstream && chown 10001:0 /var/lib/ganstream && chmod 0770 /var/lib/ganstream
COPY --from=build /src/target/ganstream.jar /opt/ganstream/ganstream.jar
COPY schemas /opt/ganstream/schemas
# JavaCPP unpacks ND4J's and OpenBLAS's native libraries (~400 MB) into its cache on their first use: done here,
# once, at build time (the warm-up command loads ND4J and exits), so a container's first start finds them there.
# JavaCPP needs the cache writable, else it unpacks into a fresh one: owned by the service's uid, group 0 writable.
ENV GANSTREAM_NATIVE_CACHE=/opt/ganstream/native-cache
RUN mkdir -p /opt/ganstream/native-cache && chown 10001:0 /opt/ganstream/native-cache \
    && chmod 0770 /opt/ganstream/native-cache
USER 10001
WORKDIR /opt/ganstream
RUN umask 0007 && java -jar /opt/ganstream/ganstream.jar warm-up
# Memory: the container limit is shared by the heap and memory the heap does not see: ND4J's buffers (JavaCPP,
# off-heap), RocksDB of the Kafka Streams stores, Kafka client buffers, metaspace and thread stacks. So the heap
# gets 50% of the limit and JavaCPP's tracked allocations are capped at 1 GiB (beyond it ND4J throws an
# OutOfMemoryError instead of the kernel killing the process); maxPhysicalBytes=0 turns off JavaCPP's RSS read on
# every native allocation (measured costly, see engine/Dl4j) and leaves the RSS bound to the container limit.
# With the 4 GiB limit of deploy/k8s: 2 GiB heap + at most 1 GiB ND4J + 1 GiB for the rest.
ENV GANSTREAM_DATA_DIR=/var/lib/ganstream \
    GANSTREAM_SCHEMAS_DIR=/opt/ganstream/schemas/datasets \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -Dorg.bytedeco.javacpp.maxBytes=1g -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"
VOLUME /var/lib/ganstream
EXPOSE 8080 9092
HEALTHCHECK --interval=15s --timeout=3s --start-period=90s --retries=4 \
    CMD curl -fsS http://localhost:8080/health/readiness >/dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/opt/ganstream/ganstream.jar"]
CMD ["serve"]
