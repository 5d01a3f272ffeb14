"""Keeps one process of the Hongyan kit's worker topology running.

Usage: keeper.py STATE_FILE LOG_FILE STOP_SIGNAL -- COMMAND [ARGS...]

Runs COMMAND with its output appended to LOG_FILE. When it exits without being asked to, the
keeper starts it again after a short back-off (1 s, doubling up to 30 s; reset after a minute of
running) and gives up after 10 crashes in a row. SIGTERM or SIGINT to the keeper sends STOP_SIGNAL
(TERM, INT or QUIT) to the command, waits for it, and exits. STATE_FILE always holds a JSON object
{"keeper", "pid", "restarts", "state", "last_exit"} that the kit's status command reads.

With KEEPER_RUN_AS=uid:gid in its environment (the kit runs as root), the keeper starts the command
as that account: PostgreSQL refuses to run as root.

The command dies with the keeper (PR_SET_PDEATHSIG), so killing a keeper outright leaves no
orphan holding a port.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
MAX_CRASHES = 10


def write_state(path, state):
    tmp = f"{path}.tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, path)


def die_with_parent():
    # Runs in the child between fork and exec.
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def describe_exit(code):
    return f"signal {signal.Signals(-code).name}" if code < 0 else f"exit code {code}"


def main():
    state_file, log_file, stop_name = sys.argv[1:4]
    if sys.argv[4] != "--":
        print("usage: keeper.py STATE_FILE LOG_FILE STOP_SIGNAL -- COMMAND...", file=sys.stderr)
        return 2
    command = sys.argv[5:]
    stop_signal = getattr(signal, f"SIG{stop_name}")
    stopping = False
    child = None
    run_as = {}
    if os.environ.get("KEEPER_RUN_AS"):
        uid, gid = (int(x) for x in os.environ.pop("KEEPER_RUN_AS").split(":"))
        run_as = {"user": uid, "group": gid, "extra_groups": []}

    def on_stop(_signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(stop_signal)

    signal.signal(signal.SIGTERM, on_stop)
    signal.signal(signal.SIGINT, on_stop)

    state = {"keeper": os.getpid(), "pid": None, "restarts": 0, "state": "starting", "last_exit": None}
    backoff = 1.0
    crashes = 0
    while not stopping:
        with open(log_file, "ab", buffering=0) as log:
            child = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                preexec_fn=die_with_parent,
                **run_as,
            )
        if stopping:  # asked to stop while the command was being spawned
            child.send_signal(stop_signal)
        started = time.monotonic()
        state.update(pid=child.pid, state="running")
        write_state(state_file, state)
        code = child.wait()
        if stopping:
            break
        ran = time.monotonic() - started
        crashes = 0 if ran > 60 else crashes + 1
        backoff = 1.0 if ran > 60 else min(backoff * 2, 30.0) if crashes > 1 else 1.0
        state.update(pid=None, restarts=state["restarts"] + 1, last_exit=describe_exit(code))
        with open(log_file, "a") as log:
            log.write(f"keeper: {os.path.basename(command[0])} ended ({describe_exit(code)}); ")
            log.write("giving up\n" if crashes >= MAX_CRASHES else f"restarting in {backoff:.0f} s\n")
        if crashes >= MAX_CRASHES:
            state.update(state="failed")
            write_state(state_file, state)
            return 1
        state.update(state="restarting")
        write_state(state_file, state)
        deadline = time.monotonic() + backoff
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.1)
    state.update(pid=None, state="stopped")
    write_state(state_file, state)
    return 0


if __name__ == "__main__":
    sys.exit(main())
