# shellcheck shell=bash disable=SC2034  # sourced: the arrays and paths are used by the scripts
# Shared helpers of the deploy/local scripts (sourced, not run).
# Every process these scripts start carries -Deventstream.run=<its run dir> on its command line;
# a PID is only ever signalled after /proc/<pid>/cmdline shows that marker, so a stale PID file
# whose number the kernel has since reused for someone else's process is never acted upon.

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"
# Root of all run directories; tests point it elsewhere to stay apart from a developer's cluster.
RUN_BASE="${EVENTSTREAM_RUN_DIR:-$REPO_ROOT/.run}"
mkdir -p "$RUN_BASE"
RUN_BASE="$(cd "$RUN_BASE" && pwd)"

# What flink-dist's config.yaml puts in env.java.opts.all for Java 17.
FLINK_JAVA17_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED
  --add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# Short-lived tool JVMs (CLI, Kafka tools, BashJavaUtils): start fast, skip the C2 compiler and
# the parallel GC threads, which only cost time on a small machine.
TOOL_JVM_OPTS=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "$(basename "$0"): $*"; }

require_java() {
  command -v java >/dev/null 2>&1 || die "java not found (JDK 17+ needed)"
}

# classpath kafka|flink: prints the classpath of that runtime, resolving it with Maven from
# deploy/local/pom.xml the first time (and again whenever the pom or the root pom changes).
classpath() {
  local profile="$1"
  # Keyed by the poms only, so every run directory (tests included) shares one resolution.
  local file="$REPO_ROOT/.run/classpath/$profile.txt"
  if [[ ! -s "$file" || "$LOCAL_DIR/pom.xml" -nt "$file" || "$REPO_ROOT/pom.xml" -nt "$file" ]]; then
    command -v mvn >/dev/null 2>&1 || die "mvn not found (Maven 3.8+ needed to fetch the $profile jars)"
    mkdir -p "$REPO_ROOT/.run/classpath"
    echo "$(basename "$0"): resolving the $profile classpath with Maven (first run only) ..." >&2
    mvn -B -q -f "$LOCAL_DIR/pom.xml" -P"$profile" dependency:build-classpath \
      -Dmdep.outputFile="$file.tmp" >&2 || die "Maven could not resolve the $profile jars"
    mv "$file.tmp" "$file"
  fi
  cat "$file"
}

# free_port: a TCP port on 127.0.0.1 that nobody listens on right now.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pid_alive PIDFILE RUNDIR: the PID in PIDFILE if that process is alive and is ours, else nothing.
pid_alive() {
  local pidfile="$1" rundir="$2" pid
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  # grep without -q reads to the end: an early exit would SIGPIPE tr and fail the pipe (pipefail).
  tr '\0' '\n' < "/proc/$pid/cmdline" | grep -xF -- "-Deventstream.run=$rundir" >/dev/null || return 1
  # A zombie still has a cmdline until it is reaped but is already gone for our purposes.
  [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]] || return 1
  echo "$pid"
}

# launch LOGFILE PIDFILE CMD...: starts CMD detached (own session, stdin closed, output to
# LOGFILE) and records its PID.
launch() {
  local out="$1" pidfile="$2" pid marker="" arg polls=0
  shift 2
  for arg in "$@"; do
    [[ "$arg" != -Deventstream.run=* ]] || marker="$arg"
  done
  # setsid without fork: a background child of a non-interactive shell is not a group leader,
  # so $! is the PID of the JVM itself.
  setsid "$@" >"$out" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pidfile"
  # Until the child has exec'd, its /proc/PID/cmdline is still this script's, without the run
  # marker, and pid_alive would take a process that is starting for one that has died (on a
  # loaded machine the exec has been seen to take long enough): wait for the exec (30 s at most).
  while [[ -n "$marker" ]] && ((polls++ < 600)) && [[ -r "/proc/$pid/cmdline" ]] \
      && [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != "Z" ]] \
      && ! tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -xF -- "$marker" >/dev/null; do
    sleep 0.05
  done
}

# stop_pid PIDFILE RUNDIR NAME [SECONDS]: SIGTERM, wait, and SIGKILL only after the timeout.
stop_pid() {
  local pidfile="$1" rundir="$2" name="$3" timeout="${4:-30}" pid waited=0
  if ! pid="$(pid_alive "$pidfile" "$rundir")"; then
    rm -f "$pidfile"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  while pid_alive "$pidfile" "$rundir" >/dev/null; do
    if ((waited >= timeout * 10)); then
      say "$name (pid $pid) still running after ${timeout}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$pidfile"
}

# elapsed_since START_NANOS: seconds with one decimal.
elapsed_since() {
  local now
  now="$(date +%s%N)"
  awk -v a="$1" -v b="$now" 'BEGIN { printf "%.1f", (b - a) / 1e9 }'
}

# export_local_s3_keys: the keys of the local S3 server (deploy/local/s3) into this script's
# environment, for the JVMs it starts (S3A's default credential chain reads AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY): they never go into a configuration file. They replace any AWS keys of the
# caller's shell, which the local server would refuse.
export_local_s3_keys() {
  local exports
  exports="$("$LOCAL_DIR/s3" env)" || die "the local S3 server is not running (deploy/local/s3 start)"
  eval "$exports"
}
