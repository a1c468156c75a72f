# syntax=docker/dockerfile:1
# Build stage: the same Maven command as the README and CI (tests are CI's job; the image build skips them).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline || true
COPY src src
COPY schemas schemas
RUN mvn -B -DskipTests package

# Run stage: a slim JRE, non-root.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 --home-dir /var/lib/ganstream ganstream \
    && mkdir -p /var/lib/ganstream && chown ganstream /var/lib/ganstream
COPY --from=build /src/target/ganstream.jar /opt/ganstream/ganstream.jar
COPY schemas /opt/ganstream/schemas
USER ganstream
WORKDIR /opt/ganstream
ENV GANSTREAM_DATA_DIR=/var/lib/ganstream \
    GANSTREAM_SCHEMAS_DIR=/opt/ganstream/schemas/datasets \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 9092
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s \
    CMD wget -qO- http://localhost:8080/health/readiness >/dev/null || exit 1
ENTRYPOINT ["java", "-jar", "/opt/ganstream/ganstream.jar"]
CMD ["serve"]
