package dev.streamjob.operator.kafka;

import dev.streamjob.operator.api.v1alpha1.KafkaLag.TopicLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The lag read with kafka-clients' Admin API: the topics' partitions ({@code describeTopics}), the
 * group's committed offsets ({@code listConsumerGroupOffsets}) and the partitions' start and end
 * offsets ({@code listOffsets}). One short-lived Admin client per reading; every call bounded by
 * {@code streamjob.kafka.request-timeout} ({@link KafkaLagReaderProducer}).
 */
public class AdminKafkaLagReader implements KafkaLagReader {

    private final Duration requestTimeout;

    /** A reader whose every Admin call is bounded by {@code requestTimeout}. */
    public AdminKafkaLagReader(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    @Override
    public List<TopicLag> read(KafkaLogin login, String consumerGroup, List<String> topics) throws KafkaLagException {
        long timeout = requestTimeout.toMillis();
        Admin admin;
        try {
            admin = Admin.create(login.adminProperties(timeout));
        } catch (KafkaException e) {
            throw new KafkaLagException("cannot create a Kafka client for " + login.bootstrapServers() + ": "
                    + e.getMessage(), e);
        }
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                    .get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            described.values().forEach(d -> d.partitions().forEach(p -> {
                latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
            }));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(consumerGroup)
                    .partitionsToOffsetAndMetadata().get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(timeout, TimeUnit.MILLISECONDS);
            Map<TopicPartition, ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                    .get(timeout, TimeUnit.MILLISECONDS);
            List<TopicLag> lags = new ArrayList<>();
            for (String topic : topics) {
                TopicDescription d = described.get(topic);
                long records = 0;
                long endOffsets = 0;
                long committedOffsets = 0;
                for (var p : d.partitions()) {
                    TopicPartition tp = new TopicPartition(topic, p.partition());
                    OffsetAndMetadata c = committed.get(tp);
                    long from = c != null ? c.offset() : starts.get(tp).offset();
                    long end = ends.get(tp).offset();
                    records += Math.max(0, end - from);
                    endOffsets += end;
                    committedOffsets += from;
                }
                lags.add(new TopicLag(consumerGroup, topic, d.partitions().size(), records, endOffsets, committedOffsets));
            }
            return lags;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KafkaLagException("reading the lag of group " + consumerGroup + " from " + login.bootstrapServers()
                    + " failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new KafkaLagException("no answer from Kafka at " + login.bootstrapServers() + " within "
                    + timeout + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaLagException("interrupted reading the lag from " + login.bootstrapServers(), e);
        } finally {
            admin.close(Duration.ofSeconds(1));
        }
    }
}
