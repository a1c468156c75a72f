#!/usr/bin/python3
"""Runs ../shared/bench/torch_step.py timing each step by thread CPU time instead of wall time, the same
measure as CostVsColumns uses for DL4J (on a shared, overloaded machine wall time mostly measures the load).
  /usr/bin/python3 src/test/scripts/torch_cpu_time.py ../shared/bench/torch_step.py gain --dim 30 --hidden 64
"""
import sys
import time

time.perf_counter_ns = time.thread_time_ns
sys.argv = sys.argv[1:]
exec(compile(open(sys.argv[0]).read(), sys.argv[0], "exec"))
