#!/usr/bin/env bash
# Usage: tests/cluster/slurm_single_node.sh BIN SWEEPFILE WORKDIR
#
# Starts a throwaway one-node Slurm cluster on this machine (its own munge key and munged,
# slurmctld and slurmd as root, every file under WORKDIR/slurm-state), submits SWEEPFILE as a
# 4-task job array (`BIN sweep SWEEPFILE --shard $SLURM_ARRAY_TASK_ID/4 --out WORKDIR/slurm`)
# and a merge job that depends on it (afterok), waits for both, runs the sweep unsharded into
# WORKDIR/single and checks the two points.csv are byte-identical. The daemons are stopped on
# any exit. Exit 0 if identical, 77 (skip) if Slurm or munge is not installed, we are not root,
# or the cluster does not come up (the reason is printed), non-zero otherwise.
# Needs: Debian's slurmctld, slurmd, slurm-client and munge (all in `slurm-wlm`), and root.
set -euo pipefail

N=4
say() { echo "slurm_single_node.sh: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }
skip() { say "SKIP: $*"; exit 77; }

[ $# -eq 3 ] || { say "usage: $0 BIN SWEEPFILE WORKDIR"; exit 2; }
abspath() { (cd "$(dirname "$1")" && echo "$PWD/$(basename "$1")"); }
[ -x "$1" ] || { say "BIN '$1' is not an executable file"; exit 2; }
[ -f "$2" ] || { say "SWEEPFILE '$2' does not exist"; exit 2; }
BIN=$(abspath "$1")
SWEEP=$(abspath "$2")
mkdir -p "$3"
WORK=$(cd "$3" && pwd)

missing=()
for c in munged slurmctld slurmd sbatch squeue scancel sinfo; do
  command -v "$c" >/dev/null 2>&1 || missing+=("$c")
done
[ ${#missing[@]} -eq 0 ] \
  || skip "not installed: ${missing[*]} (Debian: apt-get install -y slurm-wlm, or --no-install-recommends slurmctld slurmd slurm-client munge)"
[ "$(id -u)" -eq 0 ] || skip "must run as root (slurmd runs jobs as root here; SlurmUser=root)"

start=$SECONDS
STATE="$WORK/slurm-state"
rm -rf "$STATE" "$WORK/slurm" "$WORK/single"
mkdir -p "$STATE"/{munge,ctld,spool,jobs,logs} "$WORK/slurm" "$WORK/single"
chmod 711 "$STATE/munge"

# munged's socket and slurmstepd's (in SlurmdSpoolDir, named <node>_<job>.<step>) must fit a
# Unix socket address (108 bytes): when WORKDIR is too deep they go to a temp dir instead,
# removed on exit.
NODE=$(hostname -s)
SOCKDIR_TMP=""
if [ $((${#STATE} + ${#NODE} + 40)) -le 100 ]; then
  SOCK_BASE="$STATE"
else
  SOCKDIR_TMP=$(mktemp -d /tmp/sovsim-slurm.XXXXXX)
  SOCK_BASE="$SOCKDIR_TMP"
  mkdir -p "$SOCK_BASE/spool"
fi
MUNGE_DIR="$STATE/munge"
MUNGE_SOCK="$SOCK_BASE/munge/munge.socket"
mkdir -p "$SOCK_BASE/munge"
chmod 711 "$SOCK_BASE/munge"
SPOOL="$SOCK_BASE/spool"

MUNGED_PID="" CTLD_PID="" SLURMD_PID="" WAITER_PID=""
stop_pid() { # PID NAME: TERM, wait up to 10 s, then KILL
  local pid=$1 i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  say "$2 (pid $pid) ignored SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? i
  trap - EXIT INT TERM
  stop_pid "$WAITER_PID" "timeout sbatch --wait"
  if [ -n "$CTLD_PID" ] && kill -0 "$CTLD_PID" 2>/dev/null; then
    # cancel whatever is left of our jobs so no slurmstepd outlives slurmd
    scancel --quiet --user=root 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  stop_pid "$SLURMD_PID" slurmd
  stop_pid "$CTLD_PID" slurmctld
  stop_pid "$MUNGED_PID" munged
  rm -f "$STATE"/*.pid "$MUNGE_DIR"/*.pid
  [ -z "$SOCKDIR_TMP" ] || rm -rf "$SOCKDIR_TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Two free TCP ports for slurmctld and slurmd (a port is taken if something answers on it).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p i
  for ((i = 0; i < 50; i++)); do
    p=$((20000 + RANDOM % 20000))
    if port_free "$p" && [ "$p" != "${1:-}" ]; then echo "$p"; return 0; fi
  done
  return 1
}
CTLD_PORT=$(pick_port) || skip "found no free TCP port for slurmctld"
SLURMD_PORT=$(pick_port "$CTLD_PORT") || skip "found no free TCP port for slurmd"

# --- munge: a fresh key and our own munged on our own socket -------------------------------
dd if=/dev/urandom of="$MUNGE_DIR/munge.key" bs=1024 count=1 status=none
chmod 400 "$MUNGE_DIR/munge.key"
munged --foreground --force --socket="$MUNGE_SOCK" --key-file="$MUNGE_DIR/munge.key" \
  --pid-file="$MUNGE_DIR/munged.pid" --log-file="$STATE/logs/munged.log" \
  --seed-file="$MUNGE_DIR/munged.seed" 2>>"$STATE/logs/munged.log" &
MUNGED_PID=$!
for ((i = 0; i < 50; i++)); do [ -S "$MUNGE_SOCK" ] && break; sleep 0.1; done
if [ ! -S "$MUNGE_SOCK" ]; then
  skip "munged did not start: $(tail -n 5 "$STATE/logs/munged.log" 2>/dev/null | tr '\n' ' ')"
fi

# --- slurm.conf: one node (this host), root everywhere, no cgroups, no accounting -----------
CPUS=$(nproc)
export SLURM_CONF="$STATE/slurm.conf"
cat > "$SLURM_CONF" <<CONF
ClusterName=sovsimtest
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCK
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$SPOOL
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/logs/slurmctld.log
SlurmdLogFile=$STATE/logs/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
MailProg=/bin/true
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=300
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -D -c -f "$SLURM_CONF" >"$STATE/logs/slurmctld.stderr" 2>&1 &
CTLD_PID=$!
slurmd -D -f "$SLURM_CONF" -N "$NODE" >"$STATE/logs/slurmd.stderr" 2>&1 &
SLURMD_PID=$!

# wait (up to 30 s) for the node to be idle
state=""
for ((i = 0; i < 150; i++)); do
  kill -0 "$CTLD_PID" 2>/dev/null \
    || skip "slurmctld exited: $(tail -n 5 "$STATE/logs/slurmctld.log" "$STATE/logs/slurmctld.stderr" 2>/dev/null | tr '\n' ' ')"
  kill -0 "$SLURMD_PID" 2>/dev/null \
    || skip "slurmd exited: $(tail -n 5 "$STATE/logs/slurmd.log" "$STATE/logs/slurmd.stderr" 2>/dev/null | tr '\n' ' ')"
  state=$(sinfo -h -N -o %T 2>/dev/null | head -n 1 || true)
  [ "$state" = idle ] && break
  sleep 0.2
done
[ "$state" = idle ] || skip "node $NODE not idle after 30 s (state '${state:-none}'); see $STATE/logs"
say "Slurm up in $((SECONDS - start)) s: node $NODE, $CPUS CPUs, ports $CTLD_PORT/$SLURMD_PORT, SLURM_CONF=$SLURM_CONF"

# --- the two batch scripts, as docs/cluster.md shows them -----------------------------------
cat > "$STATE/jobs/sweep.sbatch" <<JOB
#!/usr/bin/env bash
#SBATCH --job-name=sovsim-sweep
#SBATCH --array=0-$((N - 1))
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=$STATE/logs/sweep-%A_%a.out
set -euo pipefail
exec "$BIN" sweep "$SWEEP" --shard "\$SLURM_ARRAY_TASK_ID/$N" --out "$WORK/slurm" \\
  --jobs "\${SLURM_CPUS_PER_TASK:-1}" --quiet
JOB
cat > "$STATE/jobs/merge.sbatch" <<JOB
#!/usr/bin/env bash
#SBATCH --job-name=sovsim-merge
#SBATCH --ntasks=1
#SBATCH --cpus-per-task=1
#SBATCH --output=$STATE/logs/merge-%j.out
set -euo pipefail
# the sweep's folder: the one under the output folder holding shard 0's file
dirs=("$WORK/slurm"/*/shard-0-of-$N.csv)
[ \${#dirs[@]} -eq 1 ] && [ -f "\${dirs[0]}" ] || { echo "no single sweep folder in $WORK/slurm" >&2; exit 2; }
exec "$BIN" merge "\$(dirname "\${dirs[0]}")"
JOB

ARRAY_ID=$(sbatch --parsable "$STATE/jobs/sweep.sbatch") || fail "sbatch of the array job failed"
ARRAY_ID=${ARRAY_ID%%;*}
say "submitted array job $ARRAY_ID (tasks 0-$((N - 1)))"
say "submitting merge job after afterok:$ARRAY_ID and waiting for it (at most 150 s)"
merge_rc=0 why=""
# in the background, so that a signal to this script is handled at once (wait is interruptible)
timeout 150 sbatch --parsable --wait --kill-on-invalid-dep=yes \
  --dependency="afterok:$ARRAY_ID" "$STATE/jobs/merge.sbatch" >"$STATE/jobs/merge.id" &
WAITER_PID=$!
# meanwhile, give up at once if Slurm cannot start the jobs (it holds them, drains the node)
while kill -0 "$WAITER_PID" 2>/dev/null; do
  held=$(squeue -h -o '%i %r' 2>/dev/null | grep -iE 'launch failed|held' | head -n 1 || true)
  if [ -n "$held" ]; then
    why="Slurm could not launch job ${held%% *} (${held#* }): see $STATE/logs/slurmd.log"
    stop_pid "$WAITER_PID" "timeout sbatch --wait"
    break
  fi
  sleep 1
done
wait "$WAITER_PID" || merge_rc=$?
WAITER_PID=""
[ -z "$why" ] || merge_rc=1
MERGE_ID=$(head -n 1 "$STATE/jobs/merge.id" 2>/dev/null || true)
MERGE_ID=${MERGE_ID%%;*}
# sbatch --wait exits 0 for a job cancelled before it ran (as the merge job is when a shard
# fails), so ask slurmctld how each job ended (it keeps them for MinJobAge seconds).
job_states() { # JOBID -> e.g. "4 COMPLETED" or "3 COMPLETED 1 FAILED"; "" if unknown
  scontrol -o show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 \
    | sort | uniq -c | tr -s ' \n' ' ' | sed 's/^ //; s/ $//' || true
}
if [ "$merge_rc" -eq 0 ]; then
  array_states=$(job_states "$ARRAY_ID")
  merge_states=$(job_states "${MERGE_ID:-0}")
  say "jobs: array $ARRAY_ID: ${array_states:-unknown}; merge ${MERGE_ID:-?}: ${merge_states:-unknown}"
  [ "$array_states" = "$N COMPLETED" ] && [ "$merge_states" = "1 COMPLETED" ] || { merge_rc=1; why="not every job COMPLETED"; }
fi
if [ "$merge_rc" -ne 0 ]; then
  [ -n "$why" ] || why="sbatch --wait exited $merge_rc"
  [ "$merge_rc" -ne 124 ] || why="timed out after 150 s waiting for the jobs"
  squeue -a -o '%.12i %.14j %.10T %.20r' >&2 2>/dev/null || true
  for f in "$STATE"/logs/sweep-*.out "$STATE"/logs/merge-*.out; do
    if [ -s "$f" ]; then say "--- $f"; tail -n 20 "$f" >&2; fi
  done
  fail "the sweep did not run through Slurm ($why); logs in $STATE/logs"
fi
say "array job $ARRAY_ID and merge job $MERGE_ID done in $((SECONDS - start)) s"

# --- the same sweep, unsharded, and the comparison ------------------------------------------
say "unsharded: $BIN sweep $SWEEP --out $WORK/single"
"$BIN" sweep "$SWEEP" --out "$WORK/single" --quiet || fail "the unsharded sweep exited $?"
singles=("$WORK/single"/*/points.csv)
[ ${#singles[@]} -eq 1 ] && [ -f "${singles[0]}" ] || fail "expected one $WORK/single/*/points.csv"
merged="$WORK/slurm/$(basename "$(dirname "${singles[0]}")")/points.csv"
[ -f "$merged" ] || fail "the merge job wrote no $merged"
cmp "${singles[0]}" "$merged" || fail "${singles[0]} and $merged differ"
say "OK: $N Slurm array tasks merged are byte-identical to the unsharded run ($(wc -l < "$merged") lines, $((SECONDS - start)) s)"
