#!/bin/bash
# A user's backfill timed as the issue measured it: a fresh service (embedded broker on 9092, HTTP on 8080), the
# dataset registered, 200,000 records of a 30-column table produced at full speed with the `produce` CLI, two bare
# librdkafka consumers (python3-confluent-kafka) reading wide.raw and wide.imputed from the first send.
#   src/test/scripts/backfill/run.sh target/ganstream.jar true on      # training on (false: off)
# Extra JVM options for the service: SERVER_OPTS="-Dganstream.training.backoff-factor=15". SCORE=1 also scores
# every filled cell against the table's truth, by the model version that filled it (score_imputed.py). PROBE=1
# prints where the service's CPU went from the first send to the last record read, by thread (probe.py).
set -e
JAR=$(realpath "$1"); TRAIN=$2; TAG=$3
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=${WORK:-/tmp/ganstream-backfill}
mkdir -p "$WORK" && cd "$WORK"
[ -f wide.csv ] || /usr/bin/python3 "$HERE/make_table.py"
export GANSTREAM_DATA_DIR=$WORK/data-$TAG GANSTREAM_TRAINING_ENABLED=$TRAIN
rm -rf "$GANSTREAM_DATA_DIR"
java $SERVER_OPTS -jar "$JAR" > server-$TAG.log 2>&1 &
SRV=$!
trap 'kill $SRV 2>/dev/null; wait $SRV 2>/dev/null' EXIT
for i in $(seq 1 120); do curl -sf localhost:8080/health/readiness >/dev/null && break; sleep 1; done
curl -s -o /dev/null -w "register %{http_code}\n" -X PUT localhost:8080/datasets/wide \
    -H 'content-type: application/json' --data-binary @wide.schema.json
sleep 3
echo 0 > start-$TAG
/usr/bin/python3 "$HERE/bare_consume.py" wide.raw 200000 start-$TAG raw-$TAG.txt &
C1=$!
/usr/bin/python3 "$HERE/bare_consume.py" wide.imputed 200000 start-$TAG imputed-$TAG.txt &
C2=$!
sleep 8 # both consumers joined their groups
date +%s.%N > start-$TAG
[ -z "$PROBE" ] || /usr/bin/python3 "$HERE/probe.py" snap $SRV probe0-$TAG.json
java -jar "$JAR" produce --dataset wide --file wide.csv --bootstrap localhost:9092 > produce-$TAG.log 2>&1
wait $C1 $C2
[ -z "$PROBE" ] || { /usr/bin/python3 "$HERE/probe.py" snap $SRV probe1-$TAG.json;
    /usr/bin/python3 "$HERE/probe.py" diff probe0-$TAG.json probe1-$TAG.json; }
RAW=$(cut -d' ' -f3 raw-$TAG.txt); IMP=$(cut -d' ' -f3 imputed-$TAG.txt)
echo "BACKFILL_E2E training=$TRAIN bare_consumer_s=$RAW pipeline_s=$IMP pipeline/bare=$(echo "scale=3; $RAW / $IMP" | bc)"
[ -z "$SCORE" ] || /usr/bin/python3 "$HERE/score_imputed.py" "$WORK"
curl -s localhost:8080/datasets/wide | /usr/bin/python3 -c \
    "import json,sys; m=json.load(sys.stdin).get('model',{}); print('imputer', m.get('state'), m.get('version'))"
