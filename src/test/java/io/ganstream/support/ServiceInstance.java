package io.ganstream.support;

import io.ganstream.kafka.KafkaConnection;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;

import java.net.URL;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A running ganstream service for tests, on the shared broker, with its own data directory. */
public final class ServiceInstance implements AutoCloseable {
    private final EmbeddedServer server;
    private final HttpClient client;

    private ServiceInstance(EmbeddedServer server) {
        this.server = server;
        this.client = HttpClient.create(server.getURL());
    }

    /**
     * @param applicationId Kafka Streams application id (instances sharing it form one group)
     * @param dataDir       local state directory
     */
    public static ServiceInstance start(String applicationId, Path dataDir, Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("ganstream.kafka.bootstrap-servers", SharedKafkaBroker.bootstrapServers());
        props.put("ganstream.kafka.application-id", applicationId);
        props.put("ganstream.kafka.commit-interval-ms", 100);
        props.put("ganstream.data-dir", dataDir.toString());
        props.put("ganstream.schemas-dir", dataDir.resolve("no-schemas").toString());
        props.put("ganstream.max-record-bytes", 2048);
        // Tests share one broker: each instance serves only its own datasets (named after its application id).
        props.put("ganstream.datasets", applicationId.replaceAll("-app$", "") + "[a-z0-9_-]*");
        props.putAll(extra);
        ApplicationContext ctx = ApplicationContext.run(props);
        return new ServiceInstance(ctx.getBean(EmbeddedServer.class).start());
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public Map<String, Object> kafka() {
        return context().getBean(KafkaConnection.class).clientProperties();
    }

    public BlockingHttpClient http() {
        return client.toBlocking();
    }

    public URL url() {
        return server.getURL();
    }

    @Override
    public void close() {
        client.close();
        server.getApplicationContext().close();
    }
}
