-- BadSqlJobIT: the INSERT (statement 3, line 6) names a column the source does not have.
CREATE TABLE src (id BIGINT) WITH ('connector' = 'datagen');

CREATE TABLE snk (id BIGINT) WITH ('connector' = 'blackhole');

INSERT INTO snk
SELECT id + 1 FROM src WHERE x > 0;
