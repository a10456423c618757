package dev.streamjob.runtime.it.jobs;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/**
 * A jar job for {@code JarJobIT}: generates 20 numbers a second into a discarding sink. Its only
 * argument pair, {@code --name <job name>}, names the job, so the test can see that job arguments
 * arrive. Packaged into a jar of its own by the test; never on the runtime's class path.
 */
public final class NumbersJob {

    private NumbersJob() {}

    /** Builds and submits the job. */
    public static void main(String[] args) throws Exception {
        String name = args.length == 2 && args[0].equals("--name") ? args[1] : "numbers";
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataGeneratorSource<Long> numbers = new DataGeneratorSource<>(
                index -> index, Long.MAX_VALUE, RateLimiterStrategy.perSecond(20), Types.LONG);
        env.fromSource(numbers, WatermarkStrategy.noWatermarks(), "numbers").sinkTo(new DiscardingSink<>());
        env.execute(name);
    }
}
