#!/usr/bin/env bash
# A single-node Kafka (KRaft, no ZooKeeper, no Docker) on 127.0.0.1 from Maven Central's jars, for
# trying several Trainscope instances on one machine:
#
#   scale-out/kafka-local.sh                      # broker on 127.0.0.1:9092, data in ./kafka-data
#   java -jar server/target/trainscope.jar serve --kafka 127.0.0.1:9092 --port 8081 --data-dir a &
#   java -jar server/target/trainscope.jar serve --kafka 127.0.0.1:9092 --port 8082 --data-dir b &
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_DATA (./kafka-data). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${KAFKA_PORT:-9092}
cport=${KAFKA_CONTROLLER_PORT:-9093}
data=$(realpath -m "${KAFKA_DATA:-kafka-data}")
cp_file=scale-out/target/kafka.classpath
mkdir -p scale-out/target "$data"
if [ ! -s "$cp_file" ]; then
  mvn -q -B -f scale-out/pom.xml dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file" >&2
fi
props="$data/server.properties"
cat > "$props" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$data/logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
num.partitions=1
log.cleaner.dedupe.buffer.size=4194304
PROPS
cp=$(cat "$cp_file")
if [ ! -e "$data/logs/meta.properties" ]; then
  java -cp "$cp" kafka.tools.StorageTool format -t "$(java -cp "$cp" kafka.tools.StorageTool random-uuid)" \
    -c "$props" >&2
fi
echo "Kafka on 127.0.0.1:$port (data in $data)" >&2
exec java -Xmx512m -cp "$cp" kafka.Kafka "$props"
