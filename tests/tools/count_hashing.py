#!/usr/bin/python3
"""Counts how many of some processes compute an Argon2id hash at once, from outside.

  count_hashing.py --threshold-kib K [--until-first] PID...
  count_hashing.py --threshold-kib K --exe PATH

An Argon2id computation holds kdf_memlimit_mib of memory while it runs, and a credenza process
that only waits for its turn holds a few MiB: a process whose resident set (VmRSS in
/proc/PID/status) is above K KiB is hashing. Samples every millisecond until every PID has exited
(or, with --until-first, until one of them is seen hashing) and prints
"MAX_AT_ONCE SAMPLES_WITH_ONE_OR_MORE SAMPLES PEAK_TOTAL_KIB". With --exe, the processes are every
one running the executable PATH, sampled from the first seen until none is left (scripts/bench).

Standard library only.
"""

import argparse
import os
import time


def resident_kib(pid):
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None
    return 0  # a zombie: exited, not yet reaped


def running(exe):
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.readlink(f"/proc/{name}/exe") == exe:
                    pids.append(int(name))
            except OSError:
                pass
    return pids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold-kib", type=int, required=True)
    parser.add_argument("--until-first", action="store_true")
    parser.add_argument("--exe")
    parser.add_argument("pids", nargs="*", type=int)
    args = parser.parse_args()
    exe = os.path.realpath(args.exe) if args.exe else None
    most = busy = samples = peak = 0
    seen = False
    while True:
        pids = running(exe) if exe else args.pids
        sizes = [resident_kib(pid) for pid in pids]
        alive = [size for size in sizes if size]
        hashing = sum(1 for size in alive if size > args.threshold_kib)
        samples += 1
        busy += hashing > 0
        most = max(most, hashing)
        peak = max(peak, sum(alive))
        seen = seen or bool(alive)
        if (not alive and (seen or not exe)) or (args.until_first and hashing):
            break
        time.sleep(0.001)
    print(most, busy, samples, peak)


if __name__ == "__main__":
    main()
