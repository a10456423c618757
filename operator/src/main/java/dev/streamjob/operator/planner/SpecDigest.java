package dev.streamjob.operator.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.streamjob.operator.api.v1alpha1.StreamJobSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * A hash of the spec fields whose change needs a new run: everything except the fields the
 * planner looks at on their own (parallelism, state, the nonces) and the fields that only say
 * how to carry state over or manage savepoints ({@link #EXCLUDED}).
 */
public final class SpecDigest {

    /** Spec fields (JSON paths under {@code spec}) left out of the digest. */
    public static final List<String> EXCLUDED = List.of(
            "job.parallelism", "job.state", "job.upgradeMode", "job.allowNonRestoredState",
            "job.initialSavepointPath", "job.restartNonce", "job.savepointTriggerNonce", "savepoints", "recovery", "kafkaSources", "autoscaler");

    private SpecDigest() {
    }

    /** The first 16 hex characters of the SHA-256 of the spec's canonical JSON, without {@link #EXCLUDED}. */
    public static String of(StreamJobSpec spec) {
        JsonNode tree = Serialization.jsonMapper().valueToTree(spec);
        for (String path : EXCLUDED) {
            remove(tree, path);
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] hash = digest.digest(canonical(tree).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    private static void remove(JsonNode tree, String path) {
        String[] parts = path.split("\\.");
        JsonNode node = tree;
        for (int i = 0; i < parts.length - 1 && node != null; i++) {
            node = node.get(parts[i]);
        }
        if (node instanceof ObjectNode object) {
            object.remove(parts[parts.length - 1]);
        }
    }

    /** JSON with object fields sorted by name and nulls dropped, so equal specs give equal text. */
    static String canonical(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, String> fields = new TreeMap<>();
            for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
                String name = names.next();
                JsonNode value = node.get(name);
                if (!value.isNull()) {
                    fields.put(name, canonical(value));
                }
            }
            StringBuilder out = new StringBuilder("{");
            fields.forEach((k, v) -> out.append(Serialization.asJson(k)).append(':').append(v).append(','));
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            node.forEach(item -> out.append(canonical(item)).append(','));
            return out.append(']').toString();
        }
        return node.toString();
    }
}
