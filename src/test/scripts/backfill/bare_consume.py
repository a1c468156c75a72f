# Reads TOPIC from the earliest offset until N records, then writes "TOPIC N seconds-after-START" to OUT.
import sys, time
from confluent_kafka import Consumer
topic, n, startfile, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
c = Consumer({"bootstrap.servers": "localhost:9092", "group.id": "bare-" + topic + str(time.time()),
              "auto.offset.reset": "earliest", "enable.auto.commit": False, "isolation.level": "read_committed"})
c.subscribe([topic])
seen = 0
last = None
deadline = time.time() + 900
while seen < n and time.time() < deadline:
    msgs = c.consume(num_messages=10000, timeout=0.2)
    for m in msgs:
        if m.error() is None:
            seen += 1
    if msgs:
        last = time.time()
t0 = float(open(startfile).read())
open(out, "w").write("%s %d %.3f\n" % (topic, seen, last - t0))
c.close()
