-- SqlJobIT: a streaming job with no external system. Checkpoints every 2 s into the directory
-- the cluster configuration names (execution.checkpointing.dir).
SET 'execution.checkpointing.interval' = '2 s';
SET 'pipeline.name' = 'datagen; to blackhole';

CREATE TABLE orders (
  id BIGINT,
  amount DOUBLE,
  note STRING
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '50'
);

/* Two sinks; both INSERTs run in the job's one statement set. */
CREATE TABLE amounts (id BIGINT, amount DOUBLE) WITH ('connector' = 'blackhole');
CREATE TABLE notes (note STRING) WITH ('connector' = 'blackhole');

EXECUTE STATEMENT SET BEGIN
  INSERT INTO amounts SELECT id, amount FROM orders;
  INSERT INTO notes SELECT note FROM orders WHERE note <> 'x;y';
END;
