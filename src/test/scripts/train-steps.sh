#!/usr/bin/env bash
# Training-step time of ganstream's DL4J nets vs the same shapes in PyTorch, measured back to back in one
# session (ratios only mean something taken on the same machine at the same time).
#   src/test/scripts/train-steps.sh [columns...]        (default: 10 30 100)
# Needs Debian's python3-torch (/usr/bin/python3) and ../shared/bench/torch_step.py (or TORCH_STEP=path).
# The synthesizer has two references: src/test/scripts/torch_synth_step.py (the same iteration written the
# CTGAN way: per-column activations, WGAN-GP by double backprop) and, as a lower bound, the sum of one bare mlp
# step of G's shape and one of D's (no penalty, no Gumbel-softmax, no conditional loss).
set -euo pipefail
cd "$(dirname "$0")/../../.."
COLS=("${@:-10 30 100}")
COLS=(${COLS[*]})
TORCH_STEP=${TORCH_STEP:-../shared/bench/torch_step.py}
JMH_ARGS=${JMH_ARGS:--wi 3 -w 2 -i 5 -r 2}
mvn -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
CP=target/test-classes:target/classes:$(cat target/test-classpath.txt)
JAVA=(java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp "$CP")
P=$(IFS=,; echo "${COLS[*]}")
"${JAVA[@]}" org.openjdk.jmh.Main TrainStepBenchmark -p columns="$P" $JMH_ARGS -rf csv -rff target/train-steps.csv \
    > target/train-steps-jmh.log
echo "| columns | model | DL4J µs/iteration | PyTorch µs/iteration | ratio | PyTorch reference |"
echo "| --- | --- | --- | --- | --- | --- |"
SYNTH_STEP=src/test/scripts/torch_synth_step.py
"${JAVA[@]}" io.ganstream.bench.TrainStepBenchmark "${COLS[@]}" 2>/dev/null | grep '^columns=' | while read -r line; do
    c=$(sed -E 's/^columns=([0-9]+) .*/\1/' <<<"$line")
    gain=$(sed -E 's/^columns=[0-9]+ gain (--dim [0-9]+ --hidden [0-9]+) .*/\1/' <<<"$line")
    sg=$(sed -E 's/.*synthG mlp (--sizes [0-9,]+ --batch [0-9]+) .*/\1/' <<<"$line")
    sd=$(sed -E 's/.*synthD mlp (--sizes [0-9,]+ --batch [0-9]+)$/\1/' <<<"$line")
    med() { /usr/bin/python3 "$TORCH_STEP" "$@" | sed -E 's/.*median ([0-9.]+) us.*/\1/'; }
    tg=$(med gain $gain --batch 128)
    tsg=$(med mlp $sg)
    tsd=$(med mlp $sd)
    ts=$(awk -v a="$tsg" -v b="$tsd" 'BEGIN{printf "%.1f", a+b}')
    jg=$(awk -F, -v c="$c" '{gsub(/["\r]/,"")} $1 ~ /gainIteration/ && $NF==c {printf "%.1f", $5}' target/train-steps.csv)
    js=$(awk -F, -v c="$c" '{gsub(/["\r]/,"")} $1 ~ /synthIteration/ && $NF==c {printf "%.1f", $5}' target/train-steps.csv)
    echo "| $c | imputer (GainNet) | $jg | $tg | $(awk -v a="$jg" -v b="$tg" 'BEGIN{printf "%.2f", a/b}') | \`gain $gain\` |"
    tc=$(/usr/bin/python3 "$SYNTH_STEP" --columns "$c" | sed -E 's/.*median ([0-9.]+) us.*/\1/')
    echo "| $c | synthesizer (SynthNet) | $js | $tc | $(awk -v a="$js" -v b="$tc" 'BEGIN{printf "%.2f", a/b}') | \`torch_synth_step.py --columns $c\` |"
    echo "| $c | synthesizer (SynthNet) | $js | $ts | $(awk -v a="$js" -v b="$ts" 'BEGIN{printf "%.2f", a/b}') | lower bound: \`mlp $sg\` + \`mlp $sd\` |"
done
