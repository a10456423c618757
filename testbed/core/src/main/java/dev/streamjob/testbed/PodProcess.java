package dev.streamjob.testbed;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretEnvSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One container of a pod run as a local process, standing in for the kubelet in integration
 * tests: the operator's Deployment (or Pod) is built as in production, then each container runs
 * here on 127.0.0.1 instead of in a cluster.
 *
 * <p>What is translated, following the kubelet:
 * <ul>
 *   <li>{@code command} (or the image entrypoint given with {@link Builder#imageEntrypoint}) and
 *       {@code args}, with {@code $(VAR)} expanded from the container's environment;</li>
 *   <li>{@code envFrom} (ConfigMaps and Secrets, with {@code prefix}) then {@code env}, in order,
 *       each {@code value} expanded against the variables defined before it;
 *       {@code valueFrom.secretKeyRef} and {@code configMapKeyRef} from the given objects
 *       (Secret {@code data} is base64), {@code fieldRef} ({@code metadata.name},
 *       {@code metadata.namespace}, {@code metadata.uid}, {@code metadata.labels['k']},
 *       {@code metadata.annotations['k']}, {@code spec.nodeName},
 *       {@code spec.serviceAccountName}, {@code status.podIP}, {@code status.podIPs},
 *       {@code status.hostIP}; every IP is {@value #POD_IP}) and {@code resourceFieldRef}
 *       (limits and requests, with {@code divisor}, rounded up);</li>
 *   <li>{@code volumeMounts} of {@code configMap} and {@code secret} volumes materialized as
 *       files ({@code items}, {@code defaultMode} and {@code mode}, {@code optional}), of
 *       {@code emptyDir} as an empty directory, of {@code hostPath} as that path; a mount's
 *       {@code subPath} / {@code subPathExpr} selects a file or directory inside the volume;</li>
 *   <li>{@code terminationMessagePath} mapped to a local file, read by
 *       {@link #terminationMessage()} with the {@code terminationMessagePolicy};</li>
 *   <li>{@code workingDir}, and {@code terminationGracePeriodSeconds} for {@link #close()}.</li>
 * </ul>
 *
 * <p>A path mapping ({@link Builder#mapPath}, for example {@code /opt/flink} to a local runtime
 * directory standing in for the image), extended by every mount path and the termination
 * message path, rewrites container paths in the command, the arguments and the container's
 * environment values. It rewrites strings only: a program that derives a path by itself (say
 * {@code $FLINK_HOME/conf}) sees the local directory behind the mapping, not a mount over it.
 *
 * <p>The environment starts from a small image-like base ({@code PATH}, {@code HOME},
 * {@code JAVA_HOME} of this JVM, {@code LANG=C.UTF-8}, {@code HOSTNAME} = pod name), not from
 * this JVM's environment. Stdout and stderr go to {@link #logFile()}; stdin is empty.
 */
public final class PodProcess implements AutoCloseable {

    /** The pod IP, host IP and every other address a container sees for its pod. */
    public static final String POD_IP = "127.0.0.1";

    /** Kubernetes' default {@code terminationMessagePath}. */
    public static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

    /** The most the kubelet reads of a termination message file, in bytes. */
    public static final int TERMINATION_MESSAGE_MAX_BYTES = 4096;

    private static final int FALLBACK_LOG_MAX_LINES = 80;
    private static final int FALLBACK_LOG_MAX_BYTES = 2048;
    private static final long DEFAULT_GRACE_SECONDS = 30;

    private final Launch launch;
    private final Process process;
    private final Duration gracePeriod;
    private final String terminationMessagePolicy;
    private final ScratchDirectory ownedDirectory;

    private PodProcess(Launch launch, Process process, Duration gracePeriod, String terminationMessagePolicy,
            ScratchDirectory ownedDirectory) {
        this.launch = launch;
        this.process = process;
        this.gracePeriod = gracePeriod;
        this.terminationMessagePolicy = terminationMessagePolicy;
        this.ownedDirectory = ownedDirectory;
    }

    /**
     * A builder for container {@code containerName} of {@code pod}.
     *
     * @throws IllegalArgumentException if the pod has no such container (init containers included)
     */
    public static Builder builder(Pod pod, String containerName) {
        return new Builder(pod.getMetadata(), pod.getSpec(), containerName);
    }

    /**
     * A builder for container {@code containerName} of a pod template, such as
     * {@code deployment.getSpec().getTemplate()}; set the pod's name with {@link Builder#podName}.
     *
     * @throws IllegalArgumentException if the template has no such container
     */
    public static Builder builder(PodTemplateSpec template, String containerName) {
        return new Builder(template.getMetadata(), template.getSpec(), containerName);
    }

    /**
     * The translated container, as it is (or would be) started.
     *
     * @param command the executable and its arguments: expanded, path-mapped, extra args appended
     * @param environment the complete process environment
     * @param workingDirectory the process's working directory
     * @param mounts each mount path to the local file or directory standing for it
     * @param terminationMessageFile the local file behind {@code terminationMessagePath}
     * @param logFile the file receiving stdout and stderr
     */
    public record Launch(List<String> command, Map<String, String> environment, Path workingDirectory,
            Map<String, Path> mounts, Path terminationMessageFile, Path logFile) {

        /** Copies the collections, so a launch cannot change after it is made. */
        public Launch {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
            mounts = Map.copyOf(mounts);
        }
    }

    /** The translated container this process was started from. */
    public Launch launch() {
        return launch;
    }

    /** The operating system process id. */
    public long pid() {
        return process.pid();
    }

    /** True while the process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * The exit code once the process has exited, empty while it runs. A process ended by a signal
     * reports 128 + the signal number (137 after SIGKILL, 143 after SIGTERM), as Kubernetes does.
     */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /**
     * Waits up to {@code timeout} for the process to exit.
     *
     * @return the exit code, or empty if it still runs
     */
    public OptionalInt waitFor(Duration timeout) {
        try {
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode();
    }

    /** The file receiving the process's stdout and stderr. */
    public Path logFile() {
        return launch.logFile();
    }

    /**
     * The whole log so far (UTF-8).
     *
     * @throws UncheckedIOException if the file cannot be read
     */
    public String log() {
        try {
            return Files.readString(launch.logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The termination message as the kubelet reports it: the first
     * {@value #TERMINATION_MESSAGE_MAX_BYTES} bytes of the file at
     * {@code terminationMessagePath}; with policy {@code FallbackToLogsOnError}, when that file
     * is empty and the process exited non-zero, the end of the log (at most
     * {@value #FALLBACK_LOG_MAX_LINES} lines and {@value #FALLBACK_LOG_MAX_BYTES} bytes).
     * Empty if there is none.
     *
     * @throws UncheckedIOException if the files cannot be read
     */
    public String terminationMessage() {
        String message = new String(readAtMost(launch.terminationMessageFile(), TERMINATION_MESSAGE_MAX_BYTES),
                StandardCharsets.UTF_8);
        boolean failed = exitCode().orElse(0) != 0;
        if (message.isEmpty() && failed && "FallbackToLogsOnError".equals(terminationMessagePolicy)) {
            return logTail();
        }
        return message;
    }

    /** SIGKILL to the process and its descendants, as an OOM kill or a node failure would; waits for the exit. */
    public void kill() {
        ChildProcesses.kill(process);
    }

    /**
     * Stops the process as the kubelet stops a container: SIGTERM, then SIGKILL (to it and its
     * descendants) after the pod's {@code terminationGracePeriodSeconds} (default 30 s, or
     * {@link Builder#gracePeriod}). Deletes the files directory if the builder created it.
     */
    @Override
    public void close() {
        if (process.isAlive()) {
            ChildProcesses.stop(process, gracePeriod);
        } else {
            ChildProcesses.unregister(process);
        }
        if (ownedDirectory != null) {
            ownedDirectory.close();
        }
    }

    private String logTail() {
        List<String> lines = Arrays.asList(log().split("\n", -1));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - FALLBACK_LOG_MAX_LINES),
                lines.size()));
        byte[] bytes = tail.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= FALLBACK_LOG_MAX_BYTES) {
            return tail;
        }
        return new String(bytes, bytes.length - FALLBACK_LOG_MAX_BYTES, FALLBACK_LOG_MAX_BYTES,
                StandardCharsets.UTF_8);
    }

    private static byte[] readAtMost(Path file, int maxBytes) {
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Collects what the kubelet would get from the API server (Secrets, ConfigMaps) and from the
     * image (entrypoint, environment, files), then {@link #prepare()}s or {@link #start()}s the
     * container.
     */
    public static final class Builder {

        private static final Pattern LABEL_FIELD = Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
        private static final int DEFAULT_MODE = 0644;

        private final ObjectMeta podMetadata;
        private final PodSpec podSpec;
        private final Container container;
        private String podName;
        private String namespace;
        private final Map<String, Secret> secrets = new HashMap<>();
        private final Map<String, ConfigMap> configMaps = new HashMap<>();
        private final Map<String, Path> pathMappings = new LinkedHashMap<>();
        private final Map<String, String> imageEnv = new LinkedHashMap<>();
        private final Map<String, String> extraEnv = new LinkedHashMap<>();
        private final List<String> extraArgs = new ArrayList<>();
        private List<String> imageEntrypoint = List.of();
        private Path filesDirectory;
        private Duration gracePeriod;

        private Builder(ObjectMeta podMetadata, PodSpec podSpec, String containerName) {
            this.podMetadata = podMetadata != null ? podMetadata : new ObjectMeta();
            this.podSpec = Objects.requireNonNull(podSpec, "pod spec");
            this.container = findContainer(podSpec, containerName);
            this.podName = this.podMetadata.getName() != null ? this.podMetadata.getName()
                    : Objects.requireNonNullElse(this.podMetadata.getGenerateName(), "pod-") + "local";
            this.namespace = Objects.requireNonNullElse(this.podMetadata.getNamespace(), "default");
        }

        /** The pod's name ({@code metadata.name}, {@code HOSTNAME}); default: the metadata's name. */
        public Builder podName(String podName) {
            this.podName = podName;
            return this;
        }

        /** The pod's namespace ({@code metadata.namespace}); default: the metadata's, else {@code default}. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Secrets that {@code secretKeyRef}, {@code envFrom} and {@code secret} volumes may name. */
        public Builder secrets(Collection<Secret> secrets) {
            secrets.forEach(secret -> this.secrets.put(secret.getMetadata().getName(), secret));
            return this;
        }

        /** ConfigMaps that {@code configMapKeyRef}, {@code envFrom} and {@code configMap} volumes may name. */
        public Builder configMaps(Collection<ConfigMap> configMaps) {
            configMaps.forEach(configMap -> this.configMaps.put(configMap.getMetadata().getName(), configMap));
            return this;
        }

        /**
         * Maps an absolute container path (a directory or file of the image, such as
         * {@code /opt/flink}) to a local path. Mounts and the termination message path are
         * mapped automatically and take precedence over a mapping of the same path.
         */
        public Builder mapPath(String containerPath, Path localPath) {
            pathMappings.put(containerPath, localPath.toAbsolutePath());
            return this;
        }

        /** The image's ENTRYPOINT, used when the container has no {@code command}. */
        public Builder imageEntrypoint(String... entrypoint) {
            this.imageEntrypoint = List.of(entrypoint);
            return this;
        }

        /** A variable of the image's ENV; the container's {@code env} overrides it. Not path-mapped. */
        public Builder imageEnv(String name, String value) {
            imageEnv.put(name, value);
            return this;
        }

        /**
         * A variable appended after the container's {@code env}, as if it were its last entry:
         * it overrides the container's value and is visible to {@code $(VAR)} in command and
         * args. Taken verbatim (local values: not expanded, not path-mapped).
         */
        public Builder extraEnv(String name, String value) {
            extraEnv.put(name, value);
            return this;
        }

        /** Arguments appended verbatim after the container's (for example local port overrides). */
        public Builder extraArgs(String... args) {
            extraArgs.addAll(List.of(args));
            return this;
        }

        /**
         * The directory receiving the materialized volumes, the log and the termination message;
         * it is kept on close. Default: a new temporary directory, deleted by {@link #close()}.
         */
        public Builder filesDirectory(Path directory) {
            this.filesDirectory = directory;
            return this;
        }

        /** How long {@link PodProcess#close()} waits after SIGTERM; default: the pod's {@code terminationGracePeriodSeconds}. */
        public Builder gracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
            return this;
        }

        /**
         * Translates the container and materializes its files, without starting it. Without a
         * {@link #filesDirectory}, the files go to a new temporary directory that nothing deletes.
         *
         * @throws IllegalArgumentException if the container refers to a Secret, ConfigMap, key,
         *     field or volume that is not given or not supported, or has no command
         * @throws UncheckedIOException if files cannot be written
         */
        public Launch prepare() {
            Path directory = filesDirectory != null ? filesDirectory
                    : ScratchDirectory.create("testbed-pod-").path();
            return prepare(directory);
        }

        /**
         * Translates the container, materializes its files and starts the process.
         *
         * @throws IllegalArgumentException as {@link #prepare()}
         * @throws IllegalStateException if the executable cannot be started
         * @throws UncheckedIOException if files cannot be written
         */
        public PodProcess start() {
            ScratchDirectory owned = filesDirectory == null ? ScratchDirectory.create("testbed-pod-") : null;
            Launch launch;
            try {
                launch = prepare(owned != null ? owned.path() : filesDirectory);
            } catch (RuntimeException e) {
                if (owned != null) {
                    owned.close();
                }
                throw e;
            }
            ProcessBuilder builder = new ProcessBuilder(launch.command())
                    .directory(launch.workingDirectory().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(launch.environment());
            try {
                Process process = builder.start();
                ChildProcesses.register(process);
                return new PodProcess(launch, process, effectiveGracePeriod(), container.getTerminationMessagePolicy(),
                        owned);
            } catch (IOException e) {
                if (owned != null) {
                    owned.close();
                }
                throw new IllegalStateException("cannot start container " + container.getName() + ": "
                        + e.getMessage(), e);
            }
        }

        private Launch prepare(Path directory) {
            try {
                Files.createDirectories(directory);
                Path logFile = directory.resolve(container.getName() + ".log");
                Path terminationMessageFile = directory.resolve("termination-log");
                Files.deleteIfExists(terminationMessageFile);
                Files.createFile(terminationMessageFile);

                Map<String, String> containerEnv = containerEnvironment();
                Map<String, Path> mounts = materializeMounts(directory.resolve("volumes"), containerEnv);

                Map<String, Path> mappings = new LinkedHashMap<>(pathMappings);
                mappings.putAll(mounts);
                mappings.put(Objects.requireNonNullElse(container.getTerminationMessagePath(),
                        DEFAULT_TERMINATION_MESSAGE_PATH), terminationMessageFile);
                PathMapping mapping = new PathMapping(mappings);

                Map<String, String> lookupEnv = new LinkedHashMap<>(containerEnv);
                lookupEnv.putAll(extraEnv);
                List<String> command = new ArrayList<>();
                for (String word : commandAndArgs()) {
                    command.add(mapping.apply(VariableExpansion.expand(word, lookupEnv::get)));
                }
                command.addAll(extraArgs);

                Map<String, String> environment = new LinkedHashMap<>(baseEnvironment());
                environment.putAll(imageEnv);
                containerEnv.forEach((name, value) -> environment.put(name, mapping.apply(value)));
                environment.putAll(extraEnv);

                Path workingDirectory = workingDirectory(directory, mapping);
                return new Launch(command, environment, workingDirectory, mounts, terminationMessageFile, logFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare files for container " + container.getName(), e);
            }
        }

        private List<String> commandAndArgs() {
            List<String> words = new ArrayList<>();
            List<String> command = container.getCommand();
            if (command != null && !command.isEmpty()) {
                words.addAll(command);
            } else if (!imageEntrypoint.isEmpty()) {
                words.addAll(imageEntrypoint);
            } else {
                throw new IllegalArgumentException("container " + container.getName()
                        + " has no command; give the image's entrypoint with imageEntrypoint(...)");
            }
            if (container.getArgs() != null) {
                words.addAll(container.getArgs());
            }
            return words;
        }

        private Map<String, String> baseEnvironment() {
            Map<String, String> base = new LinkedHashMap<>();
            base.put("PATH", Objects.requireNonNullElse(System.getenv("PATH"), "/usr/local/bin:/usr/bin:/bin"));
            base.put("HOME", System.getProperty("user.home"));
            base.put("JAVA_HOME", System.getProperty("java.home"));
            base.put("LANG", "C.UTF-8");
            base.put("HOSTNAME", podName);
            return base;
        }

        private Path workingDirectory(Path directory, PathMapping mapping) throws IOException {
            String workingDir = container.getWorkingDir();
            if (workingDir == null || workingDir.isEmpty()) {
                return Files.createDirectories(directory.resolve("workdir"));
            }
            Path local = Path.of(mapping.apply(workingDir));
            if (!Files.isDirectory(local)) {
                throw new IllegalArgumentException("workingDir " + workingDir + " of container " + container.getName()
                        + " maps to " + local + ", which is not a directory; map it with mapPath(...)");
            }
            return local;
        }

        private Duration effectiveGracePeriod() {
            if (gracePeriod != null) {
                return gracePeriod;
            }
            Long seconds = podSpec.getTerminationGracePeriodSeconds();
            return Duration.ofSeconds(seconds != null ? seconds : DEFAULT_GRACE_SECONDS);
        }

        // ---- environment -------------------------------------------------------------------

        private Map<String, String> containerEnvironment() {
            Map<String, String> env = new LinkedHashMap<>();
            for (EnvFromSource source : nullToEmpty(container.getEnvFrom())) {
                String prefix = Objects.requireNonNullElse(source.getPrefix(), "");
                sourceData(source).forEach((key, value) -> {
                    if (!key.contains("=")) {
                        env.put(prefix + key, value);
                    }
                });
            }
            for (EnvVar variable : nullToEmpty(container.getEnv())) {
                EnvVarSource valueFrom = variable.getValueFrom();
                if (valueFrom == null) {
                    env.put(variable.getName(),
                            VariableExpansion.expand(Objects.requireNonNullElse(variable.getValue(), ""), env::get));
                } else {
                    String value = resolve(variable.getName(), valueFrom);
                    if (value != null) {
                        env.put(variable.getName(), value);
                    }
                }
            }
            return env;
        }

        private Map<String, String> sourceData(EnvFromSource source) {
            ConfigMapEnvSource configMapRef = source.getConfigMapRef();
            if (configMapRef != null) {
                ConfigMap configMap = configMaps.get(configMapRef.getName());
                if (configMap == null) {
                    return requireOptional(configMapRef.getOptional(), "ConfigMap " + configMapRef.getName(), Map.of());
                }
                return nullToEmpty(configMap.getData());
            }
            SecretEnvSource secretRef = source.getSecretRef();
            if (secretRef != null) {
                Secret secret = secrets.get(secretRef.getName());
                if (secret == null) {
                    return requireOptional(secretRef.getOptional(), "Secret " + secretRef.getName(), Map.of());
                }
                Map<String, String> data = new LinkedHashMap<>();
                secretData(secret).forEach((key, bytes) -> data.put(key, new String(bytes, StandardCharsets.UTF_8)));
                return data;
            }
            throw new IllegalArgumentException("envFrom entry of container " + container.getName()
                    + " names neither a ConfigMap nor a Secret");
        }

        /** The value of one {@code valueFrom}, or null for a missing optional key. */
        private String resolve(String name, EnvVarSource valueFrom) {
            SecretKeySelector secretKeyRef = valueFrom.getSecretKeyRef();
            if (secretKeyRef != null) {
                Secret secret = secrets.get(secretKeyRef.getName());
                byte[] value = secret == null ? null : secretData(secret).get(secretKeyRef.getKey());
                if (value == null) {
                    return requireOptional(secretKeyRef.getOptional(), "key " + secretKeyRef.getKey() + " of Secret "
                            + secretKeyRef.getName() + " (env " + name + ")", null);
                }
                return new String(value, StandardCharsets.UTF_8);
            }
            ConfigMapKeySelector configMapKeyRef = valueFrom.getConfigMapKeyRef();
            if (configMapKeyRef != null) {
                ConfigMap configMap = configMaps.get(configMapKeyRef.getName());
                String value = configMap == null ? null : nullToEmpty(configMap.getData()).get(configMapKeyRef.getKey());
                if (value == null) {
                    return requireOptional(configMapKeyRef.getOptional(), "key " + configMapKeyRef.getKey()
                            + " of ConfigMap " + configMapKeyRef.getName() + " (env " + name + ")", null);
                }
                return value;
            }
            if (valueFrom.getFieldRef() != null) {
                return fieldValue(name, valueFrom.getFieldRef());
            }
            if (valueFrom.getResourceFieldRef() != null) {
                return resourceValue(name, valueFrom.getResourceFieldRef());
            }
            throw new IllegalArgumentException("env " + name + " of container " + container.getName()
                    + " has an unsupported valueFrom");
        }

        private String fieldValue(String name, ObjectFieldSelector fieldRef) {
            String path = fieldRef.getFieldPath();
            switch (path) {
                case "metadata.name":
                    return podName;
                case "metadata.namespace":
                    return namespace;
                case "metadata.uid":
                    return Objects.requireNonNullElse(podMetadata.getUid(), "00000000-0000-0000-0000-000000000000");
                case "spec.nodeName":
                    return "localhost";
                case "spec.serviceAccountName":
                    return Objects.requireNonNullElse(podSpec.getServiceAccountName(), "default");
                case "status.podIP":
                case "status.podIPs":
                case "status.hostIP":
                case "status.hostIPs":
                    return POD_IP;
                default:
                    Matcher matcher = LABEL_FIELD.matcher(path);
                    if (matcher.matches()) {
                        Map<String, String> values = "labels".equals(matcher.group(1)) ? podMetadata.getLabels()
                                : podMetadata.getAnnotations();
                        return nullToEmpty(values).getOrDefault(matcher.group(2), "");
                    }
                    throw new IllegalArgumentException("env " + name + ": fieldRef " + path + " is not supported");
            }
        }

        private String resourceValue(String name, ResourceFieldSelector selector) {
            Container target = selector.getContainerName() == null || selector.getContainerName().isEmpty()
                    ? container : findContainer(podSpec, selector.getContainerName());
            String resource = selector.getResource();
            ResourceRequirements resources = target.getResources();
            Map<String, Quantity> quantities;
            String resourceName;
            if (resource.startsWith("limits.")) {
                quantities = resources == null ? null : resources.getLimits();
                resourceName = resource.substring("limits.".length());
            } else if (resource.startsWith("requests.")) {
                quantities = resources == null ? null : resources.getRequests();
                resourceName = resource.substring("requests.".length());
            } else {
                throw new IllegalArgumentException("env " + name + ": resourceFieldRef " + resource + " is not supported");
            }
            Quantity quantity = nullToEmpty(quantities).get(resourceName);
            if (quantity == null) {
                throw new IllegalArgumentException("env " + name + ": " + resource + " is not set on container "
                        + target.getName() + " (the kubelet would use the node's allocatable, unknown here)");
            }
            Quantity divisor = selector.getDivisor() != null ? selector.getDivisor() : new Quantity("1");
            BigDecimal value = Quantity.getAmountInBytes(quantity)
                    .divide(Quantity.getAmountInBytes(divisor), 0, RoundingMode.CEILING);
            return value.toPlainString();
        }

        // ---- volumes -----------------------------------------------------------------------

        private Map<String, Path> materializeMounts(Path volumesDirectory, Map<String, String> env) throws IOException {
            Map<String, Path> mounts = new LinkedHashMap<>();
            Map<String, Path> volumeRoots = new HashMap<>();
            for (VolumeMount mount : nullToEmpty(container.getVolumeMounts())) {
                Path root = volumeRoots.get(mount.getName());
                if (root == null) {
                    root = materialize(volume(mount.getName()), volumesDirectory.resolve(mount.getName()));
                    volumeRoots.put(mount.getName(), root);
                }
                String subPath = mount.getSubPath();
                if ((subPath == null || subPath.isEmpty()) && mount.getSubPathExpr() != null) {
                    subPath = VariableExpansion.expand(mount.getSubPathExpr(), env::get);
                }
                mounts.put(mount.getMountPath(), subPath == null || subPath.isEmpty() ? root
                        : root.resolve(relative(subPath, "subPath of mount " + mount.getMountPath())));
            }
            return mounts;
        }

        private Volume volume(String name) {
            return nullToEmpty(podSpec.getVolumes()).stream()
                    .filter(volume -> name.equals(volume.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("volume " + name + " mounted by container "
                            + container.getName() + " is not defined in the pod spec"));
        }

        private Path materialize(Volume volume, Path directory) throws IOException {
            if (volume.getConfigMap() != null) {
                ConfigMapVolumeSource source = volume.getConfigMap();
                ConfigMap configMap = configMaps.get(source.getName());
                if (configMap == null) {
                    requireOptional(source.getOptional(), "ConfigMap " + source.getName() + " (volume "
                            + volume.getName() + ")", null);
                    return Files.createDirectories(directory);
                }
                Map<String, byte[]> files = new LinkedHashMap<>();
                nullToEmpty(configMap.getData()).forEach((key, value) ->
                        files.put(key, value.getBytes(StandardCharsets.UTF_8)));
                nullToEmpty(configMap.getBinaryData()).forEach((key, value) ->
                        files.put(key, Base64.getDecoder().decode(value)));
                return writeFiles(directory, files, source.getItems(), source.getDefaultMode(), source.getOptional(),
                        "ConfigMap " + source.getName());
            }
            if (volume.getSecret() != null) {
                SecretVolumeSource source = volume.getSecret();
                Secret secret = secrets.get(source.getSecretName());
                if (secret == null) {
                    requireOptional(source.getOptional(), "Secret " + source.getSecretName() + " (volume "
                            + volume.getName() + ")", null);
                    return Files.createDirectories(directory);
                }
                return writeFiles(directory, secretData(secret), source.getItems(), source.getDefaultMode(),
                        source.getOptional(), "Secret " + source.getSecretName());
            }
            if (volume.getEmptyDir() != null) {
                return Files.createDirectories(directory);
            }
            if (volume.getHostPath() != null) {
                return Path.of(volume.getHostPath().getPath());
            }
            throw new IllegalArgumentException("volume " + volume.getName()
                    + " is of a type PodProcess does not support (configMap, secret, emptyDir, hostPath)");
        }

        private Path writeFiles(Path directory, Map<String, byte[]> data, List<KeyToPath> items, Integer defaultMode,
                Boolean optional, String what) throws IOException {
            Files.createDirectories(directory);
            int mode = defaultMode != null ? defaultMode : DEFAULT_MODE;
            if (items == null || items.isEmpty()) {
                for (Map.Entry<String, byte[]> entry : data.entrySet()) {
                    writeFile(directory.resolve(relative(entry.getKey(), "key of " + what)), entry.getValue(), mode);
                }
                return directory;
            }
            for (KeyToPath item : items) {
                byte[] content = data.get(item.getKey());
                if (content == null) {
                    requireOptional(optional, "key " + item.getKey() + " of " + what, null);
                    continue;
                }
                writeFile(directory.resolve(relative(item.getPath(), "item path of " + what)), content,
                        item.getMode() != null ? item.getMode() : mode);
            }
            return directory;
        }

        private static void writeFile(Path file, byte[] content, int mode) throws IOException {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            try {
                Files.setPosixFilePermissions(file, permissions(mode));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default permissions stand
            }
        }

        private static Set<PosixFilePermission> permissions(int mode) {
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
            };
            for (int bit = 0; bit < bits.length; bit++) {
                if ((mode & (1 << bit)) != 0) {
                    permissions.add(bits[bit]);
                }
            }
            return permissions;
        }

        // ---- helpers -----------------------------------------------------------------------

        private static Container findContainer(PodSpec podSpec, String name) {
            List<Container> all = new ArrayList<>(nullToEmpty(podSpec.getContainers()));
            all.addAll(nullToEmpty(podSpec.getInitContainers()));
            return all.stream()
                    .filter(candidate -> name.equals(candidate.getName()))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the pod has no container named " + name));
        }

        private static Map<String, byte[]> secretData(Secret secret) {
            Map<String, byte[]> data = new LinkedHashMap<>();
            nullToEmpty(secret.getData()).forEach((key, value) -> data.put(key, Base64.getDecoder().decode(value)));
            nullToEmpty(secret.getStringData()).forEach((key, value) ->
                    data.put(key, value.getBytes(StandardCharsets.UTF_8)));
            return data;
        }

        private static Path relative(String path, String what) {
            Path relative = Path.of(path).normalize();
            if (relative.isAbsolute() || relative.startsWith("..")) {
                throw new IllegalArgumentException(what + " must be a relative path inside the volume: " + path);
            }
            return relative;
        }

        private static <T> T requireOptional(Boolean optional, String what, T fallback) {
            if (Boolean.TRUE.equals(optional)) {
                return fallback;
            }
            throw new IllegalArgumentException(what + " is not given (and not optional)");
        }

        private static <T> List<T> nullToEmpty(List<T> list) {
            return list != null ? list : List.of();
        }

        private static <K, V> Map<K, V> nullToEmpty(Map<K, V> map) {
            return map != null ? map : Map.of();
        }
    }
}
