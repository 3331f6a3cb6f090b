# syntax=docker/dockerfile:1
# Images for the recorder daemon and the Letta simulator, built from this repository.
#   docker build --target recorder -t letta-stream-recorder .
#   docker build --target letta-sim -t letta-sim .
# Base images are build args, defaulting to the public Temurin images; where no registry is reachable,
# bin/lib/docker-ci.sh builds a local JDK image and passes it as both (LSR_JDK_IMAGE):
#   docker build --build-arg BUILD_IMAGE=lsr-local/jdk:... --build-arg RUNTIME_IMAGE=lsr-local/jdk:... ...

ARG BUILD_IMAGE=eclipse-temurin:25-jdk
ARG RUNTIME_IMAGE=eclipse-temurin:25-jre

FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY letta-fixtures letta-fixtures
COPY chunk-log chunk-log
COPY kernel kernel
COPY settings settings
COPY observability observability
COPY embedded-kafka embedded-kafka
COPY kafka-test-harness kafka-test-harness
COPY letta-sim letta-sim
COPY recorder recorder
COPY consumer consumer
COPY replay replay
COPY viewer viewer
COPY app app
COPY bench bench
RUN ./mvnw -B -ntp -q package -DskipTests -pl app,letta-sim -am

FROM ${RUNTIME_IMAGE} AS runtime
RUN useradd --system --uid 10001 --home-dir /app lsr && mkdir -p /app /data && chown lsr /app /data
WORKDIR /app
USER lsr

FROM runtime AS letta-sim
COPY --from=build /src/letta-sim/target/letta-sim-*-all.jar /app/letta-sim.jar
EXPOSE 8283
ENTRYPOINT ["java", "-jar", "/app/letta-sim.jar"]
CMD ["--host", "0.0.0.0", "--port", "8283"]

FROM runtime AS recorder
COPY --from=build /src/app/target/app-*-recorder.jar /app/recorder.jar
COPY --from=build /src/app/target/app-*-consumer.jar /app/consumer.jar
# /app/java.args: the JVM options for this image's Java, on Java 25+ with a startup (AOT) cache made by a
# training run of the demo; --build-arg STARTUP_CACHE=off builds without it. See docker/recorder/java-args.sh.
ARG STARTUP_CACHE=on
COPY docker/recorder/java-args.sh /tmp/java-args.sh
RUN sh /tmp/java-args.sh "$STARTUP_CACHE"
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "@/app/java.args", "-jar", "/app/recorder.jar"]
