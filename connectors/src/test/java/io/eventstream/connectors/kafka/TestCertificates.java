package io.eventstream.connectors.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate for 127.0.0.1 and localhost made with the JDK's {@code keytool} (the
 * way an operator makes one), in PKCS12 key and trust stores under a directory; for TLS listeners of
 * test servers (Kafka, Redis). Valid for two days.
 *
 * @param keyStore      PKCS12 with the private key and certificate (alias {@code server})
 * @param trustStore    PKCS12 with the certificate only
 * @param certificate   the certificate, PEM
 * @param password      password of both stores and of the key; random per instance
 */
public record TestCertificates(Path keyStore, Path trustStore, Path certificate, String password) {

    /** Makes the stores under {@code dir}. */
    public static TestCertificates create(Path dir) {
        String password = "store-" + UUID.randomUUID();
        Path keyStore = dir.resolve("server.p12");
        Path trustStore = dir.resolve("truststore.p12");
        Path certificate = dir.resolve("server.crt");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password,
                "-keypass",
                password);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                password,
                "-file",
                certificate.toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "server",
                "-file",
                certificate.toString(),
                "-keystore",
                trustStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                password);
        return new TestCertificates(keyStore, trustStore, certificate, password);
    }

    /** The stores as a SASL_SSL listener setting of {@link LocalKafkaBroker}. */
    public LocalKafkaBroker.SaslSsl saslSsl() {
        return new LocalKafkaBroker.SaslSsl(keyStore, trustStore, password);
    }

    private static void keytool(String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
