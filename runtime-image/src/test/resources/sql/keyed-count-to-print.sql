-- CheckpointRestoreIT: a job whose state matters. A keyed COUNT(*) over a datagen source, written
-- as a changelog to the print sink (the TaskManager's stdout): the first row of a key is
-- "+I[key, 1]"; once the key has a count in state, every row is "-U[key, n]" then "+U[key, n+1]".
-- A run restored from a checkpoint therefore prints no "+I" for keys the checkpoint holds.
SET 'execution.checkpointing.interval' = '1 s';
SET 'pipeline.name' = 'datagen; count per key; to print';

CREATE TABLE clicks (
  user_id INT
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '20',
  'fields.user_id.min' = '1',
  'fields.user_id.max' = '2'
);

CREATE TABLE clicks_per_user (
  user_id INT,
  clicks BIGINT
) WITH (
  'connector' = 'print',
  'print-identifier' = 'clicks_per_user'
);

INSERT INTO clicks_per_user SELECT user_id, COUNT(*) FROM clicks GROUP BY user_id;
