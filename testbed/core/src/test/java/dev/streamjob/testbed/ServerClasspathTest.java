package dev.streamjob.testbed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Guards the child-JVM classpaths against the platform BOMs: the servers must run with the
 * versions the parent POM asks for and with their own dependency versions.
 */
class ServerClasspathTest {

    @Test
    void kafkaServerUsesTheRequestedKafkaVersionThroughout() throws IOException {
        String version = versions().getProperty("kafka.version");
        String classpath = ChildJvm.classpath("kafka-server");
        assertTrue(classpath.contains("/kafka_2.13-" + version + ".jar"), classpath);
        assertTrue(classpath.contains("/kafka-clients-" + version + ".jar"),
                "kafka-clients must not be pinned by the Quarkus BOM: " + classpath);
        assertTrue(classpath.contains("/log4j-slf4j-impl-"), "the broker needs an SLF4J binding: " + classpath);
    }

    @Test
    void s3ServerUsesTheRequestedS3ProxyVersion() throws IOException {
        String classpath = ChildJvm.classpath("s3-server");
        assertTrue(classpath.contains("/s3proxy-" + versions().getProperty("s3proxy.version") + ".jar"), classpath);
    }

    @Test
    void serversStayOffThisClasspath() {
        String classpath = System.getProperty("java.class.path");
        assertTrue(!classpath.contains("kafka_2.13") && !classpath.contains("s3proxy"), classpath);
    }

    private static Properties versions() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = ServerClasspathTest.class.getResourceAsStream("/testbed-versions.properties")) {
            properties.load(in);
        }
        return properties;
    }
}
