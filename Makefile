# StreamJob Operator: the commands of README.md. Everything goes through Maven; the first run
# downloads dependencies from Maven Central into ~/.m2 (cached for later runs).
MVN ?= mvn -B -ntp
DEMO_ARGS ?= --duration 120

.PHONY: test build demo bench-upgrade bench-recovery bench-rescale e2e crds clean

## test: every test: unit, operator (mock API server), runtime and integration (real Flink, Kafka, S3)
test:
	$(MVN) verify

## build: compile and assemble the runtime (runtime-image/target/flink) without running tests
build:
	$(MVN) -DskipTests install

## demo: the example StreamJob on generated orders, with local Kafka and S3, printing live aggregates
demo: build
	$(MVN) -q -pl operator exec:java@demo -Dexec.args="$(DEMO_ARGS)"

## bench-upgrade: upgrade downtime of the example (savepoint and last-state) under steady input; prints figures
bench-upgrade: build
	bash -o pipefail -c "$(MVN) -pl operator test -Dtest=UpgradeBenchmark -Dsurefire.failIfNoSpecifiedTests=false | tee operator/target/bench-upgrade.log | grep -E '^BENCHMARK|Tests run:|FAIL'"

## bench-recovery: time from a killed JobManager (or all Flink processes) to detection and to the job running again; prints figures
bench-recovery: build
	bash -o pipefail -c "$(MVN) -pl operator test -Dtest=RecoveryBenchmark -Dsurefire.failIfNoSpecifiedTests=false | tee operator/target/bench-recovery.log | grep -E '^BENCHMARK|Tests run:|FAIL'"

## bench-rescale: in-place versus savepoint rescaling of the example under steady input (time to the new parallelism, output gap); prints figures
bench-rescale: build
	bash -o pipefail -c "$(MVN) -pl operator test -Dtest=RescaleBenchmark -Dsurefire.failIfNoSpecifiedTests=false | tee operator/target/bench-rescale.log | grep -E '^BENCHMARK|Tests run:|FAIL'"

## e2e: the end-to-end suite on a real single-node Kubernetes built on this machine (as root; see e2e/README.md)
e2e: build
	e2e/cluster up
	e2e/run-suite; rc=$$?; e2e/cluster down; exit $$rc

## crds: regenerate crds/ (and the chart's copy) from the Java API types
crds:
	$(MVN) -q -pl operator -am -DskipTests package -Dcrd.check.skip=true
	cp operator/target/kubernetes/streamjobs.streamjob.dev-v1.yml crds/
	cp operator/target/kubernetes/streamjobs.streamjob.dev-v1.yml charts/streamjob-operator/crds/

clean:
	$(MVN) -q clean
