# The GitLab gateway's image: a JRE and the gateway's jars, no Flink. Build from the repository root after
# `mvn -B package -DskipTests` (which fills gateway/target/lib):
#   docker build -f deploy/kubernetes/gateway.Dockerfile -t registry.example.com/eventstream/gateway:0.1.0 .
# Not built on the project's machines (no Docker there); checked structurally by deploy/tests.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 gateway
COPY gateway/target/lib/ /opt/gateway/lib/
COPY gateway/target/eventstream-gateway-0.1.0-SNAPSHOT.jar /opt/gateway/lib/eventstream-gateway.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dlog4j2.configurationFile=log4j2-gateway.xml", \
            "-cp", "/opt/gateway/lib/*", "io.eventstream.gateway.GatewayMain"]
CMD ["--config", "/etc/eventstream/gateway.yaml"]
